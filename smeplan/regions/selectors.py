"""Reads of the region tree. Region names and codes are public reference data (not scoped)."""

from functools import lru_cache

from django.db.models import QuerySet

from smeplan.regions.models import Region, RegionLevel, city_level_unit_of_path


def counties() -> QuerySet[Region]:
    """The 107 county-level divisions where organisations are registered."""
    return Region.objects.filter(is_county=True).order_by("code")


def city_level_units() -> QuerySet[Region]:
    """The 12 city-level units (10 cities, 杨凌示范区, 韩城市)."""
    return Region.objects.filter(level=RegionLevel.CITY).order_by("code")


@lru_cache(maxsize=1)
def county_cities() -> dict[str, str]:
    """County code → its bureau city-level unit (杨陵区 → 杨凌示范区, 韩城市 → itself). Divisions are
    reference data loaded by migrations: read once per process."""
    return {code: city_level_unit_of_path(path) for code, path in counties().values_list("code", "path")}


def region_resolve(text: str | None) -> Region | None:
    """Resolve a code, a current name, or an old name/code (凤翔县, 610322 …) to a Region.

    Accepts names with or without the province/city prefix ("陕西省西安市雁塔区" → 雁塔区).
    """
    if not text:
        return None
    text = str(text).strip().replace(" ", "").replace("\u3000", "")
    if not text:
        return None
    index = _region_index()
    if text in index:
        return Region.objects.get(pk=index[text])
    # strip leading province / city names, longest match on the tail
    for prefix in ("陕西省", "陕西"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for name, code in sorted(index.items(), key=lambda kv: -len(kv[0])):
        if len(name) >= 2 and text.endswith(name) and not name.isdigit():
            return Region.objects.get(pk=code)
    return None


@lru_cache(maxsize=1)
def _region_index() -> dict[str, str]:
    from smeplan.regions.models import RegionAlias

    index: dict[str, str] = {}
    for code, name in Region.objects.values_list("code", "name"):
        index[code] = code
        index.setdefault(name, code)
    for alias, code in RegionAlias.objects.values_list("alias", "region_id"):
        index.setdefault(alias, code)
    return index


def clear_cache() -> None:
    _region_index.cache_clear()
