"""The hand-over between understanding a sheet and validating/writing it.

``understanding`` turns a sheet's cells into ``ParsedRecord``s (one per enterprise-year, whatever the
sheet's layout: long or wide) with numbers already parsed and converted to 万元, and ``Issue``s for
cells it could not read. ``services`` validates the records against the registry and writes them.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

#: The attributes of a record from a sheet without registry columns (shared, read-only).
NO_ATTRIBUTES: Mapping[str, object] = MappingProxyType({})


class IssueLevel(StrEnum):
    ERROR = "error"  # the file cannot be imported until it is fixed
    WARNING = "warning"  # the user must confirm before the import is written


@dataclass(frozen=True)
class CellRef:
    """Where a value came from: sheet name, Excel row number (1-based) and column letter."""

    sheet: str
    row: int
    column: str  # "A", "B", … "AA"
    header: str = ""  # the column's header as written in the file

    def __str__(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}"


@dataclass(frozen=True)
class Issue:
    """One problem, said in Chinese: sheet, row, column, value and reason."""

    level: IssueLevel
    sheet: str
    row: int | None
    column: str | None
    value: str
    message: str
    field: str = ""

    def to_dict(self) -> dict:
        """As stored on ``ImportBatch.issues`` and in a layout's JSON."""
        return {
            "level": str(self.level),
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "field": self.field,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Issue":
        return cls(
            level=IssueLevel(data["level"]),
            sheet=data.get("sheet", ""),
            row=data.get("row"),
            column=data.get("column"),
            value=data.get("value", ""),
            message=data["message"],
            field=data.get("field", ""),
        )


class PartialDate(dt.date):
    """A date read from a cell that gave only a year ("2015", 成立年份) or a year and month
    ("2015年6月"): stored as the first day of that period, and — when the registry already holds
    a date within the same period — not a change (a file saying "2015" does not overwrite 2015-06-30).
    ``precision`` is "year" or "month"."""

    precision: str = "day"

    def __new__(cls, year: int, month: int = 1, day: int = 1, *, precision: str = "year"):
        self = super().__new__(cls, year, month, day)
        self.precision = precision
        return self

    def covers(self, other: dt.date | None) -> bool:
        """``other`` lies in the period this partial date stands for."""
        if other is None:
            return False
        if self.precision == "year":
            return other.year == self.year
        if self.precision == "month":
            return (other.year, other.month) == (self.year, self.month)
        return other == self

    def plain(self) -> dt.date:
        return dt.date(self.year, self.month, self.day)

    def __reduce__(self):  # copy / pickle keep the precision
        return (_partial_date, (self.year, self.month, self.day, self.precision))

    def __repr__(self) -> str:
        return f"PartialDate({self.year}, {self.month}, {self.day}, precision={self.precision!r})"


def _partial_date(year: int, month: int, day: int, precision: str) -> PartialDate:
    return PartialDate(year, month, day, precision=precision)


@dataclass(slots=True)
class ParsedRecord:
    """One enterprise-year read from a sheet.

    ``credit_code``/``name``/``county`` are the raw texts (validated later); ``year`` is an int when
    it could be read; ``values`` maps FIGURE_FIELDS names to Decimal 万元 (employees: int) or None
    for an empty cell; only the figure columns present in the sheet are keys. ``cells`` tells where
    each key ("credit_code", "name", "county", "year", a figure field or an attribute) came from.
    ``attributes`` holds the registry attributes the sheet gives (``synonyms.ATTRIBUTE_TARGETS``:
    industry, founding date, ownership, capital, address, contact): only non-empty cells, as read
    (text; a date or ``PartialDate``; capital as Decimal 万元), validated later by the registry's
    ``organisation_clean``.
    """

    sheet: str
    row: int
    credit_code: str | None = None
    name: str | None = None
    county: str | None = None
    year: int | None = None
    values: dict[str, Decimal | int | None] = field(default_factory=dict)
    cells: dict[str, CellRef] = field(default_factory=dict)
    attributes: Mapping[str, object] = NO_ATTRIBUTES
