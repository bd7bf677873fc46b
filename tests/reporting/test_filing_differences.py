"""汇总表备案: a city's workbook in the export's own layout is read back, matched to its regions,
stored with its checksum, and every differing value is listed with both values."""

import hashlib
import io

import pytest
from python_calamine import CalamineWorkbook

from smeplan.reporting.models import Annex3Filing
from smeplan.reporting.services import filing_upload
from tests.factories import city_officer
from tests.reporting.make import small_world

pytestmark = pytest.mark.django_db


def _exported(client, user) -> bytes:
    client.force_login(user)
    response = client.get("/reporting/annex3/?year=2024&format=xlsx")
    return b"".join(response.streaming_content)


def _edited(data: bytes, changes: dict) -> bytes:
    """The exported sheet's rows with ``changes`` {(code, column index): value}, rewritten as .xlsx."""
    import xlsxwriter

    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("附件3汇总表").to_python()
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("附件3")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            value = changes.get((row[1], j), value) if i >= 3 else value
            if value != "":
                sheet.write(i, j, value)
    book.close()
    return out.getvalue()


def test_the_own_export_filed_back_has_no_differences(client):
    small_world()
    officer = city_officer("610100")
    data = _exported(client, officer)
    filing = filing_upload(actor=officer, year=2024, file_name="西安2024.xlsx", content=data)
    assert filing.differences == []
    assert filing.sha256 == hashlib.sha256(data).hexdigest() and filing.file_size == len(data)
    assert set(filing.values) >= {"610100", "610113", "610116"}
    assert filing.values["610113"]["enterprises"] == "2"


def test_changed_values_are_listed_per_region_and_column_with_both_values(client):
    small_world()
    officer = city_officer("610100")
    # 雁塔: 省级成长之星 (column 3) 1 → 3; 长安: revenue (column 13) 180 → 200
    data = _edited(_exported(client, officer), {("610113", 3): 3, ("610116", 13): 200})
    filing = filing_upload(actor=officer, year=2024, file_name="西安2024.xlsx", content=data)
    got = {(d["code"], d["field"]): (d["filed"], d["system"], d["label"]) for d in filing.differences}
    assert got == {
        ("610113", "province:growth_star"): ("3", "1", "省级成长之星"),
        ("610116", "revenue"): ("200.00", "180.00", "营业收入本年合计"),
    }
    assert Annex3Filing.objects.count() == 1


def test_a_one_row_header_csv_is_read_and_rows_of_other_cities_are_listed_as_unmatched():
    small_world()
    officer = city_officer("610100")
    csv = "地区,省级成长之星（家）,合计梯队企业（家）,营业收入本年合计（万元）\n雁塔区,1,2,200\n渭滨区,1,1,1200\n"
    filing = filing_upload(actor=officer, year=2024, file_name="西安.csv", content=csv.encode("utf-8-sig"))
    assert filing.differences == []
    assert len(filing.unmatched) == 1 and "渭滨区" in filing.unmatched[0]
