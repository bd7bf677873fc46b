"""Writes of the evaluation: schemes, runs (with their proposals) and the confirmations.

A run reads the figures of every certified enterprise of the tier at once (``programmes.frame``
for the certified organisations only), computes the five indicators with the definitions of
``indicators.derived`` (growth undefined when the base ≤ 0, ratios when the denominator is missing
or ≤ 0), scores and ranks them with ``engine.evaluate``, checks the tier's criteria of the year
with the screening engine over the same frame (same-industry averages: the stored ones, else
computed over the province frame), and proposes terminations and tier moves.

PostgreSQL: the certifications come as one binary COPY row, the credit codes (the ranks' last
tie-break) only for the rows whose score and revenue tie, the stored averages from a process cache
checked against their rows, and the results go in by binary COPY built in numpy.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
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
    RESULT_FIGURES,
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
        errors["bottom_share"] = [
            f"末位比例「{share_raw}」无效（应为 0%–50% 之间的百分比，如 5%，或 0–0.5 之间的小数）"
        ]
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


def figures_of(frame, positions: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{result column: (int64 cents, present)} of the frame's enterprises at ``positions`` (-1: not
    in the frame)."""
    found = positions >= 0
    idx = np.where(found, positions, 0)
    out = {}
    for column, (name, back) in RESULT_FIGURES.items():
        v, p = frame.figure(name, frame.year - back)
        out[column] = (v[idx], p[idx] & found)
    return out


def indicators_of(frame, positions: np.ndarray):
    """(values n × 5 with NaN where missing/undefined, their exact (numerators, denominators),
    operating revenue of the year in 万元 with NaN, the figures in cents) of the frame's enterprises
    at ``positions`` (-1: not in the frame) — ``engine.indicators_from_figures``."""
    figures = figures_of(frame, positions)
    values, exact = engine.indicators_from_figures(figures)
    rev, rev_ok = figures["operating_revenue"]
    revenue = np.where(rev_ok, rev / 100.0, np.nan)  # 万元 (the frame holds cents)
    return values, exact, revenue, figures


class _Averages:
    """Same-industry averages for the criteria check: the stored ones (``IndustryAverage``), else
    computed over the province frame (loaded once, cached in process)."""

    def __init__(self, year: int, specs):
        from smeplan.programmes.averages import tables_stored_many
        from smeplan.programmes.engine import Averages

        self._inner = Averages(stored=True)
        self.tables = self._inner.tables
        self.year, self.specs = year, specs
        self.frame = None
        # the stored tables the criteria will ask for, read at once (and kept in process while
        # their rows are unchanged); those not stored are computed when asked
        wanted = sorted(
            {(s.metric, y) for s in specs if s.uses_average for y in range(year - s.years + 1, year + 1)}
        )
        for key, table in tables_stored_many(wanted).items():
            if table is not None:
                self.tables[key] = table

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
        organisation_ids=np.unique(np.asarray(organisation_ids, dtype=np.int64)).tolist(),
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


def _certified(certs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tier ids, certification ids, organisation ids) of the certifications ``certs``, ordered by
    certification id. PostgreSQL: the three columns in one row of a binary COPY (no Python work per
    certification, no join on the organisations)."""
    from smeplan.programmes.frame import _copy_row, _ints

    rows = certs.order_by().values_list("tier_id", "id", "organisation_id")
    if connection.vendor == "postgresql":
        sql, params = rows.query.sql_with_params()
        agg = ", ".join(
            f"string_agg(int8send(c.{col}::int8), '')" for col in ("tier_id", "id", "organisation_id")
        )
        with connection.cursor() as cur:
            row = _copy_row(cur, f"SELECT {agg} FROM ({sql}) c", list(params))  # noqa: S608 (the ORM's SQL)
        tier_of, cert_ids, org_ids = (_ints(x) for x in row)
    else:
        got = np.array(list(rows), dtype=np.int64).reshape(-1, 3)
        tier_of, cert_ids, org_ids = got[:, 0], got[:, 1], got[:, 2]
    order = np.argsort(cert_ids, kind="stable")
    return tier_of[order], cert_ids[order], org_ids[order]


def _credit_codes(org_ids: np.ndarray):
    """positions → the credit codes of ``org_ids`` at those positions (for the ranks' tie-break)."""
    from smeplan.registry.models import Organisation

    def lookup(positions: np.ndarray) -> list[str]:
        wanted = org_ids[positions]
        found = dict(
            Organisation.objects.filter(pk__in=sorted(set(wanted.tolist()))).values_list("pk", "credit_code")
        )
        return [found.get(i, "") for i in wanted.tolist()]

    return lookup


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
    )
    tier_of, cert_ids, org_ids = _certified(certs)
    by_tier = {t.pk: (cert_ids[tier_of == t.pk], org_ids[tier_of == t.pk]) for t in tiers}
    specs = {t.pk: _specs(t, year) for t in tiers}
    every = [s for ss in specs.values() for s in ss]
    frame = _frame_for(org_ids, every, year) if len(org_ids) else None
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
    cert_ids, org_ids = rows
    n = len(cert_ids)
    if n:
        pos = np.searchsorted(frame.ids, org_ids)
        pos = np.where(
            (pos < frame.n) & (frame.ids[np.minimum(pos, max(frame.n - 1, 0))] == org_ids), pos, -1
        )
        values, exact, revenue, figures = indicators_of(frame, pos)
        found = np.flatnonzero(pos >= 0)
        # over the whole frame of the tiers evaluated together (each enterprise's outcome depends
        # on its own row and the averages only), so that tiers sharing a criterion share its
        # arrays through ``frame.memo``
        fails_all = _fails_criteria(frame, tier, year, specs, averages)
        fails = np.zeros(n, dtype=bool)
        fails[found] = fails_all[pos[found]]
    else:
        values, revenue = np.zeros((0, len(INDICATORS))), np.zeros(0)
        exact = None
        figures = {c: (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)) for c in RESULT_FIGURES}
        fails = np.zeros(0, dtype=bool)
    scored = engine.evaluate(values, w, method, revenue=revenue, codes=_credit_codes(org_ids), exact=exact)
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
    _results_write(run, cert_ids, org_ids, figures, values, scored, fails, bottom)
    proposals = []
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
        proposals.append((run.pk, int(cert_ids[i]), str(reason), text[:500], ProposalState.PROPOSED, "", ""))
    _copy_rows(
        TerminationProposal,
        (
            "run_id",
            "certification_id",
            "reason",
            "explanation",
            "state",
            "document_number",
            "withdrawn_reason",
        ),
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
        if target.pk == tier.pk:
            continue
        # also when the certification is proposed for termination: both proposals are kept with
        # their reasons and the confirming officer chooses (confirming one withdraws the other)
        amount = (Decimal(int(figures["operating_revenue"][0][i])) / 100).quantize(Decimal("0.01"))
        moves.append(
            (
                run.pk,
                int(cert_ids[i]),
                target.pk,
                amount,
                f"{year}年营业收入 {amount:,.2f} 万元，属于{target.name}的区间，建议由{tier.name}调整为{target.name}",
                ProposalState.PROPOSED,
                "",
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
            "withdrawn_reason",
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
    if "\\" not in text and text.isprintable():  # no tab, newline or carriage return either
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order): COPY on PostgreSQL (no per-row statement or
    client-side quoting), ``executemany`` elsewhere."""
    if not rows:
        return
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            text = "".join("\t".join(_copy_text(v) for v in row) + "\n" for row in rows)
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(text)
            return
        marks = ", ".join(["%s"] * len(columns))
        cur.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608 (names from the model)
            [tuple(str(v) if isinstance(v, Decimal) else v for v in row) for row in rows],
        )


_BINARY = {"int8": ">i8", "int4": ">i4", "float8": ">f8", "bool": "u1", "numeric2": (">i2", 9)}
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags 0, no header extension


def _copy_binary(columns: list[tuple[str, np.ndarray]]) -> bytes:
    """``COPY … (FORMAT binary)`` data of numpy columns, built in numpy: every row as one record of a
    packed structured array (field count, then each field's length and big-endian value), NULL
    fields (NaN of a float or numeric column) cut out of the bytes afterwards. Kinds: ``int8``,
    ``int4``, ``float8``, ``bool`` and ``numeric2`` (a float of whole cents as numeric with two
    decimals: four base-10000 digits before the point and one after, leading and trailing zero
    digits are stripped by the server)."""
    n = len(columns[0][1])
    fields = [("count", ">i2")]
    for j, (kind, _col) in enumerate(columns):
        fields += [(f"len{j}", ">i4"), (f"val{j}", _BINARY[kind])]
    rows = np.zeros(n, dtype=np.dtype(fields))
    rows["count"] = len(columns)
    nulls = []
    for j, (kind, col) in enumerate(columns):
        null = np.isnan(col) if kind in ("float8", "numeric2") else None
        if kind == "numeric2":
            cents = np.rint(np.where(null, 0, col) * 100).astype(np.int64)
            mag = np.abs(cents)
            whole, frac = mag // 100, mag % 100
            val = np.zeros((n, 9), dtype=np.int64)
            val[:, 0] = 5  # ndigits
            val[:, 1] = 3  # weight of the first digit (10000^3)
            val[:, 2] = np.where(cents < 0, 0x4000, 0)  # sign
            val[:, 3] = 2  # dscale
            for k in range(4):
                val[:, 4 + k] = whole // 10000 ** (3 - k) % 10000
            val[:, 8] = frac * 100
            rows[f"val{j}"] = val
            rows[f"len{j}"] = 18
        else:
            rows[f"val{j}"] = np.where(null, 0, col) if null is not None else col
            rows[f"len{j}"] = np.dtype(_BINARY[kind]).itemsize
        if null is not None and null.any():
            rows[f"len{j}"][null] = -1
            nulls.append((j, null))
    raw = rows.view(np.uint8).reshape(n, rows.dtype.itemsize)
    if nulls:
        keep = np.ones(raw.shape, dtype=bool)
        for j, null in nulls:
            offset = rows.dtype.fields[f"val{j}"][1]
            keep[null, offset : offset + rows.dtype[f"val{j}"].itemsize] = False
        body = raw[keep].tobytes()
    else:
        body = raw.tobytes()
    return _COPY_SIGNATURE + body + b"\xff\xff"


def _results_write(run, cert_ids, org_ids, figures, values, scored, fails, bottom) -> None:
    """The results as computed (nothing rounded but the figures, which are whole cents): the
    indicators, normalised values and scores as floats, the figures as numeric 万元."""
    n = len(cert_ids)
    if not n:
        return
    keys = list(INDICATORS)
    amounts = [np.where(p, v / 100.0, np.nan) for v, p in figures.values()]  # cents → 万元
    columns = [
        np.full(n, run.pk, dtype=np.int64),
        cert_ids,
        org_ids,
        *amounts,
        *[values[:, j] for j in range(len(keys))],
        *[scored.normalised[:, j] for j in range(len(keys))],
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
        *figures,
        *keys,
        *[f"{k}_score" for k in keys],
        "score",
        "rank",
        "missing",
        "fails_criteria",
        "bottom",
    )
    if connection.vendor == "postgresql":
        kinds = (
            "int8",
            "int8",
            "int8",
            *["numeric2"] * len(amounts),
            *["float8"] * (2 * len(keys) + 1),
            "int4",
            *["bool"] * 3,
        )
        data = _copy_binary(list(zip(kinds, columns, strict=True)))
        table = EvaluationResult._meta.db_table
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT binary)"
        with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
            copy.write(data)
        return
    lists = [c.tolist() for c in columns]
    for c in range(3, 3 + len(amounts)):
        lists[c] = [None if r != r else Decimal(f"{r:.2f}") for r in lists[c]]
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
        name = p.certification.organisation_name
        if p.state == ProposalState.WITHDRAWN:
            errors.append(f"{what}「{p.pk}」（{name}）已撤回：{p.withdrawn_reason}")
        elif p.state != ProposalState.PROPOSED:
            errors.append(f"{what}「{p.pk}」（{name}）已确认")
        elif p.certification.state != "active":
            errors.append(f"{what}「{p.pk}」（{name}）的认定已不是有效状态")
    if errors:
        raise ValidationError({field: errors})
    return items


def _withdraw_others(*, actor, items, because: str) -> None:
    """The other pending proposals (termination or tier move, of any run) of the certifications of
    the confirmed ``items`` are withdrawn: the certification is decided. One audit event each; each
    confirmed item lists what it withdrew (``withdrawn``)."""
    by_certification = {p.certification_id: p for p in items}
    for p in items:
        p.withdrawn = []
    confirmed = {(type(p), p.pk) for p in items}
    for p in _withdraw(actor=actor, certification_ids=set(by_certification), because=because, keep=confirmed):
        by_certification[p.certification_id].withdrawn.append(p)


def _withdraw(*, actor, certification_ids, because: str, keep=frozenset()) -> list:
    """Withdraw the pending proposals (termination and tier move, of any run) of these
    certifications, except those in ``keep`` ((model, pk) pairs); one audit event each."""
    now = timezone.now()
    withdrawn = []
    for model, event_type in (
        (TerminationProposal, "evaluation.proposal_withdrawn"),
        (TierMoveProposal, "evaluation.move_withdrawn"),
    ):
        others = [
            p
            for p in model.objects.select_for_update(of=("self",))
            .select_related("certification", "run", *(["to_tier"] if model is TierMoveProposal else []))
            .filter(certification_id__in=certification_ids, state=ProposalState.PROPOSED)
            .order_by("pk")
            if (model, p.pk) not in keep
        ]
        for p in others:
            p.state, p.withdrawn_by, p.withdrawn_at = ProposalState.WITHDRAWN, actor, now
            p.withdrawn_reason = because[:300]
        model.objects.bulk_update(others, ["state", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
        for p in others:
            withdrawn.append(p)
            audit_record(
                actor=actor,
                event_type=event_type,
                subject=p,
                payload={"run": p.run_id, "certification": p.certification_id, "reason": p.withdrawn_reason},
            )
    return withdrawn


#: certifications whose proposals are being confirmed here (their other proposals are withdrawn by
#: the confirmation itself, with its own reason), so the recognition signal leaves them alone
_confirming: ContextVar[frozenset] = ContextVar("evaluation_confirming", default=frozenset())


def certifications_ended(*, certification_ids, actor, because: str, **kwargs) -> None:
    """Receiver of ``recognition.signals.certification_ended``: a certification terminated, moved,
    re-certified or expired elsewhere (e.g. on the certificate's page) has nothing left to decide,
    so its pending proposals are withdrawn with that reason."""
    ids = set(certification_ids) - _confirming.get()
    if ids:
        _withdraw(actor=actor, certification_ids=ids, because=because)


@transaction.atomic
def proposals_confirm(*, actor, proposal_ids, document_number) -> list:
    """The province confirms termination proposals in bulk: each certification is terminated
    (``recognition.services.certification_terminate``, with its ban) under ``document_number``,
    and its pending tier moves are withdrawn; all or nothing."""
    from smeplan.recognition.services import _document_clean, certification_terminate

    require(_is_provincial(actor), "只有省级主管部门可以确认终止建议")
    ids = _ids_clean(proposal_ids, "proposal_ids")
    document_number = _document_clean(document_number)
    items = _pending(TerminationProposal, ids, "proposal_ids", "终止建议")
    if len({p.certification_id for p in items}) < len(items):
        raise ValidationError({"proposal_ids": ["同一家企业只能确认一条终止建议"]})
    token = _confirming.set(frozenset(p.certification_id for p in items))
    try:
        for p in items:
            certification_terminate(
                actor=actor,
                certification=p.certification,
                reason=p.reason,
                document_number=document_number,
                note=p.explanation,
            )
    finally:
        _confirming.reset(token)
    _withdraw_others(actor=actor, items=items, because=f"已确认终止资格（{document_number}）")
    return _confirmed(
        TerminationProposal, items, actor=actor, document_number=document_number,
        event_type="evaluation.proposals_confirmed", payload={"proposals": ids},
    )  # fmt: skip


@transaction.atomic
def moves_confirm(*, actor, move_ids, document_number) -> list:
    """The province confirms tier moves in bulk (``recognition.services.certification_move``); the
    moved certifications' pending termination proposals are withdrawn; all or nothing."""
    from smeplan.recognition.services import _document_clean, certification_move

    require(_is_provincial(actor), "只有省级主管部门可以确认梯队调整")
    ids = _ids_clean(move_ids, "move_ids")
    document_number = _document_clean(document_number)
    items = _pending(TierMoveProposal, ids, "move_ids", "梯队调整建议")
    if len({p.certification_id for p in items}) < len(items):
        raise ValidationError({"move_ids": ["同一家企业只能确认一条梯队调整建议"]})
    token = _confirming.set(frozenset(p.certification_id for p in items))
    try:
        for p in items:
            certification_move(
                actor=actor, certification=p.certification, tier=p.to_tier, document_number=document_number
            )
    finally:
        _confirming.reset(token)
    _withdraw_others(actor=actor, items=items, because=f"已确认梯队调整（{document_number}）")
    return _confirmed(
        TierMoveProposal, items, actor=actor, document_number=document_number,
        event_type="evaluation.moves_confirmed", payload={"moves": ids},
    )  # fmt: skip


def _confirmed(model, items, *, actor, document_number, event_type, payload) -> list:
    """Mark confirmed proposals (termination or tier move) as such, with who, when and the document
    number, and write the one audit event of the bulk confirmation."""
    now = timezone.now()
    for p in items:
        p.state, p.confirmed_by, p.confirmed_at, p.document_number = (
            ProposalState.CONFIRMED,
            actor,
            now,
            document_number,
        )
    model.objects.bulk_update(items, ["state", "confirmed_by", "confirmed_at", "document_number"])
    audit_record(
        actor=actor,
        event_type=event_type,
        subject=items[0].run,
        payload={**payload, "document": document_number},
    )
    return items
