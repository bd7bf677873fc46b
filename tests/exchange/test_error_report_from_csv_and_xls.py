"""The report of a .csv, .xls or .ods upload: the same sheets and values in an .xlsx, the problem
column and the marks where the issues say. A .csv's cells are text; the report writes plain
numbers as numbers (as Excel shows them when it opens the .csv) and keeps codes such as 0012 text."""

import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from smeplan.exchange.error_report import error_report_xlsx
from smeplan.exchange.reading import read_workbook
from tests.exchange.fixtures.sheets import CODE_A, CODE_B, csv_bytes
from tests.exchange.report_cells import read_cells

FIXTURES = Path(__file__).parent / "fixtures"


def _report(data: bytes, file_name: str, issues: list[dict]) -> bytes:
    out = io.BytesIO()
    error_report_xlsx(data=data, file_name=file_name, issues=issues, target=out)
    return out.getvalue()


def test_csv_in_gbk():
    data = csv_bytes(
        [
            ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "编号"],
            [CODE_A, "甲", "2023", "1234.50", "0012"],
            [CODE_B, "乙", "2023", "abc"],  # a short row
        ],
        encoding="gbk",
    )
    issues = [
        {
            "level": "error",
            "sheet": "上报",
            "row": 3,
            "column": "D",
            "value": "abc",
            "message": "营业收入不是数字",
            "field": "",
        }
    ]
    report = _report(data, "上报.csv", issues)

    book = CalamineWorkbook.from_filelike(io.BytesIO(report))
    assert book.sheet_names == ["问题清单", "上报"]
    rows = book.get_sheet_by_name("上报").to_python()
    assert rows[0] == ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "编号", "问题说明"]
    assert rows[1] == [CODE_A, "甲", 2023.0, 1234.5, "0012", ""]
    assert rows[2] == [CODE_B, "乙", 2023.0, "abc", "", "错误：营业收入不是数字（D列）"]
    assert read_cells(report)["上报"]["D3"].fill == "FFFFC7CE"


@pytest.mark.parametrize("name", ["figures.xls", "figures.ods"])
def test_legacy_formats(name):
    data = (FIXTURES / name).read_bytes()
    original = read_workbook(data, name)
    issues = [
        {
            "level": "warning",
            "sheet": "2023",
            "row": 3,
            "column": "C",
            "value": "1234.5",
            "message": "营业收入比上年增长超过10倍",
            "field": "",
        }
    ]
    report = _report(data, name, issues)

    book = CalamineWorkbook.from_filelike(io.BytesIO(report))
    assert book.sheet_names == ["问题清单", *(s.name for s in original.sheets)]
    sheet = original.sheet("2023")
    rows = book.get_sheet_by_name("2023").to_python(skip_empty_area=False)
    width = len(sheet.rows[0])
    for r, row in enumerate(sheet.rows):
        assert rows[r][:width] == row, r + 1
    assert rows[1][width] == "问题说明"  # the header row is row 2, under a title row
    assert rows[2][width] == "警告：营业收入比上年增长超过10倍（C列）"
    assert read_cells(report)["2023"]["C3"].fill == "FFFFEB9C"
