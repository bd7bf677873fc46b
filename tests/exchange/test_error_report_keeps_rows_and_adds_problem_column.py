"""The error report is the uploaded workbook again: every sheet under its own name, every value at
its own position and of its own type (numbers, text, formula-like text as text, dates), plus a
问题说明 column after the last used column, headed in the header row, with each row's messages."""

import datetime as dt
import io

import xlsxwriter
from python_calamine import CalamineWorkbook

from smeplan.exchange.error_report import error_report_filename, error_report_xlsx
from tests.exchange.fixtures.sheets import CODE_A, CODE_B
from tests.exchange.report_cells import read_cells

HEADER = ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "从业人员（人）", "成立日期"]


def _upload() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("2023年")
    sheet.write_string(0, 0, "2023年企业主要指标（单位：万元）")
    for c, header in enumerate(HEADER):
        sheet.write_string(1, c, header)
    rows = [
        (CODE_A, "=甲公司", 2023, 1234.5, 120, dt.date(2015, 6, 30)),
        (CODE_B, "乙公司", 2023, "一百", 35, None),
    ]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, date)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value)
    notes = book.add_worksheet("填表说明")
    notes.write_string(0, 0, "金额单位为万元")
    long = book.add_worksheet("明细")  # more rows than the report previews: streamed
    long.write_string(0, 0, "序号")
    for r in range(1, 300):
        long.write_number(r, 0, r)
    book.close()
    return buffer.getvalue()


ISSUES = [
    {
        "level": "error",
        "sheet": "2023年",
        "row": 4,
        "column": "D",
        "value": "一百",
        "message": "营业收入不是数字",
        "field": "operating_revenue",
    },
    {
        "level": "warning",
        "sheet": "2023年",
        "row": 4,
        "column": "E",
        "value": "35",
        "message": "从业人员比上年减少一半以上",
        "field": "employees",
    },
    {
        "level": "warning",
        "sheet": "明细",
        "row": 250,
        "column": "A",
        "value": "249",
        "message": "序号不连续",
        "field": "",
    },
]


def _report(data, issues=ISSUES) -> bytes:
    out = io.BytesIO()
    error_report_xlsx(data=data, file_name="2023年报.xlsx", issues=issues, target=out)
    return out.getvalue()


def test_every_sheet_comes_back_with_its_values_at_the_same_positions():
    data = _upload()
    report = CalamineWorkbook.from_filelike(io.BytesIO(_report(data)))
    original = CalamineWorkbook.from_filelike(io.BytesIO(data))

    assert report.sheet_names == ["问题清单", *original.sheet_names]
    for name in original.sheet_names:
        before = original.get_sheet_by_name(name).to_python(skip_empty_area=False)
        after = report.get_sheet_by_name(name).to_python(skip_empty_area=False)
        assert len(after) == len(before), name
        for r, row in enumerate(before):
            assert after[r][: len(row)] == row, (name, r + 1)


def test_types_are_kept_and_formula_like_text_stays_text():
    cells = read_cells(_report(_upload()))["2023年"]

    assert cells["A3"].value == CODE_A and cells["A3"].kind == "inlineStr"
    assert cells["B3"].value == "=甲公司" and cells["B3"].formula is None and cells["B3"].quote_prefix
    assert cells["D3"].kind is None and cells["D3"].value == "1234.5"  # a number
    assert cells["F3"].kind is None and cells["F3"].num_format_id >= 164  # yyyy-mm-dd, a date
    assert cells["D4"].value == "一百" and cells["D4"].kind == "inlineStr"
    assert not any(
        cell.formula for sheet in read_cells(_report(_upload())).values() for cell in sheet.values()
    )


def test_problem_column_after_the_last_column_headed_in_the_header_row():
    cells = read_cells(_report(_upload()))

    data = cells["2023年"]
    assert data["G2"].value == "问题说明"  # row 2 is the header row (row 1 is the title)
    assert "G1" not in data and "G3" not in data  # row 3 has no issue
    assert data["G4"].value == "错误：营业收入不是数字（D列）；警告：从业人员比上年减少一半以上（E列）"
    long = cells["明细"]
    assert long["B1"].value == "问题说明"
    assert long["B250"].value == "警告：序号不连续（A列）"
    assert long["A250"].value == "249" and long["A300"].value == "299"


def test_errors_come_before_warnings_in_a_row():
    issues = [dict(ISSUES[1]), dict(ISSUES[0])]
    cells = read_cells(_report(_upload(), issues))["2023年"]

    assert cells["G4"].value.startswith("错误：营业收入不是数字")


def test_issue_on_a_row_past_the_end_of_the_sheet_is_still_shown():
    issues = [
        {
            "level": "error",
            "sheet": "2023年",
            "row": 9,
            "column": None,
            "value": "",
            "message": "合计行与明细之和不符",
            "field": "",
        }
    ]
    cells = read_cells(_report(_upload(), issues))["2023年"]

    assert cells["G9"].value == "错误：合计行与明细之和不符"


def test_report_file_name():
    assert error_report_filename("2023年报.xls") == "2023年报_问题报告.xlsx"
    assert error_report_filename("") == "导入文件_问题报告.xlsx"
