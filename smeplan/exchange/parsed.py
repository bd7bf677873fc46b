"""The hand-over between understanding a sheet and validating/writing it.

``understanding`` turns a sheet's cells into ``ParsedRecord``s (one per enterprise-year, whatever the
sheet's layout: long or wide) with numbers already parsed and converted to 万元, and ``Issue``s for
cells it could not read. ``services`` validates the records against the registry and writes them.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


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


@dataclass(slots=True)
class ParsedRecord:
    """One enterprise-year read from a sheet.

    ``credit_code``/``name``/``county`` are the raw texts (validated later); ``year`` is an int when
    it could be read; ``values`` maps FIGURE_FIELDS names to Decimal 万元 (employees: int) or None
    for an empty cell; only the figure columns present in the sheet are keys. ``cells`` tells where
    each key ("credit_code", "name", "county", "year", or a figure field) came from.
    """

    sheet: str
    row: int
    credit_code: str | None = None
    name: str | None = None
    county: str | None = None
    year: int | None = None
    values: dict[str, Decimal | int | None] = field(default_factory=dict)
    cells: dict[str, CellRef] = field(default_factory=dict)
