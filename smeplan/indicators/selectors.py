"""Reads of yearly figures and their revisions. Every one goes through
:func:`smeplan.accounts.scoping.scope_filter` (by the figures' organisation)."""

from django.db import connections
from django.db.models import FilteredRelation, Q, QuerySet

from smeplan.accounts.scoping import scope_filter
from smeplan.indicators.history import first_imports, newest_first
from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures, FigureRevision
from smeplan.registry.search import ordering
from smeplan.registry.selectors import SORTS


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


def revisions_of(user, organisation, limit: int = 200, year: int | None = None) -> list[FigureRevision]:
    """The latest ``limit`` entries of one organisation's figure history (of one ``year``), newest
    first: its revisions and the first values of the rows imports created, which have no revision
    of their own (unsaved FigureRevision instances, see ``indicators.history``)."""
    qs = scope_filter(user, FigureRevision.objects.all(), organisation="organisation")
    qs = qs.filter(organisation_id=organisation.pk)
    figures = figures_visible_to(user).filter(organisation_id=organisation.pk)
    if year is not None:
        qs, figures = qs.filter(year=year), figures.filter(year=year)
    stored = list(qs.select_related("actor").order_by("-created_at", "-id")[:limit])
    return newest_first([*stored, *first_imports(figures)])[:limit]


#: The organisation columns of :func:`figures_by_organisation_year` rows, before the year and figures.
FIGURE_KEY_FIELDS = (
    "id",
    "credit_code",
    "name",
    "county__name",
    "county__parent__name",
    "county__parent__parent",
    "industry_id",
    "industry__name",
)


def _figure_fields() -> tuple[str, ...]:
    return ("fy__year", *(f"fy__{name}" for name in FIGURE_NAMES))


def figures_by_organisation_year(
    org_qs, first: int | None, last: int | None, sort: str, *, with_figures_only: bool
):
    """The organisations of ``org_qs`` LEFT JOINed to their figures of [first, last], one row per
    organisation-year (one row with a NULL year for an organisation without figures, unless
    ``with_figures_only``), in the list's order, then by year."""
    condition = Q()
    if first is not None:
        condition &= Q(annual_figures__year__gte=first)
    if last is not None:
        condition &= Q(annual_figures__year__lte=last)
    qs = org_qs.annotate(fy=FilteredRelation("annual_figures", condition=condition))
    if with_figures_only:  # before values_list(), or Django joins the figures a second time
        qs = qs.filter(fy__year__isnull=False)
    order = ordering(sort if sort in SORTS else "name", connections[qs.db].vendor, SORTS)
    if not any(isinstance(o, str) and o.lstrip("-") == "id" for o in order) and sort not in ("name", "-name"):
        order.append("id")  # the rows of one organisation must be adjacent
    return qs.order_by(*order, "fy__year").values_list(*FIGURE_KEY_FIELDS, *_figure_fields())
