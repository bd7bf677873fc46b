"""Understanding a sheet as people really fill it in, and extracting its records.

``understand(sheet)`` finds the header row(s) under any title rows, recognises each column
(synonyms, units, years; a year merged over several figure columns), and returns a ``Layout``
the page can show ("how each column was understood"), the user can correct, and that can be saved
as a template (``Layout.to_dict()`` / ``Layout.from_dict()``).

``extract(sheet, layout)`` turns the data rows into ``ParsedRecord``s — one per enterprise-year,
numbers parsed and converted to 万元 — plus an ``Issue`` for every cell it could not read. It skips
blank rows, note rows (注：…) and the totals row (合计/总计), whose figures it checks against the sum
of the rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from smeplan.exchange.parsed import NO_ATTRIBUTES, CellRef, Issue, IssueLevel, ParsedRecord, PartialDate
from smeplan.exchange.reading import Sheet, Workbook
from smeplan.exchange.synonyms import (
    ATTRIBUTE_TARGETS,
    MAX_YEAR,
    MIN_YEAR,
    SCALED_TARGETS,
    TARGET_LABELS,
    HeaderMatch,
    match_header,
    normalise,
    unit_factor,
    unit_of,
    year_of,
)
from smeplan.indicators.models import FIGURE_LABELS, FIGURE_NAMES, FIGURE_UNITS
from smeplan.registry.validation import parse_decimal

HEADER_SCAN_ROWS = 15
IGNORED = "ignored"
LONG, WIDE = "long", "wide"
#: What a file is imported as (``ImportKind``): yearly figures, or the registry (企业名录: attributes,
#: names and counties of organisations, and any figures the same file carries).
FIGURES, ORGANISATIONS = "figures", "organisations"
EMPTY_MARKS = {"", "-", "—", "--", "——", "/", "－", "─", "无", "n/a", "#n/a"}
PERCENT_FIELDS: set[str] = set()  # figure fields given as rates, where "12%" means 0.12 (none yet)
NOTE_PREFIXES = (
    "注",
    "说明",
    "填表",
    "填报",
    "备注",
    "制表",
    "审核",
    "负责人",
    "单位负责人",
    "统计负责人",
    "联系",
    "数据来源",
    "资料来源",
    "报出日期",
)
_TOTALS = re.compile(r"^(?:全省|全市|全区|全县|本市|本县|总)?(合计|总计|小计|汇总)[:]?$")
_SHEET_UNIT = re.compile(r"单位[:]\s*(亿元|百万元|万元|千元|元)")
_CODE_LIKE = re.compile(r"^[0-9A-Z]{18}$")


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Column:
    """How one column was understood."""

    index: int  # 0-based
    letter: str
    header: str  # as written (two header rows joined with " / ")
    target: str = IGNORED  # credit_code/name/county/year/<FIGURE_FIELDS name>/ignored
    year: int | None = None  # for a wide layout's figure column
    unit: str = ""  # as written in the header/unit row: 元/千元/万元/亿元/人; "" when none
    factor: Decimal = Decimal(1)  # multiply the cell by this to get 万元 (employees: persons)
    how: str = ""  # explanation in Chinese, for the page

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "letter": self.letter,
            "header": self.header,
            "target": self.target,
            "target_label": TARGET_LABELS.get(self.target, self.target),
            "year": self.year,
            "unit": self.unit,
            "factor": str(self.factor),
            "how": self.how,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Column:
        return cls(
            index=int(data["index"]),
            letter=data.get("letter") or column_letter(int(data["index"])),
            header=data.get("header", ""),
            target=data.get("target") or IGNORED,
            year=int(data["year"]) if data.get("year") not in (None, "") else None,
            unit=data.get("unit", ""),
            factor=Decimal(str(data.get("factor", "1"))),
            how=data.get("how", ""),
        )


@dataclass
class Layout:
    """How a sheet is laid out. Rows are Excel's 1-based numbers."""

    sheet: str
    header_rows: list[int] = field(default_factory=list)
    first_data_row: int | None = None
    kind: str = LONG  # "long": one row per enterprise-year; "wide": years across columns
    columns: list[Column] = field(default_factory=list)
    default_year: int | None = None  # year of the records when the sheet has no year column
    issues: list[Issue] = field(default_factory=list)  # problems with the layout itself

    @property
    def has_header(self) -> bool:
        return bool(self.header_rows)

    @property
    def ok(self) -> bool:
        return not any(i.level == IssueLevel.ERROR for i in self.issues)

    def column_for(self, target: str) -> Column | None:
        return next((c for c in self.columns if c.target == target), None)

    @property
    def figure_columns(self) -> list[Column]:
        return [c for c in self.columns if c.target in FIGURE_NAMES]

    @property
    def attribute_columns(self) -> list[Column]:
        return [c for c in self.columns if c.target in ATTRIBUTE_TARGETS]

    @property
    def unrecognised(self) -> list[Column]:
        """Columns with a header that were not mapped: the page asks the user about them."""
        return [c for c in self.columns if c.target == IGNORED and c.header]

    def to_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "header_rows": list(self.header_rows),
            "first_data_row": self.first_data_row,
            "kind": self.kind,
            "default_year": self.default_year,
            "columns": [c.to_dict() for c in self.columns],
            "issues": [i.to_dict() for i in self.issues],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Layout:
        return cls(
            sheet=data.get("sheet", ""),
            header_rows=[int(r) for r in data.get("header_rows", [])],
            first_data_row=data.get("first_data_row"),
            kind=data.get("kind", LONG),
            default_year=data.get("default_year"),
            columns=[Column.from_dict(c) for c in data.get("columns", [])],
            issues=[Issue.from_dict(i) for i in data.get("issues", [])],
        )


@dataclass
class Extraction:
    records: list[ParsedRecord]
    issues: list[Issue]
    totals_row: int | None = None  # Excel row number of the 合计 row, when there is one
    data_rows: int = 0  # rows read as an enterprise's data (not blank, note, totals or bad-code rows)


# --------------------------------------------------------------------------------------------
# Header detection
# --------------------------------------------------------------------------------------------


def _merged_grid(sheet: Sheet, last_row: int) -> list[list]:
    """The first ``last_row`` rows with each merged range's value copied into all of its cells."""
    width = max((len(r) for r in sheet.rows[:last_row]), default=0)
    grid = [list(r) + [""] * (width - len(r)) for r in sheet.rows[:last_row]]
    for r1, c1, r2, c2 in sheet.merged or []:
        if r1 >= last_row or c1 >= width:
            continue
        value = grid[r1][c1]
        for r in range(r1, min(r2, last_row - 1) + 1):
            for c in range(c1, min(c2, width - 1) + 1):
                if _blank(grid[r][c]):
                    grid[r][c] = value
    return grid


def _row_matches(row: list) -> list[HeaderMatch]:
    return [match_header(v) if not _blank(v) else HeaderMatch() for v in row]


def _score(matches: list[HeaderMatch]) -> int:
    return len({m.target for m in matches if m.target})


def _header_like(row: list, matches: list[HeaderMatch]) -> bool:
    """Could this row be part of a header? (text and years only; no credit codes, no figures)."""
    filled = [(v, m) for v, m in zip(row, matches, strict=False) if not _blank(v)]
    if not filled:
        return False
    known = 0
    for value, m in filled:
        if isinstance(value, (int, float)) and m.year is None:
            return False
        if isinstance(value, str) and _CODE_LIKE.match(normalise(value).upper()):
            return False
        known += bool(m.target or m.year or m.unit)
    return known * 2 >= len(filled)


def _fill_right(upper: list, lower: list) -> list:
    """Without merge info: carry a year (or figure name) rightward over the empty cells of the
    upper header row, as long as the lower row has something there."""
    out = list(upper)
    carry = None
    for c, value in enumerate(out):
        if not _blank(value):
            m = match_header(value)
            carry = value if (m.year is not None or m.target in FIGURE_NAMES) else None
        elif carry is not None and c < len(lower) and not _blank(lower[c]):
            out[c] = carry
        else:
            carry = None
    return out


def _unit_row(row: list) -> dict[int, str] | None:
    """A row under the header holding only units ("万元", "人") → {column: unit}; else None."""
    units = {}
    for c, value in enumerate(row):
        if _blank(value):
            continue
        unit = unit_of(value)
        if unit:
            units[c] = unit
        elif normalise(value) not in ("甲", "乙", "丙", "丁", "—", "-", "计量单位", "单位"):
            return None
    return units or None


def _column_number_row(row: list) -> bool:
    """A row of column numbers under the header (甲 乙 1 2 3 …), common in statistics forms."""
    filled = [v for v in row if not _blank(v)]
    if len(filled) < 2:
        return False
    for value in filled:
        text = normalise(value)
        if text in ("甲", "乙", "丙", "丁", "戊"):
            continue
        if isinstance(value, (int, float)) and float(value).is_integer() and 0 < value <= 200:
            continue
        if text.isdigit() and 0 < int(text) <= 200:
            continue
        return False
    return True


def understand(sheet: Sheet, *, mapping: dict | None = None, default_year: int | None = None) -> Layout:
    """Find the header row(s) and recognise each column of ``sheet``.

    ``mapping`` corrects the recognition (from the page, or a saved template): keys are column
    letters ("C") or header texts as written; values are a target key (or "ignored") or a dict
    with "target" and optionally "year" and "unit". ``default_year`` is the year of the records
    when the sheet has neither a year column nor years in its header."""
    layout = Layout(sheet=sheet.name, default_year=default_year)
    if sheet.is_empty:
        layout.issues.append(_error(sheet.name, f"工作表“{sheet.name}”没有数据"))
        return layout
    scan = min(len(sheet.rows), HEADER_SCAN_ROWS)
    grid = _merged_grid(sheet, min(len(sheet.rows), scan + 2))
    matches = [_row_matches(row) for row in grid]
    scores = [_score(m) for m in matches[:scan]]
    best = max(range(scan), key=lambda r: (scores[r], -r))
    if scores[best] < 2:
        layout.issues.append(
            _error(
                sheet.name,
                f"工作表“{sheet.name}”前 {HEADER_SCAN_ROWS} 行中找不到表头："
                "请确认表头含有“统一社会信用代码”“营业收入”等列名",
            )
        )
        return layout

    header_rows = [best]
    below = best + 1
    if (
        best > 0
        and _header_like(grid[best - 1], matches[best - 1])
        and any(m.year for m in matches[best - 1])
    ):
        header_rows = [best - 1, best]
    elif below < len(grid) and _header_like(grid[below], matches[below]):
        lower = matches[below]
        if any(m.year for m in lower) or any(
            lower[c].target in FIGURE_NAMES and not matches[best][c].target for c in range(len(lower))
        ):
            header_rows = [best, below]
    if len(header_rows) == 2:
        top, bottom = header_rows
        grid[top] = _fill_right(grid[top], grid[bottom])

    # Unit given for the whole sheet in a title row: "单位：万元".
    sheet_unit = ""
    for r in range(header_rows[0]):
        for value in grid[r]:
            m = _SHEET_UNIT.search(normalise(value)) if isinstance(value, str) else None
            if m:
                sheet_unit = m.group(1)
    first_data = header_rows[-1] + 1
    row_units: dict[int, str] = {}
    while first_data < len(sheet.rows):
        row = sheet.rows[first_data]
        units = _unit_row(row)
        if units:
            row_units |= units
        elif not _column_number_row(row):
            break
        first_data += 1

    width = max(len(grid[r]) for r in header_rows)
    seen: dict[tuple[str, int | None], Column] = {}
    for c in range(width):
        texts = [_text(grid[r][c]) if c < len(grid[r]) else "" for r in header_rows]
        cell_matches = [match_header(t) for t in texts]
        header = " / ".join(dict.fromkeys(t for t in texts if t))
        column = Column(index=c, letter=column_letter(c), header=header)
        layout.columns.append(column)
        hit = next((m for m in reversed(cell_matches) if m.target), None)
        if hit is None:
            column.how = "未识别，不导入" if header else ""
            continue
        year = next((m.year for m in cell_matches if m.year), None)
        unit = next((m.unit for m in cell_matches if m.unit), "") or row_units.get(c, "")
        column.target = hit.target
        how = [f"列名“{header}”识别为“{TARGET_LABELS[hit.target]}”"]
        if hit.target in SCALED_TARGETS:
            if hit.target in FIGURE_NAMES:
                column.year = year
                if year:
                    how.append(f"年度 {year}")
            if not unit and hit.target != "employees" and sheet_unit:
                unit = sheet_unit
                how.append(f"表头注明“单位：{sheet_unit}”")
            factor = unit_factor(hit.target, unit)
            if factor is None:
                layout.issues.append(
                    _warning(
                        sheet.name,
                        f"“{header}”的单位“{unit}”与{TARGET_LABELS[hit.target]}不符，按"
                        f"{FIGURE_UNITS.get(hit.target, '万元')}读取",
                        column=column.letter,
                        value=header,
                        field=hit.target,
                    )
                )
                factor = Decimal(1)
            column.unit, column.factor = unit, factor
            how.append(_unit_explanation(hit.target, unit, factor))
        column.how = "，".join(how)
        key = (column.target, column.year)
        if key in seen:
            first = seen[key]
            layout.issues.append(
                _warning(
                    sheet.name,
                    f"第 {first.letter} 列和第 {column.letter} 列都识别为“{TARGET_LABELS[column.target]}”"
                    f"{f'（{column.year}年）' if column.year else ''}，只导入第 {first.letter} 列",
                    column=column.letter,
                    value=header,
                    field=column.target,
                )
            )
            column.target, column.year, column.how = IGNORED, None, column.how + "（重复，不导入）"
        else:
            seen[key] = column

    layout.header_rows = [r + 1 for r in header_rows]
    layout.first_data_row = first_data + 1
    if mapping:
        apply_mapping(layout, mapping)
    else:
        _finish(layout)
    return layout


def _unit_explanation(target: str, unit: str, factor: Decimal) -> str:
    if target == "employees":
        return "单位：人"
    if not unit:
        return "未注明单位，按万元读取"
    if factor == 1:
        return "单位：万元"
    if factor < 1:
        return f"单位：{unit}，除以 {int(Decimal(1) / factor)} 换算为万元"
    return f"单位：{unit}，乘以 {int(factor)} 换算为万元"


def apply_mapping(layout: Layout, mapping: dict) -> Layout:
    """Apply the user's corrections (see ``understand``) and re-check the layout."""
    by_letter = {c.letter: c for c in layout.columns}
    by_header = {normalise(c.header): c for c in layout.columns if c.header}
    for key, value in mapping.items():
        column = by_letter.get(str(key).upper()) or by_header.get(normalise(key))
        spec = value if isinstance(value, dict) else {"target": value}
        if column is None:
            if not spec.get("optional"):  # optional: a column of only some of the sheets
                layout.issues.append(
                    _warning(layout.sheet, f"映射中的列“{key}”在工作表中不存在，已忽略", value=str(key))
                )
            continue
        target = spec.get("target") or IGNORED
        if target not in TARGET_LABELS:
            layout.issues.append(
                _error(layout.sheet, f"映射中的“{target}”不是可导入的字段", column=column.letter)
            )
            continue
        column.target = target
        if "year" in spec:
            column.year = int(spec["year"]) if spec["year"] not in (None, "") else None
        if "unit" in spec:
            column.unit = spec["unit"] or ""
        elif not column.unit:  # a header the synonyms did not know may still state its unit
            parts = [match_header(part) for part in column.header.split(" / ")]
            column.unit = next((m.unit for m in parts if m.unit), "")
            if "year" not in spec and column.year is None:
                column.year = next((m.year for m in parts if m.year), None)
        if target in SCALED_TARGETS:
            if target not in FIGURE_NAMES:
                column.year = None
            column.factor = unit_factor(target, column.unit) or Decimal(1)
            column.how = f"按指定：{TARGET_LABELS[target]}" + (f"，{column.year}年" if column.year else "")
            column.how += "，" + _unit_explanation(target, column.unit, column.factor)
        else:
            column.year, column.factor = None, Decimal(1)
            column.how = f"按指定：{TARGET_LABELS[target]}"
    _finish(layout)
    return layout


_LAYOUT_MESSAGES = (
    "未找到“统一社会信用代码”列",
    "未找到年度列，请在导入时选择年度",
    "未找到任何指标列",
    "未找到企业基本信息列",
)
MSG_NO_FIGURES = "未找到任何指标列（如“营业收入”“利润总额”），请检查表头或手工指定列"
MSG_NOTHING = (
    "未找到任何指标列（如“营业收入”“利润总额”）或企业基本信息列（如“企业名称”“行业代码”“成立日期”），"
    "请检查表头或手工指定列"
)
MSG_NO_ATTRIBUTES = (
    "未找到企业基本信息列（如“企业名称”“所属区县”“行业代码”“成立日期”“联系电话”），请检查表头或手工指定列"
)


def finish_layout(layout: Layout, kind: str | None = None) -> None:
    """Decide the kind of layout and report what is missing (recomputed after a mapping, and
    again once the file's import kind is known). ``kind``: FIGURES needs figure columns;
    ORGANISATIONS needs registry columns (name, county or attributes) or figures; None (not yet
    decided) needs either."""
    _finish(layout, kind)


def _finish(layout: Layout, kind: str | None = None) -> None:
    layout.issues = [i for i in layout.issues if not i.message.startswith(_LAYOUT_MESSAGES)]
    figures = layout.figure_columns
    layout.kind = WIDE if any(c.year for c in figures) else LONG
    if layout.column_for("credit_code") is None:
        layout.issues.append(_error(layout.sheet, "未找到“统一社会信用代码”列"))
    registry_columns = bool(
        layout.attribute_columns or layout.column_for("name") or layout.column_for("county")
    )
    if not figures:
        if kind == FIGURES or (
            kind is None and not layout.attribute_columns and not layout.column_for("name")
        ):
            layout.issues.append(_error(layout.sheet, MSG_NO_FIGURES if kind == FIGURES else MSG_NOTHING))
        elif kind == ORGANISATIONS and not registry_columns:
            layout.issues.append(_error(layout.sheet, MSG_NO_ATTRIBUTES))
    elif (
        layout.column_for("year") is None
        and layout.default_year is None
        and any(c.year is None for c in figures)
    ):
        layout.issues.append(_error(layout.sheet, "未找到年度列，请在导入时选择年度"))


#: Registry columns that statistics tables (and the yearly-figures export) carry beside the figures:
#: alone they do not make a figures file an enterprise list.
STATISTICS_TABLE_ATTRIBUTES = frozenset({"industry"})


def import_kind_of(layouts: list[Layout], choice: str | None = None) -> str:
    """What the file is imported as: the user's ``choice`` (FIGURES / ORGANISATIONS), or — when
    they left it to the system ("auto"/None) — ORGANISATIONS when a sheet has registry attribute
    columns an enterprise list has (成立日期, 登记注册类型, 注册资本, 地址, 联系人, 联系电话), or has
    no figures at all but names or attributes (行业代码 …); else FIGURES (a statistics table with
    行业代码 beside its figures stays yearly figures)."""
    if choice in (FIGURES, ORGANISATIONS):
        return choice
    attributes = {c.target for layout in layouts for c in layout.attribute_columns}
    if attributes - STATISTICS_TABLE_ATTRIBUTES:
        return ORGANISATIONS
    if not any(layout.figure_columns for layout in layouts) and (
        attributes or any(layout.column_for("name") for layout in layouts)
    ):
        return ORGANISATIONS
    return FIGURES


def _error(sheet, message, *, row=None, column=None, value="", field="") -> Issue:
    return Issue(IssueLevel.ERROR, sheet, row, column, value, message, field)


def _warning(sheet, message, *, row=None, column=None, value="", field="") -> Issue:
    return Issue(IssueLevel.WARNING, sheet, row, column, value, message, field)


_SHEET_YEAR = re.compile(r"^(\d{4})(?:年度|年)?(?:数据)?$")


def sheet_year(name: str) -> int | None:
    """A sheet named "2023", "2023年" or "2023年度" holds that year's figures."""
    m = _SHEET_YEAR.match(normalise(name))
    return year_of(m.group(1)) if m else None


def understand_workbook(
    workbook: Workbook,
    *,
    mapping: dict | None = None,
    default_year: int | None = None,
    sheets: Iterable[str] | None = None,
    skip_unrecognised: bool = True,
) -> list[Layout]:
    """A layout per non-empty sheet (or per sheet named in ``sheets``); a sheet named by a year
    gets that year as its default year (one sheet per year). With ``skip_unrecognised``, sheets
    without any recognisable header (a notes sheet "填表说明") are left out when another sheet has
    one; when none has, their layouts are returned with the error saying so."""
    wanted = set(sheets) if sheets is not None else None
    layouts = []
    for sheet in workbook.sheets:
        if wanted is not None and sheet.name not in wanted:
            continue
        if wanted is None and sheet.is_empty:
            continue
        year = sheet_year(sheet.name) or default_year
        layouts.append(understand(sheet, mapping=mapping, default_year=year))
    if skip_unrecognised and wanted is None and any(layout.has_header for layout in layouts):
        layouts = [layout for layout in layouts if layout.has_header]
    return layouts


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


def parse_figure(raw, target: str, factor: Decimal = Decimal(1)) -> tuple[Decimal | int | None, str]:
    """A figure cell → (value in 万元 / persons, "") or (None, Chinese error message)."""
    label = FIGURE_LABELS.get(target, target)
    if raw is None:
        return None, ""
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if text.casefold() in EMPTY_MARKS or not text.strip("-—─－ "):
            return None, ""
        if "%" in text:
            if target not in PERCENT_FIELDS:
                return (
                    None,
                    f"{label}应为数字（{FIGURE_UNITS.get(target, '万元')}），不能是百分数，收到“{raw}”",
                )
            raw = text.replace("%", "")
            factor = factor / 100
        else:
            raw = text
    elif isinstance(raw, float) and target == "employees" and abs(raw - round(raw)) < 1e-6:
        raw = round(raw)
    errors: dict[str, list[str]] = {}
    value = parse_decimal(
        raw, label=label, errors=errors, field=target, integer=target == "employees", scale=factor
    )
    if errors:
        return None, errors[target][0]
    return value, ""


def _credit_code(raw) -> tuple[str | None, str]:
    if isinstance(raw, bool):
        return None, f"统一社会信用代码应为 18 位文字，收到“{raw}”"
    if isinstance(raw, (int, float)):
        shown = f"{raw:.5E}" if abs(raw) >= 1e15 else _text(raw)
        return None, (
            f"统一社会信用代码被 Excel 当作数字保存（{shown}），后几位已丢失，无法还原；"
            "请把该列设置为“文本”格式后重新填写代码"
        )
    text = unicodedata.normalize("NFKC", str(raw))
    return re.sub(r"\s+", "", text).upper() or None, ""


def _totals_label(row: list) -> str | None:
    for value in row:
        if isinstance(value, str) and value.strip():
            key = normalise(value)
            m = _TOTALS.match(key)
            return m.group(1) if m else None
        if not _blank(value):
            return None
    return None


def _is_note(text: str) -> bool:
    key = normalise(text)
    return key.startswith(NOTE_PREFIXES)


@contextlib.contextmanager
def pause_cyclic_gc():
    """Suspend Python's cyclic garbage collector for a bulk step, then restore it.

    Extracting and validating 10^6 rows allocates tens of millions of small objects that are kept
    (records, dicts, Decimals) and form no reference cycles; each of the collector's passes over
    the growing heap is pure overhead (measured ≈ 25% of validation at 200,000 rows). Reference
    counting still frees everything as usual; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Everything the step made and kept sits in the youngest generation: the first
            # collection after gc.enable() would traverse all of it (10^7 objects, ≈ 1.5 s), and
            # the oldest generation's collections again later. Moved to the permanent generation
            # instead, it is never traversed; reference counting still frees it as usual. Only
            # reference cycles among the frozen objects wait for ``release_frozen_objects``
            # (called by ``services.import_commit`` when it ends).
            gc.freeze()
            gc.enable()


def release_frozen_objects() -> None:
    """Give what ``pause_cyclic_gc`` froze back to the cyclic collector (its oldest generation)."""
    gc.unfreeze()


def extract(sheet: Sheet, layout: Layout, rows: Iterable[list] | None = None) -> Extraction:
    """Read the data rows of ``sheet`` as ``layout`` says. ``rows`` (e.g. from
    ``reading.iter_sheet_rows``) replaces ``sheet.rows`` for streaming; it must start at row 1."""
    issues = list(layout.issues)
    if not layout.ok:
        return Extraction([], issues, None)
    state = _TotalsState()
    with pause_cyclic_gc():
        records = list(iter_records(sheet, layout, issues, rows=rows, totals=state))
    issues.extend(state.check(layout))
    return Extraction(records, issues, state.row, state.count)


class _TotalsState:
    def __init__(self):
        self.count = 0
        self.sums: list[float] = []  # per column index: sum of the rows (float: a check only)
        self.row: int | None = None
        self.values: dict[int, tuple[Decimal | int, object]] = {}

    def check(self, layout: Layout) -> list[Issue]:
        out = []
        if self.row is None:
            return out
        for column in layout.figure_columns:
            if column.index not in self.values:
                continue
            total, raw = self.values[column.index]
            summed = self.sums[column.index] if column.index < len(self.sums) else 0.0
            # each row was rounded to 0.01: allow that much per row, and float noise
            tolerance = 0.005 * max(2, self.count) + abs(float(total)) * 1e-9
            integer = column.target == "employees"
            if abs(float(total) - summed) > tolerance:
                label = FIGURE_LABELS[column.target] + (f"（{column.year}年）" if column.year else "")
                out.append(
                    _warning(
                        layout.sheet,
                        f"合计行{label}为 {_fmt(total)}，各行之和为 {_fmt(round(summed) if integer else summed)}",
                        row=self.row,
                        column=column.letter,
                        value=_text(raw),
                        field=column.target,
                    )
                )
        return out


def _fmt(value) -> str:
    if isinstance(value, int):
        return str(value)
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


class RowCells(Mapping):
    """``ParsedRecord.cells`` without building a CellRef per cell up front: a read-only mapping
    key → CellRef made on access (a million rows × 14 columns would otherwise be 14 million
    objects). Supports ``[]``, ``get``, ``in``, iteration and ``==`` like the dict it stands for."""

    __slots__ = ("_row", "_sheet", "_spec")

    def __init__(self, sheet: str, row: int, spec: dict[str, tuple[str, str]]):
        self._sheet, self._row, self._spec = sheet, row, spec  # spec: key → (letter, header)

    def __getitem__(self, key: str) -> CellRef:
        letter, header = self._spec[key]
        return CellRef(self._sheet, self._row, letter, header)

    def __iter__(self):
        return iter(self._spec)

    def __len__(self) -> int:
        return len(self._spec)

    def __contains__(self, key) -> bool:
        return key in self._spec

    def __repr__(self) -> str:
        return f"RowCells({dict(self)!r})"


_ONE = Decimal(1)
_CENT = Decimal("0.01")
_MAX = Decimal("1e14")
_TOTAL_CHARS = frozenset("合总小汇")
_NOTE_CHARS = frozenset("注说填备制审负联数资报")


def _fast_number(raw, factor: Decimal, integer: bool):
    """The common case — a finite float/int cell, in range — exactly as ``parse_decimal`` would
    give it, without its call overhead; None means "ask parse_decimal" (which words any error)."""
    kind = type(raw)
    if kind is float:
        if raw - raw != 0:  # inf / nan
            return None
        value = Decimal(repr(raw))
    elif kind is int:
        value = Decimal(raw)
    else:
        return None
    if factor is not _ONE and factor != 1:
        value = value * factor
    if not -_MAX < value < _MAX:
        return None
    if integer:
        return int(value) if value == value.to_integral_value() else None
    return value.quantize(_CENT)


_SKIP = object()  # _row_code: the row is no record (blank, note, totals, or its code is unusable)
_CODE_EXACT = re.compile(r"[0-9A-Z]{18}")


def _row_code(raw_code, row, width, excel_row, name, code_col, figures, figure_idx, issues, totals):
    """The credit code of a row whose code cell is not a plain well-formed code: ``_SKIP`` for a
    blank row, a note, a totals row (recorded in ``totals``) or a code that cannot be used (an
    issue is added); else the normalised code."""
    if raw_code == "" or raw_code is None or (isinstance(raw_code, str) and not raw_code.strip()):
        raw_code = None
        if all(_blank(v) for v in row):
            return _SKIP
    first_text = raw_code if type(raw_code) is str and len(raw_code) == 18 else _first_text(row)
    if first_text and not _TOTAL_CHARS.isdisjoint(first_text):
        totals_label = _totals_label(row)
        if totals_label:
            if totals_label in ("合计", "总计", "汇总"):
                totals.row, totals.values = excel_row, {}
                for column in figures:
                    raw = row[column.index] if column.index < width else None
                    value, error = parse_figure(raw, column.target, column.factor)
                    if value is not None and not error:
                        totals.values[column.index] = (value, raw)
            return _SKIP
    code_is_note = (
        type(raw_code) is str
        and not (len(raw_code) == 18 and raw_code.isalnum())
        and not _NOTE_CHARS.isdisjoint(raw_code[:6])
        and _is_note(raw_code)
    )
    if raw_code is None or code_is_note:
        has_numbers = any(
            i < width and not _blank(row[i]) and normalise(row[i]) not in EMPTY_MARKS for i in figure_idx
        )
        filled = [v for v in row if not _blank(v)]
        text = next((v for v in filled if isinstance(v, str)), "")
        if not has_numbers and (len(filled) == 1 or _is_note(text)):
            return _SKIP  # a note under the table ("注：…", "填表人：…")
        if raw_code is None:
            issues.append(
                _error(
                    name,
                    "缺少统一社会信用代码",
                    row=excel_row,
                    column=code_col.letter,
                    value="",
                    field="credit_code",
                )
            )
            return _SKIP
    if type(raw_code) is str and len(raw_code) == 18 and raw_code.isalnum() and raw_code.isupper():
        return raw_code
    code, error = _credit_code(raw_code)
    if error:
        issues.append(
            _error(
                name,
                error,
                row=excel_row,
                column=code_col.letter,
                value=_text(raw_code),
                field="credit_code",
            )
        )
        return _SKIP
    return code


def iter_records(
    sheet: Sheet,
    layout: Layout,
    issues: list[Issue],
    *,
    rows: Iterable[list] | None = None,
    totals: _TotalsState | None = None,
) -> Iterator[ParsedRecord]:
    """Yield the records one by one, appending cell problems to ``issues`` (streaming form of
    ``extract``; with ``rows`` from ``reading.iter_sheet_rows`` the sheet's rows are never all in
    memory). Yields nothing when the layout itself has errors (see ``layout.issues``)."""
    if not layout.ok or layout.column_for("credit_code") is None:
        return
    name = sheet.name
    totals = totals if totals is not None else _TotalsState()
    code_col = layout.column_for("credit_code")
    code_i = code_col.index
    ident = [(k, c.index) for k in ("name", "county") if (c := layout.column_for(k)) is not None]
    year_col = layout.column_for("year")
    figures = layout.figure_columns
    figure_idx = {c.index for c in figures}
    # Per year (None: the row's year), the figure columns and the cell spec shared by its records.
    base_spec = {"credit_code": (code_col.letter, code_col.header)}
    for key, _ in ident:
        column = layout.column_for(key)
        base_spec[key] = (column.letter, column.header)
    if year_col is not None:
        base_spec["year"] = (year_col.letter, year_col.header)
    attribute_cols = [(c.target, c.index, c.factor, c.letter) for c in layout.attribute_columns]
    for column in layout.attribute_columns:
        base_spec[column.target] = (column.letter, column.header)
    groups: dict[int | None, list[tuple]] = {}
    specs: dict[int | None, dict] = {}
    for column in figures:
        groups.setdefault(column.year, []).append(
            (
                column.index,
                column.target,
                column.factor,
                column.target == "employees",
                column.letter,
                # |cell| below this float bound is surely in range once scaled (else: slow path)
                0.99e14 / float(column.factor),
                column.factor != 1,
                float(column.factor),
            )
        )
        specs.setdefault(column.year, dict(base_spec))[column.target] = (column.letter, column.header)
    sums = totals.sums
    for column in figures:
        sums.extend([0.0] * (column.index + 1 - len(sums)))

    # Vertically merged identity cells (a county merged down over its enterprises).
    merged_fill: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in sheet.merged or []:
        if r2 > r1 and r1 + 1 >= (layout.first_data_row or 0):
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        merged_fill[(r, c)] = (r1, c1)
    anchor_cells = set(merged_fill.values())
    anchors: dict[tuple[int, int], object] = {}

    source = rows if rows is not None else sheet.iter_rows()
    first = (layout.first_data_row or 1) - 1
    code_exact = _CODE_EXACT.fullmatch
    intern = {}.setdefault
    for r, row in enumerate(source):
        if r < first:
            continue
        excel_row = r + 1
        if anchor_cells:
            row = list(row)
            for c in range(len(row)):
                if (r, c) in anchor_cells:
                    anchors[(r, c)] = row[c]
                elif (r, c) in merged_fill and _blank(row[c]):
                    row[c] = anchors.get(merged_fill[(r, c)], "")
        width = len(row)
        raw_code = row[code_i] if code_i < width else None
        if type(raw_code) is str and code_exact(raw_code):
            # the usual row: a well-formed code (18 × [0-9A-Z]) is neither blank, nor a note, nor a
            # totals label, and needs no normalising
            code = raw_code
        else:
            code = _row_code(
                raw_code, row, width, excel_row, name, code_col, figures, figure_idx, issues, totals
            )
            if code is _SKIP:
                continue
        # one object per distinct text: an enterprise's code and name repeat on each of its years
        common = {"credit_code": intern(code, code)}
        for key, i in ident:
            value = row[i] if i < width else None
            text = " ".join(value.split()) if type(value) is str else _text(value)
            common[key] = intern(text, text) if text else None
        row_year = layout.default_year
        if year_col is not None:
            raw_year = row[year_col.index] if year_col.index < width else None
            if type(raw_year) is float and raw_year.is_integer() and MIN_YEAR <= raw_year <= MAX_YEAR:
                row_year = int(raw_year)
            else:
                row_year = layout.default_year if _blank(raw_year) else year_of(raw_year)
            if row_year is None:
                issues.append(
                    _error(
                        name,
                        f"年度应为四位年份（如 2024），收到“{_text(raw_year)}”",
                        row=excel_row,
                        column=year_col.letter,
                        value=_text(raw_year),
                        field="year",
                    )
                )
                continue
        totals.count += 1
        attributes = {} if attribute_cols else NO_ATTRIBUTES
        for target, i, factor, letter in attribute_cols:
            raw = row[i] if i < width else None
            if _blank(raw) or (isinstance(raw, str) and normalise(raw) in EMPTY_MARKS):
                continue
            value, error = attribute_value(target, raw, factor)
            if error:
                issues.append(
                    _error(name, error, row=excel_row, column=letter, value=_text(raw), field=target)
                )
            elif value is not None:
                attributes[target] = value
        if not groups:  # a registry sheet without figures: one record per row
            yield ParsedRecord(
                sheet=name,
                row=excel_row,
                year=row_year,
                values={},
                cells=RowCells(name, excel_row, base_spec),
                attributes=attributes,
                **common,
            )
            continue
        several = len(groups) > 1
        for group_year, group in groups.items():
            values: dict = {}
            failed = False
            for i, target, factor, integer, letter, bound, scaled, fscale in group:
                raw = row[i] if i < width else None
                value = None
                if type(raw) is float and not integer and -bound < raw < bound:  # the usual cell
                    value = Decimal(repr(raw))
                    value = (value * factor if scaled else value).quantize(_CENT)
                    sums[i] += raw * fscale
                    values[target] = value
                    continue
                if type(raw) is float and integer and not scaled and raw.is_integer() and -1e14 < raw < 1e14:
                    values[target] = int(raw)  # persons, as _fast_number would give them
                    sums[i] += raw
                    continue
                if raw is not None and raw != "":
                    value = _fast_number(raw, factor, integer)
                if value is None:
                    value, error = parse_figure(raw, target, factor)
                    if error:
                        failed = True
                        issues.append(
                            _error(name, error, row=excel_row, column=letter, value=_text(raw), field=target)
                        )
                        continue
                values[target] = value
                if value is not None:
                    sums[i] += float(value)
            if several and not failed and all(v is None for v in values.values()):
                continue  # a wide row with nothing at all for this year
            yield ParsedRecord(
                sheet=name,
                row=excel_row,
                year=group_year or row_year,
                values=values,
                cells=RowCells(name, excel_row, specs[group_year]),
                attributes=attributes,
                **common,
            )


_DAY = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_TIME = re.compile(r"[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_DAY_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_MONTH_DIGITS = re.compile(r"^(\d{4})(\d{2})$")
_YEAR = re.compile(r"^(\d{4})年?$")
FIRST_FOUNDING_YEAR = 1800
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _date_or_none(year: int, month: int, day: int | None = None) -> dt.date | None:
    try:
        if day is None:
            return PartialDate(year, month, precision="month")
        return dt.date(year, month, day)
    except ValueError:
        return None


def founding_date(raw):
    """A founding-date cell as bureaus write it → a date, a ``PartialDate`` (only a year, as under
    成立年份, or a year and month), or the raw value when it is none of these (the registry's
    validation then says what is wrong). Accepts Excel dates, 2015-06-30 / 2015/6/30 / 2015.6.30 /
    2015年6月30日 / 20150630, 2015-06 / 2015年6月, 2015 / 2015年, and a date that Excel kept as its
    serial day number."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return raw
        n = int(raw)
        if float(raw).is_integer():
            if FIRST_FOUNDING_YEAR <= n <= MAX_YEAR:
                return PartialDate(n, precision="year")
            if 18000101 <= n <= 21001231:
                return _date_or_none(n // 10000, n // 100 % 100, n % 100) or raw
            if 180001 <= n <= 210012:
                return _date_or_none(n // 100, n % 100) or raw
        if 1 <= n < 80_000:  # an Excel serial day (a date cell formatted as a number)
            return _EXCEL_EPOCH + dt.timedelta(days=n)
        return raw
    text = re.sub(r"\s+", "", _TIME.sub("", unicodedata.normalize("NFKC", str(raw)).strip()))
    for pattern in (_DAY, _DAY_DIGITS):
        m = pattern.match(text)
        if m:
            return _date_or_none(int(m.group(1)), int(m.group(2)), int(m.group(3))) or raw
    for pattern in (_MONTH, _MONTH_DIGITS):
        m = pattern.match(text)
        if m:
            return _date_or_none(int(m.group(1)), int(m.group(2))) or raw
    m = _YEAR.match(text)
    if m and FIRST_FOUNDING_YEAR <= int(m.group(1)) <= MAX_YEAR:
        return PartialDate(int(m.group(1)), precision="year")
    return raw


def attribute_value(target: str, raw, factor: Decimal = Decimal(1)) -> tuple[object, str]:
    """A registry attribute cell → (value as the registry's validation takes it, "") or (None,
    Chinese error). Text is whitespace-normalised; numbers that are codes or phone numbers
    (Excel keeps 3411 or 13800138000 as numbers) become their digits."""
    if target == "founded_on":
        return founding_date(raw), ""
    if target == "registered_capital":
        errors: dict[str, list[str]] = {}
        value = parse_decimal(
            raw, label="注册资本", errors=errors, field=target, allow_negative=False, scale=factor
        )
        return (None, errors[target][0]) if errors else (value, "")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (dt.date, dt.datetime)):
        return None, f"{TARGET_LABELS[target]}应为文字，收到日期“{raw}”"
    text = (
        " ".join(unicodedata.normalize("NFKC", str(raw)).split())
        if target == "industry"
        else " ".join(str(raw).split())
    )
    return (text or None), ""


def _first_text(row: list) -> str:
    for value in row:
        if type(value) is str and value.strip():
            return value
    return ""


__all__ = [
    "Column",
    "Extraction",
    "Layout",
    "RowCells",
    "apply_mapping",
    "attribute_value",
    "column_letter",
    "extract",
    "finish_layout",
    "founding_date",
    "import_kind_of",
    "iter_records",
    "parse_figure",
    "pause_cyclic_gc",
    "release_frozen_objects",
    "sheet_year",
    "understand",
    "understand_workbook",
]
