"""Reads of programmes and criteria (reference data: every signed-in bureau user may read them)."""

from django.db.models import QuerySet
from django.http import Http404

from smeplan.programmes.criteria import CriterionSpec
from smeplan.programmes.models import CriteriaVersion, Programme, Tier


def programmes() -> QuerySet[Programme]:
    return Programme.objects.prefetch_related("tiers")


def tier_get(tier_id: int) -> Tier:
    tier = Tier.objects.select_related("programme").filter(pk=tier_id).first()
    if tier is None:
        raise Http404("梯队不存在")
    return tier


def version_for(tier: Tier, year: int) -> CriteriaVersion:
    """The criteria in force for screening year ``year``: the newest version effective by then."""
    version = (
        CriteriaVersion.objects.filter(tier=tier, effective_year__lte=year)
        .order_by("-effective_year", "-number")
        .first()
    )
    if version is None:
        raise Http404(f"{tier}在 {year} 年没有生效的认定条件")
    return version


def specs_of(version: CriteriaVersion) -> list[CriterionSpec]:
    return [CriterionSpec.from_model(c) for c in version.criteria.order_by("position", "id")]


def versions_of(tier: Tier) -> QuerySet[CriteriaVersion]:
    return tier.versions.select_related("created_by").prefetch_related("criteria").order_by("-number")
