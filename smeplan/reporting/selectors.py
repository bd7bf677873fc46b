"""附件3 中小企业成长梯队情况汇总表 — the annex-3 summary per city-level unit and county.

``annex3(user=…, year=…)`` counts the growth-tier enterprises (梯队企业: certifications of the
growth programmes 省级/市级/县级成长梯队) active at the end of ``year`` — certified on or before
31 December and not ended by then — by level (省级/市级/县级) and tier (行业之星/成长之星/创业之星),
those certified in the year (本年新增), the total operating revenue of those enterprises in the year
and its growth against the year before, Σ本年 / Σ上年 − 1 over the enterprises with both years'
revenue (how many is shown beside it).

Set-based: three GROUP BY queries over the certifications and figures (cells by county × level ×
tier; distinct enterprises by county; this year's and last year's revenue by tier enterprise, summed
per county as the rows stream in), whatever the number of regions. The
county rows are summed into their city-level unit's row and the province total in Python (each
enterprise belongs to one county, so distinct counts add up). Scoped by
:func:`smeplan.accounts.scoping.scope_filter` (certifications via their organisation) and
:func:`regions_filter` (the rows shown): the province sees every city and county, a city bureau its
own row and its counties, a county bureau its own row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Q

from smeplan.accounts.models import REGION_ROLES
from smeplan.accounts.scoping import regions_filter, require, scope_filter, scope_for
from smeplan.indicators.models import AnnualFigures
from smeplan.recognition import clock
from smeplan.recognition.models import Certification
from smeplan.recognition.selectors import in_force_on, year_reference_day
from smeplan.regions.models import PROVINCE_CODE, city_level_unit_of_path
from smeplan.regions.selectors import city_level_units, counties

GROWTH_PROGRAMMES = ("growth-province", "growth-city", "growth-county")
LEVELS = (("province", "省级"), ("city", "市级"), ("county", "县级"))
TIERS = (("industry_star", "行业之星"), ("growth_star", "成长之星"), ("startup_star", "创业之星"))
LEVEL_LABELS = dict(LEVELS)
TIER_LABELS = dict(TIERS)
CELLS = [(level, tier) for level, _ in LEVELS for tier, _ in TIERS]
CELL_SET = frozenset(CELLS)


@dataclass
class Annex3Row:
    """One row of the summary: a county, a city-level unit (its counties summed) or the province."""

    code: str
    name: str
    kind: str  # "city" | "county" | "province"
    counts: dict = field(default_factory=lambda: dict.fromkeys(CELLS, 0))  # (level, tier) → n
    new: dict = field(default_factory=lambda: dict.fromkeys(CELLS, 0))  # (level, tier) → certified in year
    enterprises: int = 0  # distinct tier enterprises
    new_enterprises: int = 0  # distinct enterprises with a certification of the year
    revenue: Decimal | None = None  # Σ operating revenue in the year (万元), of those reporting it
    revenue_reported: int = 0  # enterprises with the year's revenue
    comparable_current: Decimal = Decimal(0)  # Σ this year over enterprises with both years
    comparable_previous: Decimal = Decimal(0)  # Σ last year over the same enterprises
    comparable: int = 0  # how many enterprises have both years

    @property
    def growth(self) -> Decimal | None:
        """Σ本年 / Σ上年 − 1 over the comparable enterprises (None when there is no positive base)."""
        if not self.comparable or self.comparable_previous <= 0:
            return None
        return self.comparable_current / self.comparable_previous - 1

    def level_total(self, level: str) -> int:
        return sum(self.counts[(level, tier)] for tier, _ in TIERS)

    def level_new(self, level: str) -> int:
        return sum(self.new[(level, tier)] for tier, _ in TIERS)

    def add(self, other: Annex3Row) -> None:
        for key in CELLS:
            self.counts[key] += other.counts[key]
            self.new[key] += other.new[key]
        self.enterprises += other.enterprises
        self.new_enterprises += other.new_enterprises
        if other.revenue is not None:
            self.revenue = (self.revenue or Decimal(0)) + other.revenue
        self.revenue_reported += other.revenue_reported
        self.comparable_current += other.comparable_current
        self.comparable_previous += other.comparable_previous
        self.comparable += other.comparable

    def cell_list(self) -> list[int]:
        return [self.counts[key] for key in CELLS]


@dataclass
class Annex3:
    year: int
    rows: list[Annex3Row]  # city, then its counties; … ; the province total last (province users)
    total: Annex3Row  # the whole visible area

    def by_code(self) -> dict[str, Annex3Row]:
        return {row.code: row for row in self.rows if row.kind != "province"}


def may_read(user) -> bool:
    """The summary is for bureaus and read-only viewers (region-bound users)."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in REGION_ROLES))


def tier_certifications(user, year: int):
    """Growth-tier certifications in force at the end of ``year`` (today while it runs) within
    ``user``'s scope — the one rule of ``recognition.selectors.in_force_on``: one past its validity
    is not counted even before the daily job has ended it."""
    day = year_reference_day(year, clock.today())
    qs = Certification.objects.filter(programme__code__in=GROWTH_PROGRAMMES).filter(in_force_on(day))
    return scope_filter(user, qs, organisation="organisation")


def annex3(*, user, year: int) -> Annex3:
    """附件3 for ``year`` over ``user``'s area (see the module docstring)."""
    require(may_read(user), "无权查看汇总表")
    year = int(year)
    if not 2000 <= year <= 2100:
        from django.core.exceptions import ValidationError

        raise ValidationError({"year": [f"年度应在 2000—2100 之间，收到“{year}”"]})
    year_start = dt.date(year, 1, 1)
    certs = tier_certifications(user, year)
    in_year = Q(certified_on__gte=year_start)

    county_rows: dict[str, Annex3Row] = {}

    def row_of(code: str) -> Annex3Row:
        return county_rows.setdefault(code, Annex3Row(code=code, name="", kind="county"))

    # 1. cells: county × level × tier
    cells = certs.values_list("organisation__county_id", "level", "tier__code").annotate(
        n=Count("id"), new=Count("id", filter=in_year)
    )
    for county, level, tier, n, new in cells.order_by():
        if (level, tier) not in CELL_SET:
            continue
        row = row_of(county)
        row.counts[(level, tier)] += n
        row.new[(level, tier)] += new
    # 2. distinct enterprises per county
    distinct = certs.values_list("organisation__county_id").annotate(
        n=Count("organisation_id", distinct=True),
        new=Count("organisation_id", distinct=True, filter=in_year),
    )
    for county, n, new in distinct.order_by():
        row = row_of(county)
        row.enterprises, row.new_enterprises = n, new
    # 3. revenue: one GROUP BY per tier enterprise (this year's and last year's revenue side by side;
    # the figures are reached through their (organisation, year) index from the certifications),
    # summed per county here — a correlated "has the other year" test costs PostgreSQL a JIT
    # compilation of seconds at 10^6 enterprises.
    figures = (
        AnnualFigures.objects.filter(
            organisation_id__in=certs.values("organisation_id"),
            year__in=(year - 1, year),
            operating_revenue__isnull=False,
        )
        .values_list("organisation__county_id", "organisation_id")
        .annotate(
            cur=Max("operating_revenue", filter=Q(year=year)),
            prev=Max("operating_revenue", filter=Q(year=year - 1)),
        )
    )
    for county, _org, cur, prev in figures.order_by().iterator(chunk_size=5000):
        if cur is None:
            continue
        row = row_of(county)
        row.revenue = cur if row.revenue is None else row.revenue + cur
        row.revenue_reported += 1
        if prev is not None:
            row.comparable_current += cur
            row.comparable_previous += prev
            row.comparable += 1
    return _arrange(user, year, county_rows)


def _arrange(user, year: int, county_rows: dict[str, Annex3Row]) -> Annex3:
    """City-level units (their counties summed) followed by their counties, in code order."""
    visible_counties = list(regions_filter(user, counties()).values_list("code", "name", "path"))
    visible_cities = {
        code: name for code, name in regions_filter(user, city_level_units()).values_list("code", "name")
    }
    rows: list[Annex3Row] = []
    by_city: dict[str, list[Annex3Row]] = {}
    order: list[str] = []
    for code, name, path in visible_counties:
        city = city_level_unit_of_path(path) or code
        row = county_rows.get(code) or Annex3Row(code=code, name="", kind="county")
        row.name = name
        if city not in by_city:
            order.append(city)
        by_city.setdefault(city, []).append(row)
    total = Annex3Row(code=PROVINCE_CODE, name="合计", kind="province")
    for city in order:
        members = by_city[city]
        if city in visible_cities:
            city_row = Annex3Row(code=city, name=visible_cities[city], kind="city")
            for member in members:
                city_row.add(member)
            rows.append(city_row)
            rows.extend(m for m in members if m.code != city)  # 韩城市: the city is its own county
        else:
            rows.extend(members)
        for member in members:
            total.add(member)
    if scope_for(user).everything:
        total.name = "全省合计"
        rows.append(total)
    return Annex3(year=year, rows=rows, total=total)


# --- 市级年度计划与备案 --------------------------------------------------------------------------------


def _visible_region_codes(user):
    from smeplan.regions.models import Region

    return regions_filter(user, Region.objects.all()).values("code")


def plans_visible(user, year: int | None = None):
    """Plans of the city-level units ``user`` may see (province: all; a city bureau or viewer: its own)."""
    from smeplan.reporting.models import CityAnnualPlan

    if not may_read(user):
        return CityAnnualPlan.objects.none()
    qs = CityAnnualPlan.objects.filter(city__in=_visible_region_codes(user)).select_related("city")
    return qs.filter(year=year) if year else qs


def plan_get(user, pk: int):
    from django.http import Http404

    plan = plans_visible(user).filter(pk=pk).first()
    if plan is None:
        raise Http404("没有找到该计划，或您无权查看")
    return plan


def filings_visible(user, year: int | None = None):
    from smeplan.reporting.models import Annex3Filing

    if not may_read(user):
        return Annex3Filing.objects.none()
    qs = Annex3Filing.objects.filter(city__in=_visible_region_codes(user)).select_related(
        "city", "uploaded_by"
    )
    return qs.filter(year=year) if year else qs


def filing_get(user, pk: int):
    from django.http import Http404

    filing = filings_visible(user).filter(pk=pk).first()
    if filing is None:
        raise Http404("没有找到该备案，或您无权查看")
    return filing


@dataclass
class AssessmentRow:
    code: str  # the city-level unit
    name: str
    plan: object | None  # CityAnnualPlan (approved or not) or None
    planned: dict  # enterprises, new_enterprises, revenue, revenue_growth (the city's own row)
    actual: Annex3Row

    @property
    def approved(self) -> bool:
        return self.plan is not None and self.plan.state == "approved"

    def completion(self, key: str):
        """Actual / planned (a fraction) for the counts and revenue; None without a positive plan."""
        planned = self.planned.get(key)
        actual = {"enterprises": self.actual.enterprises, "new_enterprises": self.actual.new_enterprises}.get(
            key, self.actual.revenue
        )
        if planned in (None, 0) or actual is None:
            return None
        return Decimal(actual) / Decimal(planned)


def assessment(*, user, year: int) -> list[AssessmentRow]:
    """年末考核: per visible city-level unit, its plan (the city's own row) beside the annex-3 actual."""
    from smeplan.reporting.models import CityPlanRow

    result = annex3(user=user, year=year)
    actual = {r.code: r for r in result.rows if r.kind == "city"}
    plans = {p.city_id: p for p in plans_visible(user, year)}
    rows = {
        r.plan.city_id: r
        for r in CityPlanRow.objects.filter(
            plan__in=list(plans.values()), region_id=F("plan__city_id")
        ).select_related("plan")
    }
    out = []
    for code, row in actual.items():
        plan_row = rows.get(code)
        planned = (
            {
                "enterprises": plan_row.enterprises,
                "new_enterprises": plan_row.new_enterprises,
                "revenue": plan_row.revenue,
                "revenue_growth": plan_row.revenue_growth,
            }
            if plan_row
            else {}
        )
        out.append(AssessmentRow(code=code, name=row.name, plan=plans.get(code), planned=planned, actual=row))
    return out
