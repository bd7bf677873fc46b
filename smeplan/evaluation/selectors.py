"""Reads of the evaluation. Runs: the province sees all; a city or county bureau the runs made in
its region or below and the province's runs. Results and proposals always through
``accounts.scoping.scope_filter`` on the enterprise, so a city sees its counties' rows only."""

from fractions import Fraction

import numpy as np
from django.db.models import QuerySet
from django.http import Http404

from smeplan.accounts.scoping import records_filter, require, scope_filter, scope_for
from smeplan.evaluation import engine
from smeplan.evaluation.models import (
    INDICATORS,
    RESULT_FIGURES,
    EvaluationResult,
    EvaluationRun,
    EvaluationScheme,
    TerminationProposal,
    TierMoveProposal,
)


def is_reader(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.is_bureau))


def runs_visible(user) -> QuerySet[EvaluationRun]:
    require(is_reader(user), "只有主管部门用户可以查看综合测评")
    qs = EvaluationRun.objects.select_related("programme", "tier", "region", "actor", "scheme")
    if scope_for(user).everything:
        return qs
    return (
        records_filter(user, qs, region="region", owner="actor") | qs.filter(region__isnull=True)
    ).distinct()


def run_get(user, pk) -> EvaluationRun:
    run = runs_visible(user).filter(pk=pk).first()
    if run is None:
        raise Http404("综合测评记录不存在或无权查看")
    return run


def results_of(user, run: EvaluationRun) -> QuerySet[EvaluationResult]:
    qs = EvaluationResult.objects.filter(run=run).select_related("organisation", "certification")
    return scope_filter(user, qs, organisation="organisation").order_by("rank")


def proposals_of(
    user, run: EvaluationRun | None = None, *, pending: bool = False
) -> QuerySet[TerminationProposal]:
    qs = TerminationProposal.objects.select_related("certification", "run", "run__tier")
    qs = qs.filter(run=run) if run is not None else qs.filter(run__in=runs_visible(user))
    if pending:
        qs = qs.filter(state="proposed")
    return scope_filter(user, qs, organisation="certification__organisation").order_by("run", "id")


def moves_of(user, run: EvaluationRun | None = None, *, pending: bool = False) -> QuerySet[TierMoveProposal]:
    qs = TierMoveProposal.objects.select_related("certification", "run", "run__tier", "to_tier")
    qs = qs.filter(run=run) if run is not None else qs.filter(run__in=runs_visible(user))
    if pending:
        qs = qs.filter(state="proposed")
    return scope_filter(user, qs, organisation="certification__organisation").order_by("run", "id")


def what_if(user, run: EvaluationRun, *, weights: dict, method: str) -> list[dict]:
    """Other weights (``{indicator: weight}``) or method over the whole tier of ``run``: its
    indicators recomputed exactly from the figures the run kept (runs from before those were kept:
    the stored indicator values), scored and ranked by ``engine.evaluate`` as a run does. Nothing is
    saved. Returns the enterprises visible to ``user`` whose rank would change, by their new rank."""
    figure_columns, keys = list(RESULT_FIGURES), list(INDICATORS)
    rows = list(
        EvaluationResult.objects.filter(run=run)
        .order_by("rank")
        .values_list("id", "organisation__credit_code", "rank", *figure_columns, *keys)
    )
    n, k = len(rows), len(keys)
    if not n:
        return []
    figures = {}
    for c, column in enumerate(figure_columns):
        amounts = [r[3 + c] for r in rows]
        cents = np.array([0 if a is None else int(a * 100) for a in amounts], dtype=np.int64)
        figures[column] = (cents, np.array([a is not None for a in amounts]))
    values, (num, den) = engine.indicators_from_figures(figures)
    exact = (num, den)
    stored = np.array(
        [[np.nan if v is None else v for v in r[3 + len(figure_columns) :]] for r in rows], dtype=float
    ).reshape(n, k)
    legacy = np.isnan(values) & ~np.isnan(stored)
    if legacy.any():  # a run from before the figures were kept: its stored values are taken as exact
        values = np.where(legacy, stored, values)

        def exact(i: int, j: int) -> Fraction:
            if legacy[i, j]:
                return Fraction(float(values[i, j]))
            return Fraction(int(num[i, j]), int(den[i, j]))

    rev, rev_ok = figures["operating_revenue"]
    scored = engine.evaluate(
        values,
        [float(weights[key]) for key in keys],
        method,
        revenue=np.where(rev_ok, rev / 100.0, np.nan),
        codes=np.array([r[1] for r in rows], dtype=str),
        exact=exact,
    )
    visible = set(results_of(user, run).values_list("id", flat=True))
    moved = {
        r[0]: (r[2], int(scored.rank[i]), float(scored.score[i]))
        for i, r in enumerate(rows)
        if int(scored.rank[i]) != r[2] and r[0] in visible
    }
    names = dict(EvaluationResult.objects.filter(pk__in=list(moved)).values_list("pk", "organisation__name"))
    return sorted(
        (
            {"name": names[i], "old": old, "new": new, "score": score, "delta": old - new}
            for i, (old, new, score) in moved.items()
        ),
        key=lambda x: x["new"],
    )


def with_counterparts(items: list) -> list:
    """Each termination proposal gets ``also``: the tier move proposed for the same certification
    in the same run (and each tier move the termination proposal), or None — both are shown with
    their reasons and the confirming officer chooses one."""
    if not items:
        return items
    other = TierMoveProposal if isinstance(items[0], TerminationProposal) else TerminationProposal
    related = ["to_tier"] if other is TierMoveProposal else []
    found = {
        (p.run_id, p.certification_id): p
        for p in other.objects.select_related("certification", *related).filter(
            run_id__in={p.run_id for p in items}, certification_id__in={p.certification_id for p in items}
        )
    }
    for p in items:
        p.also = found.get((p.run_id, p.certification_id))
    return items


def schemes() -> QuerySet[EvaluationScheme]:
    return EvaluationScheme.objects.select_related("programme", "created_by").order_by(
        "programme__position", "programme__code", "-effective_year", "-id"
    )


def results_of_organisation(user, organisation) -> list[EvaluationResult]:
    """One organisation's evaluation results the user may see, the latest run of each (year, tier),
    newest year first (an enterprise sees its own; the runs' pages stay for bureau users)."""
    qs = scope_filter(user, EvaluationResult.objects.all(), organisation="organisation")
    rows = (
        qs.filter(organisation_id=organisation.pk)
        .select_related("run", "run__programme", "run__tier", "certification")
        .order_by(
            "-run__year", "run__programme__position", "run__tier__position", "-run__created_at", "-run_id"
        )
    )
    latest: dict[tuple, EvaluationResult] = {}
    for result in rows:
        latest.setdefault((result.run.year, result.run.tier_id), result)
    return list(latest.values())
