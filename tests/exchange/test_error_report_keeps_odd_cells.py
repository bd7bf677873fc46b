"""Cells that are easy to get wrong when written by hand come back unchanged in the error report:
surrounding spaces, & < >, a control character, booleans, big and small numbers, text that looks
like a number, dates and times."""

import datetime as dt
import io

import xlsxwriter
from python_calamine import CalamineWorkbook

from smeplan.exchange.error_report import error_report_xlsx

VALUES = [
    "  前后有空格  ",
    "A&B <有限> 公司",
    "响铃\x07字符",
    True,
    False,
    1234567890123.25,
    -0.001,
    "0012",
    "1e5",
    "@提及",
    "-负号开头",
]


def _upload() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("数据")
    sheet.write_row(0, 0, ["值"] * 3)
    for r, value in enumerate(VALUES, start=1):
        if isinstance(value, str):
            sheet.write_string(r, 0, value)
        elif isinstance(value, bool):
            sheet.write_boolean(r, 0, value)
        else:
            sheet.write_number(r, 0, value)
        sheet.write_string(r, 2, "右")  # column B stays empty
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write_datetime(len(VALUES) + 1, 0, dt.date(2024, 2, 29), date)
    sheet.write_datetime(len(VALUES) + 2, 0, dt.datetime(2024, 2, 29, 13, 45, 30), stamp)
    book.close()
    return buffer.getvalue()


def test_odd_cells_come_back_unchanged():
    data = _upload()
    out = io.BytesIO()
    issues = [
        {
            "level": "error",
            "sheet": "数据",
            "row": r,
            "column": "A",
            "value": "",
            "message": "看这里",
            "field": "",
        }
        for r in range(2, len(VALUES) + 4)
    ]
    error_report_xlsx(data=data, file_name="odd.xlsx", issues=issues, target=out)

    before = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("数据").to_python()
    after = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_name("数据").to_python()
    assert [row[:3] for row in after] == [row[:3] for row in before]
    assert [row[3] for row in after[1:]] == ["错误：看这里（A列）"] * (len(VALUES) + 2)
    assert after[len(VALUES) + 1][0] == dt.date(2024, 2, 29)
    assert after[len(VALUES) + 2][0] == dt.datetime(2024, 2, 29, 13, 45, 30)
