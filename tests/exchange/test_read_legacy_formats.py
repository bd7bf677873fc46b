"""Committed .xls and .ods fixtures (saved by LibreOffice from XlsxWriter files) read and understood
like .xlsx: long layout with a title row, and a wide layout with merged years (no merge info in .ods)."""

from decimal import Decimal
from pathlib import Path

import pytest

from smeplan.exchange.reading import read_workbook
from smeplan.exchange.understanding import extract, understand_workbook
from tests.exchange.fixtures.sheets import CODE_A, CODE_B

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", ["figures.xls", "figures.ods"])
def test_long_layout(name):
    book = read_workbook(FIXTURES / name)
    assert book.kind == name.rsplit(".", 1)[1]
    [layout] = understand_workbook(book)
    assert (layout.sheet, layout.header_rows, layout.default_year) == ("2023", [2], 2023)
    result = extract(book.sheet("2023"), layout)
    assert result.issues == []
    assert [(r.credit_code, r.year, r.values) for r in result.records] == [
        (CODE_A, 2023, {"operating_revenue": Decimal("1234.50"), "employees": 120}),
        (CODE_B, 2023, {"operating_revenue": Decimal("2000.00"), "employees": 35}),
    ]


@pytest.mark.parametrize("name", ["wide.xls", "wide.ods"])
def test_wide_layout_with_totals(name):
    book = read_workbook(FIXTURES / name)
    [layout] = understand_workbook(book)
    assert layout.header_rows == [2, 3]
    result = extract(book.sheets[0], layout)
    assert result.totals_row == 6
    assert result.issues == []  # the 合计 row matches the sum of the rows
    assert [(r.credit_code, r.year, r.values["total_profit"]) for r in result.records] == [
        (CODE_A, 2023, Decimal(100)),
        (CODE_A, 2024, Decimal(120)),
        (CODE_B, 2023, Decimal(-20)),
        (CODE_B, 2024, Decimal(30)),
    ]


def test_fixtures_are_small():
    for path in FIXTURES.iterdir():
        assert path.stat().st_size < 50 * 1024, path
