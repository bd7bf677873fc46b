"""The patterns (疑点) over figures already read: pure functions, no database.

``figures``: organisation id → year → {field: Decimal | int | None} for the years Y−2…Y.
``applications``: (id, organisation id, data year, submitted_at) of submitted applications.
``revisions``: (organisation id, year, field, old, new, note, created_at) of those organisations.
Each detector returns {(organisation id, kind): (message, detail)}; the message is one Chinese
sentence that explains the flag, ``detail`` the values, the years and the threshold (JSON-ready).
"""

from collections import defaultdict
from decimal import Decimal

from smeplan.flags.models import FlagKind
from smeplan.flags.thresholds import Thresholds
from smeplan.indicators.derived import GROWTH_FIELDS, RATIOS, growth, ratio
from smeplan.indicators.models import FIGURE_LABELS, FIGURE_NAMES, FIGURE_UNITS

#: Figures watched for jumps (the figures whose growth the project defines).
JUMP_FIELDS = tuple(GROWTH_FIELDS)
#: Figures that may not exceed operating revenue (numerators of the ratios over revenue).
ABOVE_REVENUE = {
    "total_profit": FlagKind.PROFIT_ABOVE_REVENUE,
    "tax_paid": FlagKind.TAX_ABOVE_REVENUE,
    "rd_expense": FlagKind.RD_ABOVE_REVENUE,
}
assert all(RATIOS[r][0] in ABOVE_REVENUE for r in ("profit_margin", "tax_ratio", "rd_ratio"))

Found = dict[tuple[int, str], tuple[str, dict]]


def fmt(value) -> str:
    """1234.50 → '1234.5', 5 → '5'."""
    if value is None:
        return "—"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = format(value.normalize(), "f")
    return text


def _amount(field: str, value) -> str:
    return f"{fmt(value)}{FIGURE_UNITS.get(field, '万元')}"


def _times(value: Decimal) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def detect_growth(figures, year: int, t: Thresholds) -> Found:
    """A figure of ``year`` ≥ growth_factor × the year before (both > 0)."""
    out: Found = {}
    for org, by_year in figures.items():
        cur, prev = by_year.get(year), by_year.get(year - 1)
        if not cur or not prev:
            continue
        items, parts = [], []
        for field in JUMP_FIELDS:
            g = growth(cur.get(field), prev.get(field))
            if g.ok and g.value + 1 >= t.growth_factor:
                times = g.value + 1
                items.append(
                    {
                        "field": field,
                        "previous": str(prev[field]),
                        "current": str(cur[field]),
                        "times": _times(times),
                    }
                )
                parts.append(
                    f"{FIGURE_LABELS[field]}由{year - 1}年的{_amount(field, prev[field])}增至{year}年的"
                    f"{_amount(field, cur[field])}，为上年的{_times(times)}倍"
                )
        if items:
            message = "；".join(parts) + f"（阈值：{fmt(t.growth_factor)}倍及以上）"
            out[(org, FlagKind.GROWTH)] = (
                message,
                {"years": [year - 1, year], "items": items, "threshold": fmt(t.growth_factor)},
            )
    return out


def detect_above_revenue(figures, year: int, t: Thresholds) -> Found:
    """Profit, tax or R&D of ``year`` above above_revenue_ratio × that year's operating revenue."""
    out: Found = {}
    for org, by_year in figures.items():
        cur = by_year.get(year)
        if not cur:
            continue
        revenue = cur.get("operating_revenue")
        if revenue is None:
            continue
        for field, kind in ABOVE_REVENUE.items():
            value = cur.get(field)
            if value is None or value <= revenue * t.above_revenue_ratio:
                continue
            share = ratio(value, revenue)
            limit = "营业收入" if t.above_revenue_ratio == 1 else f"营业收入的{fmt(t.above_revenue_ratio)}倍"
            message = (
                f"{year}年{FIGURE_LABELS[field]}{_amount(field, value)}大于{limit}"
                f"（营业收入{_amount('operating_revenue', revenue)}"
                + (f"，占比{share.as_percent()}" if share.ok else "")
                + "）"
            )
            out[(org, kind)] = (
                message,
                {
                    "years": [year],
                    "field": field,
                    "value": str(value),
                    "operating_revenue": str(revenue),
                    "threshold": fmt(t.above_revenue_ratio),
                },
            )
    return out


def _present(row) -> dict:
    return {f: row.get(f) for f in FIGURE_NAMES if row.get(f) is not None}


def detect_identical(figures, year: int, t: Thresholds) -> Found:
    """Every figure of ``year`` equal to the year before's (the same figures present in both, at least
    identical_min_fields of them)."""
    out: Found = {}
    for org, by_year in figures.items():
        cur, prev = by_year.get(year), by_year.get(year - 1)
        if not cur or not prev:
            continue
        a, b = _present(cur), _present(prev)
        if len(a) < t.identical_min_fields or a != b:
            continue
        years = [year - 1, year]
        older = by_year.get(year - 2)
        if older and _present(older) == a:
            years = [year - 2, year - 1, year]
        labels = "、".join(FIGURE_LABELS[f] for f in a)
        message = (
            f"{years[0]}–{year}年连续{len(years)}年的{len(a)}项数据完全相同（{labels}），"
            f"如{FIGURE_LABELS[next(iter(a))]}均为{_amount(next(iter(a)), next(iter(a.values())))}"
            f"（阈值：至少{t.identical_min_fields}项相同）"
        )
        out[(org, FlagKind.IDENTICAL)] = (
            message,
            {
                "years": years,
                "values": {f: str(v) for f, v in a.items()},
                "threshold": t.identical_min_fields,
            },
        )
    return out


def detect_reversed_jump(figures, year: int, t: Thresholds) -> Found:
    """A figure rising to ≥ reversal_factor × in ``year``−1 and falling back to ≤ 1/factor in ``year``
    (or falling, then rising back). All three values > 0."""
    out: Found = {}
    f = t.reversal_factor
    for org, by_year in figures.items():
        rows = [by_year.get(year - 2), by_year.get(year - 1), by_year.get(year)]
        if not all(rows):
            continue
        items, parts = [], []
        for field in JUMP_FIELDS:
            a, b, c = (r.get(field) for r in rows)
            if a is None or b is None or c is None or a <= 0 or b <= 0 or c <= 0:
                continue
            up = b >= f * a and c * f <= b
            down = b * f <= a and c >= f * b
            if not (up or down):
                continue
            items.append(
                {"field": field, "values": [str(a), str(b), str(c)], "direction": "up" if up else "down"}
            )
            first, second = _times(b / a), _times(c / b)
            parts.append(
                f"{FIGURE_LABELS[field]}{year - 2}年{_amount(field, a)}、{year - 1}年{_amount(field, b)}、"
                f"{year}年{_amount(field, c)}，"
                + (
                    f"先增至上年的{first}倍、次年又回落至{second}倍"
                    if up
                    else f"先降至上年的{first}倍、次年又回升至{second}倍"
                )
            )
        if items:
            message = "；".join(parts) + f"（阈值：{fmt(f)}倍）"
            out[(org, FlagKind.REVERSED_JUMP)] = (
                message,
                {"years": [year - 2, year - 1, year], "items": items, "threshold": fmt(f)},
            )
    return out


def detect_application_mismatch(figures, applications, revisions, year: int, t: Thresholds) -> Found:
    """Figures of the years Y−2…Y that disagree with the enterprise's own application:

    * corrected on the application form (revision note ``认定申报#<id>更正``) to ≥ form_correction_factor ×
      (or ≤ 1/factor of) the value before;
    * changed after the application's submission by another source (any revision not of that
      application) by at least mismatch_change_ratio of the submitted value (first value before those
      changes) — compared with the value held now.
    """
    years = range(year - 2, year + 1)
    by_org = defaultdict(list)
    for rev in revisions:
        by_org[rev[0]].append(rev)
    out_items: dict[int, list] = defaultdict(list)
    out_parts: dict[int, list] = defaultdict(list)
    for app_id, org, app_year, submitted_at in sorted(applications, key=lambda a: a[0]):
        app_years = set(range(app_year - 2, app_year + 1)) & set(years)
        if not app_years:
            continue
        own = f"认定申报#{app_id}"
        submitted_value: dict[tuple[int, str], object] = {}
        for _org, fy, field, old, new, note, created_at in sorted(by_org.get(org, ()), key=lambda r: r[6]):
            if fy not in app_years or field not in (*JUMP_FIELDS, "employees"):
                continue
            if note == f"{own}更正" and old is not None and new is not None and old != 0 and new != 0:
                times = abs(new) / abs(old)
                if times >= t.form_correction_factor or times * t.form_correction_factor <= 1:
                    out_items[org].append(
                        {
                            "application": app_id,
                            "year": fy,
                            "field": field,
                            "kind": "form_correction",
                            "before": str(old),
                            "after": str(new),
                        }
                    )
                    out_parts[org].append(
                        f"申报#{app_id}的登记表将{fy}年{FIGURE_LABELS[field]}由{_amount(field, old)}"
                        f"更正为{_amount(field, new)}（{_times(times)}倍，阈值：{fmt(t.form_correction_factor)}倍）"
                    )
            elif created_at > submitted_at and note not in (f"{own}填报", f"{own}更正"):
                submitted_value.setdefault((fy, field), old)
        for (fy, field), before in sorted(submitted_value.items()):
            now = (figures.get(org, {}).get(fy) or {}).get(field)
            if before is None or now is None or now == before:
                continue
            if before != 0 and abs(now - before) < t.mismatch_change_ratio * abs(before):
                continue
            out_items[org].append(
                {
                    "application": app_id,
                    "year": fy,
                    "field": field,
                    "kind": "changed_after_submission",
                    "submitted": str(before),
                    "now": str(now),
                }
            )
            out_parts[org].append(
                f"申报#{app_id}提交时{fy}年{FIGURE_LABELS[field]}为{_amount(field, before)}，"
                f"提交后被其他来源改为{_amount(field, now)}"
                f"（阈值：变化{fmt(t.mismatch_change_ratio * 100)}%及以上）"
            )
    out: Found = {}
    for org, items in out_items.items():
        out[(org, FlagKind.APPLICATION_MISMATCH)] = (
            "；".join(out_parts[org]),
            {
                "years": sorted({i["year"] for i in items}),
                "items": items,
                "threshold": {
                    "mismatch_change_ratio": fmt(t.mismatch_change_ratio),
                    "form_correction_factor": fmt(t.form_correction_factor),
                },
            },
        )
    return out


def detect_all(figures, applications, revisions, year: int, t: Thresholds) -> Found:
    found: Found = {}
    found.update(detect_growth(figures, year, t))
    found.update(detect_above_revenue(figures, year, t))
    found.update(detect_identical(figures, year, t))
    found.update(detect_reversed_jump(figures, year, t))
    found.update(detect_application_mismatch(figures, applications, revisions, year, t))
    return found
