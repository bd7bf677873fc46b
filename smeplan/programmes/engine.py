"""The screening engine (筛选引擎): evaluates criterion specs over a frame (``frame.py``) at once.

Per criterion and enterprise a status: PASS, FAIL, INCOMPLETE (数据不全: a figure or year missing),
UNDEFINED (a growth or ratio whose base/denominator ≤ 0 — it FAILS the criterion, with that reason).
Over N consecutive years (``years``) each year must pass: any fail → fail, else any missing →
incomplete. Tier outcome: any required criterion failed → fail; else any incomplete → incomplete;
else pass. Priority criteria are only marked; manual ones are listed for a reviewer.

Exactness. Every comparison is of two fractions a/b OP c/d with b, d > 0, where a, b are exact
integers from the frame (cents or persons) and c/d is the threshold as an exact ``Fraction`` of its
Decimal, or a same-industry average Σnum/Σden as exact Python ints. It is decided by the sign of
a·d − c·b: in int64 for all rows at once when the threshold's c, d keep every product below 2^62;
otherwise in float64, with the rows where |a·d − c·b| ≤ 1e-9·(|a·d| + |c·b|) (near-ties, including
every exact tie; float64 products of int64 are accurate to ~1e-15 relative, so outside that band
the float sign is the exact sign) recomputed exactly (int64 where it cannot overflow, else Python
integers). Arrays of one (metric, year, comparison, average table) are computed once per frame
and shared, read-only, by every tier that has that criterion (``Frame.memo``, bounded).
Growth g = cur/prev − 1 compared with T is cur/prev compared with 1 + T; with the average
N/D − 1, cur/prev compared with N/D. The result is therefore the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np

from smeplan.programmes.averages import AverageTable, operands
from smeplan.programmes.criteria import CriterionSpec
from smeplan.programmes.frame import ABOVE_CODES, SIZE_CODES, Frame, scale_of

PASS, FAIL, INCOMPLETE, UNDEFINED = 0, 1, 2, 3
LETTERS = {PASS: "P", FAIL: "F", INCOMPLETE: "I", UNDEFINED: "F"}


def _sign(a, b, c, d, c_exact=None, d_exact=None, where=None) -> np.ndarray:
    """sign(a/b − c/d) for int64 arrays a, b (b > 0) and c/d (d > 0): scalars (ints) or float arrays
    with ``c_exact``/``d_exact`` giving the exact Python ints per row (callables row → int). Only
    the rows in ``where`` (default all) are decided; the others are left meaningless.

    Scalars whose products with every row stay below 2^62: exact int64 arithmetic for all rows.
    Otherwise float64, and the near-ties (|a·d − c·b| ≤ 1e-9·(|a·d| + |c·b|)) decided exactly: in
    int64 when c, d are ints and both products are below 2^62 (the float estimate is within
    1 ± 2^-50 of the exact product, so they fit), else with Python ints row by row."""
    if where is None:
        where = np.ones(len(a), dtype=bool)
    scalar = isinstance(c, int) and isinstance(d, int)
    if scalar and len(a):
        a_max = int(np.abs(a[where]).max(initial=0))
        b_max = int(np.abs(b[where]).max(initial=0))
        if a_max * abs(d) < 2**62 and abs(c) * b_max < 2**62:
            return np.sign(a * np.int64(d) - np.int64(c) * b).astype(np.int8)
    cf = float(c) if isinstance(c, int) else np.asarray(c, dtype=np.float64)
    df = float(d) if isinstance(d, int) else np.asarray(d, dtype=np.float64)
    lhs = np.multiply(a, df, dtype=np.float64)
    rhs = np.multiply(b, cf, dtype=np.float64)
    diff = lhs - rhs
    out = np.sign(diff).astype(np.int8)
    scale = np.abs(lhs, out=lhs)
    scale += np.abs(rhs, out=rhs)
    np.abs(diff, out=diff)
    np.multiply(scale, 1e-9, out=rhs)
    near = np.flatnonzero(np.less_equal(diff, rhs, out=np.empty(len(diff), dtype=bool)) & where)
    if len(near) and scalar and abs(c) < 2**62 and abs(d) < 2**62:
        small = scale[near] < 2.0**62
        rows = near[small]
        exact = a[rows] * np.int64(d) - np.int64(c) * b[rows]  # no overflow: both products < 2^62
        out[rows] = np.sign(exact).astype(np.int8)
        near = near[~small]
    for i in near.tolist():
        ci = c if isinstance(c, int) else c_exact(i)
        di = d if isinstance(d, int) else d_exact(i)
        x = int(a[i]) * di - ci * int(b[i])
        out[i] = (x > 0) - (x < 0)
    return out


def _apply(op: str, s: np.ndarray) -> np.ndarray:
    return {"ge": s >= 0, "gt": s > 0, "le": s <= 0, "lt": s < 0}[op]


@dataclass
class YearDetail:
    year: int
    status: np.ndarray  # int8 per enterprise
    num: np.ndarray | None = None  # operands (growth: cur, prev; ratio: num, den; figure: value, scale)
    den: np.ndarray | None = None
    group: np.ndarray | None = None  # index into table.ordered (-1 none)
    flagged: np.ndarray | None = None
    table: AverageTable | None = None


@dataclass
class CriterionResult:
    spec: CriterionSpec
    status: np.ndarray  # int8 (PASS/FAIL/INCOMPLETE/UNDEFINED), for manual all PASS (not used)
    details: list[YearDetail] = field(default_factory=list)


class Averages:
    """Source of same-industry averages: a province frame (computed in memory) or the stored rows."""

    def __init__(self, *, frame: Frame | None = None, stored: bool = False):
        self.frame = frame
        self.stored = stored
        self.tables: dict[tuple[str, int], AverageTable | None] = {}

    def table(self, metric: str, year: int) -> AverageTable | None:
        key = (metric, year)
        if key not in self.tables:
            from smeplan.programmes.averages import table_compute, tables_stored

            if self.stored:
                self.tables[key] = tables_stored(year, metric)
            else:
                self.tables[key] = table_compute(self.frame, metric, year)
        return self.tables[key]


def _fraction(value) -> Fraction:
    return Fraction(Decimal(value))


def _category(frame: Frame, spec: CriterionSpec) -> np.ndarray:
    """in / not_in of a category; an undecided size class or 四上 status, or no industry, is 数据不全
    unless the criterion names that value itself."""
    choices = set(spec.choices)
    if spec.metric == "size_class":
        member = np.isin(frame.size, [SIZE_CODES[c] for c in choices if c in SIZE_CODES])
        unknown = (frame.size == 0) & ("" not in choices)
    elif spec.metric == "above_scale":
        names = {"true": ABOVE_CODES[True], "false": ABOVE_CODES[False], "unknown": ABOVE_CODES[None]}
        member = np.isin(frame.above, [names[c] for c in choices if c in names])
        unknown = (frame.above == 2) & ("unknown" not in choices)
    else:  # industry: a GB/T 4754 prefix such as "C34" or "34" or "C"
        from smeplan.registry.classification import load_sections

        divisions = load_sections()
        table = np.zeros(len(frame.industry_codes) + 1, dtype=bool)
        for i, code in enumerate(frame.industry_codes):
            letter = divisions.get(code[:2], code[:1] if code[:1].isalpha() else "")
            full = letter + (code if code[:1].isdigit() else "")
            table[i] = any(full.startswith(c) or code.startswith(c) for c in choices)
        member = table[frame.industry]
        unknown = frame.industry < 0
    hit = member if spec.operator == "in" else ~member
    return np.where(unknown, INCOMPLETE, np.where(hit, PASS, FAIL)).astype(np.int8)


#: criterion arrays kept per frame (≈ 1 MB each at 10^6 enterprises); the oldest go first, so a
#: live preview trying many thresholds on the cached province frame stays bounded
MEMO_LIMIT = 96


def _remember(frame: Frame, key, value):
    memo = frame.memo
    memo[key] = value
    kept = [k for k in memo if isinstance(k, tuple) and k[0] in ("detail", "criterion", "category")]
    for k in kept[: max(0, len(kept) - MEMO_LIMIT)]:
        del memo[k]
    return value


def _numeric(
    frame: Frame, spec: CriterionSpec, year: int, averages: Averages | None, area: str
) -> YearDetail:
    """One year of a numeric criterion, computed once per frame for the same metric, year,
    comparison and average table (``frame.memo``: tiers sharing a criterion share its arrays,
    which are read-only)."""
    table = None
    if spec.uses_average and averages is not None and spec.m.kind in ("growth", "ratio"):
        table = averages.table(spec.metric, year)
    key = (
        "detail",
        spec.metric,
        year,
        spec.operator,
        str(spec.threshold),
        str(spec.threshold_high),
        spec.uses_average,
        area if spec.uses_average else None,
        id(table),
    )
    hit = frame.memo.get(key)
    if hit is not None and hit[0] is table:
        return hit[1]
    detail = _numeric_compute(frame, spec, year, averages, area)
    for arr in (detail.status, detail.group, detail.flagged):
        if arr is not None:
            arr.flags.writeable = False
    _remember(frame, key, (table, detail))  # holds the table: its id stays unique while cached
    return detail


def _numeric_compute(
    frame: Frame, spec: CriterionSpec, year: int, averages: Averages | None, area: str
) -> YearDetail:
    m = spec.m
    n = frame.n
    status = np.full(n, INCOMPLETE, dtype=np.int8)
    if m.kind == "number":  # years since founding, in t only
        known = frame.founded > 0
        a = (year - frame.founded).astype(np.int64)
        b = np.ones(n, dtype=np.int64)
        ok, defined = known, known
    elif m.kind == "figure":
        if not frame.has_year(year):
            return YearDetail(year, status)
        a, ok = frame.figure(m.figure, year)
        b = np.full(n, scale_of(m.figure), dtype=np.int64)
        defined = ok
    else:
        if not frame.has_year(year) or (m.kind == "growth" and not frame.has_year(year - 1)):
            return YearDetail(year, status)
        a, b, ok, defined = operands(frame, spec.metric, year)
    detail = YearDetail(year, status, num=a, den=b)
    status[ok & ~defined] = UNDEFINED
    # comparisons run over all rows (no gather/scatter); only the rows in ``valid`` are used
    if spec.uses_average:
        table = averages.table(spec.metric, year) if averages is not None else None
        if table is None:
            return detail  # no averages at all: 数据不全
        group, flagged = table.resolve(frame, area)
        detail.group, detail.flagged, detail.table = group, flagged, table
        valid = defined & (group >= 0)
        gi = np.where(valid, group, 0)
        # cur/prev vs N/D  ⇔  growth vs N/D − 1; a ratio num/den vs N/D
        nums = np.array([g.numerator for g in table.ordered] or [0], dtype=np.float64)
        dens = np.array([g.denominator for g in table.ordered] or [1], dtype=np.float64)
        s = _sign(
            a,
            b,
            nums[gi],
            dens[gi],
            c_exact=lambda i: table.ordered[gi[i]].numerator,
            d_exact=lambda i: table.ordered[gi[i]].denominator,
            where=valid,
        )
        status[valid] = np.where(_apply(spec.operator, s), PASS, FAIL)[valid]
        return detail
    ops = [(spec.operator, spec.threshold)]
    if spec.operator == "between":
        ops = [("ge", spec.threshold), ("lt", spec.threshold_high)]
    passed = np.ones(n, dtype=bool)
    for op, threshold in ops:
        t = _fraction(threshold)
        if m.kind == "growth":
            t += 1  # cur/prev − 1 OP T  ⇔  cur/prev OP 1 + T
        passed &= _apply(op, _sign(a, b, t.numerator, t.denominator, where=defined))
    status[:] = np.where(defined, np.where(passed, PASS, FAIL), status)
    return detail


def evaluate(
    frame: Frame, specs: list[CriterionSpec], *, averages: Averages | None, area: str = "province"
) -> list[CriterionResult]:
    """Every spec over every enterprise of ``frame`` for its year ``frame.year``."""
    results = []
    t = frame.year
    for spec in specs:
        if spec.is_manual:
            results.append(CriterionResult(spec, np.zeros(frame.n, dtype=np.int8)))
            continue
        if spec.m.kind == "category":
            key = ("category", spec.metric, spec.operator, tuple(spec.choices))
            member = frame.memo.get(key)
            if member is None:
                member = _category(frame, spec)
                member.flags.writeable = False
                _remember(frame, key, member)
            results.append(CriterionResult(spec, member.copy()))
            continue
        years = [t] if spec.m.kind == "number" else list(range(t - spec.years + 1, t + 1))
        details = [_numeric(frame, spec, y, averages, area) for y in years]
        key = ("criterion", *(id(d) for d in details))  # the details are held by the memo
        hit = frame.memo.get(key)
        if hit is None or any(x is not y for x, y in zip(hit[0], details, strict=True)):
            # a fail in any year decides, with the first failing year's reason; else any missing
            # year gives 数据不全; else pass
            missing = np.zeros(frame.n, dtype=bool)
            for d in details:
                missing |= d.status == INCOMPLETE
            status = np.where(missing, INCOMPLETE, PASS).astype(np.int8)
            for d in reversed(details):
                status = np.where((d.status == FAIL) | (d.status == UNDEFINED), d.status, status)
            status = status.astype(np.int8)
            status.flags.writeable = False
            hit = _remember(frame, key, (details, status))
        results.append(CriterionResult(spec, hit[1].copy(), details))
    return results


OUTCOME_PASS, OUTCOME_FAIL, OUTCOME_INCOMPLETE = 0, 1, 2
OUTCOME_NAMES = {0: "pass", 1: "fail", 2: "incomplete"}


def outcome(results: list[CriterionResult], n: int) -> np.ndarray:
    """Tier outcome per enterprise from the required criteria."""
    failed = np.zeros(n, dtype=bool)
    missing = np.zeros(n, dtype=bool)
    for r in results:
        if not r.spec.decides:
            continue
        failed |= (r.status == FAIL) | (r.status == UNDEFINED)
        missing |= r.status == INCOMPLETE
    return np.where(failed, OUTCOME_FAIL, np.where(missing, OUTCOME_INCOMPLETE, OUTCOME_PASS)).astype(np.int8)


def letters(results: list[CriterionResult]) -> np.ndarray:
    """One letter per criterion per enterprise (P F I, M for manual) as an array of strings."""
    cols = []
    for r in results:
        if r.spec.is_manual:
            cols.append(np.full(len(r.status), "M"))
        else:
            cols.append(np.array(["P", "F", "I", "F"])[r.status])
    if not cols:
        return np.array([], dtype=str)
    out = cols[0].astype(object)
    for c in cols[1:]:
        out = out + c.astype(object)
    return out


def priority_met(results: list[CriterionResult], n: int) -> np.ndarray:
    met = np.zeros(n, dtype=bool)
    for r in results:
        if r.spec.role == "priority" and not r.spec.is_manual:
            met |= r.status == PASS
    return met


# --- explanation ---------------------------------------------------------------------------------


@dataclass
class ExplanationItem:
    spec: CriterionSpec
    status: str  # pass | fail | incomplete | manual | priority_met | priority_not_met
    line: str
    values: dict = field(default_factory=dict)


@dataclass
class Explanation:
    outcome: str  # pass | fail | incomplete
    version: object  # CriteriaVersion
    items: list[ExplanationItem] = field(default_factory=list)


def _pct(x: Fraction) -> str:
    return f"{float(x) * 100:.1f}%"


def _wan(cents: int, scale: int) -> str:
    v = Decimal(cents) / scale
    return f"{v.normalize():f}"


_AREA_NAMES: dict = {}


def _area_name(code: int) -> str:
    from smeplan.regions.models import Region

    if code not in _AREA_NAMES:
        _AREA_NAMES[code] = (
            "全省"
            if code == 610000
            else Region.objects.filter(pk=str(code)).values_list("name", flat=True).first() or str(code)
        )
    return _AREA_NAMES[code]


def _group_name(kind: str, code: str) -> str:
    from smeplan.industries.models import Industry
    from smeplan.registry.classification import load_sections

    name = Industry.objects.filter(code=code).values_list("name", flat=True).first() or ""
    if kind == "division":
        return f"{load_sections().get(code, '')}{code} {name}".strip()
    return f"{code} {name}（门类）".strip()


def _line(spec: CriterionSpec, r: CriterionResult, frame: Frame) -> tuple[str, dict]:
    from smeplan.indicators.models import FIGURE_LABELS

    m = spec.m
    label = m.label
    values: dict = {}
    if spec.is_manual:
        return f"{spec.label or label}：由审核人员核实", values
    if m.kind == "category":
        if spec.metric == "size_class":
            from smeplan.programmes.frame import SIZE_NAMES

            v = SIZE_NAMES[int(frame.size[0])]
        elif spec.metric == "above_scale":
            from smeplan.programmes.frame import ABOVE_NAMES

            v = ABOVE_NAMES[int(frame.above[0])]
        else:
            v = frame.industry_codes[frame.industry[0]] if frame.industry[0] >= 0 else ""
        values["value"] = v
        shown = dict(m.choices).get(v, v) or "无法判定"
        mark = {PASS: "✓", FAIL: "✗", INCOMPLETE: "数据不全"}[int(r.status[0])]
        return f"{spec.describe()}：{frame.year}年 {shown} {mark}", values
    parts = []
    sym = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
    for d in r.details:
        st = int(d.status[0])
        y = d.year
        if st == INCOMPLETE and (
            d.num is None or (d.table is None and spec.uses_average and d.den is not None and d.group is None)
        ):
            pass
        if m.kind == "growth":
            fig = FIGURE_LABELS[m.figure]
            cur_ok = frame.has_year(y) and frame.figure(m.figure, y)[1][0]
            prev_ok = frame.has_year(y - 1) and frame.figure(m.figure, y - 1)[1][0]
            if not (cur_ok and prev_ok):
                missing = [f"{yy}年{fig}" for yy, ok in ((y - 1, prev_ok), (y, cur_ok)) if not ok]
                parts.append(f"{label} {y}年：数据不全（缺少{'、'.join(missing)}）")
                continue
            if st == UNDEFINED:
                prev = int(frame.figure(m.figure, y - 1)[0][0])
                parts.append(
                    f"{label} {y}年：上年{fig}为{_wan(prev, scale_of(m.figure))}万元（≤0），增速无法计算 ✗"
                )
                continue
            value = Fraction(int(d.num[0]), int(d.den[0])) - 1
        elif m.kind == "ratio":
            if d.num is None or not (
                frame.figure(m.numerator, y)[1][0] and frame.figure(m.denominator, y)[1][0]
            ):
                miss = [
                    f"{y}年{FIGURE_LABELS[f]}"
                    for f in (m.numerator, m.denominator)
                    if not (frame.has_year(y) and frame.figure(f, y)[1][0])
                ]
                parts.append(f"{label} {y}年：数据不全（缺少{'、'.join(miss)}）")
                continue
            if st == UNDEFINED:
                parts.append(f"{label} {y}年：{FIGURE_LABELS[m.denominator]}≤0，无法计算 ✗")
                continue
            value = Fraction(int(d.num[0]), int(d.den[0]))
        elif m.kind == "figure":
            if d.num is None or not frame.figure(m.figure, y)[1][0]:
                parts.append(f"{label} {y}年：数据不全（缺少{y}年{label}）")
                continue
            value = Fraction(int(d.num[0]), int(d.den[0]))
        else:  # number
            if st == INCOMPLETE:
                parts.append(f"{label}：数据不全（缺少成立日期）")
                continue
            value = Fraction(int(d.num[0]))
        mark = "✓" if st == PASS else "✗"
        shown = (
            _pct(value)
            if m.is_rate
            else (
                f"{value.numerator // value.denominator if value.denominator == 1 else float(value):g}{m.unit}"
                if m.kind == "number"
                else f"{Decimal(value.numerator) / Decimal(value.denominator):f}{m.unit}"
            )
        )
        values[str(y)] = str(value if not m.is_rate else float(value))
        if spec.uses_average:
            gi = int(d.group[0]) if d.group is not None else -1
            if gi < 0:
                parts.append(f"{label} {y}年 {shown}：数据不全（没有可比的同行业平均）")
                continue
            g = d.table.ordered[gi]
            avg = Fraction(g.numerator, g.denominator) - (1 if m.kind == "growth" else 0)
            values[f"{y}_average"] = float(avg)
            flag = "，不足5家，仅供参考" if bool(d.flagged[0]) else ""
            parts.append(
                f"{label} {y}年 {shown} {sym[spec.operator]} 行业平均 {_pct(avg)}"
                f"（{_group_name(g.kind, g.code)}，{_area_name(g.area)}，{g.count}家{flag}）{mark}"
                if st == PASS
                else f"{label} {y}年 {shown} 未{sym[spec.operator]} 行业平均 {_pct(avg)}"
                f"（{_group_name(g.kind, g.code)}，{_area_name(g.area)}，{g.count}家{flag}）{mark}"
            )
        else:
            parts.append(f"{label} {y}年 {shown}（条件：{spec.describe()}）{mark}")
    return "；".join(parts), values


def explain(*, actor, organisation, tier, year, version=None) -> Explanation:
    """Why ``organisation`` passes or fails ``tier`` in ``year``: one Chinese line per criterion,
    computed by the same engine on a one-organisation frame with the stored averages (computed in
    memory from the province when none are stored for that year and metric). ``version``: the
    criteria of a past run (default: the version in force for ``year``)."""
    from django.http import Http404

    from smeplan.accounts.scoping import require, scope_filter
    from smeplan.registry.models import Organisation

    require(
        actor.is_authenticated and (actor.is_superuser or actor.is_bureau), "只有主管部门用户可以查看认定说明"
    )
    if not scope_filter(actor, Organisation.objects.filter(pk=organisation.pk)).exists():
        raise Http404("单位不存在或不在您的管辖范围内")
    return explanation_compute(organisation=organisation, tier=tier, year=year, version=version)


def explanation_compute(*, organisation, tier, year, version=None) -> Explanation:
    """``explain`` without the viewer's checks, for the system's own records (the eligibility stored
    with an application when it is submitted). Callers check who may see the result."""
    from django.core.exceptions import ValidationError

    from smeplan.programmes.frame import frame_cached, frame_load
    from smeplan.programmes.selectors import specs_of, version_for

    if organisation.kind != tier.programme.applicant_kind:
        raise ValidationError(
            f"{organisation.name}是{organisation.get_kind_display()}，"
            f"{tier.programme.name}只认定{tier.programme.get_subject_kind_display()}，不参加本项目筛选"
        )
    year = int(year)
    if version is None:
        version = version_for(tier, year)
    elif version.tier_id != tier.pk:
        raise ValueError("version of another tier")
    specs = specs_of(version)
    back = years_back_of(specs)
    frame = frame_load(
        year=year, years_back=back, fields=fields_of(specs), organisation_ids=[organisation.pk]
    )
    averages = Averages(stored=True)
    fallback = None
    for s in specs:
        if s.uses_average and not s.is_manual:
            for y in range(year - s.years + 1, year + 1):
                if averages.table(s.metric, y) is None:
                    if fallback is None:
                        fallback = Averages(
                            frame=frame_cached(year=year, years_back=back, fields=fields_of(specs))
                        )
                    averages.tables[(s.metric, y)] = fallback.table(s.metric, y)
    results = evaluate(frame, specs, averages=averages, area=tier.programme.average_area)
    out = outcome(results, frame.n)
    items = []
    for r in results:
        line, values = _line(r.spec, r, frame)
        st = int(r.status[0])
        if r.spec.is_manual:
            status = "manual"
        elif r.spec.role == "priority":
            status = "priority_met" if st == PASS else "priority_not_met"
        else:
            status = {PASS: "pass", FAIL: "fail", UNDEFINED: "fail", INCOMPLETE: "incomplete"}[st]
        items.append(ExplanationItem(spec=r.spec, status=status, line=line, values=values))
    return Explanation(outcome=OUTCOME_NAMES[int(out[0])], version=version, items=items)


def years_back_of(specs: list[CriterionSpec]) -> int:
    return max([s.years - 1 + s.m.years_back for s in specs if not s.is_manual] + [0])


def fields_of(specs: list[CriterionSpec]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for s in specs if not s.is_manual for f in s.m.figures))


def since_of(specs: list[CriterionSpec], year: int) -> dict[str, int]:
    """Per figure the first year ``specs`` read for screening ``year`` (growth: the base year too)
    — for :func:`frame.frame_load`'s ``since``, so that figures needed in year t only (such as R&D
    expense for the R&D ratio) are not read for earlier years."""
    out: dict[str, int] = {}
    for s in specs:
        if s.is_manual or s.m.kind not in ("figure", "growth", "ratio"):
            continue
        first = year - s.years + 1 - s.m.years_back
        for f in s.m.figures:
            out[f] = min(out.get(f, first), first)
    return out
