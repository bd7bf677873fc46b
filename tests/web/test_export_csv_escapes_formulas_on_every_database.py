"""The enterprise list's .csv — computed by PostgreSQL (COPY) or in Python (SQLite) — prefixes a
text beginning with = + - @ or a tab with a quote, and gives the same labels and values."""

import csv
import io
from decimal import Decimal

import pytest

from tests.factories import OrganisationFactory, region


@pytest.mark.django_db
def test_formula_like_names_are_quoted_and_values_match(client, yanta_officer):
    OrganisationFactory(name='=HYPERLINK("http://x","点")', county=region("610113"), contact_person="@x")
    OrganisationFactory(
        name="+1雁塔公司",
        county=region("610113"),
        former_names="|-2旧名|旧名二|",
        registered_capital=Decimal("1234.5"),
        size_class="small",
        above_scale=False,
        ownership_type="private",
        contact_phone="\t029",
    )
    client.force_login(yanta_officer)

    response = client.get("/organisations/export.csv")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, data = rows[0], {r[0]: r for r in rows[1:]}
    assert set(data) == {"'+1雁塔公司", '\'=HYPERLINK("http://x","点")'}
    plus = dict(zip(header, data["'+1雁塔公司"], strict=True))
    assert plus["曾用名"] == "'-2旧名、旧名二"
    assert plus["市级单位"] == "西安市" and plus["区县"] == "雁塔区" and plus["单位类型"] == "企业"
    assert plus["企业规模"] == "小型" and plus["四上企业"] == "否" and plus["登记注册类型"] == "民营"
    assert plus["注册资本（万元）"] == "1234.50" and plus["联系电话"] == "'\t029"
    hyperlink = dict(zip(header, data['\'=HYPERLINK("http://x","点")'], strict=True))
    assert hyperlink["联系人"] == "'@x" and hyperlink["企业规模"] == "未划型"
    assert hyperlink["四上企业"] == "无法判定" and hyperlink["注册资本（万元）"] == ""
