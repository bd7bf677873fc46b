"""Builds ParsedRecord lists for the import tests (as ``understanding`` would) and checks the builder.

Columns of the imaginary sheet: A 信用代码, B 名称, C 区县, D 年度, E… the figures in FIGURE_NAMES order.
"""

import hashlib
from decimal import Decimal

from smeplan.exchange.parsed import CellRef, ParsedRecord
from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures

COLUMNS = {"credit_code": "A", "name": "B", "county": "C", "year": "D"} | {
    f: chr(ord("E") + i) for i, f in enumerate(FIGURE_NAMES)
}


def rec(row, code, year, *, name=None, county=None, sheet="企业数据", **values) -> ParsedRecord:
    values = {
        k: (Decimal(str(v)) if isinstance(v, int | float) and k != "employees" else v)
        for k, v in values.items()
    }
    keys = ["credit_code", "name", "county", "year", *values]
    return ParsedRecord(
        sheet=sheet,
        row=row,
        credit_code=code,
        name=name,
        county=county,
        year=year,
        values=values,
        cells={k: CellRef(sheet, row, COLUMNS[k]) for k in keys},
    )


def figures_checksum() -> str:
    """sha256 over every figures row, in a stable order."""
    digest = hashlib.sha256()
    for row in AnnualFigures.objects.order_by("organisation_id", "year").values_list(
        "organisation_id", "year", *FIGURE_NAMES, "updated_at"
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def issues_of(batch, **match) -> list[dict]:
    return [i for i in batch.issues if all(i.get(k) == v for k, v in match.items())]


def test_builder_places_cells_in_their_columns():
    r = rec(7, "X", 2024, operating_revenue=100, employees=3)
    assert str(r.cells["operating_revenue"]) == "企业数据!E7"
    assert r.values == {"operating_revenue": Decimal(100), "employees": 3}
