"""Recognising column headers as written by people: synonyms (as data, ``data/header_synonyms.csv``),
units in brackets, years in headers.

``match_header("营业收入（元）")`` → HeaderMatch(target="operating_revenue", unit="元", factor=0.0001, …).
Headers are normalised before matching: NFKC (full-width brackets/digits → half-width), no spaces
or newlines, no required-field marks (*), case-folded; bracketed units are taken out and remembered;
a trailing 合计/总计 is ignored; a leading year ("2023年营业收入") becomes the column's year.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from smeplan.indicators.models import FIGURE_LABELS, FIGURE_NAMES

SYNONYMS_CSV = Path(__file__).parent / "data" / "header_synonyms.csv"

IDENTITY_TARGETS = ("credit_code", "name", "county", "year")
#: Registry attributes a sheet may carry (企业名录): written to the organisation by a 企业名录 import
#: through ``registry.validation.organisation_clean`` (see ``exchange.registry_import``).
ATTRIBUTE_LABELS = {
    "industry": "行业代码",
    "founded_on": "成立日期",
    "ownership_type": "登记注册类型",
    "registered_capital": "注册资本",
    "address": "地址",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
}
ATTRIBUTE_TARGETS = tuple(ATTRIBUTE_LABELS)
#: Columns whose header unit converts the cell (万元 money, persons): the figures and the capital.
SCALED_TARGETS = (*FIGURE_NAMES, "registered_capital")
TARGET_LABELS = (
    {
        "credit_code": "统一社会信用代码",
        "name": "企业名称",
        "county": "所属区县",
        "year": "年度",
        "ignored": "不导入",
    }
    | FIGURE_LABELS
    | ATTRIBUTE_LABELS
)
#: The targets a header may be mapped to (``header_synonyms.csv``, templates, ``--map``).
KNOWN_TARGETS = frozenset(IDENTITY_TARGETS) | frozenset(ATTRIBUTE_TARGETS) | frozenset(FIGURE_NAMES)

# Unit → factor to the stored unit (万元 for money, persons for employees).
MONEY_UNITS: dict[str, Decimal] = {
    "亿元": Decimal(10000),
    "百万元": Decimal(100),
    "万元": Decimal(1),
    "千元": Decimal("0.1"),
    "元": Decimal("0.0001"),
}
PERSON_UNITS: dict[str, Decimal] = {"人": Decimal(1), "人数": Decimal(1)}
UNIT_TOKENS = sorted([*MONEY_UNITS, *PERSON_UNITS], key=len, reverse=True)

_BRACKETS = re.compile(r"[(\[【<《]([^()\[\]【】<>《》]*)[)\]】>》]")
_YEAR_ONLY = re.compile(r"^(\d{4})(?:年度|年)?$")
_YEAR_PREFIX = re.compile(r"^(\d{4})(?:年度|年)?(?![0-9])(.+)$")
_YEAR_SUFFIX = re.compile(r"^(.+?)(\d{4})(?:年度|年)?$")
_TRAILING_TOTAL = re.compile(r"(合计|总计|小计)$")
_UNIT_IN_TEXT = re.compile(r"^(?:单位|计量单位)?[:]?(" + "|".join(UNIT_TOKENS) + r")$")
MIN_YEAR, MAX_YEAR = 1990, 2100


@dataclass(frozen=True)
class HeaderMatch:
    target: str | None = None  # credit_code/name/county/year/<figure field>, None when not recognised
    year: int | None = None
    unit: str = ""  # as written: 元/千元/万元/亿元/人, "" when none
    synonym: str = ""  # the synonym that matched (normalised)


def normalise(text) -> str:
    """Header text → comparable key: NFKC, no whitespace, no '*', case-folded."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    key = unicodedata.normalize("NFKC", str(text))
    key = re.sub(r"\s+", "", key).replace("*", "").replace("★", "").replace("：", ":")
    return key.casefold()


@functools.cache
def synonym_table() -> dict[str, str]:
    """normalised synonym → target key, from the CSV (first definition wins)."""
    table: dict[str, str] = {}
    with SYNONYMS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            target = row["target"].strip()
            if target not in KNOWN_TARGETS:
                raise ValueError(f"header_synonyms.csv: unknown target {target!r}")
            table.setdefault(normalise(row["header"]), target)
    for name, label in (FIGURE_LABELS | ATTRIBUTE_LABELS).items():
        table.setdefault(normalise(label), name)
    return table


def synonym_rows() -> list[tuple[str, str]]:
    """(target, header as written) of every entry of ``header_synonyms.csv``, in file order."""
    with SYNONYMS_CSV.open(encoding="utf-8") as fh:
        return [(row["target"].strip(), row["header"]) for row in csv.DictReader(fh)]


def target_of(text) -> str | None:
    """A field as a person names it when correcting a column — the internal key ("operating_revenue"),
    the Chinese label the page shows ("营业收入", "不导入") or one of its header synonyms ("营收") —
    → the target key; None when it names no importable field."""
    raw = str(text or "").strip()
    if raw in TARGET_LABELS:
        return raw
    key = normalise(raw)
    for target, label in TARGET_LABELS.items():
        if normalise(label) == key:
            return target
    return synonym_table().get(key)


def year_of(value) -> int | None:
    """2023, 2023.0, "2023", "2023年", "2023年度" → 2023; anything else → None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if float(value).is_integer() and MIN_YEAR <= int(value) <= MAX_YEAR:
            return int(value)
        return None
    match = _YEAR_ONLY.match(normalise(value))
    if match and MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
        return int(match.group(1))
    return None


def unit_of(text) -> str:
    """ "万元", "（元）", "单位：亿元", "人" → the unit; else ""."""
    key = normalise(text)
    bracket = _BRACKETS.fullmatch(key)
    if bracket:
        key = bracket.group(1)
    match = _UNIT_IN_TEXT.match(key)
    return match.group(1) if match else ""


def _lookup(key: str) -> str | None:
    table = synonym_table()
    if key in table:
        return table[key]
    stripped = _TRAILING_TOTAL.sub("", key)
    if stripped != key and stripped in table:
        return table[stripped]
    return None


def match_header(text) -> HeaderMatch:
    """Recognise one header cell. Returns HeaderMatch(target=None) when it is not recognised;
    a cell that is only a year gives HeaderMatch(year=…)."""
    key = normalise(text)
    if not key:
        return HeaderMatch()
    year = year_of(text)
    if year is not None:
        return HeaderMatch(year=year)
    target = _lookup(key)
    if target:
        return HeaderMatch(target=target, synonym=key)
    if unit_of(key):
        return HeaderMatch(unit=unit_of(key))
    # Take bracketed parts out: units and years.
    unit, year = "", None
    for part in _BRACKETS.findall(key):
        unit = unit or unit_of(part)
        year = year or year_of(part)
    base = _BRACKETS.sub("", key)
    # A unit written after a separator or directly: "营业收入/万元", "营业收入:元", "营业收入万元".
    split = _split_unit_suffix(base)
    if split:
        base, unit = split[0], unit or split[1]
    # A year before or after the name: "2023年营业收入", "营业收入2023年".
    if year is None:
        for pattern, yi, ni in ((_YEAR_PREFIX, 1, 2), (_YEAR_SUFFIX, 2, 1)):
            m = pattern.match(base)
            if m and MIN_YEAR <= int(m.group(yi)) <= MAX_YEAR and _lookup(m.group(ni)):
                year, base = int(m.group(yi)), m.group(ni)
                break
    target = _lookup(base)
    if target:
        return HeaderMatch(target=target, year=year, unit=unit, synonym=base)
    if unit and not base:
        return HeaderMatch(unit=unit)
    return HeaderMatch(year=year, unit=unit)


def _split_unit_suffix(base: str) -> tuple[str, str] | None:
    for token in UNIT_TOKENS:
        for sep in ("/", ":", "_", "-", ""):
            suffix = sep + token
            if base.endswith(suffix) and len(base) > len(suffix) and _lookup(base[: -len(suffix)]):
                return base[: -len(suffix)], token
    return None


def unit_factor(target: str, unit: str) -> Decimal | None:
    """Factor from ``unit`` to the stored unit of ``target``; None when the unit does not fit."""
    if target == "employees":
        return PERSON_UNITS.get(unit, Decimal(1) if not unit else None)
    if target not in SCALED_TARGETS:
        return Decimal(1)
    if not unit:
        return Decimal(1)
    return MONEY_UNITS.get(unit)
