"""Each cell named by an issue keeps its value and is filled light red for an error, light yellow
for a warning (the worse level wins); an issue with a row but no column marks that row's 问题说明
cell; other cells are not filled."""

import io

from smeplan.exchange.error_report import error_report_xlsx
from tests.exchange.fixtures.sheets import CODE_A, CODE_B, CODE_C, xlsx_bytes
from tests.exchange.report_cells import read_cells

RED = "FFFFC7CE"
YELLOW = "FFFFEB9C"

UPLOAD = xlsx_bytes(
    {
        "数据": [
            ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）"],
            [CODE_A, "甲", 2023, 100],
            ["123", "乙", 2023, -5],
            [CODE_B, "丙", 2023, None],
            [CODE_C, "丁", 2023, 7],
        ]
    }
)


def _issue(level, row, column, message, value=""):
    return {
        "level": level,
        "sheet": "数据",
        "row": row,
        "column": column,
        "value": value,
        "message": message,
        "field": "",
    }


def _cells(issues):
    out = io.BytesIO()
    error_report_xlsx(data=UPLOAD, file_name="上报.xlsx", issues=issues, target=out)
    return read_cells(out.getvalue())["数据"]


def test_error_cell_is_red_and_keeps_its_value():
    cells = _cells([_issue("error", 3, "A", "统一社会信用代码应为18位", "123")])

    assert cells["A3"].fill == RED and cells["A3"].value == "123"
    assert cells["B3"].fill is None and cells["A2"].fill is None


def test_warning_cell_is_yellow_and_keeps_its_number():
    cells = _cells([_issue("warning", 3, "D", "营业收入为负数", "-5")])

    assert cells["D3"].fill == YELLOW and cells["D3"].value == "-5" and cells["D3"].kind is None


def test_empty_cell_named_by_an_issue_is_filled():
    cells = _cells([_issue("error", 4, "D", "营业收入为必填项")])

    assert cells["D4"].fill == RED and cells["D4"].value is None


def test_error_wins_over_warning_on_the_same_cell():
    cells = _cells([_issue("warning", 3, "D", "营业收入为负数"), _issue("error", 3, "D", "营业收入超出范围")])

    assert cells["D3"].fill == RED


def test_issue_without_column_marks_the_problem_cell():
    cells = _cells([_issue("warning", 5, None, "与数据库中的企业名称不一致")])

    assert cells["E5"].fill == YELLOW and cells["E5"].value == "警告：与数据库中的企业名称不一致"
    assert all(cells[f"{c}5"].fill is None for c in "ABCD")


def test_unmarked_file_has_no_fills():
    cells = _cells([])

    assert all(cell.fill is None for ref, cell in cells.items() if ref != "E1")
