"""统计口径 — the one registry of the metrics targets are measured by.

A *computed* metric counts what smeplan holds. Today every computed metric is a count over
certifications (认定) — growth-tier enterprises by level and tier, enterprises in the
transformation library (入库 is a certification of the ``transformation`` programme), certified
transformation-demonstration enterprises — either those in force at the end of a year, or today
while the year runs (``ACTIVE``, the cumulative counts: ``recognition.selectors.in_force_on``, so
a certification past its validity is not counted even before the daily job has ended it) or
those certified during it (``NEW``, the yearly counts). Later plans (bases, agencies, trainings,
…) add their metrics here under new codes.

What is counted follows the target's unit (``basis_for_unit``): a target in 户/家 counts distinct
enterprises (按企业计: a firm holding a county and a provincial title is one enterprise of 各级梯队
企业), one in 项/个 counts titles (按称号计).

``counts(user)`` reads the certifications in the user's scope with ONE query (one row per
certification: organisation, programme, tier, county, dates — a province holds some 20,000 tier
enterprises) into numpy arrays; every value (a metric, a year, an area, a basis) is then a mask
and, for enterprises, a count of distinct organisation ids. Nothing is cached: a certification
made a moment ago is counted on the next page load.

Besides the fixed metrics, every programme serving a plan is a metric ``programme.<code>``
(``programme_metrics``: read from the programme rows, nothing hard-coded), so a programme created
in the page can be a target's 统计口径 at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlencode

import numpy as np
from django.urls import reverse

from smeplan.accounts.scoping import scope_filter
from smeplan.recognition import clock
from smeplan.recognition.selectors import year_reference_day
from smeplan.regions.selectors import county_cities

ACTIVE = "active"  # in force at the end of the year (today while the year runs)
NEW = "new"  # certified during the year

ENTERPRISES = "enterprises"  # 按企业计: distinct enterprises
TITLES = "titles"  # 按称号计: certifications
BASIS_LABELS = {ENTERPRISES: "按企业计", TITLES: "按称号计"}
# The units a computed target may use and what each counts (a plan's 户/家 are enterprises).
UNIT_BASIS = {"户": ENTERPRISES, "家": ENTERPRISES, "项": TITLES, "个": TITLES}


def basis_for_unit(unit: str) -> str | None:
    """What a computed target in ``unit`` counts (None: a unit no certification count can have)."""
    return UNIT_BASIS.get((unit or "").strip())


def units_text() -> str:
    """ "户、家（按企业计）或 项、个（按称号计）" — for messages."""
    parts = []
    for basis, label in BASIS_LABELS.items():
        units = "、".join(u for u, b in UNIT_BASIS.items() if b == basis)
        parts.append(f"{units}（{label}）")
    return "或 ".join(parts)


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

    def list_url(
        self, *, year: int | None = None, city: str = "", county: str = "", today: dt.date | None = None
    ) -> str:
        """The list behind the number: the certifications it counts (认定名单 with filters) — those in
        force at the end of ``year`` (today while it runs; now without a year), or those certified
        in ``year``."""
        params = {"programme": ",".join(self.programmes), "tier": ",".join(self.tiers)}
        today = today or clock.today()
        if self.mode == NEW:
            params["year"] = str(year) if year else ""
        else:
            params["on"] = year_reference_day(year or today.year, today).isoformat()
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


PROGRAMME_PREFIX = "programme."


def _programme_metric(code: str, name: str) -> Metric:
    return Metric(f"{PROGRAMME_PREFIX}{code}", f"{name}（认定企业数）", "家", (code,))


def programme_metrics() -> list[Metric]:
    """One metric per programme that serves a plan (``Programme.plan``): its enterprises with a
    certification in force at the year's end (today while the year runs) — computed from the rows,
    so a programme created in the page can be a target's 统计口径 at once. Closed programmes keep
    theirs (their certifications still count)."""
    from smeplan.programmes.models import Programme

    rows = Programme.objects.exclude(plan="").order_by("position", "code").values_list("code", "name")
    return [_programme_metric(code, name) for code, name in rows]


def all_metrics() -> dict[str, Metric]:
    """The fixed metrics, then one per programme serving a plan."""
    return {**METRICS, **{m.code: m for m in programme_metrics()}}


def metric_get(code: str) -> Metric | None:
    metric = METRICS.get(code)
    if metric is None and code and code.startswith(PROGRAMME_PREFIX):
        from smeplan.programmes.models import Programme

        row = (
            Programme.objects.exclude(plan="")
            .filter(code=code[len(PROGRAMME_PREFIX) :])
            .values_list("code", "name")
            .first()
        )
        metric = _programme_metric(*row) if row else None
    return metric


_NO_END = 9999  # the "year ended" of a certification with no end


@dataclasses.dataclass
class Counts:
    """The certifications in one user's scope as parallel arrays (one entry per certification):
    ``org`` its organisation, ``key`` an index into ``keys`` (programme, tier), ``county`` an index
    into ``counties``, ``certified`` the year certified, ``ended`` the first year at whose end it is
    no longer in force (ended, or past its validity; ``_NO_END`` when neither), ``gone`` whether it
    is no longer in force on ``today``."""

    today: dt.date
    keys: list[tuple[str, str]]
    counties: list[str]
    org: np.ndarray
    key: np.ndarray
    county: np.ndarray
    certified: np.ndarray
    ended: np.ndarray
    gone: np.ndarray
    _metric_masks: dict = dataclasses.field(default_factory=dict, repr=False)
    _area_masks: dict = dataclasses.field(default_factory=dict, repr=False)

    def _of_metric(self, metric: Metric) -> np.ndarray:
        mask = self._metric_masks.get(metric)
        if mask is None:
            wanted = np.array([metric.matches(p, t) for p, t in self.keys] or [False], dtype=bool)
            mask = wanted[self.key] if self.keys else np.zeros(0, dtype=bool)
            self._metric_masks[metric] = mask
        return mask

    def _of_area(self, city: str, county: str) -> np.ndarray | None:
        if not city and not county:
            return None
        mask = self._area_masks.get((city, county))
        if mask is None:
            cities = county_cities()
            inside = np.array(
                [(not county or c == county) and (not city or cities.get(c) == city) for c in self.counties]
                or [False],
                dtype=bool,
            )
            mask = inside[self.county] if self.counties else np.zeros(0, dtype=bool)
            self._area_masks[(city, county)] = mask
        return mask

    def _of_year(self, metric: Metric, year: int) -> np.ndarray:
        if metric.mode == NEW:
            return self.certified == year
        if year >= self.today.year:  # the running year (or a later one): in force today
            return (self.certified <= year) & ~self.gone
        return (self.certified <= year) & (self.ended > year)

    def selected(self, metric: Metric, year: int, *, city: str = "", county: str = "") -> np.ndarray:
        """The mask of the certifications ``metric`` counts at ``year`` in the area."""
        mask = self._of_metric(metric) & self._of_year(metric, year)
        area = self._of_area(city, county)
        return mask if area is None else mask & area

    def value(
        self, metric: Metric, year: int, *, city: str = "", county: str = "", basis: str = ENTERPRISES
    ) -> int:
        """``metric`` at ``year`` for the province (or a city-level unit, or a county): distinct
        enterprises (``ENTERPRISES``) or certifications (``TITLES``)."""
        mask = self.selected(metric, year, city=city, county=county)
        if basis == TITLES:
            return int(mask.sum())
        return int(np.unique(self.org[mask]).size)

    def by_county(self, metric: Metric, year: int, *, basis: str = ENTERPRISES) -> dict[str, int]:
        mask = self.selected(metric, year)
        counties = self.county[mask]
        if basis == ENTERPRISES:  # an organisation lies in one county: its first row stands for it
            _orgs, first = np.unique(self.org[mask], return_index=True)
            counties = counties[first]
        tally = np.bincount(counties, minlength=len(self.counties)) if counties.size else []
        return {self.counties[i]: int(n) for i, n in enumerate(tally) if n}

    def by_city(self, metric: Metric, year: int, *, basis: str = ENTERPRISES) -> dict[str, int]:
        cities = county_cities()
        out: dict[str, int] = {}
        for county_code, n in self.by_county(metric, year, basis=basis).items():
            city = cities.get(county_code, county_code)
            out[city] = out.get(city, 0) + n
        return out


def counts(user, *, programmes: Iterable[str] | None = None, today: dt.date | None = None) -> Counts:
    """One query over the certifications ``user`` may see (see the module docstring): plain integers
    per certification (years and flags computed by the database), straight into numpy arrays."""
    from django.db import connection
    from django.db.models import Case, IntegerField, Q, Value, When
    from django.db.models.functions import ExtractYear

    from smeplan.programmes.models import Tier
    from smeplan.recognition.models import Certification

    today = today or clock.today()
    wanted = sorted(
        set(programmes)
        if programmes is not None
        else {p for m in all_metrics().values() for p in m.programmes}
    )
    qs = scope_filter(
        user, Certification.objects.filter(programme__code__in=wanted), organisation="organisation"
    )
    flag = {"default": Value(0), "output_field": IntegerField()}
    qs = qs.annotate(
        cy=ExtractYear("certified_on"),
        ey=ExtractYear("ended_on"),
        vy=ExtractYear("valid_until"),
        # valid through 31 December: still in force at that year's end
        vlast=Case(When(valid_until__month=12, valid_until__day=31, then=Value(1)), **flag),
        gone=Case(When(Q(ended_on__lte=today) | Q(valid_until__lt=today), then=Value(1)), **flag),
    ).values_list("organisation_id", "tier_id", "organisation__county_id", "cy", "ey", "vy", "vlast", "gone")
    sql, params = qs.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    n = len(rows)
    if not n:
        empty = np.zeros(0, dtype=np.int32)
        return Counts(today, [], [], empty.astype(np.int64), empty, empty, empty, empty, empty.astype(bool))
    org, tier, county, cy, ey, vy, vlast, gone = zip(*rows, strict=True)
    tier_ids, key = np.unique(np.fromiter(tier, np.int64, n), return_inverse=True)
    names = {
        pk: (programme, code)
        for pk, programme, code in Tier.objects.filter(pk__in=tier_ids.tolist()).values_list(
            "pk", "programme__code", "code"
        )
    }
    county_codes, county_index = np.unique(np.array(county, dtype=str), return_inverse=True)
    # the first year at whose end it is no longer in force: ended, or past its validity
    ended = np.fromiter((_NO_END if e is None else e for e in ey), np.int32, n)
    lapsed = np.fromiter(
        (_NO_END if v is None else v + last for v, last in zip(vy, vlast, strict=True)), np.int32, n
    )
    return Counts(
        today=today,
        keys=[names[t] for t in tier_ids.tolist()],
        counties=county_codes.tolist(),
        org=np.fromiter(org, np.int64, n),
        key=key.astype(np.int32),
        county=county_index.astype(np.int32),
        certified=np.fromiter(cy, np.int32, n),
        ended=np.minimum(ended, lapsed),
        gone=np.fromiter(gone, np.int32, n).astype(bool),
    )
