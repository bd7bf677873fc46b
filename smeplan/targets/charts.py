"""统计图表 — four charts over the user's area, each a scoped selector returning plain data and a
function building its Apache ECharts option (pure JSON: no JS functions) and its data table.

a. 梯队企业分布 (:func:`tier_distribution`): growth-tier enterprises active at the end of a year
   (``reporting.selectors.tier_certifications``) by city-level unit (the county's bureau city, from
   ``Region.path``: 杨凌示范区 and 韩城市 are their own units) × tier, optionally one level only.
b. 综合测评得分分布 (:func:`score_distribution`): the latest evaluation run of each growth tier in
   the year (preferring a run covering the user's whole area), its results within scope in 10-point
   bins 0–100 (``evaluation.selectors.runs_visible`` / ``results_of``).
c. 主要指标分行业增速 (:func:`growth_by_section`): Σ value(t) / Σ value(t−1) − 1 per GB/T 4754
   section over the enterprises in scope having the figure in both years with value(t−1) > 0 (the
   definition of ``indicators.derived.growth`` applied to sums, as ``programmes.averages`` and
   annex 3 do). ONE GROUP BY query: the year-t figures joined to the same organisation's year t−1
   row, conditional sums per (year, section) — no row ever reaches Python.
d. 市级计划完成情况 (:func:`plan_completion`): ``reporting.selectors.assessment`` — each visible
   city-level unit's planned tier enterprises beside the actual.

Every selector refuses users who may not read the reports (``reporting.selectors.may_read``) and
reads through ``accounts.scoping`` (directly or through the selectors it reuses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from smeplan.accounts.scoping import regions_filter, require, scope_for
from smeplan.evaluation.selectors import is_reader, results_of, runs_visible
from smeplan.indicators.derived import growth
from smeplan.indicators.models import FIGURE_LABELS
from smeplan.industries.models import Industry
from smeplan.regions.models import Region, city_level_unit_of_path
from smeplan.regions.selectors import counties
from smeplan.reporting.selectors import (
    GROWTH_PROGRAMMES,
    LEVEL_LABELS,
    LEVELS,
    TIER_LABELS,
    TIERS,
    assessment,
    may_read,
    tier_certifications,
)

REFUSED = "无权查看统计图表"
LEVEL_CHOICES = (("", "全部"), *LEVELS)
GROWTH_FIGURES = ("operating_revenue", "total_profit", "tax_paid")
GROWTH_LABELS = {f: FIGURE_LABELS[f] for f in GROWTH_FIGURES}
YEARS_SHOWN = 3
BIN_WIDTH = 10
BINS = [(lo, lo + BIN_WIDTH) for lo in range(0, 100, BIN_WIDTH)]
BIN_LABELS = [f"{lo}–{hi}" for lo, hi in BINS]
NO_SECTION = ("", "未填行业")
PALETTE = ["#2f6db5", "#e07b39", "#3a9e6f", "#8e5bb5", "#c9a227", "#d1495b", "#4fa3c7", "#7f7f7f", "#a0522d"]


def _level(level: str | None) -> str:
    level = level or ""
    if level not in dict(LEVEL_CHOICES):
        raise ValueError(f"unknown level {level!r}")
    return level


def _percent(value: Decimal | None) -> float | None:
    """A fraction as a percentage for the chart (2 places); None stays None (a gap)."""
    return None if value is None else round(float(value) * 100, 2)


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def wan_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _base_option(categories: list[str], y_name: str, *, rotate: int = 0) -> dict:
    return {
        "aria": {"enabled": True},
        "color": PALETTE,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 12, "right": 24, "top": 48, "bottom": 12, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": categories,
            "axisLabel": {"interval": 0, "rotate": rotate},
        },
        "yAxis": {"type": "value", "name": y_name},
        "series": [],
    }


@dataclass
class Table:
    """A chart's data table: the same numbers, as text (accessible, printable, exportable)."""

    caption: str
    head: list[str]
    rows: list[list[str]]
    foot: list[list[str]] = field(default_factory=list)


# --- a. 梯队企业分布 -------------------------------------------------------------------------------


@dataclass
class TierRow:
    code: str  # the city-level unit
    name: str
    counts: dict[str, int]  # tier code → enterprises

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def tier_distribution(*, user, year: int, level: str = "") -> list[TierRow]:
    """Tier enterprises active at the end of ``year`` per visible city-level unit × tier (distinct
    enterprises: with every level, an enterprise holding a tier at two levels counts once in it).
    One GROUP BY county × tier; the counties are summed into their unit here (107 at most)."""
    require(may_read(user), REFUSED)
    level = _level(level)
    certs = tier_certifications(user, int(year)).filter(tier__code__in=TIER_LABELS)
    if level:
        certs = certs.filter(level=level)
    cells = (
        certs.values_list("organisation__county_id", "tier__code")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    )
    county_city = {
        code: city_level_unit_of_path(path) or code
        for code, path in regions_filter(user, counties()).values_list("code", "path")
    }
    names = dict(Region.objects.filter(code__in=set(county_city.values())).values_list("code", "name"))
    rows = {
        code: TierRow(code, names.get(code, code), dict.fromkeys(TIER_LABELS, 0))
        for code in sorted(set(county_city.values()))
    }
    for county, tier, n in cells:
        city = county_city.get(county)
        if city is not None:
            rows[city].counts[tier] += n
    return list(rows.values())


def tier_option(rows: list[TierRow]) -> dict:
    option = _base_option([r.name for r in rows], "企业数（家）", rotate=30 if len(rows) > 6 else 0)
    option["yAxis"]["minInterval"] = 1
    option["series"] = [
        {
            "name": label,
            "type": "bar",
            "stack": "tiers",
            "emphasis": {"focus": "series"},
            "data": [r.counts[tier] for r in rows],
        }
        for tier, label in TIERS
    ]
    return option


def tier_table(rows: list[TierRow], *, year: int, level: str = "") -> Table:
    level_label = LEVEL_LABELS.get(level, "全部层级")
    totals = {tier: sum(r.counts[tier] for r in rows) for tier, _ in TIERS}
    return Table(
        caption=f"{year}年末梯队企业分布（{level_label}，单位：家）",
        head=["市级单位", *[label for _, label in TIERS], "合计"],
        rows=[[r.name, *[str(r.counts[t]) for t, _ in TIERS], str(r.total)] for r in rows],
        foot=[["合计", *[str(totals[t]) for t, _ in TIERS], str(sum(totals.values()))]] if rows else [],
    )


# --- b. 综合测评得分分布 ----------------------------------------------------------------------------


@dataclass
class ScoreSeries:
    label: str  # 省级成长之星
    run_id: int
    run_at: object  # datetime
    region: str  # the run's area (全省 / a region's name)
    counts: list[int]  # per bin of BINS

    @property
    def evaluated(self) -> int:
        return sum(self.counts)


def _covers(run, user_path: str | None) -> bool:
    """Does the run's area include the user's whole area? (province-wide runs always do)."""
    if run.region_id is None or run.region.level == "province":
        return True
    return user_path is not None and user_path.startswith(run.region.path)


def score_distribution(*, user, year: int, level: str = "") -> list[ScoreSeries]:
    """Per growth tier (one level or all), the latest evaluation run of ``year`` visible to the user —
    a run covering the user's whole area first — and its results within scope in 10-point bins
    (the last bin includes 100). Read-only viewers may not see evaluations: nothing for them."""
    require(may_read(user), REFUSED)
    level = _level(level)
    if not is_reader(user):
        return []
    runs = runs_visible(user).filter(year=int(year), programme__code__in=GROWTH_PROGRAMMES)
    if level:
        runs = runs.filter(programme__owner_level=level)
    user_path = None if scope_for(user).everything or not user.region_id else user.region.path
    chosen: dict[int, object] = {}
    for run in runs.order_by("created_at", "id"):
        best = chosen.get(run.tier_id)
        if best is None or _covers(run, user_path) or not _covers(best, user_path):
            chosen[run.tier_id] = run
    bins = {
        f"b{i}": Count(
            "id",
            filter=(Q(score__gte=lo) if i else Q()) & (Q(score__lt=hi) if i < len(BINS) - 1 else Q()),
        )
        for i, (lo, hi) in enumerate(BINS)
    }
    out = []
    ordered = sorted(chosen.values(), key=lambda r: (r.programme.position, r.programme.code, r.tier.position))
    for run in ordered:
        counts = results_of(user, run).order_by().aggregate(**bins)
        out.append(
            ScoreSeries(
                label=f"{LEVEL_LABELS.get(run.programme.owner_level, '')}{run.tier.name}",
                run_id=run.pk,
                run_at=run.created_at,
                region=run.region.name if run.region_id else "全省",
                counts=[counts[f"b{i}"] for i in range(len(BINS))],
            )
        )
    return out


def score_option(series: list[ScoreSeries]) -> dict:
    option = _base_option(BIN_LABELS, "企业数（家）")
    option["xAxis"]["name"] = "综合得分"
    option["yAxis"]["minInterval"] = 1
    option["series"] = [
        {"name": s.label, "type": "bar", "barGap": "10%", "emphasis": {"focus": "series"}, "data": s.counts}
        for s in series
    ]
    return option


def score_table(series: list[ScoreSeries], *, year: int) -> Table:
    return Table(
        caption=f"{year}年度综合测评得分分布（每档10分，单位：家）",
        head=["得分区间", *[s.label for s in series]],
        rows=[[label, *[str(s.counts[i]) for s in series]] for i, label in enumerate(BIN_LABELS)],
        foot=[
            ["参评企业", *[str(s.evaluated) for s in series]],
            ["所用测评", *[f"#{s.run_id} {s.region} {s.run_at:%Y-%m-%d}" for s in series]],
        ]
        if series
        else [],
    )


# --- c. 主要指标分行业增速 --------------------------------------------------------------------------


@dataclass(frozen=True)
class GrowthCell:
    current: Decimal  # Σ value(t) over the comparable enterprises (万元)
    previous: Decimal  # Σ value(t−1) over the same enterprises (万元)
    count: int  # comparable enterprises: the figure in both years, value(t−1) > 0

    @property
    def growth(self) -> Decimal | None:
        result = growth(self.current, self.previous)
        return result.value if self.count and result.ok else None


@dataclass
class SectionGrowth:
    years: list[int]
    sections: list[tuple[str, str]]  # (code, name) having any comparable enterprise
    cells: dict[tuple[str, str, int], GrowthCell]  # (figure, section, year) → cell

    def cell(self, figure: str, section: str, year: int) -> GrowthCell | None:
        return self.cells.get((figure, section, year))


def growth_years(year: int, span: int = YEARS_SHOWN) -> list[int]:
    """The ``span`` years asked for, ending at ``year``; :func:`growth_by_section` keeps those having
    any comparable enterprise in scope (the last years available), without a query of its own."""
    return list(range(int(year) - span + 1, int(year) + 1))


def growth_by_section(*, user, years: list[int]) -> SectionGrowth:
    """Σ value(t) / Σ value(t−1) − 1 of 营业收入, 利润总额, 实缴税金 per GB/T 4754 section and year t
    of ``years``, over the enterprises in scope with the figure in both years and value(t−1) > 0.

    From the screening engine's province frame (``programmes.frame.frame_cached``: the enterprises
    with their section and county and the figures as exact integer cents, from the columnar store
    the screenings share — kept in the database for every process and patched with what changed,
    so the first page after a data change does not read the tables again), narrowed by the one
    scoping function's ``scope_mask``; the sums per section are exact int64 reductions over the
    enterprises sorted by section (the order kept with the frame). At 10^6 enterprises a SQL join
    of years t and t−1 took 4–6 s every time; reading the whole frame again after a change ≈ 4 s."""
    import numpy as np

    from smeplan.programmes.frame import MONEY_SCALE, frame_cached, scope_mask

    require(may_read(user), REFUSED)
    years = sorted({int(y) for y in years})
    if not years:
        return SectionGrowth(years=[], sections=[], cells={})
    last = years[-1]
    frame = frame_cached(year=last, years_back=last - years[0] + 1, fields=GROWTH_FIGURES)
    mask = scope_mask(frame, user)
    if ("section order",) not in frame.memo:  # the same for every user and page of this frame
        order = np.argsort(frame.section, kind="stable")
        section_sorted = frame.section[order]
        starts = np.flatnonzero(np.r_[True, section_sorted[1:] != section_sorted[:-1]])
        letters = [chr(c) if c else "" for c in section_sorted[starts]] if len(order) else []
        frame.memo[("section order",)] = (order, starts, letters)
    order, starts, letters = frame.memo[("section order",)]
    cells: dict[tuple[str, str, int], GrowthCell] = {}
    seen: set[str] = set()
    for f in GROWTH_FIGURES:
        for year in years:
            cur, cur_present = frame.figure(f, year)
            prev, prev_present = frame.figure(f, year - 1)
            comparable = (mask & cur_present & prev_present & (prev > 0))[order]
            if not comparable.any():
                continue
            counts = np.add.reduceat(comparable.astype(np.int64), starts)
            cur_sums = np.add.reduceat(np.where(comparable, cur[order], 0), starts)
            prev_sums = np.add.reduceat(np.where(comparable, prev[order], 0), starts)
            for i in np.flatnonzero(counts):
                section = letters[i]
                seen.add(section)
                cells[(f, section, year)] = GrowthCell(
                    Decimal(int(cur_sums[i])) / MONEY_SCALE,
                    Decimal(int(prev_sums[i])) / MONEY_SCALE,
                    int(counts[i]),
                )
    names = dict(Industry.objects.filter(level="section", code__in=seen).values_list("code", "name"))
    sections = [(code, names.get(code, code)) for code in sorted(seen - {""})]
    if "" in seen:
        sections.append(NO_SECTION)
    found = sorted({y for (_, _, y) in cells})
    return SectionGrowth(years=found, sections=sections, cells=cells)


def growth_option(data: SectionGrowth, figure: str) -> dict:
    option = _base_option(
        [f"{code} {name}" if code else name for code, name in data.sections],
        "增速（%）",
        rotate=30 if len(data.sections) > 5 else 0,
    )
    option["xAxis"]["axisLabel"]["width"] = 90
    option["xAxis"]["axisLabel"]["overflow"] = "truncate"
    option["yAxis"]["axisLabel"] = {"formatter": "{value}%"}
    option["tooltip"]["formatter"] = "{b}" + "".join(
        f"<br/>{{a{i}}}：{{c{i}}}%" for i in range(len(data.years))
    )
    series = []
    for year in data.years:
        values = []
        for code, _ in data.sections:
            cell = data.cell(figure, code, year)
            values.append(_percent(cell.growth) if cell else None)
        series.append({"name": f"{year}年", "type": "bar", "data": values})
    option["series"] = series
    return option


def growth_table(data: SectionGrowth, figure: str) -> Table:
    label = GROWTH_LABELS[figure]
    head = ["行业门类"]
    for year in data.years:
        head += [f"{year}年增速", f"{year}年{label}（万元）", f"{year}年可比企业（家）"]
    rows = []
    for code, name in data.sections:
        row = [f"{code} {name}" if code else name]
        for year in data.years:
            cell = data.cell(figure, code, year)
            row += (
                [percent_text(cell.growth), wan_text(cell.current), str(cell.count)]
                if cell
                else ["—", "—", "0"]
            )
        rows.append(row)
    return Table(
        caption=f"{label}分行业增速（Σ本年 / Σ上年 − 1，两年均有数据且上年大于 0 的企业）",
        head=head,
        rows=rows,
    )


# --- d. 市级计划完成情况 ----------------------------------------------------------------------------


@dataclass
class PlanRow:
    code: str
    name: str
    state: str  # the plan's state label, 未填报 without a plan
    planned: int | None  # planned tier enterprises (the city's own row)
    actual: int

    @property
    def completion(self) -> Decimal | None:
        if not self.planned:
            return None
        return Decimal(self.actual) / Decimal(self.planned)


def plan_completion(*, user, year: int) -> list[PlanRow]:
    """Per visible city-level unit, planned vs actual tier enterprises (``reporting.assessment``)."""
    require(may_read(user), REFUSED)
    return [
        PlanRow(
            code=r.code,
            name=r.name,
            state=r.plan.get_state_display() if r.plan else "未填报",
            planned=r.planned.get("enterprises"),
            actual=r.actual.enterprises,
        )
        for r in assessment(user=user, year=int(year))
    ]


def plan_option(rows: list[PlanRow]) -> dict:
    option = _base_option([r.name for r in rows], "梯队企业（家）", rotate=30 if len(rows) > 6 else 0)
    option["yAxis"]["minInterval"] = 1
    option["series"] = [
        {"name": "计划", "type": "bar", "data": [r.planned for r in rows]},
        {"name": "实际", "type": "bar", "data": [r.actual for r in rows]},
    ]
    return option


def plan_table(rows: list[PlanRow], *, year: int) -> Table:
    return Table(
        caption=f"{year}年市级梯队企业计划完成情况（单位：家）",
        head=["市级单位", "计划状态", "计划", "实际", "完成率"],
        rows=[
            [
                r.name,
                r.state,
                "—" if r.planned is None else str(r.planned),
                str(r.actual),
                percent_text(r.completion),
            ]
            for r in rows
        ],
    )


# --- .xlsx: the four tables -------------------------------------------------------------------------


def tables_export(*, user, tables: list[tuple[str, Table]], filters: list[tuple[str, str]]):
    """The four data tables as one sheet through the export engine, in long form: 图表, 表格, 项目,
    指标, 数值 — the values as shown on the page (counts, 万元, percentages)."""
    from smeplan.exchange.export import TEXT, Column, Export

    def rows():
        for chart, table in tables:
            for row in [*table.rows, *table.foot]:
                for label, value in zip(table.head[1:], row[1:], strict=True):
                    yield (chart, table.caption, row[0], label, value)

    return Export(
        title="统计图表数据",
        actor=user,
        columns=[
            Column("图表", TEXT, width=18, shared=True),
            Column("表格", TEXT, width=40, shared=True),
            Column("项目", TEXT, width=20, shared=True),
            Column("指标", TEXT, width=22, shared=True),
            Column("数值", TEXT, width=16),
        ],
        rows=rows(),
        filters=filters,
        sheet_name="图表数据",
    )
