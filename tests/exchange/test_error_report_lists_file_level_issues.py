"""The first sheet, 问题清单, lists every issue (级别, 工作表, 行, 列, 值, 问题说明) under a title line
with the file name and the counts, with a frozen header and an autofilter; issues about the whole
file or a whole sheet (no row) appear there only."""

import io
import re

from python_calamine import CalamineWorkbook

from smeplan.exchange.error_report import error_report_xlsx
from tests.exchange.fixtures.sheets import CODE_A, xlsx_bytes
from tests.exchange.report_cells import read_cells, sheet_xml

UPLOAD = xlsx_bytes({"数据": [["统一社会信用代码", "营业收入（万元）"], [CODE_A, "=1+1"]]})
ISSUES = [
    {
        "level": "warning",
        "sheet": "",
        "row": None,
        "column": None,
        "value": "上报.xlsx",
        "message": "该文件已于2026-01-05 10:00导入",
        "field": "",
    },
    {
        "level": "error",
        "sheet": "数据",
        "row": None,
        "column": None,
        "value": "",
        "message": "未找到年度列，请在导入时选择年度",
        "field": "",
    },
    {
        "level": "error",
        "sheet": "数据",
        "row": 2,
        "column": "B",
        "value": "=1+1",
        "message": "营业收入不是数字",
        "field": "operating_revenue",
    },
]


def _report(issues=ISSUES, data=UPLOAD) -> bytes:
    out = io.BytesIO()
    error_report_xlsx(data=data, file_name="上报.xlsx", issues=issues, target=out)
    return out.getvalue()


def test_issue_list_is_the_first_sheet_with_every_issue():
    report = _report()
    book = CalamineWorkbook.from_filelike(io.BytesIO(report))

    assert book.sheet_names[0] == "问题清单"
    rows = book.get_sheet_by_name("问题清单").to_python()
    assert "上报.xlsx" in rows[0][0] and "错误 2 处" in rows[0][0] and "警告 1 处" in rows[0][0]
    assert rows[1] == ["级别", "工作表", "行", "列", "值", "问题说明"]
    assert rows[2:5] == [
        ["警告", "", "", "", "上报.xlsx", "该文件已于2026-01-05 10:00导入"],
        ["错误", "数据", "", "", "", "未找到年度列，请在导入时选择年度"],
        ["错误", "数据", 2.0, "B", "=1+1", "营业收入不是数字"],
    ]
    cells = read_cells(report)["问题清单"]
    assert cells["E5"].formula is None and cells["E5"].quote_prefix  # a value that looks like a formula


def test_header_is_frozen_and_filtered():
    xml = sheet_xml(_report(), 1)

    assert re.search(r'<pane [^>]*topLeftCell="A3"[^>]*state="frozen"', xml)
    assert '<autoFilter ref="A2:F5"/>' in xml


def test_file_and_sheet_level_issues_are_not_in_the_data_sheet():
    rows = CalamineWorkbook.from_filelike(io.BytesIO(_report())).get_sheet_by_name("数据").to_python()
    text = "\n".join(str(v) for row in rows for v in row)

    assert "营业收入不是数字" in text
    assert "已于" not in text and "年度列" not in text


def test_issue_of_a_sheet_the_file_does_not_have_is_listed_only():
    issues = [
        {
            "level": "error",
            "sheet": "别的表",
            "row": 3,
            "column": "A",
            "value": "",
            "message": "无效",
            "field": "",
        }
    ]
    book = CalamineWorkbook.from_filelike(io.BytesIO(_report(issues)))

    assert book.sheet_names == ["问题清单", "数据"]
    assert book.get_sheet_by_name("问题清单").to_python()[2][:4] == ["错误", "别的表", 3.0, "A"]


def test_unreadable_file_gives_the_list_alone():
    issues = [
        {
            "level": "error",
            "sheet": "",
            "row": None,
            "column": None,
            "value": "",
            "message": "文件已损坏",
            "field": "",
        }
    ]
    book = CalamineWorkbook.from_filelike(io.BytesIO(_report(issues, data=b"PK\x03\x04broken")))

    assert book.sheet_names == ["问题清单"]
    rows = book.get_sheet_by_name("问题清单").to_python()
    assert rows[2][5] == "文件已损坏" and any("无法读取" in str(row[0]) for row in rows[3:])
