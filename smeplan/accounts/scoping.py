"""The ONE scoping function: what a user may see (数据权限).

Every selector, page, export, search and API endpoint narrows its queryset with
:func:`scope_filter`; nothing else filters by region for access control.

- province (省级管理员/工作人员, 省级只读用户): everything;
- a city-level unit's users: the counties under it (杨凌示范区: 杨陵区; 韩城市: itself);
- a county's users: that county;
- enterprise / agency users: their own organisation only;
- experts and users without a region or organisation: nothing (experts get assignments later).
"""

from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from smeplan.accounts.models import BUREAU_ROLES, ORGANISATION_ROLES, REGION_ROLES, Role
from smeplan.regions.models import Region, RegionLevel


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    county_codes: frozenset[str] | None = None  # visible counties (None: not region-scoped)
    region_codes: frozenset[str] | None = None  # visible regions of the tree (for region pages)
    organisation_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.county_codes and self.organisation_id is None


def scope_for(user) -> Scope:
    """Decide the visible area of ``user``. The single source of truth for data access."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    if user.role in REGION_ROLES and user.region_id:
        region_path = _region_path(user.region_id)
        if region_path.count("/") == 1:  # the province
            return Scope(everything=True)
        counties, regions = _codes_under(region_path)
        return Scope(county_codes=counties, region_codes=regions)
    if user.role in ORGANISATION_ROLES and user.organisation_id:
        return Scope(organisation_id=user.organisation_id)
    return Scope()


def scope_filter(user, qs: QuerySet, *, organisation: str = "") -> QuerySet:
    """Narrow ``qs`` to what ``user`` may see.

    ``organisation`` is the lookup path from the queryset's model to the Organisation
    ("" when ``qs`` is of Organisation itself, "organisation" for AnnualFigures, …).
    """
    scope = scope_for(user)
    if scope.everything:
        return qs
    if scope.nothing:
        return qs.none()
    return qs.filter(scope_q(user, organisation=organisation))


def scope_q(user, *, organisation: str = "") -> Q:
    """The condition :func:`scope_filter` applies, for a query that must state it in the same
    ``filter()`` call as other conditions on a multi-valued relation (the name search's join to its
    search table rows, whose county is the organisation's); ``Q()`` when the user sees everything,
    a condition nothing meets when nothing."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    org_prefix = f"{organisation}__" if organisation else ""
    if scope.county_codes:
        return Q(**{f"{org_prefix}county_id__in": sorted(scope.county_codes)})
    if scope.organisation_id is not None:
        return Q(**{f"{organisation}_id" if organisation else "pk": scope.organisation_id})
    return Q(pk__in=[])


def county_scope_q(user, *, county: str = "county") -> Q:
    """Records that sit in a county of their own (a registration's county, a campaign task's, the
    county a change request went to): the province everything, a bureau its counties, anyone else
    nothing. ``county``: the lookup path of that county field."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    if scope.county_codes:
        return Q(**{f"{county}_id__in": sorted(scope.county_codes)})
    return Q(pk__in=[])


def records_filter(user, qs: QuerySet, *, region: str, owner: str) -> QuerySet:
    """Records made in a region (an import batch, a screening run): the province sees all, a bureau
    those of its region and the regions under it, everyone their own (``owner``: the user field)."""
    if not user.is_authenticated:
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    if scope.region_codes:
        return qs.filter(Q(**{f"{region}_id__in": sorted(scope.region_codes)}) | Q(**{owner: user}))
    return qs.filter(**{owner: user})


def regions_filter(user, qs: QuerySet[Region]) -> QuerySet[Region]:
    """Regions whose pages ``user`` may open: its own region and everything under it."""
    scope = scope_for(user)
    if scope.everything:
        return qs
    if scope.region_codes:
        return qs.filter(code__in=sorted(scope.region_codes))
    return qs.none()


def can_write_region(user, county: Region) -> bool:
    """May ``user`` register or change organisations in ``county``? (bureau roles only)."""
    if user.role not in BUREAU_ROLES and not user.is_superuser:
        return False
    scope = scope_for(user)
    return scope.everything or (scope.county_codes is not None and county.code in scope.county_codes)


def can_write_organisation(user, organisation) -> bool:
    """Bureau users within scope, and the organisation's own enterprise/agency users."""
    if user.role in ORGANISATION_ROLES:
        return user.organisation_id == organisation.pk
    return can_write_region(user, organisation.county)


def require(condition: bool, message: str = "无权执行此操作") -> None:
    if not condition:
        raise PermissionDenied(message)


def is_provincial_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.PROVINCIAL_ADMIN)


@lru_cache(maxsize=256)
def _region_path(code: str) -> str:
    return Region.objects.values_list("path", flat=True).get(pk=code)


@lru_cache(maxsize=256)
def _codes_under(path: str) -> tuple[frozenset[str], frozenset[str]]:
    rows = list(Region.objects.filter(path__startswith=path).values_list("code", "is_county"))
    return frozenset(c for c, is_county in rows if is_county), frozenset(c for c, _ in rows)


def level_of(user) -> str | None:
    """The bureau level of a region-bound user (province / city / county)."""
    if user.role in REGION_ROLES and user.region_id:
        return Region.objects.values_list("level", flat=True).get(pk=user.region_id)
    return None


__all__ = [
    "RegionLevel",
    "Scope",
    "can_write_organisation",
    "can_write_region",
    "county_scope_q",
    "is_provincial_admin",
    "level_of",
    "regions_filter",
    "require",
    "scope_filter",
    "scope_for",
    "scope_q",
]
