"""Enterprise size class (企业划型：大型/中型/小型/微型) and “四上” (above-scale) status — pure functions.

Standards
---------
* 《中小企业划型标准规定》(工信部联企业〔2011〕300号): industry groups (第二条) and their thresholds
  (第四条) on 从业人员 (employees), 营业收入 (operating revenue, 万元) and 资产总额 (total assets, 万元).
* GB/T 4754-2017《国民经济行业分类》: the industry codes (门类 section letter, 2-digit 大类 division,
  3-digit 中类 group, 4-digit 小类 class).
* “四上” statistical scope of the National Bureau of Statistics: 规模以上工业, 有资质的建筑业,
  限额以上批发和零售业、住宿和餐饮业, 房地产开发经营业, 规模以上服务业.

All numbers and the industry mapping live in versioned CSV files under ``data/`` (see their header
comments); this module only interprets them:

* ``gbt4754_sections.csv`` — section → division range (to tell the section of a numeric code);
* ``size_class_industry_map.csv`` — GB/T 4754 selector → size-class industry group;
* ``size_class_thresholds.csv`` — per (effective year, group, metric): SME upper bound, medium and
  small lower bounds;
* ``above_scale_thresholds.csv`` — per (effective year, rule): selectors, basis, threshold.

For a given year each group / rule uses its rows with the greatest ``effective_from_year`` ≤ year.
Loaders are cached (:func:`functools.cache`); :func:`size_class` and :func:`above_scale` accept an
injected table (``table=`` / ``rules=``) so that other versions can be used and tested.

Size-class rule (300号 第四条): an enterprise is an SME (中小微型) when ANY of its group's figures
is below the upper bound, so it is large only when all are at or above it; medium and small need
ALL lower bounds met; otherwise micro (ANY figure below the small bound). The class is monotone in
each figure, so with a figure missing the result is still determined when the lowest and highest
possible values of that figure give the same class (in practice: micro because a present figure is
already below the small bound); otherwise it is undecidable (``value=None``).

No Django imports and no database access: the registry services cache the results on the model.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SECTIONS_CSV = DATA_DIR / "gbt4754_sections.csv"
INDUSTRY_MAP_CSV = DATA_DIR / "size_class_industry_map.csv"
SIZE_CLASS_CSV = DATA_DIR / "size_class_thresholds.csv"
ABOVE_SCALE_CSV = DATA_DIR / "above_scale_thresholds.csv"

#: Size classes, smallest first (企业规模).
SIZE_CLASSES = ("micro", "small", "medium", "large")
SIZE_LABELS_ZH = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型", None: "无法判定"}
#: Metrics of the size-class thresholds: (Chinese name, unit).
METRICS = {"employees": ("从业人员", "人"), "revenue": ("营业收入", "万元"), "assets": ("资产总额", "万元")}
#: 建筑业资质 values (as stored on the organisation) and their Chinese names.
CONSTRUCTION_QUALIFICATIONS = {"general": "施工总承包资质", "specialised": "专业承包资质", "none": "无资质"}
REVENUE_BASES = {"main_business_revenue": "主营业务收入", "operating_revenue": "营业收入"}
ABOVE_SCALE_BASES = (*REVENUE_BASES, "qualification", "none", "withdrawn")

_INF = Decimal("Infinity")
_NEG_INF = Decimal("-Infinity")
_UNCOVERED = object()  # resolution result: no selector covers (part of) the code


# --- small helpers --------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV whose lines starting with ``#`` are comments."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def _bool(text: str, *, where: str) -> bool:
    if text.lower() in ("true", "1", "yes"):
        return True
    if text.lower() in ("false", "0", "no"):
        return False
    raise ValueError(f"{where}: verified must be true/false, got {text!r}")


def _decimal(value, *, label: str) -> Decimal | None:
    """Money (万元) or a count as Decimal; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{label}应为数字，收到 {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(str(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{label}应为数字，收到 {value!r}") from None
    else:
        raise TypeError(f"{label}应为数字，收到 {value!r}")
    if not result.is_finite():
        raise ValueError(f"{label}应为有限数字，收到 {value!r}")
    return result


def _fmt(value: Decimal) -> str:
    """2500 → '2500', Decimal('2500.50') → '2500.5', no exponent."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def _join_zh(items: Iterable[str], last: str = "或") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + last + items[-1]


# --- GB/T 4754 codes and selectors ----------------------------------------------------------------


@dataclass(frozen=True)
class _Code:
    """A parsed GB/T 4754 code: section letter plus 0 (section only), 2, 3 or 4 digits."""

    section: str
    digits: str

    def covers(self, other: _Code) -> bool:
        return self.section == other.section and other.digits.startswith(self.digits)


@functools.cache
def load_sections(path: Path = SECTIONS_CSV) -> dict[str, str]:
    """GB/T 4754-2017 division (2 digits) → section letter, from ``gbt4754_sections.csv``."""
    divisions: dict[str, str] = {}
    for row in _read_csv(path):
        for n in range(int(row["division_from"]), int(row["division_to"]) + 1):
            divisions[f"{n:02d}"] = row["section"]
    return divisions


def parse_industry_code(code: str | None, *, divisions: dict[str, str] | None = None) -> _Code | None:
    """Parse a GB/T 4754-2017 code: section letter (``'C'``), division (``'13'``), group (``'131'``)
    or class (``'1310'``), optionally prefixed by its section letter (``'C1310'``). ``None`` when
    malformed or the division does not exist. (Whether a 3/4-digit code exists is not checked.)"""
    divisions = divisions if divisions is not None else load_sections()
    text = "".join(str(code or "").split()).upper()
    if not text:
        return None
    letter, digits = (text[0], text[1:]) if text[0].isalpha() else ("", text)
    if letter and letter not in divisions.values():
        return None
    if not digits:
        return _Code(letter, "") if letter else None
    if not (digits.isascii() and digits.isdigit() and 2 <= len(digits) <= 4):
        return None
    section = divisions.get(digits[:2])
    if section is None or (letter and letter != section):
        return None
    return _Code(section, digits)


def _parse_selectors(text: str, divisions: dict[str, str], *, where: str) -> list[_Code]:
    """``'G I N 84'`` / ``'54-58'`` / ``'701'`` → codes; a range expands to its divisions."""
    out: list[_Code] = []
    for token in text.split():
        if "-" in token:
            start, _, end = token.partition("-")
            if not (len(start) == len(end) == 2 and start.isdigit() and end.isdigit() and start <= end):
                raise ValueError(f"{where}: bad division range {token!r}")
            tokens = [f"{n:02d}" for n in range(int(start), int(end) + 1)]
        else:
            tokens = [token]
        for t in tokens:
            parsed = parse_industry_code(t, divisions=divisions)
            if parsed is None:
                raise ValueError(f"{where}: unknown GB/T 4754-2017 selector {t!r}")
            out.append(parsed)
    return out


def _candidates(code: _Code, selectors: list[tuple[_Code, object]], divisions: dict[str, str]) -> list:
    """The values a code can take under ``selectors`` (the most specific covering selector wins).

    Returns the values of the selectors below the code (more specific than it) plus that of the
    most specific selector covering the code (``_UNCOVERED`` if none) — unless the code is a
    section all of whose divisions are mapped below it. One distinct value = the code decides it.
    """
    below = [v for s, v in selectors if code.covers(s) and len(s.digits) > len(code.digits)]
    if not code.digits and below:  # a section: is every division of it mapped below it?
        mapped = {s.digits for s, _ in selectors if code.covers(s) and len(s.digits) == 2}
        if all(d in mapped for d, sec in divisions.items() if sec == code.section):
            return below
    covering = [(s, v) for s, v in selectors if s.covers(code)]
    if not covering:
        return [*below, _UNCOVERED]
    best = max(len(s.digits) for s, _ in covering)
    values = [v for s, v in covering if len(s.digits) == best]
    if len(set(values)) > 1:
        raise ValueError(f"conflicting selectors for {code.section}{code.digits}: {values}")
    return [*below, values[0]]


# --- size class (企业划型) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndustryGroup:
    """A size-class industry group (划型行业) of 300号, e.g. ``IndustryGroup('industry', '工业')``."""

    code: str
    name_zh: str


@dataclass(frozen=True)
class SizeThreshold:
    """One row of ``size_class_thresholds.csv``: bounds of one metric of one group (万元 / persons)."""

    effective_from_year: int
    industry_group: str
    group_name_zh: str
    metric: str
    sme_upper: Decimal
    medium_min: Decimal
    small_min: Decimal
    verified: bool
    source: str


@dataclass(frozen=True)
class _MapRow:
    """One row of ``size_class_industry_map.csv`` (its selectors are kept beside it)."""

    industry_group: str  # '' = 300号 does not apply
    verified: bool
    note_zh: str


@dataclass(frozen=True, eq=False)
class SizeClassTable:
    """Thresholds (all versions) plus the GB/T 4754 → group mapping."""

    thresholds: tuple[SizeThreshold, ...]
    industry_map: tuple[tuple[_Code, _MapRow], ...]
    divisions: dict[str, str]
    _cache: dict = field(default_factory=dict, repr=False)

    def for_year(self, year: int) -> dict[str, tuple[SizeThreshold, ...]]:
        """group → its threshold rows in force in ``year`` (greatest effective_from_year ≤ year)."""
        key = ("year", year)
        if key not in self._cache:
            latest: dict[str, int] = {}
            for row in self.thresholds:
                if row.effective_from_year <= year:
                    latest[row.industry_group] = max(
                        latest.get(row.industry_group, 0), row.effective_from_year
                    )
            self._cache[key] = {
                group: tuple(
                    r for r in self.thresholds if r.industry_group == group and r.effective_from_year == eff
                )
                for group, eff in latest.items()
            }
        return self._cache[key]

    def group_names(self) -> dict[str, str]:
        """group code → Chinese name (from the latest version that names it)."""
        if "names" not in self._cache:
            names: dict[str, str] = {}
            for row in sorted(self.thresholds, key=lambda r: r.effective_from_year):
                names[row.industry_group] = row.group_name_zh
            self._cache["names"] = names
        return self._cache["names"]

    def resolve(self, code: _Code) -> tuple[set, bool, str]:
        """For a parsed code: the set of possible group codes (``''`` = standard not applicable,
        ``_UNCOVERED`` = unmapped), whether every mapping row involved is verified, and the note of
        the row when there is one. Cached."""
        key = ("code", code)
        if key not in self._cache:
            rows = _candidates(code, list(self.industry_map), self.divisions)
            groups = {r if r is _UNCOVERED else r.industry_group for r in rows}
            verified = all(r.verified for r in rows if r is not _UNCOVERED)
            notes = {r.note_zh for r in rows if r is not _UNCOVERED}
            self._cache[key] = (groups, verified, notes.pop() if len(notes) == 1 else "")
        return self._cache[key]


@functools.cache
def load_size_class_table(
    thresholds_path: Path = SIZE_CLASS_CSV,
    map_path: Path = INDUSTRY_MAP_CSV,
    sections_path: Path = SECTIONS_CSV,
) -> SizeClassTable:
    """Load and check the size-class thresholds and industry mapping (cached per paths)."""
    divisions = load_sections(sections_path)
    thresholds = []
    seen = set()
    for n, row in enumerate(_read_csv(thresholds_path), start=1):
        where = f"{thresholds_path.name} row {n}"
        if row["metric"] not in METRICS:
            raise ValueError(f"{where}: unknown metric {row['metric']!r}")
        item = SizeThreshold(
            effective_from_year=int(row["effective_from_year"]),
            industry_group=row["industry_group"],
            group_name_zh=row["group_name_zh"],
            metric=row["metric"],
            sme_upper=Decimal(row["sme_upper"]),
            medium_min=Decimal(row["medium_min"]),
            small_min=Decimal(row["small_min"]),
            verified=_bool(row["verified"], where=where),
            source=row.get("source", ""),
        )
        if not 0 < item.small_min <= item.medium_min <= item.sme_upper:
            raise ValueError(f"{where}: bounds must satisfy 0 < small_min ≤ medium_min ≤ sme_upper")
        key = (item.effective_from_year, item.industry_group, item.metric)
        if key in seen:
            raise ValueError(f"{where}: duplicate {key}")
        seen.add(key)
        thresholds.append(item)
    groups = {t.industry_group for t in thresholds}
    industry_map = []
    for n, row in enumerate(_read_csv(map_path), start=1):
        where = f"{map_path.name} row {n}"
        if row["industry_group"] and row["industry_group"] not in groups:
            raise ValueError(f"{where}: group {row['industry_group']!r} has no thresholds")
        item = _MapRow(row["industry_group"], _bool(row["verified"], where=where), row["note_zh"])
        industry_map.extend(
            (selector, item) for selector in _parse_selectors(row["selector"], divisions, where=where)
        )
    if len({s for s, _ in industry_map}) != len(industry_map):
        raise ValueError(f"{map_path.name}: a selector is listed twice")
    return SizeClassTable(tuple(thresholds), tuple(industry_map), divisions)


@dataclass(frozen=True)
class Classification:
    """Result of :func:`size_class` (企业划型结果).

    ``value``: 'large' | 'medium' | 'small' | 'micro' | None (undecidable); ``label_zh``: 大型 /
    中型 / 小型 / 微型 / 无法判定; ``group``: the 300号 industry group used (None when the industry
    is unknown or undecidable); ``reason``: Chinese explanation; ``verified``: False when the result
    rests on data marked unverified; ``effective_from_year``: version of the thresholds used.
    """

    value: str | None
    label_zh: str
    group: IndustryGroup | None
    reason: str
    verified: bool = True
    effective_from_year: int | None = None


def _undecided(reason: str, group: IndustryGroup | None = None, **kw) -> Classification:
    return Classification(None, SIZE_LABELS_ZH[None], group, reason, **kw)


def _industry_problem(
    industry_code, parsed: _Code | None, groups: set, note: str, names: dict[str, str]
) -> str | None:
    """Chinese reason why the industry does not determine a group, or None if it does."""
    if industry_code is None or not str(industry_code).strip():
        return "缺少所属行业，无法判定"
    if parsed is None:
        return (
            f"行业代码“{industry_code}”无法识别（应为 GB/T 4754-2017 门类、大类、中类或小类代码），无法判定"
        )
    if len(groups) > 1:
        listed = sorted(names.get(g, g) for g in groups if g is not _UNCOVERED and g)
        if "" in groups:
            listed.append("不适用本规定的行业")
        return f"行业代码“{industry_code}”包含划型标准不同的行业（{'、'.join(listed)}），请细化行业代码，无法判定"
    (group,) = groups
    if group is _UNCOVERED:
        return f"行业代码“{industry_code}”不在划型行业对照表中，无法判定"
    if not group:
        return f"{note}，无法判定"
    return None


def industry_group_for(industry_code: str | None, *, table: SizeClassTable | None = None) -> str | None:
    """300号 industry group code (e.g. ``'industry'`` for 工业) of a GB/T 4754-2017 code.

    ``None`` when the code is malformed, when it is too coarse to decide (a section such as ``'F'``
    = 批发业 + 零售业, or division ``'70'`` = 房地产开发经营 + 物业管理 + others), or when the
    standard does not apply (金融业, see the mapping CSV)."""
    table = table or load_size_class_table()
    parsed = parse_industry_code(industry_code, divisions=table.divisions)
    if parsed is None:
        return None
    groups, _, _ = table.resolve(parsed)
    if len(groups) != 1:
        return None
    (group,) = groups
    return None if group is _UNCOVERED or not group else group


def _level(rows: tuple[SizeThreshold, ...], values: dict[str, Decimal]) -> str:
    if all(values[r.metric] >= r.sme_upper for r in rows):
        return "large"
    if all(values[r.metric] >= r.medium_min for r in rows):
        return "medium"
    if all(values[r.metric] >= r.small_min for r in rows):
        return "small"
    return "micro"


def _figure(metric: str, value: Decimal) -> str:
    name, unit = METRICS[metric]
    return f"{name}{_fmt(value)}{unit}"


@functools.cache
def _standard(rows: tuple[SizeThreshold, ...], attr: str) -> str:
    """'从业人员≥300人且营业收入≥2000万元'."""
    parts = []
    for r in rows:
        name, unit = METRICS[r.metric]
        parts.append(f"{name}≥{_fmt(getattr(r, attr))}{unit}")
    return "且".join(parts)


def _shortfalls(rows: tuple[SizeThreshold, ...], values: dict[str, Decimal | None], attr: str) -> str:
    """'营业收入1999万元<2000万元' for each present figure below the bound."""
    parts = []
    for r in rows:
        v = values[r.metric]
        if v is not None and v < getattr(r, attr):
            parts.append(f"{_figure(r.metric, v)}<{_fmt(getattr(r, attr))}{METRICS[r.metric][1]}")
    return "，".join(parts)


def size_class(
    *,
    industry_code: str | None,
    employees: int | None,
    operating_revenue: Decimal | int | float | None,
    total_assets: Decimal | int | float | None,
    year: int,
    table: SizeClassTable | None = None,
) -> Classification:
    """企业划型 by 《中小企业划型标准规定》(工信部联企业〔2011〕300号).

    ``industry_code``: GB/T 4754-2017 code; ``employees``: 从业人员 (persons); ``operating_revenue``
    (营业收入) and ``total_assets`` (资产总额) in 万元; ``year``: the year of the figures, which picks
    the threshold version. Figures the group does not use are ignored; a missing figure the group
    uses gives ``value=None`` unless the other figures already decide the class.
    """
    table = table or load_size_class_table()
    employees_d = _decimal(employees, label="从业人员")
    if employees_d is not None and (employees_d < 0 or employees_d != employees_d.to_integral_value()):
        raise ValueError(f"从业人员应为非负整数，收到 {employees!r}")
    figures = {
        "employees": employees_d,
        "revenue": _decimal(operating_revenue, label="营业收入"),
        "assets": _decimal(total_assets, label="资产总额"),
    }
    names = table.group_names()
    parsed = parse_industry_code(industry_code, divisions=table.divisions)
    groups, map_verified, note = table.resolve(parsed) if parsed is not None else (set(), True, "")
    problem = _industry_problem(industry_code, parsed, groups, note, names)
    if problem:
        return _undecided(problem, verified=map_verified)
    (group_code,) = groups
    group = IndustryGroup(group_code, names[group_code])
    rows = table.for_year(year).get(group.code)
    if not rows:
        return _undecided(f"没有适用于{year}年的{group.name_zh}划型标准，无法判定", group)
    verified = map_verified and all(r.verified for r in rows)
    eff = rows[0].effective_from_year

    values = {r.metric: figures[r.metric] for r in rows}
    missing = [r.metric for r in rows if values[r.metric] is None]
    low = _level(rows, {m: _NEG_INF if v is None else v for m, v in values.items()})
    high = _level(rows, {m: _INF if v is None else v for m, v in values.items()})
    missing_zh = "、".join(METRICS[m][0] for m in missing)
    present = "，".join(_figure(r.metric, values[r.metric]) for r in rows if values[r.metric] is not None)
    if low != high:
        span = SIZE_CLASSES[SIZE_CLASSES.index(low) : SIZE_CLASSES.index(high) + 1]
        known = f"{group.name_zh}：{present}，" if present else f"{group.name_zh}："
        reason = f"缺少{missing_zh}数据，无法判定（{known}可能为{_join_zh(SIZE_LABELS_ZH[c] for c in span)}）"
        return _undecided(reason, group, verified=verified, effective_from_year=eff)

    value = low
    if value == "large":
        text = f"达到大型标准（{_standard(rows, 'sme_upper')}），为大型企业"
    elif value == "medium":
        text = (
            f"{_shortfalls(rows, values, 'sme_upper')}，未达到大型标准（{_standard(rows, 'sme_upper')}）；"
            f"达到中型标准（{_standard(rows, 'medium_min')}），为中型企业"
        )
    elif value == "small":
        text = (
            f"{_shortfalls(rows, values, 'medium_min')}，未达到中型标准（{_standard(rows, 'medium_min')}）；"
            f"达到小型标准（{_standard(rows, 'small_min')}），为小型企业"
        )
    else:
        text = f"{_shortfalls(rows, values, 'small_min')}，低于小型标准（{_standard(rows, 'small_min')}），"
        text += f"无论{missing_zh}多少均为微型企业" if missing else "为微型企业"
    head = (
        f"{group.name_zh}：{present}，缺少{missing_zh}数据。" if missing else f"{group.name_zh}：{present}。"
    )
    reason = f"{head}{text}"
    return Classification(value, SIZE_LABELS_ZH[value], group, reason, verified, eff)


# --- “四上” (above-scale) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AboveScaleRule:
    """One row of ``above_scale_thresholds.csv``."""

    effective_from_year: int
    rule: str
    name_zh: str
    selectors: tuple[_Code, ...]
    basis: str
    threshold_wan: Decimal | None
    verified: bool
    note_zh: str


@dataclass(frozen=True, eq=False)
class AboveScaleRules:
    """All versions of the “四上” rules."""

    rules: tuple[AboveScaleRule, ...]
    divisions: dict[str, str]
    _cache: dict = field(default_factory=dict, repr=False)

    def for_year(self, year: int) -> tuple[AboveScaleRule, ...]:
        """Rules in force in ``year``: per rule code, the row of greatest effective_from_year ≤ year
        (a ``withdrawn`` row removes the rule)."""
        key = ("year", year)
        if key not in self._cache:
            latest: dict[str, AboveScaleRule] = {}
            for r in self.rules:
                if r.effective_from_year <= year and (
                    r.rule not in latest or r.effective_from_year > latest[r.rule].effective_from_year
                ):
                    latest[r.rule] = r
            self._cache[key] = tuple(r for r in latest.values() if r.basis != "withdrawn")
        return self._cache[key]

    def resolve(self, code: _Code, year: int) -> set:
        key = ("code", code, year)
        if key not in self._cache:
            selectors = [(s, r) for r in self.for_year(year) for s in r.selectors]
            self._cache[key] = set(_candidates(code, selectors, self.divisions))
        return self._cache[key]


@functools.cache
def load_above_scale_rules(
    path: Path = ABOVE_SCALE_CSV, sections_path: Path = SECTIONS_CSV
) -> AboveScaleRules:
    """Load and check ``above_scale_thresholds.csv`` (cached per path)."""
    divisions = load_sections(sections_path)
    rules = []
    seen = set()
    for n, row in enumerate(_read_csv(path), start=1):
        where = f"{path.name} row {n}"
        basis = row["basis"]
        if basis not in ABOVE_SCALE_BASES:
            raise ValueError(f"{where}: unknown basis {basis!r}")
        threshold = Decimal(row["threshold_wan"]) if row["threshold_wan"] else None
        if (basis in REVENUE_BASES) != (threshold is not None):
            raise ValueError(f"{where}: threshold_wan is required for, and only for, a revenue basis")
        key = (int(row["effective_from_year"]), row["rule"])
        if key in seen:
            raise ValueError(f"{where}: duplicate {key}")
        seen.add(key)
        rules.append(
            AboveScaleRule(
                effective_from_year=key[0],
                rule=row["rule"],
                name_zh=row["name_zh"],
                selectors=tuple(_parse_selectors(row["selectors"], divisions, where=where)),
                basis=basis,
                threshold_wan=threshold,
                verified=_bool(row["verified"], where=where),
                note_zh=row.get("note_zh", ""),
            )
        )
    return AboveScaleRules(tuple(rules), divisions)


@dataclass(frozen=True)
class AboveScale:
    """Result of :func:`above_scale` (“四上”判定).

    ``value``: True / False / None (undecidable); ``rule``: Chinese name of the rule applied (e.g.
    规模以上工业; None when no rule applies); ``rule_code``: its code in the CSV; ``reason``: Chinese
    explanation (value vs threshold, stand-in revenue, missing data); ``verified``: False when the
    rule is marked unverified; ``effective_from_year``: version of the rule used.
    """

    value: bool | None
    rule: str | None
    rule_code: str | None
    reason: str
    verified: bool = True
    effective_from_year: int | None = None


def _rule_label(rule: AboveScaleRule) -> str:
    """'规模以上服务业（≥2000万元）' — the name, with the threshold when there is one."""
    return rule.name_zh + (f"（≥{_fmt(rule.threshold_wan)}万元）" if rule.threshold_wan is not None else "")


def above_scale(
    *,
    industry_code: str | None,
    main_business_revenue: Decimal | int | float | None,
    operating_revenue: Decimal | int | float | None,
    construction_qualification: str | None,
    year: int,
    rules: AboveScaleRules | None = None,
) -> AboveScale:
    """“四上”企业判定: 规模以上工业, 限额以上批发零售住宿餐饮, 有资质的建筑业, 房地产开发经营业,
    规模以上服务业 — driven by ``above_scale_thresholds.csv``.

    Revenues in 万元; ``construction_qualification``: ``'general'`` (施工总承包), ``'specialised'``
    (专业承包), ``'none'``, or None/'' (unknown). A revenue threshold is met at ``≥``; when the
    rule's basis figure is missing the other revenue stands in and the reason says so.
    """
    rules = rules or load_above_scale_rules()
    parsed = parse_industry_code(industry_code, divisions=rules.divisions)
    if industry_code is None or not str(industry_code).strip():
        return AboveScale(None, None, None, "缺少所属行业，无法判定")
    if parsed is None:
        return AboveScale(
            None,
            None,
            None,
            f"行业代码“{industry_code}”无法识别（应为 GB/T 4754-2017 门类、大类、中类或小类代码），无法判定",
        )
    if not rules.for_year(year):
        return AboveScale(None, None, None, f"没有适用于{year}年的“四上”标准，无法判定")
    possible = rules.resolve(parsed, year)
    if len(possible) > 1:
        names = sorted({_rule_label(r) for r in possible if r is not _UNCOVERED})
        if _UNCOVERED in possible:  # (possibly) parts of the code that no rule covers
            names[-1] += "等"
        return AboveScale(
            None,
            None,
            None,
            f"行业代码“{industry_code}”包含适用不同“四上”标准的行业（{'、'.join(names)}），请细化行业代码，无法判定",
        )
    (rule,) = possible
    if rule is _UNCOVERED:
        return AboveScale(False, None, None, "该行业不属于“四上”统计范围")

    def result(value: bool | None, text: str) -> AboveScale:
        # ``verified`` stays on the result for maintainers; the reason a user reads carries no such note
        return AboveScale(value, rule.name_zh, rule.rule, text, rule.verified, rule.effective_from_year)

    if rule.basis == "none":
        return result(True, f"{rule.name_zh}企业不设收入门槛，均属于“四上”企业")
    if rule.basis == "qualification":
        qualification = construction_qualification or None
        if qualification is None:
            return result(None, "缺少建筑业资质信息，无法判定是否属于有资质的建筑业企业")
        if qualification not in CONSTRUCTION_QUALIFICATIONS:
            raise ValueError(f"未知的建筑业资质 {construction_qualification!r}")
        if qualification == "none":
            return result(False, f"无施工总承包或专业承包资质，不属于{rule.name_zh}企业")
        return result(True, f"持有{CONSTRUCTION_QUALIFICATIONS[qualification]}，属于{rule.name_zh}企业")

    given = {
        "main_business_revenue": _decimal(main_business_revenue, label="主营业务收入"),
        "operating_revenue": _decimal(operating_revenue, label="营业收入"),
    }
    basis = rule.basis
    other = next(b for b in REVENUE_BASES if b != basis)
    prefix = ""
    if given[basis] is None:
        if given[other] is None:
            return result(None, f"缺少{REVENUE_BASES[basis]}和{REVENUE_BASES[other]}数据，无法判定")
        prefix = f"{REVENUE_BASES[basis]}缺失，以{REVENUE_BASES[other]}代替："
        basis = other
    amount, threshold = given[basis], rule.threshold_wan
    figure = f"{REVENUE_BASES[basis]}{_fmt(amount)}万元"
    if amount >= threshold:
        return result(True, f"{prefix}{figure}≥{_fmt(threshold)}万元，属于{rule.name_zh}企业")
    return result(False, f"{prefix}{figure}<{_fmt(threshold)}万元，未达到{rule.name_zh}标准")


# --- value-only forms, for classifying many organisations at once ----------------------------------
#
# ``size_class(...).value`` and ``above_scale(...).value`` without the reasons: the rule is resolved
# once per (industry code, year) from the same tables and with the same helpers as the functions
# above, and cached; each call then only compares figures. ``tests/exchange/
# test_reclassify_fast_path_matches_rules.py`` checks that they agree with the full functions.


def _size_rows(industry_code, year: int, table: SizeClassTable):
    """The threshold rows deciding ``industry_code`` in ``year``; None when undecidable."""
    key = ("value-rows", industry_code, year)
    cache = table._cache
    if key not in cache:
        rows = None
        parsed = parse_industry_code(industry_code, divisions=table.divisions)
        groups, _, note = table.resolve(parsed) if parsed is not None else (set(), True, "")
        if not _industry_problem(industry_code, parsed, groups, note, table.group_names()):
            (group_code,) = groups
            rows = table.for_year(year).get(group_code) or None
        cache[key] = rows
    return cache[key]


def _plain(value, label: str):
    """Decimal/int as they are (exact comparisons with the Decimal bounds); others via _decimal."""
    if value is None or type(value) is Decimal or type(value) is int:
        return value
    return _decimal(value, label=label)


def size_class_value(
    *,
    industry_code: str | None,
    employees: int | None,
    operating_revenue: Decimal | int | float | None,
    total_assets: Decimal | int | float | None,
    year: int,
    table: SizeClassTable | None = None,
) -> str | None:
    """``size_class(...).value`` (same arguments), without building the explanation."""
    if employees is not None and (type(employees) is not int or employees < 0):
        return size_class(
            industry_code=industry_code,
            employees=employees,
            operating_revenue=operating_revenue,
            total_assets=total_assets,
            year=year,
            table=table,
        ).value
    table = table or load_size_class_table()
    rows = _size_rows(industry_code, year, table)
    if rows is None:
        return None
    figures = {
        "employees": employees,
        "revenue": _plain(operating_revenue, "营业收入"),
        "assets": _plain(total_assets, "资产总额"),
    }
    values = {r.metric: figures[r.metric] for r in rows}
    if None not in values.values():
        return _level(rows, values)
    low = _level(rows, {m: _NEG_INF if v is None else v for m, v in values.items()})
    high = _level(rows, {m: _INF if v is None else v for m, v in values.items()})
    return low if low == high else None


def _above_rule(industry_code, year: int, rules: AboveScaleRules):
    """(fixed value, None) when the industry alone decides; else (None, the rule to apply)."""
    key = ("value-rule", industry_code, year)
    cache = rules._cache
    if key not in cache:
        parsed = parse_industry_code(industry_code, divisions=rules.divisions)
        if (
            industry_code is None
            or not str(industry_code).strip()
            or parsed is None
            or not rules.for_year(year)
        ):
            out = (None, None)
        else:
            possible = rules.resolve(parsed, year)
            if len(possible) > 1:
                out = (None, None)
            else:
                (rule,) = possible
                if rule is _UNCOVERED:
                    out = (False, None)
                elif rule.basis == "none":
                    out = (True, None)
                else:
                    out = (None, rule)
        cache[key] = out
    return cache[key]


def above_scale_value(
    *,
    industry_code: str | None,
    main_business_revenue: Decimal | int | float | None,
    operating_revenue: Decimal | int | float | None,
    construction_qualification: str | None,
    year: int,
    rules: AboveScaleRules | None = None,
) -> bool | None:
    """``above_scale(...).value`` (same arguments), without building the explanation."""
    rules = rules or load_above_scale_rules()
    fixed, rule = _above_rule(industry_code, year, rules)
    if rule is None:
        return fixed
    if rule.basis == "qualification":
        qualification = construction_qualification or None
        if qualification is None:
            return None
        if qualification not in CONSTRUCTION_QUALIFICATIONS:
            raise ValueError(f"未知的建筑业资质 {construction_qualification!r}")
        return qualification != "none"
    given = {
        "main_business_revenue": _plain(main_business_revenue, "主营业务收入"),
        "operating_revenue": _plain(operating_revenue, "营业收入"),
    }
    amount = given[rule.basis]
    if amount is None:
        amount = given[
            "operating_revenue" if rule.basis == "main_business_revenue" else "main_business_revenue"
        ]
        if amount is None:
            return None
    return amount >= rule.threshold_wan
