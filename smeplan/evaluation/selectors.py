"""Reads of the evaluation. Runs: the province sees all; a city or county bureau the runs made in
its region or below and the province's runs. Results and proposals always through
``accounts.scoping.scope_filter`` on the enterprise, so a city sees its counties' rows only."""

from django.db.models import QuerySet
from django.http import Http404

from smeplan.accounts.scoping import records_filter, require, scope_filter, scope_for
from smeplan.evaluation.models import (
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
