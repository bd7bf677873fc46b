"""统计口径 — the one registry of the metrics targets are measured by.

A *computed* metric counts what smeplan holds. Today every computed metric is a count of
certifications (认定) — growth-tier enterprises by level and tier, enterprises in the
transformation library (入库 is a certification of the ``transformation`` programme), certified
transformation-demonstration enterprises — either those in force at the end of a year
(``ACTIVE``, the cumulative counts) or those certified during it (``NEW``, the yearly counts).
Later plans (bases, agencies, trainings, …) add their metrics here under new codes.

``counts(user, years)`` reads all of them with ONE grouped query over the certifications in the
user's scope (programme × tier × level × county × year certified × year ended), so the dashboard
costs one small query whatever the number of targets; values per county, city-level unit or the
province are sums of the county cells. Nothing is cached: a certification made a moment ago is
counted on the next page load.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import reverse

from smeplan.accounts.scoping import scope_filter
from smeplan.regions.selectors import county_cities

ACTIVE = "active"  # in force at the end of the year
NEW = "new"  # certified during the year

GROWTH = ("growth-province", "growth-city", "growth-county")


@dataclasses.dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    programmes: tuple[str, ...]
    tiers: tuple[str, ...] = ()  # empty: every tier of the programmes
    mode: str = ACTIVE

    def matches(self, programme: str, tier: str) -> bool:
        return programme in self.programmes and (not self.tiers or tier in self.tiers)

    def list_url(self, *, year: int | None = None, city: str = "", county: str = "") -> str:
        """The list behind the number: the certifications it counts (认定名单 with filters) — those in
        force at the end of ``year`` (or now), or those certified in ``year``."""
        params = {"programme": ",".join(self.programmes), "tier": ",".join(self.tiers)}
        if self.mode == NEW:
            params["year"] = str(year) if year else ""
        elif year:
            params["on"] = f"{year}-12-31"
        else:
            params["state"] = "active"
        if city:
            params["city"] = city
        if county:
            params["county"] = county
        return reverse("certification_list") + "?" + urlencode({k: v for k, v in params.items() if v})


def _tier_metrics() -> list[Metric]:
    tiers = (("industry_star", "行业之星"), ("growth_star", "成长之星"), ("startup_star", "创业之星"))
    return [
        Metric(f"growth.province.{code}", f"省级{name}企业", "家", ("growth-province",), (code,))
        for code, name in tiers
    ]


METRICS: dict[str, Metric] = {
    m.code: m
    for m in [
        Metric("growth.province", "省级梯队企业", "家", ("growth-province",)),
        *_tier_metrics(),
        Metric("growth.all_levels", "各级梯队企业", "家", GROWTH),
        Metric("growth.city", "市级梯队企业", "家", ("growth-city",)),
        Metric("growth.county", "县级梯队企业", "家", ("growth-county",)),
        Metric(
            "transformation.library",
            "转型升级企业库入库企业",
            "家",
            ("transformation",),
            ("upgrade_library", "demo_recommend"),
        ),
        Metric(
            "transformation.recommend_pool",
            "示范推荐库入库企业",
            "家",
            ("transformation",),
            ("demo_recommend",),
        ),
        Metric("transformation.demonstration", "转型升级示范企业", "家", ("transformation-demo",)),
        Metric(
            "transformation.demonstration.per_year",
            "当年认定的转型升级示范企业",
            "家",
            ("transformation-demo",),
            mode=NEW,
        ),
    ]
}

# The count metrics a county map can show (each county's number).
MAP_METRICS = [
    "growth.all_levels",
    "growth.province",
    "growth.city",
    "growth.county",
    "transformation.library",
    "transformation.demonstration",
]


def metric_get(code: str) -> Metric | None:
    return METRICS.get(code)


@dataclasses.dataclass
class Counts:
    """Certification counts in one user's scope: ``cells[(programme, tier, county)]`` is a list of
    (year certified, year ended or None, n)."""

    cells: dict[tuple[str, str, str], list[tuple[int, int | None, int]]]

    def value(self, metric: Metric, year: int, *, city: str = "", county: str = "") -> int:
        cities = county_cities()
        total = 0
        for (programme, tier, county_code), rows in self.cells.items():
            if not metric.matches(programme, tier):
                continue
            if county and county_code != county:
                continue
            if city and cities.get(county_code) != city:
                continue
            total += _count(rows, year, metric.mode)
        return total

    def by_county(self, metric: Metric, year: int) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for (programme, tier, county_code), rows in self.cells.items():
            if metric.matches(programme, tier):
                out[county_code] += _count(rows, year, metric.mode)
        return dict(out)

    def by_city(self, metric: Metric, year: int) -> dict[str, int]:
        cities = county_cities()
        out: dict[str, int] = defaultdict(int)
        for county_code, n in self.by_county(metric, year).items():
            out[cities.get(county_code, county_code)] += n
        return dict(out)


def _count(rows: Iterable[tuple[int, int | None, int]], year: int, mode: str) -> int:
    if mode == NEW:
        return sum(n for certified, _ended, n in rows if certified == year)
    # ACTIVE: certified by the end of the year and not ended by then (ended_on > 31 Dec).
    return sum(n for certified, ended, n in rows if certified <= year and (ended is None or ended > year))


def counts(user, *, programmes: Iterable[str] | None = None) -> Counts:
    """One grouped query over the certifications ``user`` may see (see the module docstring)."""
    from smeplan.recognition.models import Certification

    wanted = sorted(
        set(programmes) if programmes is not None else {p for m in METRICS.values() for p in m.programmes}
    )
    qs = scope_filter(
        user, Certification.objects.filter(programme__code__in=wanted), organisation="organisation"
    )
    rows = (
        qs.annotate(cy=ExtractYear("certified_on"), ey=ExtractYear("ended_on"))
        .values_list("programme__code", "tier__code", "organisation__county_id", "cy", "ey")
        .annotate(n=Count("id"))
        .order_by()
    )
    cells: dict[tuple[str, str, str], list] = defaultdict(list)
    for programme, tier, county, cy, ey, n in rows:
        cells[(programme, tier, county)].append((cy, ey, n))
    return Counts(cells=dict(cells))
