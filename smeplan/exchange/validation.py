"""Validation of parsed figure records before anything is written (导入前校验).

:func:`validate_records` looks at EVERY record and collects every problem as an :class:`Issue`
(sheet, row, column, value, Chinese reason). Errors block the import; warnings must be confirmed.
The database is read set-based: one query per chunk of credit codes for the registry, one per
chunk of organisations for their figures — never a query per row.

Semantics of an empty cell: ``None`` in ``ParsedRecord.values`` means "no figure in the file" and
never overwrites a value already in the database (an import adds and corrects, it does not erase).

The plausibility warnings (tax or R&D above revenue, a fivefold revenue change, a profit changing
sign) are decided by ``indicators.plausibility`` — the same rules as the figures form and the API.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES
from smeplan.accounts.scoping import scope_for
from smeplan.exchange.parsed import Issue, IssueLevel, ParsedRecord
from smeplan.exchange.understanding import pause_cyclic_gc
from smeplan.indicators.integrity import id_array
from smeplan.indicators.models import FIGURE_FIELDS, FIGURE_LABELS, AnnualFigures
from smeplan.indicators.plausibility import SIGNED_FIELDS, above_revenue, year_on_year
from smeplan.indicators.validation import FIRST_YEAR, NON_NEGATIVE
from smeplan.regions.models import Region
from smeplan.regions.selectors import region_resolve
from smeplan.registry.credit_code import CreditCodeError, validate_credit_code
from smeplan.registry.models import Organisation
from smeplan.registry.validation import organisation_clean

# The year-on-year checks below read 营业收入 and the figures that may change sign (利润总额) from
# the file and the database (``_stored_figures``): a new signed field must be read there too.
if SIGNED_FIELDS != ("total_profit",):  # pragma: no cover - a guard for whoever adds one
    raise RuntimeError("exchange.validation reads operating_revenue and total_profit only")
#: Credit codes per ``IN (…)`` query (SQLite's variable limit is 32,766).
CHUNK = 5_000

MAX_VALUE = Decimal("1e14")
CENT = Decimal("0.01")
INTEGER_FIELDS = {f for f, _, unit in FIGURE_FIELDS if unit == "人"}
FIGURE_SET = {f for f, _, _ in FIGURE_FIELDS}
MONEY_SET = FIGURE_SET - INTEGER_FIELDS

OUT_OF_SCOPE = "该单位不在您的管辖范围内"


@dataclass
class NewOrganisation:
    credit_code: str
    name: str
    county: Region


@dataclass(slots=True)
class CleanRow:
    """One valid enterprise-year ready to write: values only for the figures given (not None)."""

    credit_code: str
    year: int
    values: dict[str, Decimal | int]
    sheet: str
    row: int


@dataclass
class Validation:
    issues: list[Issue] = field(default_factory=list)
    rows: list[CleanRow] = field(default_factory=list)
    new_organisations: dict[str, NewOrganisation] = field(default_factory=dict)
    organisation_ids: dict[str, int] = field(default_factory=dict)  # credit code → id (registered)
    record_count: int = 0
    new_figure_rows: int = 0  # enterprise-years not yet in the database
    #: a 企业名录 import: what it does to the registry (``registry_import.RegistryPlan``), else None
    registry: object | None = None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == IssueLevel.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == IssueLevel.WARNING]

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues if i.level == IssueLevel.ERROR)

    @property
    def warning_count(self) -> int:
        return sum(1 for i in self.issues if i.level == IssueLevel.WARNING)


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return str(value)


class _Collector:
    def __init__(self, issues: list[Issue]):
        self.issues = issues

    def add(self, level, rec: ParsedRecord, key: str, value, message: str) -> None:
        cell = rec.cells.get(key)
        self.issues.append(
            Issue(
                level=level,
                sheet=cell.sheet if cell else rec.sheet,
                row=cell.row if cell else rec.row,
                column=cell.column if cell else None,
                value=_fmt(value),
                message=message,
                field=key,
            )
        )

    def error(self, rec, key, value, message):
        self.add(IssueLevel.ERROR, rec, key, value, message)

    def warning(self, rec, key, value, message):
        self.add(IssueLevel.WARNING, rec, key, value, message)


def _clean_value(raw, fname: str) -> tuple[Decimal | int | None, str]:
    """(value, error message or ''). Fast path for the Decimal/int values ``understanding`` gives."""
    if raw is None:
        return None, ""
    kind = type(raw)
    # fast paths: what ``understanding`` hands over (Decimal 万元, int persons), in range
    if kind is Decimal and fname not in INTEGER_FIELDS and raw.is_finite() and -MAX_VALUE < raw < MAX_VALUE:
        if raw >= 0 or fname not in NON_NEGATIVE:
            return raw.quantize(CENT), ""
    elif kind is int and fname in INTEGER_FIELDS and 0 <= raw < MAX_VALUE:
        return raw, ""
    label = FIGURE_LABELS[fname]
    if isinstance(raw, bool):
        return None, f"{label}应为数字，收到“{raw}”"
    try:
        if isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, int | float):
            value = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
        else:
            text = str(raw).strip().replace(",", "")
            if text in ("", "-", "—", "--", "——"):
                return None, ""
            value = Decimal(text)
    except InvalidOperation:
        return None, f"{label}应为数字，收到“{raw}”"
    if not value.is_finite():
        return None, f"{label}应为数字，收到“{raw}”"
    if fname in NON_NEGATIVE and value < 0:
        return None, f"{label}不能为负数（收到 {_fmt(value)}）"
    if abs(value) >= MAX_VALUE:
        return None, f"{label}数值过大（收到 {_fmt(value)}）"
    if fname in INTEGER_FIELDS:
        if value != value.to_integral_value():
            return None, f"{label}应为整数，收到“{raw}”"
        return int(value), ""
    return value.quantize(CENT), ""


def _year_message(year, current: int | None = None) -> str:
    if current is None:
        current = timezone.localdate().year
    if type(year) is int and FIRST_YEAR <= year <= current:
        return ""
    if year is None or year == "":
        return "请填写年度（未能识别年度）"
    if isinstance(year, bool) or not isinstance(year, int):
        try:
            year = int(str(year).strip().removesuffix("年"))
        except ValueError:
            return f"年度应为四位数字年份，收到“{year}”"
    if year > current:
        return f"年度不能晚于当前年度（{current}），收到 {year}"
    if year < FIRST_YEAR:
        return f"年度不能早于{FIRST_YEAR}年，收到 {year}"
    return ""


# The two SQL strings below are built from model metadata only; values are parameters.
# ruff: noqa: S608


def _registry(codes: list[str]) -> dict[str, tuple[int, str, str, str, bool]]:
    """code → (id, name, former names, county code, name already normalised) for the registered
    ones. PostgreSQL: ``= ANY(array)`` per 50,000 codes (one parameter, not one per code)."""
    out = {}
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT id, credit_code, name, former_names, county_id FROM {Organisation._meta.db_table} "
            "WHERE credit_code = ANY(%s)"
        )
        with connection.cursor() as cur:
            for chunk in _chunks(codes, 50_000):
                cur.execute(sql, [chunk])
                for pk, code, name, former, county_id in cur.fetchall():
                    out[code] = (pk, name, former, county_id, " ".join(name.split()) == name)
        return out
    for chunk in _chunks(codes):
        for pk, code, name, former, county_id in Organisation.objects.filter(
            credit_code__in=chunk
        ).values_list("id", "credit_code", "name", "former_names", "county_id"):
            out[code] = (pk, name, former, county_id, " ".join(name.split()) == name)
    return out


def _stored_figures(ids: list[int]) -> dict[int, dict[int, tuple]]:
    """org id → year → (operating revenue, total profit) of the rows already stored."""
    existing: dict[int, dict[int, tuple]] = defaultdict(dict)
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT organisation_id, year, operating_revenue, total_profit FROM {AnnualFigures._meta.db_table} "
            "WHERE organisation_id = ANY(%s::bigint[])"
        )
        with connection.cursor() as cur:
            for chunk in _chunks(ids, 50_000):
                cur.execute(sql, [id_array(chunk)])
                for org_id, year, revenue, profit in cur.fetchall():
                    existing[org_id][year] = (revenue, profit)
        return existing
    for chunk in _chunks(ids):
        for org_id, year, revenue, profit in AnnualFigures.objects.filter(
            organisation_id__in=chunk
        ).values_list("organisation_id", "year", "operating_revenue", "total_profit"):
            existing[org_id][year] = (revenue, profit)
    return existing


def validate_records(
    *, actor, records: Iterable[ParsedRecord], sheet_issues: Iterable[Issue] = (), registry=None
) -> Validation:
    """Check every record; return the issues and the rows/organisations to write. Writes nothing.

    ``registry`` (a ``registry_import.RegistryPlan``, for a 企业名录 file): the registry step has
    already checked the organisations (registered, new, names, counties, scope); here only the
    years and figures are, and rows of the codes it refused (``registry.failed``) are not written.

    The loops below are the hot path of a 10^6-row import: the common case (a Decimal/int value in
    range, a year as int, a registered enterprise in scope) is tested inline first and everything
    else goes through the general checks (``_clean_value``, ``_year_message``)."""
    with pause_cyclic_gc():
        return _validate_records(actor=actor, records=records, sheet_issues=sheet_issues, registry=registry)


def _validate_records(*, actor, records, sheet_issues, registry=None) -> Validation:
    result = Validation(issues=list(sheet_issues))
    out = _Collector(result.issues)
    records = list(records)
    result.record_count = len(records)

    scope = scope_for(actor)
    may_write = bool(actor.is_superuser or actor.role in BUREAU_ROLES)
    everything = may_write and scope.everything
    scope_counties = scope.county_codes if may_write else None

    def in_scope(county_code: str) -> bool:
        return everything or (scope_counties is not None and county_code in scope_counties)

    # 1. per record, without the database: credit code, year, values, duplicates
    codes: list[str | None] = []
    years: list[int | None] = []
    seen: dict[tuple[str, int], ParsedRecord] = {}
    checked: dict[str, str | CreditCodeError] = {}  # raw code → normalised code or its error
    current_year = timezone.localdate().year
    for rec in records:
        raw_code = rec.credit_code or ""
        code = checked.get(raw_code)
        if code is None:
            try:
                code = validate_credit_code(raw_code)
            except CreditCodeError as exc:
                code = exc
            checked[raw_code] = code
        if type(code) is not str:
            out.error(rec, "credit_code", rec.credit_code, code.message)
            code = None
        year = rec.year
        if type(year) is not int or not FIRST_YEAR <= year <= current_year:
            year_msg = _year_message(year, current_year)
            if year_msg:
                out.error(rec, "year", rec.year, year_msg)
                years.append(None)
                codes.append(None)
                continue
            year = year if type(year) is int else int(str(year).strip().removesuffix("年"))
        years.append(year)
        if code is not None:
            first = seen.setdefault((code, year), rec)
            if first is not rec:
                where = (
                    f"第{first.row}行"
                    if first.sheet == rec.sheet
                    else f"工作表“{first.sheet}”第{first.row}行"
                )
                out.error(rec, "credit_code", rec.credit_code, f"与{where}重复（同一单位同一年度）")
                code = None  # not written twice
        codes.append(code)
    del seen, checked

    # 2. the registry, set-based
    known = _registry(sorted({c for c in codes if c}))
    result.organisation_ids = {c: v[0] for c, v in known.items()}

    # existing figures of those organisations (for plausibility and for tax/R&D ≤ revenue)
    existing = _stored_figures(sorted(result.organisation_ids.values()))
    no_years: dict = {}

    # 3. per record against the registry: organisation, scope, values
    counties: dict[str, Region | None] = {}
    named: set[str] = set()
    # code → year → (revenue, profit, record) of the rows to write
    file_years: dict[str, dict[int, tuple]] = defaultdict(dict)
    rows_append = result.rows.append
    new_figure_rows = 0
    for rec, code, year in zip(records, codes, years, strict=True):
        values: dict[str, Decimal | int] = {}
        row_ok = code is not None
        for fname, raw in rec.values.items():
            kind = type(raw)
            if kind is Decimal:  # what ``understanding`` gives for 万元
                if (
                    fname in MONEY_SET
                    and raw.is_finite()
                    and -MAX_VALUE < raw < MAX_VALUE
                    and (raw >= 0 or fname not in NON_NEGATIVE)
                ):
                    values[fname] = raw.quantize(CENT)
                    continue
            elif kind is int:  # persons
                if fname in INTEGER_FIELDS and 0 <= raw < MAX_VALUE:
                    values[fname] = raw
                    continue
            elif raw is None:
                continue
            if fname not in FIGURE_SET:
                continue
            value, message = _clean_value(raw, fname)
            if message:
                out.error(rec, fname, raw, message)
                row_ok = False
            elif value is not None:
                values[fname] = value
        org = known.get(code) if code else None
        if registry is not None:
            if code in registry.failed:  # its problems are reported by the registry step
                row_ok = False
        elif org is not None:
            _, reg_name, former, county_id, reg_normal = org
            county_raw = rec.county
            if county_raw:
                county_text = str(county_raw).strip()
                if county_text:
                    if county_text not in counties:
                        counties[county_text] = region_resolve(county_text)
                    if counties[county_text] is None:
                        out.error(
                            rec,
                            "county",
                            rec.county,
                            f"未知区县“{county_text}”：请填写陕西省的县级行政区名称或代码",
                        )
                        row_ok = False
            if not everything and (scope_counties is None or county_id not in scope_counties):
                out.error(rec, "credit_code", rec.credit_code, OUT_OF_SCOPE)
                row_ok = False
            raw_name = rec.name
            if raw_name and not (reg_normal and raw_name == reg_name) and code not in named:
                name = " ".join(str(raw_name).split())
                if name and name != reg_name:
                    named.add(code)
                    formerly = name in (former or "").split("|")
                    out.warning(
                        rec,
                        "name",
                        rec.name,
                        f"文件中的名称“{name}”与名录中的名称“{reg_name}”不一致"
                        + ("（为该单位曾用名）" if formerly else "（可能已更名）")
                        + "；本次导入不会修改单位名称",
                    )
        elif code:
            # unknown enterprise: registered when the row says its name and county
            name = " ".join(str(rec.name or "").split())
            county_text = str(rec.county or "").strip()
            if not name or not county_text:
                missing = "、".join(x for x, v in (("单位名称", name), ("所属区县", county_text)) if not v)
                out.error(
                    rec,
                    "credit_code",
                    rec.credit_code,
                    f"名录中没有该统一社会信用代码的单位，且缺少{missing}，无法登记新单位",
                )
                row_ok = False
            else:
                if county_text not in counties:
                    counties[county_text] = region_resolve(county_text)
                county = counties[county_text]
                if county is None:
                    out.error(
                        rec,
                        "county",
                        rec.county,
                        f"未知区县“{county_text}”：请填写陕西省的县级行政区名称或代码",
                    )
                    row_ok = False
                elif not county.is_county:
                    out.error(rec, "county", rec.county, f"“{county.name}”不是县级行政区，请填写具体区县")
                    row_ok = False
                elif not in_scope(county.code):
                    out.error(rec, "county", rec.county, OUT_OF_SCOPE)
                    row_ok = False
                else:
                    pending = result.new_organisations.get(code)
                    if pending is None:
                        try:
                            clean = organisation_clean({"credit_code": code, "name": name, "county": county})
                        except ValidationError as exc:
                            for msgs in exc.message_dict.values():
                                for m in msgs:
                                    out.error(rec, "name", rec.name, m)
                            row_ok = False
                        else:
                            result.new_organisations[code] = NewOrganisation(code, clean["name"], county)
                    elif pending.county.code != county.code:
                        out.error(
                            rec,
                            "county",
                            rec.county,
                            f"同一单位在文件中填写了不同的所属区县（另一行为“{pending.county.name}”）",
                        )
                        row_ok = False
        # tax / R&D above revenue (file value, else the value already stored): a warning
        if code:  # None when the code, the year or the row's uniqueness failed
            revenue = values.get("operating_revenue")
            stored = existing.get(org[0], no_years) if org is not None else no_years
            if revenue is None and year in stored:
                revenue = stored[year][0]
            if revenue is not None and ("tax_paid" in values or "rd_expense" in values):
                for w in above_revenue(year, values, revenue):
                    out.warning(rec, w.field, values[w.field], w.message)
            if row_ok:
                rows_append(CleanRow(code, year, values, rec.sheet, rec.row))
                file_years[code][year] = (values.get("operating_revenue"), values.get("total_profit"), rec)
                if year not in stored:
                    new_figure_rows += 1
    result.new_figure_rows = new_figure_rows

    # 4. plausibility against the enterprise's other years (database and file), as warnings
    for code, years_in_file in file_years.items():
        org = known.get(code)
        merged: dict[int, list] = {y: list(v) for y, v in (existing.get(org[0], {}) if org else {}).items()}
        for y, (rev, profit, _) in years_in_file.items():
            slot = merged.setdefault(y, [None, None])
            if rev is not None:
                slot[0] = rev
            if profit is not None:
                slot[1] = profit
        for y in sorted(merged):
            if y - 1 not in merged or (y not in years_in_file and y - 1 not in years_in_file):
                continue
            # on the cell of year y when the file gives it, else on the file's cell of year y − 1
            in_file = y in years_in_file
            rec = (years_in_file[y] if in_file else years_in_file[y - 1])[2]
            (prev_rev, prev_profit), (rev, profit) = merged[y - 1], merged[y]
            previous = {"operating_revenue": prev_rev, "total_profit": prev_profit}
            current = {"operating_revenue": rev, "total_profit": profit}
            for w in year_on_year(y - 1, previous, y, current):
                out.warning(rec, w.field, (current if in_file else previous)[w.field], w.message)
    return result
