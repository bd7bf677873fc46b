"""Several sheets: one per year (the sheet name gives the year); notes sheets left out."""

from decimal import Decimal

from smeplan.exchange.reading import read_workbook
from smeplan.exchange.understanding import extract, sheet_year, understand_workbook
from tests.exchange.fixtures.sheets import CODE_A, xlsx_bytes


def test_sheet_names_give_the_year():
    assert [sheet_year(n) for n in ["2023", "2023年", " 2023年度 ", "Sheet1", "2023-2024"]] == [
        2023,
        2023,
        2023,
        None,
        None,
    ]


def test_one_sheet_per_year():
    header = ["统一社会信用代码", "企业名称", "营业收入（万元）"]
    book = read_workbook(
        xlsx_bytes(
            {
                "2023年": [header, [CODE_A, "甲", 10]],
                "2024年": [["标题"], header, [CODE_A, "甲", 12]],
                "填表说明": [["一、金额单位为万元"]],
                "Sheet3": [],
            }
        ),
        "a.xlsx",
    )
    layouts = understand_workbook(book)
    assert [(layout.sheet, layout.default_year, layout.ok) for layout in layouts] == [
        ("2023年", 2023, True),
        ("2024年", 2024, True),
    ]
    records = [r for layout in layouts for r in extract(book.sheet(layout.sheet), layout).records]
    assert [(r.sheet, r.year, r.values["operating_revenue"]) for r in records] == [
        ("2023年", 2023, Decimal(10)),
        ("2024年", 2024, Decimal(12)),
    ]


def test_choose_one_sheet_and_default_year():
    book = read_workbook(
        xlsx_bytes({"A": [["统一社会信用代码", "营业收入"], [CODE_A, 1]], "B": [["x"]]}), "a.xlsx"
    )
    [layout] = understand_workbook(book, sheets=["A"], default_year=2022)
    assert layout.default_year == 2022
    assert extract(book.sheet("A"), layout).records[0].year == 2022


def test_no_sheet_has_a_header():
    book = read_workbook(xlsx_bytes({"A": [["x"]], "B": [["y"]]}), "a.xlsx")
    layouts = understand_workbook(book)
    assert [layout.ok for layout in layouts] == [False, False]
