"""The enterprise list's .xlsx — rows read through COPY on PostgreSQL, through the ORM on SQLite —
gives back text with tabs, backslashes, markup characters and formula-like starts exactly, as text."""

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from tests.factories import OrganisationFactory, region

NAMES = ["\t雁塔甲", "雁塔乙\\丙", '=HYPERLINK("x")雁塔', "雁塔<丁>&戊", "-2雁塔", "雁塔己 "]


@pytest.mark.django_db
def test_odd_text_round_trips(client, yanta_officer):
    for name in NAMES:
        OrganisationFactory(
            name=name, county=region("610113"), address="西安\\雁塔", founded_on=dt.date(2015, 6, 30)
        )
    client.force_login(yanta_officer)

    response = client.get("/organisations/export.xlsx")

    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("企业名录").to_python()
    header = rows[1]
    assert sorted(r[0] for r in rows[2:]) == sorted(NAMES)
    assert {r[header.index("地址")] for r in rows[2:]} == {"西安\\雁塔"}
    assert {r[header.index("成立日期")] for r in rows[2:]} <= {dt.date(2015, 6, 30), dt.datetime(2015, 6, 30)}
