"""Reads of programmes and criteria (reference data: every signed-in bureau user may read them), of
screening runs (scoped by region through ``scope_for``) and of the stored same-industry averages."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from smeplan.accounts.scoping import records_filter, scope_filter, scope_for
from smeplan.programmes.criteria import CriterionSpec
from smeplan.programmes.models import (
    CriteriaVersion,
    IndustryAverage,
    Programme,
    ScreeningResult,
    ScreeningRun,
    Tier,
)


def programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related("owner_region").prefetch_related("tiers")


def tier_get(tier_id: int) -> Tier:
    tier = Tier.objects.select_related("programme").filter(pk=tier_id).first()
    if tier is None:
        raise Http404("梯队不存在")
    return tier


def version_for(tier: Tier, year: int) -> CriteriaVersion:
    """The criteria in force for screening year ``year``: the newest version effective by then."""
    version = version_in_force(tier, year)
    if version is None:
        raise Http404(f"{tier}在 {year} 年没有生效的认定条件")
    return version


def specs_of(version: CriteriaVersion) -> list[CriterionSpec]:
    """The version's criteria in order (uses prefetched criteria when there are)."""
    return [
        CriterionSpec.from_model(c) for c in sorted(version.criteria.all(), key=lambda c: (c.position, c.id))
    ]


def in_force(versions, year: int) -> CriteriaVersion | None:
    """Of a tier's ``versions``, the one in force for ``year`` (same rule as :func:`version_for`)."""
    effective = [v for v in versions if v.effective_year <= year]
    return max(effective, key=lambda v: (v.effective_year, v.number), default=None)


def programme_overview(year: int) -> list[dict]:
    """Every programme with its tiers, each with the criteria in force for ``year`` and its version
    history — three queries in all, whatever the number of tiers."""
    versions = Prefetch(
        "tiers__versions",
        queryset=CriteriaVersion.objects.select_related("created_by")
        .prefetch_related("criteria")
        .order_by("-number"),
    )
    rows = []
    for programme in Programme.objects.select_related("owner_region").prefetch_related("tiers", versions):
        tiers = []
        for tier in programme.tiers.all():
            history = list(tier.versions.all())
            version = in_force(history, year)
            tiers.append(
                {
                    "tier": tier,
                    "version": version,
                    "specs": specs_of(version) if version else [],
                    "history": history,
                }
            )
        rows.append({"programme": programme, "tiers": tiers})
    return rows


def versions_of(tier: Tier) -> QuerySet[CriteriaVersion]:
    return tier.versions.select_related("created_by").prefetch_related("criteria").order_by("-number")


def version_in_force(tier: Tier, year: int) -> CriteriaVersion | None:
    """Like :func:`version_for` but None instead of 404 (for lists of tiers)."""
    return (
        CriteriaVersion.objects.filter(tier=tier, effective_year__lte=year)
        .select_related("created_by")
        .order_by("-effective_year", "-number")
        .first()
    )


def version_latest(tier: Tier) -> CriteriaVersion | None:
    """The version an edit starts from: the one in force furthest ahead (newest effective year)."""
    return tier.versions.select_related("created_by").order_by("-effective_year", "-number").first()


# --- screening runs (scoped like import batches: a bureau sees its region's runs and below) --------


def runs_visible_to(user) -> QuerySet[ScreeningRun]:
    """Runs ``user`` may open: the province all; a city or county bureau the runs made in its region
    or a region under it (a city sees its counties' runs, never the province's); everyone their own."""
    qs = ScreeningRun.objects.select_related("tier__programme", "version", "region", "actor")
    return records_filter(user, qs, region="region", owner="actor")


def run_get(user, pk) -> ScreeningRun:
    """The run if ``user`` may see it, else 404 (never reveal that it exists)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("筛选记录不存在") from None
    run = runs_visible_to(user).filter(pk=pk).first()
    if run is None:
        raise Http404("筛选记录不存在或不在您的管辖范围内")
    return run


def run_previous(run: ScreeningRun) -> ScreeningRun | None:
    """The run before ``run`` of the same tier and year in the same scope (region), if any."""
    return (
        ScreeningRun.objects.filter(tier_id=run.tier_id, year=run.year, region_id=run.region_id)
        .filter(Q(created_at__lt=run.created_at) | Q(created_at=run.created_at, pk__lt=run.pk))
        .select_related("version", "actor")
        .order_by("-created_at", "-id")
        .first()
    )


def run_results(user, run: ScreeningRun, outcome: str = "") -> QuerySet[ScreeningResult]:
    """The stored results (符合 and 数据不全) of ``run`` the user may see, by county then name."""
    qs = scope_filter(user, ScreeningResult.objects.filter(run=run), organisation="organisation")
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.select_related("organisation__county__parent", "organisation__industry").order_by(
        "organisation__county_id", "organisation__name", "organisation_id"
    )


# --- same-industry averages (reference figures of the whole province: readable by bureau users) -----


def averages(year: int, metric: str = "", area: str = "") -> QuerySet[IndustryAverage]:
    qs = IndustryAverage.objects.filter(year=year).select_related("area")
    if metric:
        qs = qs.filter(metric=metric)
    if area:
        qs = qs.filter(area_id=area)
    return qs.order_by("metric", "area_id", "group_kind", "group_code")


def average_years() -> list[int]:
    return list(IndustryAverage.objects.order_by("-year").values_list("year", flat=True).distinct())


# --- who may use these pages and endpoints (the menu, the views and the API ask the same) ------------


def may_use_programmes(user) -> bool:
    """认定条件与筛选: active bureau users with a region (the engine narrows screening by their scope)."""
    from smeplan.accounts.models import BUREAU_ROLES

    if not (user.is_authenticated and user.is_active):
        return False
    if not (user.is_superuser or user.role in BUREAU_ROLES):
        return False
    return not scope_for(user).nothing


def may_edit_criteria(user) -> bool:
    """Editing criteria, the live preview and recomputing the averages: provincial admins only."""
    from smeplan.accounts.scoping import is_provincial_admin

    return bool(user.is_authenticated and user.is_active and is_provincial_admin(user))
