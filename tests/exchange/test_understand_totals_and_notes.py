"""Blank rows and notes are skipped; the 合计 row is skipped and checked against the rows."""

from decimal import Decimal

from smeplan.exchange.parsed import IssueLevel
from smeplan.exchange.reading import read_workbook
from smeplan.exchange.understanding import extract, understand
from tests.exchange.fixtures.sheets import CODE_A, CODE_B, CODE_C, xlsx_bytes

HEADER = ["统一社会信用代码", "企业名称", "年度", "营业收入（元）", "利润总额", "从业人员"]


def run(rows):
    sheet = read_workbook(xlsx_bytes({"S": rows}), "a.xlsx").sheets[0]
    return extract(sheet, understand(sheet))


def test_blank_rows_subtotals_and_matching_totals():
    result = run(
        [
            HEADER,
            [CODE_A, "甲", 2024, "1,000,000", 10, 5],
            [],
            [None, None, None, None, None, None],
            [CODE_B, "乙", 2024, 2_000_000, -4, 6],
            ["小计", None, None, 3_000_000, 6, 11],
            [CODE_C, "丙", 2024, 500_000, "—", 1],
            ["合  计", None, None, 3_500_000, 6, 12],
            [],
            ["注：1. 本表金额单位为元；2. 从业人员为期末人数。"],
            ["填表人：张三", None, "联系电话：029-12345678"],
        ]
    )
    assert [r.credit_code for r in result.records] == [CODE_A, CODE_B, CODE_C]
    assert [r.row for r in result.records] == [2, 5, 7]
    assert result.records[0].values["operating_revenue"] == Decimal(100)
    assert result.totals_row == 8
    assert result.issues == []


def test_totals_mismatch_is_a_warning():
    result = run(
        [
            HEADER,
            [CODE_A, "甲", 2024, 1_000_000, 10, 5],
            [CODE_B, "乙", 2024, 2_000_000, 4, 6],
            ["全省合计", None, None, 4_000_000, 14, 11],
        ]
    )
    [issue] = result.issues
    assert issue.level == IssueLevel.WARNING
    assert issue.message == "合计行营业收入为 400.00，各行之和为 300.00"
    assert (issue.row, issue.column, issue.field) == (4, "D", "operating_revenue")
    assert len(result.records) == 2


def test_totals_in_a_later_column():
    result = run([HEADER, [CODE_A, "甲", 2024, 1, 1, 1], [None, "总计", None, 1, 1, 1]])
    assert result.totals_row == 3
    assert result.issues == []


def test_totals_row_with_a_dash_in_the_code_column_and_a_serial_number_column():
    header = ["序号", *HEADER]
    result = run(
        [
            header,
            [1, CODE_A, "甲", 2024, 10_000, 1, 1],
            [2, CODE_B, "乙", 2024, 20_000, 2, 2],
            ["合计", "—", None, None, 30_000, 3, 3],
        ]
    )
    assert result.totals_row == 4
    assert result.issues == []
    assert len(result.records) == 2
