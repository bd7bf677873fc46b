"""Reads of the targets app, always through the scoping function.

``dashboard`` is the one place a target's value, its judgement and its trend are put together:
for the province, a city-level unit or a county (the area a user may see: a city bureau is held to
its own city, a county bureau to its county), for every target of a period. Computed targets count
from ``metrics.counts`` (one grouped query for all of them); reported ones read ``ReportedValue``;
a city's own target is its share of a broken-down target (``TargetShare``) or, for the tier
enterprises, its approved annual plan (六（一）市级年度计划) for the year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.http import Http404

from smeplan.accounts.models import REGION_ROLES
from smeplan.accounts.scoping import regions_filter, scope_for
from smeplan.recognition import clock
from smeplan.regions.models import PROVINCE_CODE, Region
from smeplan.regions.selectors import city_level_units
from smeplan.targets import metrics, progress
from smeplan.targets.models import PlanPeriod, ReportedAttachment, ReportedValue, Target, TargetShare

CITY_PLAN_METRIC = "growth.all_levels"  # the metric a city's annual plan (梯队企业总数) sets a target for


def may_read(user) -> bool:
    """目标进度: bureau users and read-only viewers."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role in REGION_ROLES))


def periods():
    return PlanPeriod.objects.order_by("start_year")


def period_current(today: dt.date) -> PlanPeriod | None:
    """The period the dashboard opens on: the one containing ``today``, else the latest."""
    qs = periods()
    return (
        qs.filter(start_year__lte=today.year, end_year__gte=today.year).first()
        or qs.order_by("-start_year").first()
    )


@dataclasses.dataclass(frozen=True)
class Area:
    """Whose numbers: the province, one city-level unit or one county."""

    kind: str  # "province" | "city" | "county"
    code: str
    name: str

    def counts_kwargs(self) -> dict:
        return (
            {"city": self.code}
            if self.kind == "city"
            else {"county": self.code}
            if self.kind == "county"
            else {}
        )


def area_for(user, city: str | None = None) -> Area:
    """The area ``user`` looks at: a province user may pick a city-level unit; a city bureau sees its
    city, a county bureau its county, whatever is asked. An unknown or foreign city is a 404."""
    scope = scope_for(user)
    if scope.everything:
        if city:
            region = city_level_units().filter(code=city).first()
            if region is None:
                raise Http404("市级单位不存在")
            return Area("city", region.code, region.name)
        return Area("province", PROVINCE_CODE, "全省")
    region = Region.objects.filter(code=user.region_id).first() if user.region_id else None
    if region is None or scope.nothing:
        raise Http404("无可查看的地区")
    if city and city != region.code:
        raise Http404("该市级单位不在您的管辖范围内")
    kind = "county" if region.level == "county" else "city"
    return Area(kind, region.code, region.name)


def cities_for(user):
    """The city-level units ``user`` may pick (the province: all twelve; others: their own)."""
    return list(regions_filter(user, city_level_units()).values_list("code", "name"))


@dataclasses.dataclass
class TargetRow:
    target: Target
    year: int  # the year whose value is shown
    goal: Decimal | None  # the area's target (None: not broken down to this area)
    goal_note: str  # where the goal comes from
    value: Decimal | None
    judgement: progress.Judgement | None
    trend: list[tuple[int, Decimal | None]]
    list_url: str  # the list behind the number ("" for reported values: the detail page shows them)
    value_note: str = ""  # reported: the source note of the value shown
    value_confirmed: bool | None = None  # a county's reported value: confirmed by its city?
    county_sum: Decimal | None = None  # a city's reported target: the sum of confirmed county values
    county_note: str = ""  # how many counties that sum covers, how many wait for confirmation

    @property
    def plan_label(self) -> str:
        return self.target.get_plan_display()

    @property
    def basis_label(self) -> str:
        """按企业计 / 按称号计 for a computed target ("" for a reported one)."""
        return target_basis_label(self.target)

    @property
    def has_trend(self) -> bool:
        return any(v is not None for _y, v in self.trend)


def target_basis_label(target: Target) -> str:
    """What a computed target counts, as shown beside it: 按企业计 (户/家) or 按称号计 (项/个)."""
    if target.source != "computed":
        return ""
    return metrics.BASIS_LABELS.get(metrics.basis_for_unit(target.unit) or metrics.ENTERPRISES, "")


def _reported(targets, area: Area) -> dict[int, dict[int, ReportedValue]]:
    out: dict[int, dict[int, ReportedValue]] = {}
    for rv in ReportedValue.objects.filter(target__in=[t.pk for t in targets], region_id=area.code):
        out.setdefault(rv.target_id, {})[rv.year] = rv
    return out


def _county_sums(targets, area: Area, year: int) -> dict[int, tuple[Decimal | None, str]]:
    """A city's reported targets: the sum of its counties' CONFIRMED values for ``year`` (a count per
    year: that year's; otherwise each county's latest up to it) and a note saying how many counties
    it covers and how many values still wait for confirmation. Shares (%) are not summed."""
    from smeplan.regions.selectors import county_cities

    if area.kind != "city":
        return {}
    wanted = [t for t in targets if t.source == "reported" and t.kind != "share"]
    counties = [c for c, city in county_cities().items() if city == area.code and c != area.code]
    if not wanted or not counties:
        return {}
    latest: dict[tuple[int, str], ReportedValue] = {}
    pending: dict[int, set[str]] = {}
    kinds = {t.pk: t.kind for t in wanted}
    rows = ReportedValue.objects.filter(
        target__in=list(kinds), region_id__in=counties, year__lte=year
    ).order_by("year")
    for rv in rows:
        if kinds[rv.target_id] == "per_year" and rv.year != year:
            continue
        if rv.confirmed_at is None:
            pending.setdefault(rv.target_id, set()).add(rv.region_id)
            continue
        latest[(rv.target_id, rv.region_id)] = rv  # ordered by year: the latest wins
    out: dict[int, tuple[Decimal | None, str]] = {}
    for target_id in kinds:
        values = [rv.value for (t, _c), rv in latest.items() if t == target_id]
        waiting = len(pending.get(target_id, set()))
        if not values and not waiting:
            continue
        note = (f"{len(values)} 个区县已确认" if values else "尚无已确认的区县数值") + (
            f"，{waiting} 个区县的填报待确认" if waiting else ""
        )
        out[target_id] = (sum(values, Decimal(0)) if values else None, note)
    return out


def _city_plans(area: Area, years: list[int]) -> dict[int, int]:
    """Approved annual plans of the city: year → planned tier enterprises (the city's own row)."""
    if area.kind != "city":
        return {}
    from smeplan.reporting.models import CityPlanRow, PlanState

    rows = CityPlanRow.objects.filter(
        plan__city_id=area.code, region_id=area.code, plan__state=PlanState.APPROVED, plan__year__in=years
    ).values_list("plan__year", "enterprises")
    return {year: n for year, n in rows if n is not None}


def dashboard(
    *, user, period: PlanPeriod, area: Area, today: dt.date, plan: str = "", target_ids=None, counts=None
) -> list[TargetRow]:
    """Every target of ``period`` (optionally of one action plan) for ``area`` as of ``today``.
    ``counts``: the user's ``metrics.counts`` when the caller already has them (one query for many
    areas)."""
    targets = list(period.targets.all())
    if plan:
        targets = [t for t in targets if t.plan == plan]
    if target_ids is not None:
        targets = [t for t in targets if t.pk in target_ids]
    year = min(max(today.year, period.start_year), period.end_year)
    years = list(range(period.start_year, year + 1))
    if counts is None and any(t.source == "computed" for t in targets):
        counts = metrics.counts(user, today=today)
    reported = _reported(targets, area)
    shares = {}
    if area.kind == "city":
        shares = dict(
            TargetShare.objects.filter(target__in=[t.pk for t in targets], region_id=area.code).values_list(
                "target_id", "value"
            )
        )
    city_plans = _city_plans(area, years) if any(t.metric == CITY_PLAN_METRIC for t in targets) else {}
    county_sums = _county_sums(targets, area, year)
    period_start = dt.date(period.start_year, 1, 1)
    rows = []
    for t in targets:
        metric = metrics.metric_get(t.metric) if t.source == "computed" else None
        value_note, value_confirmed = "", None
        if metric is not None and counts is not None:
            basis = metrics.basis_for_unit(t.unit) or metrics.ENTERPRISES
            trend = [
                (y, Decimal(counts.value(metric, y, basis=basis, **area.counts_kwargs()))) for y in years
            ]
            value = trend[-1][1]
            list_url = metric.list_url(year=year, today=today, **area.counts_kwargs())
        else:
            by_year = reported.get(t.pk, {})
            trend = [(y, by_year[y].value if y in by_year else None) for y in years]
            if t.kind == "per_year":
                shown = by_year.get(year)
            else:  # the latest value reported up to the year shown
                shown = next((by_year[y] for y in reversed(years) if y in by_year), None)
            value = shown.value if shown else None
            value_note = f"{shown.year}年：{shown.source_note}" if shown else ""
            if shown is not None and area.kind == "county":
                value_confirmed = shown.confirmed_at is not None
            list_url = ""
        goal, goal_note, start, deadline, baseline = None, "", period_start, t.deadline, t.baseline
        if area.kind == "province":
            goal, goal_note = t.value, "全省目标"
        elif t.pk in shares:
            goal, goal_note = shares[t.pk], "分解到本市的目标"
        elif t.metric == CITY_PLAN_METRIC and year in city_plans:
            goal, goal_note = Decimal(city_plans[year]), f"本市{year}年度计划（已核准）"
            start, deadline = dt.date(year, 1, 1), dt.date(year, 12, 31)
            previous = dict(trend).get(year - 1)
            baseline = previous if previous is not None else None
        judgement = None
        if goal is not None and goal > 0:
            judgement = progress.judge(
                kind=t.kind,
                target=goal,
                value=value,
                period_start=start,
                deadline=deadline,
                today=today,
                baseline=baseline,
            )
        rows.append(
            TargetRow(
                target=t,
                year=year,
                goal=goal,
                goal_note=goal_note,
                value=value,
                judgement=judgement,
                trend=trend,
                list_url=list_url,
                value_note=value_note,
                value_confirmed=value_confirmed,
                county_sum=county_sums.get(t.pk, (None, ""))[0],
                county_note=county_sums.get(t.pk, (None, ""))[1],
            )
        )
    return rows


def target_get(pk) -> Target:
    try:
        return Target.objects.select_related("period").get(pk=int(pk))
    except (Target.DoesNotExist, TypeError, ValueError):
        raise Http404("目标不存在") from None


def city_breakdown(*, user, target: Target, today: dt.date) -> list[tuple[str, str, TargetRow]]:
    """The target per visible city-level unit (code, name, row) — the province sees twelve rows."""
    out = []
    counts = metrics.counts(user, today=today) if target.source == "computed" else None
    for code, name in cities_for(user):
        area = Area("city", code, name)
        (row,) = dashboard(
            user=user, period=target.period, area=area, today=today, target_ids={target.pk}, counts=counts
        )
        out.append((code, name, row))
    return out


def reported_values(*, user, target: Target):
    """The values entered for ``target`` in the regions ``user`` may see, with their revisions."""
    visible = regions_filter(user, Region.objects.all()).values("code")
    return (
        ReportedValue.objects.filter(target=target, region__in=visible)
        .select_related("region", "entered_by", "confirmed_by", "attachment")
        .prefetch_related(
            "revisions", "revisions__changed_by", "revisions__old_attachment", "revisions__new_attachment"
        )
        .order_by("region_id", "-year")
    )


def attachment_get(user, pk) -> ReportedAttachment:
    """A reported value's attachment (current or of a revision) in a region ``user`` may see; else 404."""
    from django.db.models import Q

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("附件不存在") from None
    visible = regions_filter(user, Region.objects.all()).values("code")
    held = ReportedValue.objects.filter(region__in=visible).filter(
        Q(attachment_id=pk) | Q(revisions__old_attachment_id=pk) | Q(revisions__new_attachment_id=pk)
    )
    attachment = ReportedAttachment.objects.filter(pk=pk).first()
    if attachment is None or not may_read(user) or not held.exists():
        raise Http404("附件不存在或不在您的管辖范围内")
    return attachment


def reported_value_get(user, pk) -> ReportedValue:
    """One reported value in a region ``user`` may see; else 404."""
    visible = regions_filter(user, Region.objects.all()).values("code")
    try:
        return ReportedValue.objects.select_related("region", "target").get(pk=int(pk), region__in=visible)
    except (ReportedValue.DoesNotExist, TypeError, ValueError):
        raise Http404("填报值不存在或不在您的管辖范围内") from None


def county_values(*, user, metric: metrics.Metric, year: int) -> list[dict]:
    """The county map's numbers: every county ``user`` may see with ``metric`` at ``year`` (0 where
    none) and the list behind it."""
    from smeplan.regions.selectors import counties

    today = clock.today()
    by_county = metrics.counts(user, programmes=metric.programmes, today=today).by_county(metric, year)
    return [
        {
            "name": name,
            "value": by_county.get(code, 0),
            "code": code,
            "url": metric.list_url(year=year, county=code, today=today),
        }
        for code, name in regions_filter(user, counties()).values_list("code", "name")
    ]
