"""Helpers shared by the views."""

from django.core.exceptions import PermissionDenied

from smeplan.accounts.scoping import regions_filter
from smeplan.regions.models import Region
from smeplan.regions.selectors import city_level_units, counties


def require_page(allowed: bool) -> None:
    """Refuse (403) a page the user's role may not open."""
    if not allowed:
        raise PermissionDenied("您的角色无权打开此页面")


def visible_cities(user) -> list[Region]:
    return list(regions_filter(user, city_level_units()))


def visible_counties(user, city: Region | None = None) -> list[Region]:
    qs = regions_filter(user, counties())
    if city is not None:
        qs = qs.filter(path__startswith=city.path)
    return list(qs.select_related("parent"))


def county_choices(user) -> list:
    """Counties within the user's scope grouped by city-level unit, for a <select> with <optgroup>s."""
    groups: dict[str, list] = {}
    labels: dict[str, str] = {}
    for county in visible_counties(user):
        city_code = county.city_level_unit_code() or county.code
        groups.setdefault(city_code, []).append((county.code, county.name))
        if county.parent is not None:
            labels.setdefault(
                city_code, county.parent.name if county.parent.code == city_code else county.name
            )
    return [(labels.get(code, code), options) for code, options in groups.items()]
