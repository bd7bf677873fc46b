"""Cells as people type them: text numbers, thousands separators, full-width digits, dashes,
percent signs, float artefacts, whole employees, credit codes mangled by Excel."""

from decimal import Decimal

import pytest

from smeplan.exchange.parsed import IssueLevel
from smeplan.exchange.reading import Sheet, read_workbook
from smeplan.exchange.understanding import extract, parse_figure, understand
from tests.exchange.fixtures.sheets import CODE_A, xlsx_bytes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.5", Decimal("1234.50")),
        (" 1 234 ", Decimal("1234.00")),
        ("１２３．４", Decimal("123.40")),
        ("１，２３４", Decimal("1234.00")),
        ("-12.5", Decimal("-12.50")),
        (12.300000000001, Decimal("12.30")),
        (0.1 + 0.2, Decimal("0.30")),
        (7, Decimal("7.00")),
        ("—", None),
        ("-", None),
        ("--", None),
        ("——", None),
        ("/", None),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_money_values(raw, expected):
    assert parse_figure(raw, "operating_revenue") == (expected, "")


def test_not_a_number():
    assert parse_figure("abc", "operating_revenue") == (None, "营业收入应为数字，收到“abc”")


def test_percent_in_a_money_column_is_an_error():
    value, error = parse_figure("12%", "total_profit")
    assert value is None
    assert error == "利润总额应为数字（万元），不能是百分数，收到“12%”"


def test_employees_must_be_whole():
    assert parse_figure(120.0, "employees") == (120, "")
    assert parse_figure("1,200", "employees") == (1200, "")
    assert parse_figure(12.5, "employees") == (None, "从业人员应为整数，收到“12.5”")


def test_unit_factor_applied_before_rounding():
    assert parse_figure("12,345", "tax_paid", Decimal("0.0001")) == (Decimal("1.23"), "")
    assert parse_figure(1.23456, "tax_paid", Decimal(10000)) == (Decimal("12345.60"), "")


def test_errors_point_at_sheet_row_column_and_value():
    rows = [
        ["统一社会信用代码", "年度", "营业收入", "利润总额", "从业人员"],
        [CODE_A, 2024, "abc", "5%", 3.5],
        [CODE_A.lower() + " ", "2023年", "１，０００", "—", "12"],
    ]
    sheet = Sheet("企业", rows)
    result = extract(sheet, understand(sheet))
    assert [(i.level, i.sheet, i.row, i.column, i.value, i.field) for i in result.issues] == [
        (IssueLevel.ERROR, "企业", 2, "C", "abc", "operating_revenue"),
        (IssueLevel.ERROR, "企业", 2, "D", "5%", "total_profit"),
        (IssueLevel.ERROR, "企业", 2, "E", "3.5", "employees"),
    ]
    assert result.issues[0].message == "营业收入应为数字，收到“abc”"
    first, second = result.records
    assert first.values == {}  # unreadable cells are left out, never written as empty
    assert second.credit_code == CODE_A  # normalised: spaces out, upper case
    assert second.year == 2023
    assert second.values == {"operating_revenue": Decimal(1000), "total_profit": None, "employees": 12}


def test_credit_code_stored_as_a_number_by_excel():
    rows = [["统一社会信用代码", "年度", "营业收入"], [9.16101e17, 2024, 1]]
    sheet = read_workbook(xlsx_bytes({"S": rows}), "a.xlsx").sheets[0]
    result = extract(sheet, understand(sheet))
    assert result.records == []
    [issue] = result.issues
    assert (issue.row, issue.column, issue.field) == (2, "A", "credit_code")
    assert "9.16101E+17" in issue.message
    assert "设置为“文本”格式" in issue.message


def test_bad_year_cell():
    sheet = Sheet("S", [["统一社会信用代码", "年度", "营业收入"], [CODE_A, "去年", 1]])
    [issue] = extract(sheet, understand(sheet)).issues
    assert issue.message == "年度应为四位年份（如 2024），收到“去年”"
    assert (issue.row, issue.column) == (2, "B")


def test_missing_credit_code_in_a_data_row():
    sheet = Sheet("S", [["统一社会信用代码", "企业名称", "年度", "营业收入"], ["", "甲公司", 2024, 1]])
    [issue] = extract(sheet, understand(sheet)).issues
    assert issue.message == "缺少统一社会信用代码"
    assert (issue.row, issue.column) == (2, "A")
