"""Reads of yearly figures and their revisions. Every one goes through
:func:`smeplan.accounts.scoping.scope_filter` (by the figures' organisation)."""

from django.db.models import QuerySet

from smeplan.accounts.scoping import scope_filter
from smeplan.indicators.models import AnnualFigures, FigureRevision


def figures_visible_to(user) -> QuerySet[AnnualFigures]:
    return scope_filter(user, AnnualFigures.objects.all(), organisation="organisation")


def figures_of(user, organisation) -> list[AnnualFigures]:
    """All years of one organisation's figures the user may see, oldest first."""
    return list(figures_visible_to(user).filter(organisation_id=organisation.pk).order_by("year"))


def figures_get(user, organisation, year) -> AnnualFigures | None:
    """One year of figures (None when absent or not visible)."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        return None
    return figures_visible_to(user).filter(organisation_id=organisation.pk, year=year).first()


def revisions_of(user, organisation, limit: int = 200) -> list[FigureRevision]:
    """The latest ``limit`` figure revisions of one organisation, newest first."""
    qs = scope_filter(user, FigureRevision.objects.all(), organisation="organisation")
    return list(
        qs.filter(organisation_id=organisation.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
