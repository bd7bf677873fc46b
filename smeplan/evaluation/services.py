"""Writes of the evaluation: schemes, runs (with their proposals) and the confirmations.

A run reads the figures of every certified enterprise of the tier at once (``programmes.frame``
for the certified organisations only), computes the five indicators with the definitions of
``indicators.derived`` (growth undefined when the base ≤ 0, ratios when the denominator is missing
or ≤ 0), scores and ranks them with ``engine.evaluate``, checks the tier's criteria of the year
with the screening engine over the same frame (same-industry averages: the stored ones, else
computed over the province frame), and proposes terminations and tier moves.
"""

from __future__ import annotations

import time
from decimal import Decimal, InvalidOperation

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from smeplan.accounts.scoping import is_provincial_admin, require, scope_filter, scope_for
from smeplan.audit.services import audit_record
from smeplan.evaluation import engine
from smeplan.evaluation.models import (
    DEFAULT_BOTTOM_SHARE,
    DEFAULT_WEIGHTS,
    INDICATORS,
    EvaluationResult,
    EvaluationRun,
    EvaluationScheme,
    Method,
    ProposalState,
    TerminationProposal,
    TierMoveProposal,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100
FIGURES = ("operating_revenue", "total_profit", "tax_paid", "rd_expense")
#: 成长梯队 revenue bands (万元, low inclusive, high exclusive) used when a tier's criteria give none
REVENUE_BANDS: dict[str, tuple[Decimal | None, Decimal | None]] = {
    "industry_star": (Decimal(10000), None),
    "growth_star": (Decimal(2000), Decimal(10000)),
    "startup_star": (None, Decimal(2000)),
}


def _is_provincial(actor) -> bool:
    return bool(actor is not None and actor.is_authenticated and (actor.is_superuser or actor.is_provincial))


def _is_bureau(actor) -> bool:
    return bool(actor is not None and actor.is_authenticated and (actor.is_superuser or actor.is_bureau))


# --- schemes ---------------------------------------------------------------------------------------


def scheme_for(programme, year: int) -> EvaluationScheme | None:
    """The scheme in force for ``year``: the newest with ``effective_year`` ≤ year."""
    return (
        EvaluationScheme.objects.filter(programme=programme, effective_year__lte=int(year))
        .order_by("-effective_year", "-id")
        .first()
    )


def settings_of(scheme: EvaluationScheme | None) -> tuple[dict, str, Decimal]:
    if scheme is None:
        return dict(DEFAULT_WEIGHTS), Method.MINMAX, DEFAULT_BOTTOM_SHARE
    return dict(scheme.weights), scheme.method, Decimal(scheme.bottom_share)


def weights_clean(raw: dict) -> tuple[dict, dict]:
    """({indicator: Decimal weight}, errors): each weight a number ≥ 0, their sum > 0."""
    errors: dict[str, list[str]] = {}
    weights = {}
    raw = raw or {}
    unknown = sorted(set(raw) - set(INDICATORS))
    if unknown:
        errors["weights"] = [f"未知的指标「{'、'.join(unknown)}」（可用：{'、'.join(INDICATORS)}）"]
    for key, label in INDICATORS.items():
        value = raw.get(key, 0)
        text = str(value if value is not None else "").strip() or "0"
        try:
            w = Decimal(text)
            if not w.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors[f"weight_{key}"] = [f"{label}的权重「{value}」不是数字"]
            continue
        if w < 0:
            errors[f"weight_{key}"] = [f"{label}的权重「{value}」不能为负数"]
            continue
        if w > 1000:
            errors[f"weight_{key}"] = [f"{label}的权重「{value}」过大（不超过 1000）"]
            continue
        weights[key] = w
    if not errors and sum(weights.values()) <= 0:
        errors["weights"] = ["各指标权重之和必须大于 0"]
    return weights, errors


def scheme_clean(data: dict) -> dict:
    """Form or API input → the scheme's values; every problem per field in Chinese."""
    errors: dict[str, list[str]] = {}
    year_raw = data.get("effective_year")
    try:
        year = int(str(year_raw).strip())
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError
    except (TypeError, ValueError):
        errors["effective_year"] = [f"生效年度「{year_raw}」无效（应为 {FIRST_YEAR}–{LAST_YEAR} 的年份）"]
        year = None
    weights, werrors = weights_clean(data.get("weights") or {})
    errors.update(werrors)
    method = str(data.get("method") or Method.MINMAX)
    if method not in Method.values:
        errors["method"] = [f"标准化方法「{method}」无效（可选：{'、'.join(str(x) for x in Method.labels)}）"]
    share_raw = data.get("bottom_share", DEFAULT_BOTTOM_SHARE)
    try:
        share = Decimal(str(share_raw).strip().rstrip("%")) / (
            100 if str(share_raw).strip().endswith("%") else 1
        )
        if not share.is_finite() or not (0 <= share <= Decimal("0.5")):
            raise InvalidOperation
        share = share.quantize(Decimal("0.0001"))
    except (InvalidOperation, ValueError):
        errors["bottom_share"] = [f"末位比例「{share_raw}」无效（应为 0–0.5 之间的小数，如 0.05，或 5%）"]
        share = None
    if errors:
        raise ValidationError(errors)
    return {
        "effective_year": year,
        "weights": {k: float(v) for k, v in weights.items()},
        "method": method,
        "bottom_share": share,
        "note": " ".join(str(data.get("note") or "").split())[:200],
    }


@transaction.atomic
def evaluation_scheme_create(*, actor, programme, data: dict) -> EvaluationScheme:
    """A new 综合测评方案 of ``programme`` (provincial admins); in force from its effective year."""
    require(is_provincial_admin(actor), "只有省级管理员可以修改综合测评方案")
    values = scheme_clean(data)
    scheme = EvaluationScheme.objects.create(programme=programme, created_by=actor, **values)
    audit_record(
        actor=actor,
        event_type="evaluation.scheme_created",
        subject=scheme,
        payload={
            "programme": programme.code,
            "effective_year": scheme.effective_year,
            "weights": scheme.weights,
            "method": scheme.method,
            "bottom_share": str(scheme.bottom_share),
        },
    )
    return scheme


# --- indicators from the frame ---------------------------------------------------------------------


def indicators_of(frame, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(values n × 5 with NaN where missing/undefined, operating revenue of the year with NaN) of the
    frame's enterprises at ``positions`` (-1: not in the frame) — the ``indicators.derived``
    definitions, vectorised."""
    t = frame.year
    found = positions >= 0
    idx = np.where(found, positions, 0)

    def fig(name, year):
        v, p = frame.figure(name, year)
        return v[idx].astype(float), p[idx] & found

    rev, rev_ok = fig("operating_revenue", t)
    rev0, rev0_ok = fig("operating_revenue", t - 1)
    prof, prof_ok = fig("total_profit", t)
    prof0, prof0_ok = fig("total_profit", t - 1)
    tax, tax_ok = fig("tax_paid", t)
    rd, rd_ok = fig("rd_expense", t)
    nan = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        den_ok = rev_ok & (rev > 0)
        cols = [
            np.where(rev_ok & rev0_ok & (rev0 > 0), rev / rev0 - 1, nan),
            np.where(prof_ok & prof0_ok & (prof0 > 0), prof / prof0 - 1, nan),
            np.where(den_ok & prof_ok, prof / rev, nan),
            np.where(den_ok & tax_ok, tax / rev, nan),
            np.where(den_ok & rd_ok, rd / rev, nan),
        ]
    revenue = np.where(rev_ok, rev / 100.0, nan)  # 万元 (the frame holds cents)
    return np.column_stack(cols) if len(idx) else np.zeros((0, len(INDICATORS))), revenue


class _Averages:
    """Same-industry averages for the criteria check: the stored ones (``IndustryAverage``), else
    computed over the province frame (loaded once, cached in process)."""

    def __init__(self, year: int, specs):
        from smeplan.programmes.engine import Averages

        self._inner = Averages(stored=True)
        self.tables = self._inner.tables
        self.year, self.specs = year, specs
        self.frame = None

    def table(self, metric: str, year: int):
        from smeplan.programmes.averages import table_compute, tables_stored
        from smeplan.programmes.engine import fields_of, since_of, years_back_of
        from smeplan.programmes.frame import frame_cached

        key = (metric, year)
        if key not in self.tables:
            table = tables_stored(year, metric)
            if table is None:
                province = frame_cached(
                    year=self.year,
                    years_back=max(2, years_back_of(self.specs)),
                    fields=fields_of(self.specs),
                    since=since_of(self.specs, self.year),
                )
                table = table_compute(province, metric, year)
            self.tables[key] = table
        return self.tables[key]


def _specs(tier, year: int) -> list:
    from smeplan.programmes.selectors import specs_of, version_in_force

    version = version_in_force(tier, year)
    return specs_of(version) if version else []


def _fails_criteria(frame, tier, year: int, specs: list, averages) -> np.ndarray:
    """Per enterprise of ``frame``: fails the criteria of ``tier`` in force for ``year``."""
    from smeplan.programmes.engine import OUTCOME_FAIL, evaluate, outcome

    if not specs or frame.n == 0:
        return np.zeros(frame.n, dtype=bool)
    results = evaluate(frame, specs, averages=averages, area=tier.programme.average_area)
    return outcome(results, frame.n) == OUTCOME_FAIL


def _frame_for(organisation_ids, specs: list, year: int):
    """The certified organisations' figures: the five indicators' (years t−1, t) and what the
    criteria read — one load for every tier evaluated together."""
    from smeplan.programmes.engine import fields_of, since_of, years_back_of
    from smeplan.programmes.frame import frame_load

    since = since_of(specs, year)
    since.update({f: min(since.get(f, year - 1), year - 1) for f in FIGURES})
    return frame_load(
        year=year,
        years_back=max(2, years_back_of(specs)),
        fields=tuple(dict.fromkeys((*FIGURES, *fields_of(specs)))),
        since=since,
        organisation_ids=sorted(set(organisation_ids)),
    )


# --- tier bands ---------------------------------------------------------------------------------------


def tier_bands(programme, year: int) -> dict:
    """{tier: (low, high)} of the programme's growth tiers (万元; low inclusive, high exclusive, None
    open): from each tier's operating-revenue criterion in force for ``year`` (≥ → low, 介于 → low
    and high; a tier without a high takes the next tier's low; the lowest tier is open below), else
    :data:`REVENUE_BANDS`."""
    from smeplan.programmes.models import CriteriaVersion
    from smeplan.programmes.selectors import in_force

    tiers = [t for t in programme.tiers.all() if t.code in REVENUE_BANDS]
    versions = CriteriaVersion.objects.filter(tier__in=tiers).prefetch_related("criteria")
    by_tier: dict = {}
    for v in versions:
        by_tier.setdefault(v.tier_id, []).append(v)
    found = {}
    for tier in tiers:
        version = in_force(by_tier.get(tier.pk, []), year)
        for c in version.criteria.all() if version else []:
            if c.metric == "operating_revenue" and c.role == "required" and c.threshold is not None:
                if c.operator in ("ge", "gt"):
                    found[tier] = (Decimal(c.threshold), None)
                elif c.operator == "between":
                    found[tier] = (Decimal(c.threshold), c.threshold_high)
    if len(found) != len(tiers) or not tiers:
        return {t: REVENUE_BANDS[t.code] for t in tiers}
    ordered = sorted(tiers, key=lambda t: found[t][0], reverse=True)
    bands = {}
    for i, tier in enumerate(ordered):
        low, high = found[tier]
        if high is None and i > 0:
            high = found[ordered[i - 1]][0]
        if i == len(ordered) - 1:
            low = None
        bands[tier] = (low, None if high is None else Decimal(high))
    return bands


# --- the run ---------------------------------------------------------------------------------------


def _false_information(year: int, organisation_ids: list[int]) -> set[int]:
    """Organisations whose false-information flag for ``year`` a person confirmed
    (``flags.selectors.confirmed_false_information``); skipped when the year has no confirmed flag
    at all (that function binds the ids as IN lists: ≈ 0.3 s for 7,000 ids)."""
    try:
        from smeplan.flags.models import FigureFlag, FlagState
        from smeplan.flags.selectors import confirmed_false_information
    except ImportError:  # the flags app is not there
        return set()
    if not FigureFlag.objects.filter(year=year, state=FlagState.CONFIRMED).exists():
        return set()
    return set(confirmed_false_information(year=year, organisation_ids=organisation_ids))


def _failed_rechecks(tier, certification_ids: np.ndarray) -> set[int]:
    """Certifications of ``tier`` whose re-check after a major change failed and that are still
    reported (not yet kept or terminated) — few rows, selected by tier, then matched."""
    from smeplan.recognition.models import ChangeReport, ChangeState

    reported = ChangeReport.objects.filter(
        certification__tier=tier, state=ChangeState.REPORTED, recheck__outcome="fail"
    ).values_list("certification_id", flat=True)
    return set(reported) & set(certification_ids.tolist())


def _year_clean(year) -> int:
    try:
        year = int(year)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError(
            {"year": [f"测评年度「{year}」无效（应为 {FIRST_YEAR}–{LAST_YEAR} 的年份）"]}
        ) from None
    return year


def evaluation_run(
    *, actor, programme=None, tier, year, scheme: EvaluationScheme | None = None
) -> EvaluationRun:
    """综合测评 of ``tier`` for ``year`` over its active certifications in ``actor``'s scope: scores,
    ranks, flags, termination proposals and tier moves stored; one audit event. Bureau users."""
    programme = programme or tier.programme
    if tier.programme_id != programme.pk:
        raise ValidationError({"tier": [f"梯队「{tier.name}」不属于「{programme.name}」"]})
    return evaluation_runs(actor=actor, programme=programme, tiers=[tier], year=year, scheme=scheme)[0]


def evaluation_runs(
    *, actor, programme, year, tiers=None, scheme: EvaluationScheme | None = None
) -> list[EvaluationRun]:
    """综合测评 of several tiers of ``programme`` (default: all) at once: one read of the certified
    enterprises' figures and one set of same-industry averages for all; one run (and audit event)
    per tier, each in its own transaction."""
    from smeplan.recognition.models import Certification, CertificationState

    require(_is_bureau(actor), "只有主管部门用户可以进行综合测评")
    started = time.perf_counter()
    year = _year_clean(year)
    tiers = list(tiers) if tiers is not None else list(programme.tiers.all())
    scheme = scheme or scheme_for(programme, year)
    certs = scope_filter(
        actor,
        Certification.objects.filter(tier__in=tiers, state=CertificationState.ACTIVE),
        organisation="organisation",
    ).order_by("id")
    by_tier: dict[int, list] = {t.pk: [] for t in tiers}
    for row in certs.values_list("tier_id", "id", "organisation_id", "organisation__credit_code"):
        by_tier[row[0]].append(row[1:])
    specs = {t.pk: _specs(t, year) for t in tiers}
    every = [s for ss in specs.values() for s in ss]
    org_ids = [r[1] for rows in by_tier.values() for r in rows]
    frame = _frame_for(org_ids, every, year) if org_ids else None
    averages = _Averages(year, every)
    bands = tier_bands(programme, year)
    setup = time.perf_counter() - started
    runs = []
    for tier in tiers:
        runs.append(
            _run_tier(
                actor=actor,
                programme=programme,
                tier=tier,
                year=year,
                scheme=scheme,
                rows=by_tier[tier.pk],
                frame=frame,
                specs=specs[tier.pk],
                averages=averages,
                bands=bands,
                setup=setup / len(tiers),
            )
        )
    return runs


@transaction.atomic
def _run_tier(
    *, actor, programme, tier, year, scheme, rows, frame, specs, averages, bands, setup
) -> EvaluationRun:
    from smeplan.recognition.models import TerminationReason

    started = time.perf_counter()
    weights, method, share = settings_of(scheme)
    w = np.array([float(weights.get(k, 0)) for k in INDICATORS])
    n = len(rows)
    cert_ids = np.array([r[0] for r in rows], dtype=np.int64)
    org_ids = np.array([r[1] for r in rows], dtype=np.int64)
    codes = np.array([r[2] for r in rows], dtype=str) if n else np.array([], dtype=str)
    if n:
        pos = np.searchsorted(frame.ids, org_ids)
        pos = np.where(
            (pos < frame.n) & (frame.ids[np.minimum(pos, max(frame.n - 1, 0))] == org_ids), pos, -1
        )
        values, revenue = indicators_of(frame, pos)
        found = np.flatnonzero(pos >= 0)
        sub = frame.subset(np.isin(frame.ids, org_ids)) if frame.n != n else frame
        fails_sub = _fails_criteria(sub, tier, year, specs, averages)
        fails = np.zeros(n, dtype=bool)
        fails[found] = fails_sub[np.searchsorted(sub.ids, org_ids[found])]
    else:
        values, revenue = np.zeros((0, len(INDICATORS))), np.zeros(0)
        fails = np.zeros(0, dtype=bool)
    scored = engine.evaluate(values, w, method, revenue=revenue, codes=codes)
    bottom_n = engine.bottom_count(n, share)
    bottom = scored.rank > n - bottom_n
    missing_any = scored.missing.any(axis=1)
    false_info = _false_information(year, org_ids.tolist()) if n else set()
    rechecks = _failed_rechecks(tier, cert_ids) if n else set()
    scope = scope_for(actor)
    run = EvaluationRun.objects.create(
        programme=programme,
        tier=tier,
        year=year,
        scheme=scheme,
        weights={k: float(weights.get(k, 0)) for k in INDICATORS},
        method=method,
        bottom_share=share,
        region=None if scope.everything else actor.region,
        actor=actor,
        evaluated=n,
        with_missing=int(missing_any.sum()),
        failing=int(fails.sum()),
        bottom=int(bottom.sum()),
    )
    _results_write(run, cert_ids, org_ids, revenue, values, scored, fails, bottom)
    proposals = []
    proposed = set()
    labels = dict(zip(TerminationReason.values, TerminationReason.labels, strict=True))
    for i in np.flatnonzero(
        bottom & fails | np.isin(org_ids, list(false_info)) | np.isin(cert_ids, list(rechecks))
    ):
        i = int(i)
        reasons = []
        if org_ids[i] in false_info:
            reasons.append((TerminationReason.FALSE_INFORMATION, "经核实提供虚假信息"))
        if cert_ids[i] in rechecks:
            reasons.append((TerminationReason.MAJOR_CHANGE, "发生重大变化后重新核验不符合认定条件"))
        if bottom[i] and fails[i]:
            reasons.append(
                (
                    TerminationReason.EVALUATION,
                    f"综合得分 {scored.score[i]:.2f}，名次 {int(scored.rank[i])}/{n}，"
                    f"在末位 {bottom_n} 名内，且不符合{year}年认定条件",
                )
            )
        reason = reasons[0][0]
        text = f"{labels[reason]}：" + "；".join(r[1] for r in reasons)
        proposals.append((run.pk, int(cert_ids[i]), str(reason), text[:500], ProposalState.PROPOSED, ""))
        proposed.add(i)
    _copy_rows(
        TerminationProposal,
        ("run_id", "certification_id", "reason", "explanation", "state", "document_number"),
        proposals,
    )
    moves = []
    target_of = np.full(n, -1, dtype=np.int64)  # index into band_tiers
    band_tiers = list(bands)
    if tier in bands:
        for k, (low, high) in enumerate(bands.values()):  # the bands' bounds are whole 万元: exact floats
            inside = ~np.isnan(revenue)
            if low is not None:
                inside &= revenue >= float(low)
            if high is not None:
                inside &= revenue < float(high)
            target_of[inside & (target_of < 0)] = k
    for i in np.flatnonzero(target_of >= 0):
        i = int(i)
        target = band_tiers[int(target_of[i])]
        if i in proposed or target.pk == tier.pk:
            continue
        amount = Decimal(str(revenue[i])).quantize(Decimal("0.01"))
        moves.append(
            (
                run.pk,
                int(cert_ids[i]),
                target.pk,
                amount,
                f"{year}年营业收入 {amount} 万元，属于{target.name}的区间，建议由{tier.name}调整为{target.name}",
                ProposalState.PROPOSED,
                "",
            )
        )
    _copy_rows(
        TierMoveProposal,
        (
            "run_id",
            "certification_id",
            "to_tier_id",
            "operating_revenue",
            "explanation",
            "state",
            "document_number",
        ),
        moves,
    )
    run.proposals, run.moves = len(proposals), len(moves)
    run.seconds = round(time.perf_counter() - started + setup, 3)
    run.save(update_fields=["proposals", "moves", "seconds"])
    audit_record(
        actor=actor,
        event_type="evaluation.run",
        subject=run,
        payload={
            "tier": str(tier),
            "year": year,
            "scheme": scheme.pk if scheme else None,
            "method": method,
            "evaluated": n,
            "proposals": run.proposals,
            "moves": run.moves,
            "seconds": run.seconds,
        },
    )
    return run


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_rows(model, columns: tuple[str, ...], rows: list[tuple] | None, text: str | None = None) -> None:
    """Insert ``rows`` (tuples in ``columns`` order): COPY on PostgreSQL (no per-row statement or
    client-side quoting; ``text`` when the caller has built the COPY text already), ``executemany``
    elsewhere."""
    if not rows and not text:
        return
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            if text is None:
                text = "".join("\t".join(_copy_text(v) for v in row) + "\n" for row in rows)
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(text)
            return
        marks = ", ".join(["%s"] * len(columns))
        cur.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608 (names from the model)
            [tuple(str(v) if isinstance(v, Decimal) else v for v in row) for row in rows],
        )


def _copy_columns(columns: list[np.ndarray]) -> str:
    """COPY text from numpy columns (integers, floats with NaN for NULL, booleans): each column
    converted with C-level ``map`` (numpy's own ``astype(str)`` is ≈ 10× slower for floats), the rows
    joined in C."""

    def one(col: np.ndarray) -> list[str]:
        if col.dtype == bool:
            return ["t" if v else "f" for v in col.tolist()]
        text = list(map(repr, col.tolist()))  # Python's float repr: shortest round-trip, in C
        if col.dtype.kind == "f":
            for i in np.flatnonzero(np.isnan(col)).tolist():
                text[i] = "\\N"
        return text

    return "".join(row + "\n" for row in map("\t".join, zip(*map(one, columns), strict=True)))


def _results_write(run, cert_ids, org_ids, revenue, values, scored, fails, bottom) -> None:
    n = len(cert_ids)
    if not n:
        return
    keys = list(INDICATORS)
    raw = np.round(values, 9)
    norm = np.round(scored.normalised, 6)
    columns = [
        np.full(n, run.pk, dtype=np.int64),
        cert_ids,
        org_ids,
        np.round(revenue, 2),
        *[raw[:, j] for j in range(len(keys))],
        *[norm[:, j] for j in range(len(keys))],
        scored.score,
        scored.rank,
        scored.missing.any(axis=1),
        fails,
        bottom,
    ]
    names = (
        "run_id",
        "certification_id",
        "organisation_id",
        "operating_revenue",
        *keys,
        *[f"{k}_score" for k in keys],
        "score",
        "rank",
        "missing",
        "fails_criteria",
        "bottom",
    )
    if connection.vendor == "postgresql":
        _copy_rows(EvaluationResult, names, None, text=_copy_columns(columns))
        return
    lists = [c.tolist() for c in columns]
    lists[3] = [None if r != r else Decimal(f"{r:.2f}") for r in lists[3]]
    rows = [
        tuple(None if isinstance(v, float) and v != v else v for v in row) for row in zip(*lists, strict=True)
    ]
    _copy_rows(EvaluationResult, names, rows)


# --- confirmations ---------------------------------------------------------------------------------


def _ids_clean(ids, field: str) -> list[int]:
    out = []
    for x in ids or []:
        try:
            out.append(int(x))
        except (TypeError, ValueError):
            raise ValidationError({field: [f"编号「{x}」无效"]}) from None
    if not out:
        raise ValidationError({field: ["请选择要确认的建议"]})
    return sorted(set(out))


def _pending(model, ids: list[int], field: str, what: str):
    items = list(
        model.objects.select_for_update(of=("self",))
        .select_related("certification", "run")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    errors = []
    found = {p.pk for p in items}
    errors += [f"{what}「{i}」不存在" for i in ids if i not in found]
    for p in items:
        if p.state != ProposalState.PROPOSED:
            errors.append(f"{what}「{p.pk}」（{p.certification.organisation_name}）已确认")
        elif p.certification.state != "active":
            errors.append(f"{what}「{p.pk}」（{p.certification.organisation_name}）的认定已不是有效状态")
    if errors:
        raise ValidationError({field: errors})
    return items


@transaction.atomic
def proposals_confirm(*, actor, proposal_ids, document_number) -> list:
    """The province confirms termination proposals in bulk: each certification is terminated
    (``recognition.services.certification_terminate``, with its ban) under ``document_number``;
    all or nothing."""
    from smeplan.recognition.services import _document_clean, certification_terminate

    require(_is_provincial(actor), "只有省级主管部门可以确认终止建议")
    ids = _ids_clean(proposal_ids, "proposal_ids")
    document_number = _document_clean(document_number)
    items = _pending(TerminationProposal, ids, "proposal_ids", "终止建议")
    now = timezone.now()
    for p in items:
        certification_terminate(
            actor=actor,
            certification=p.certification,
            reason=p.reason,
            document_number=document_number,
            note=p.explanation,
        )
        p.state, p.confirmed_by, p.confirmed_at, p.document_number = (
            ProposalState.CONFIRMED,
            actor,
            now,
            document_number,
        )
    TerminationProposal.objects.bulk_update(
        items, ["state", "confirmed_by", "confirmed_at", "document_number"]
    )
    audit_record(
        actor=actor,
        event_type="evaluation.proposals_confirmed",
        subject=items[0].run,
        payload={"proposals": ids, "document": document_number},
    )
    return items


@transaction.atomic
def moves_confirm(*, actor, move_ids, document_number) -> list:
    """The province confirms tier moves in bulk (``recognition.services.certification_move``)."""
    from smeplan.recognition.services import _document_clean, certification_move

    require(_is_provincial(actor), "只有省级主管部门可以确认梯队调整")
    ids = _ids_clean(move_ids, "move_ids")
    document_number = _document_clean(document_number)
    items = _pending(TierMoveProposal, ids, "move_ids", "梯队调整建议")
    now = timezone.now()
    for p in items:
        certification_move(
            actor=actor, certification=p.certification, tier=p.to_tier, document_number=document_number
        )
        p.state, p.confirmed_by, p.confirmed_at, p.document_number = (
            ProposalState.CONFIRMED,
            actor,
            now,
            document_number,
        )
    TierMoveProposal.objects.bulk_update(items, ["state", "confirmed_by", "confirmed_at", "document_number"])
    audit_record(
        actor=actor,
        event_type="evaluation.moves_confirmed",
        subject=items[0].run,
        payload={"moves": ids, "document": document_number},
    )
    return items
