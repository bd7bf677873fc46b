"""年度报告 — the state of a plan period's targets for the province or one area, as PDF and .xlsx.

:func:`annual_report` gathers everything once (through ``targets.selectors``, so scoped like the
dashboard): the targets grouped by action plan with value, goal and judgement as of the end of the
chosen year (or today, for the current year), the summary counts, the computed targets per
city-level unit (province reports only) and the charts as server-side SVG (``targets.svg``):

a. 目标完成率 — value / goal of every target that has both;
b. 历年走势 — one small line chart per computed target (its goal dashed);
c. 梯队企业分布 — growth-tier enterprises in force at the year's end by city-level unit (by county in
   a city's report) and tier, from ``metrics.counts``;
d. 市级年度计划完成情况 — planned vs actual tier enterprises (``reporting.selectors.assessment``),
   when any city has a plan for the year.

:func:`report_pdf` renders ``web/targets/report.html`` with WeasyPrint (A4, page numbers; the
Chinese comes from Debian's ``fonts-noto-cjk``, installed by ``make``); :func:`report_xlsx` writes
the same rows with XlsxWriter and native Excel charts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from smeplan.exchange.export import actor_text
from smeplan.recognition import clock
from smeplan.targets import metrics, progress, selectors, svg
from smeplan.targets.models import ActionPlan, PlanPeriod, Target

STATES = ["met", "on_track", "behind", "missed", "no_value"]
STATE_COLORS = {
    "met": "#2e7d32",
    "on_track": "#1f4e8c",
    "behind": "#d68910",
    "missed": "#c0392b",
    "no_value": "#9aa5b1",
}
TIERS = (("industry_star", "行业之星"), ("growth_star", "成长之星"), ("startup_star", "创业之星"))


@dataclasses.dataclass
class Chart:
    key: str
    title: str
    svg: str
    note: str = ""
    small: bool = False  # one of several small charts (laid out two per row)


@dataclasses.dataclass
class CityLine:
    code: str
    name: str
    rows: list[selectors.TargetRow]  # one per computed target, in ``Report.city_targets`` order


@dataclasses.dataclass
class Report:
    user: object
    period: PlanPeriod
    area: selectors.Area
    year: int
    as_of: dt.date
    generated_at: dt.datetime
    rows: list[selectors.TargetRow]
    groups: list[tuple[str, list[selectors.TargetRow]]]
    summary: dict[str, int]
    city_targets: list[Target]
    cities: list[CityLine]
    charts: list[Chart]
    tier_table: tuple[list[str], list[tuple[str, list[int]]]]  # (tier names, [(place, counts)])

    @property
    def title(self) -> str:
        return f"陕西省中小企业八大行动计划{self.period.name}目标完成情况年度报告"

    @property
    def subtitle(self) -> str:
        return f"（{self.area.name}，{self.year}年）"

    @property
    def full_title(self) -> str:
        return self.title + self.subtitle

    @property
    def author(self) -> str:
        return actor_text(self.user)

    @property
    def years(self) -> list[int]:
        return list(range(self.period.start_year, self.year + 1))

    def filename(self, extension: str) -> str:
        return f"{self.period.name}目标完成情况年度报告_{self.area.name}_{self.year}年.{extension}"

    @property
    def plan_summary(self) -> list[tuple[str, int, list[int]]]:
        """Per action plan: (name, targets, [count per state in ``STATES`` order])."""
        out = []
        for name, rows in self.groups:
            states = [self.state_of(r) for r in rows]
            out.append((name, len(rows), [states.count(s) for s in STATES]))
        return out

    @property
    def tier_lines(self) -> list[tuple[str, list[int], int]]:
        return [(place, counts, sum(counts)) for place, counts in self.tier_table[1]]

    @property
    def small_chart_rows(self) -> list[list[Chart]]:
        """The small charts two by two (a table row each in the PDF)."""
        smalls = [c for c in self.charts if c.small]
        return [smalls[i : i + 2] for i in range(0, len(smalls), 2)]

    def state_of(self, row) -> str:
        return row.judgement.state if row.judgement else progress.NO_VALUE

    def summary_items(self) -> list[tuple[str, str, int]]:
        labels = dict(progress.LABELS, no_value="未填报或未分解")
        return [(s, labels[s], self.summary[s]) for s in STATES]


def report_year(period: PlanPeriod, year, today: dt.date) -> int:
    """The year asked for (default: the current one, within the period); refused outside the
    period or in the future."""
    if year in (None, ""):
        return min(max(today.year, period.start_year), period.end_year)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": [f"年度应为数字，收到“{year}”"]}) from None
    if not period.start_year <= year <= period.end_year:
        raise ValidationError(
            {"year": [f"年度应在规划期 {period.start_year}—{period.end_year} 年之内，收到“{year}”"]}
        )
    if year > today.year:
        raise ValidationError({"year": [f"{year}年尚未开始"]})
    return year


def annual_report(*, user, period: PlanPeriod, city: str | None = None, year=None) -> Report:
    """The report of ``period`` for the province or ``city`` as ``user`` may see it (a foreign or
    unknown city is a 404, as on the dashboard)."""
    area = selectors.area_for(user, city or None)
    today = clock.today()
    year = report_year(period, year, today)
    as_of = today if year >= today.year else dt.date(year, 12, 31)
    rows = selectors.dashboard(user=user, period=period, area=area, today=as_of)
    order = {code: i for i, code in enumerate(ActionPlan.values)}
    rows.sort(key=lambda r: (order.get(r.target.plan, 99), r.target.position, r.target.pk))
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.target.get_plan_display(), []).append(row)
    summary = dict.fromkeys(STATES, 0)
    for row in rows:
        summary[row.judgement.state if row.judgement else progress.NO_VALUE] += 1
    city_targets = [r.target for r in rows if r.target.source == "computed"]
    cities: list[CityLine] = []
    if area.kind == "province" and city_targets:
        ids = {t.pk for t in city_targets}
        position = {t.pk: i for i, t in enumerate(city_targets)}
        counts = metrics.counts(user, today=as_of)  # one read for the twelve cities
        for code, name in selectors.cities_for(user):
            city_rows = selectors.dashboard(
                user=user,
                period=period,
                area=selectors.Area("city", code, name),
                today=as_of,
                target_ids=ids,
                counts=counts,
            )
            city_rows.sort(key=lambda r: position[r.target.pk])
            cities.append(CityLine(code, name, city_rows))
    tier_table = _tier_table(user, area, year)
    report = Report(
        user=user,
        period=period,
        area=area,
        year=year,
        as_of=as_of,
        generated_at=timezone.localtime(),
        rows=rows,
        groups=list(groups.items()),
        summary=summary,
        city_targets=city_targets,
        cities=cities,
        charts=[],
        tier_table=tier_table,
    )
    report.charts = _charts(report)
    return report


def _tier_table(user, area: selectors.Area, year: int):
    """Growth-tier enterprises in force at the end of ``year`` per place × tier: the province by
    city-level unit, a city by county, a county alone."""
    from smeplan.regions.models import Region

    counts = metrics.counts(user, programmes=metrics.GROWTH)
    tier_metrics = [metrics.Metric(f"tier.{c}", n, "家", metrics.GROWTH, (c,)) for c, n in TIERS]
    if area.kind == "province":
        places = selectors.cities_for(user)
        per = [counts.by_city(m, year) for m in tier_metrics]
    elif area.kind == "city":
        places = list(
            Region.objects.filter(path__startswith=_path_of(area.code), level="county")
            .order_by("code")
            .values_list("code", "name")
        )
        per = [counts.by_county(m, year) for m in tier_metrics]
    else:
        places = [(area.code, area.name)]
        per = [counts.by_county(m, year) for m in tier_metrics]
    lines = [(name, [p.get(code, 0) for p in per]) for code, name in places]
    return [n for _, n in TIERS], lines


def _path_of(code: str) -> str:
    from smeplan.regions.models import Region

    return Region.objects.filter(code=code).values_list("path", flat=True).first() or f"/{code}/"


def _charts(report: Report) -> list[Chart]:
    charts: list[Chart] = []
    # a. completion of every target with a goal and a value
    done = [r for r in report.rows if r.judgement and r.judgement.ratio is not None]
    if done:
        charts.append(
            Chart(
                "completion",
                "图1 各项目标完成率",
                svg.hbar_chart(
                    title=f"各项目标完成率（截至{report.as_of:%Y年%-m月%-d日}）",
                    labels=[r.target.name for r in done],
                    values=[r.judgement.ratio for r in done],
                    value_texts=[f"{number(r.judgement.ratio * 100, 1)}%" for r in done],
                    colors=[STATE_COLORS[r.judgement.state] for r in done],
                    reference=1.0,
                    reference_label="100%",
                    cap=1.5,
                    percent_axis=True,
                    legend=[(progress.LABELS[s], STATE_COLORS[s]) for s in STATES[:4]],
                ),
                note="完成率＝实际值÷目标值；超过150%的按150%绘制。颜色表示进度研判结果。",
            )
        )
    # b. yearly trend of every computed target
    years = [str(y) for y in report.years]
    for i, r in enumerate([r for r in report.rows if r.target.source == "computed"], start=1):
        charts.append(
            Chart(
                f"trend-{r.target.pk}",
                f"图2-{i} {r.target.name}",
                svg.line_chart(
                    title=r.target.name,
                    categories=years,
                    series=[("实际", [v for _, v in r.trend])],
                    unit=r.target.unit,
                    goal=r.goal,
                    goal_label=r.goal_note or "目标",
                ),
                small=True,
            )
        )
    # c. tier enterprises by place and tier
    tier_names, lines = report.tier_table
    if lines and any(sum(c) for _, c in lines):
        place = "市级单位" if report.area.kind == "province" else "县（区）"
        charts.append(
            Chart(
                "tiers",
                "图3 梯队企业分布",
                svg.bar_chart(
                    title=f"{report.year}年末梯队企业分布（按{place}和梯队）",
                    categories=[name for name, _ in lines],
                    series=[(t, [c[k] for _, c in lines]) for k, t in enumerate(tier_names)],
                    unit="家",
                    stacked=True,
                ),
                note="省、市、县三级认定的梯队企业，统计年末仍在有效期内的认定。",
            )
        )
    # d. city plan vs actual
    plan = _plan_rows(report)
    if plan:
        charts.append(
            Chart(
                "plan",
                "图4 市级年度计划完成情况",
                svg.bar_chart(
                    title=f"{report.year}年市级年度计划梯队企业数与实际",
                    categories=[name for name, _, _ in plan],
                    series=[("计划", [p for _, p, _ in plan]), ("实际", [a for _, _, a in plan])],
                    unit="家",
                ),
                note="计划为各市报送的年度计划（本市行）梯队企业总数；实际按附件3汇总表口径。",
            )
        )
    return charts


def _plan_rows(report: Report) -> list[tuple[str, int, int]]:
    """(city, planned, actual) for the cities of the report's area with a plan for the year."""
    from smeplan.reporting import selectors as reporting

    if report.area.kind == "county" or not reporting.may_read(report.user):
        return []
    out = []
    for row in reporting.assessment(user=report.user, year=report.year):
        if report.area.kind == "city" and row.code != report.area.code:
            continue
        planned = row.planned.get("enterprises")
        if planned is not None:
            out.append((row.name, planned, row.actual.enterprises or 0))
    return out


def number(value, places: int = 2) -> str:
    """A number without needless decimals: 5,000 / 12.5 / —."""
    if value is None:
        return "—"
    text = f"{Decimal(value):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- PDF -------------------------------------------------------------------------------------------


def report_html(report: Report) -> str:
    from django.template.loader import render_to_string

    return render_to_string("web/targets/report.html", {"report": report})


def report_pdf(report: Report) -> bytes:
    """The report as a PDF (WeasyPrint)."""
    import weasyprint

    # title and author come from the template's <title> and <meta name="author">
    return weasyprint.HTML(string=report_html(report)).write_pdf()


# --- .xlsx -----------------------------------------------------------------------------------------


def report_xlsx(report: Report) -> bytes:
    """The report as a workbook: 目标完成情况 (+ charts), 分市情况 (province), 梯队企业分布."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"title": report.full_title, "author": report.author, "comments": _who(report)})
    f_title = book.add_format({"bold": True, "font_size": 13})
    f_head = book.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    f_text = book.add_format({"border": 1, "valign": "top"})
    f_wrap = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    f_num = book.add_format({"border": 1, "num_format": "#,##0.00", "valign": "top"})
    f_pct = book.add_format({"border": 1, "num_format": "0.0%", "valign": "top"})
    f_date = book.add_format({"border": 1, "num_format": "yyyy-mm-dd", "valign": "top"})
    state_formats = {
        s: book.add_format({"border": 1, "font_color": c, "bold": True, "valign": "top"})
        for s, c in STATE_COLORS.items()
    }

    # 目标完成情况
    sheet = book.add_worksheet("目标完成情况")
    years = report.years
    headers = [
        ("行动计划", 22),
        ("指标", 30),
        ("类型", 8),
        ("单位", 7),
        ("目标值", 12),
        ("目标来源", 16),
        (f"{report.year}年实际", 12),
        ("完成率", 9),
        ("研判", 11),
        ("按进度应达", 12),
        ("数据来源", 20),
        ("完成期限", 11),
        *[(f"{y}年", 10) for y in years],
        ("填报说明", 30),
    ]
    sheet.write_string(0, 0, _who(report), f_title)
    for c, (h, w) in enumerate(headers):
        sheet.write_string(1, c, h, f_head)
        sheet.set_column(c, c, w)
    sheet.set_row(1, 30)
    r = 2
    for row in report.rows:
        t = row.target
        state = report.state_of(row)
        sheet.write_string(r, 0, t.get_plan_display(), f_wrap)
        sheet.write_string(r, 1, t.name, f_wrap)
        sheet.write_string(r, 2, t.get_kind_display(), f_text)
        sheet.write_string(r, 3, t.unit, f_text)
        _num(sheet, r, 4, row.goal, f_num)
        sheet.write_string(r, 5, row.goal_note or "未分解", f_text)
        _num(sheet, r, 6, row.value, f_num)
        _num(sheet, r, 7, row.judgement.ratio if row.judgement else None, f_pct)
        label = row.judgement.label if row.judgement else ("未填报" if row.value is None else "无目标")
        sheet.write_string(r, 8, label, state_formats[state])
        _num(sheet, r, 9, row.judgement.expected if row.judgement else None, f_num)
        sheet.write_string(r, 10, "系统统计" if t.source == "computed" else f"{t.reporter}填报", f_text)
        sheet.write_datetime(r, 11, dt.datetime.combine(t.deadline, dt.time()), f_date)
        for k, (_y, v) in enumerate(row.trend):
            _num(sheet, r, 12 + k, v, f_num)
        sheet.write_string(r, 12 + len(years), row.value_note, f_wrap)
        r += 1
    last = r - 1
    sheet.freeze_panes(2, 2)
    sheet.autofilter(1, 0, max(last, 1), len(headers) - 1)
    sheet.write_string(r + 1, 0, "研判汇总", f_head)
    for k, (_s, label, n) in enumerate(report.summary_items()):
        sheet.write_string(r + 2 + k, 0, label, f_text)
        sheet.write_number(r + 2 + k, 1, n, f_text)

    # charts: completion bars and trend lines, on their own sheet with the data they draw
    charts_sheet = book.add_worksheet("图表")
    charts_sheet.write_string(0, 0, _who(report), f_title)
    done = [row for row in report.rows if row.judgement and row.judgement.ratio is not None]
    charts_sheet.write_string(2, 0, "指标", f_head)
    charts_sheet.write_string(2, 1, "完成率", f_head)
    charts_sheet.set_column(0, 0, 30)
    for k, row in enumerate(done):
        charts_sheet.write_string(3 + k, 0, row.target.name, f_text)
        charts_sheet.write_number(3 + k, 1, float(row.judgement.ratio), f_pct)
    chart_row = 2
    if done:
        bar = book.add_chart({"type": "bar"})
        bar.add_series(
            {
                "name": "完成率",
                "categories": ["图表", 3, 0, 2 + len(done), 0],
                "values": ["图表", 3, 1, 2 + len(done), 1],
                "data_labels": {"value": True, "num_format": "0%"},
                "fill": {"color": "#1F4E8C"},
                "points": [{"fill": {"color": STATE_COLORS[r_.judgement.state]}} for r_ in done],
            }
        )
        bar.set_title({"name": "各项目标完成率", "name_font": {"name": "Noto Sans CJK SC", "size": 12}})
        bar.set_x_axis({"num_format": "0%", "min": 0})
        bar.set_y_axis({"reverse": True})
        bar.set_legend({"none": True})
        bar.set_size({"width": 760, "height": 120 + 22 * len(done)})
        charts_sheet.insert_chart(chart_row, 3, bar)
        chart_row += max(8, int((120 + 22 * len(done)) / 20) + 2)
    computed = [row for row in report.rows if row.target.source == "computed"]
    if computed:
        top = 4 + len(done) + 2
        charts_sheet.write_string(top, 0, "年度", f_head)
        for k, row in enumerate(computed):
            charts_sheet.write_string(top, 1 + k, row.target.name, f_head)
            for j, (_y, v) in enumerate(row.trend):
                _num(charts_sheet, top + 1 + j, 1 + k, v, f_num)
        for j, y in enumerate(years):
            charts_sheet.write_string(top + 1 + j, 0, f"{y}年", f_text)
        line = book.add_chart({"type": "line"})
        for k in range(len(computed)):
            line.add_series(
                {
                    "name": ["图表", top, 1 + k],
                    "categories": ["图表", top + 1, 0, top + len(years), 0],
                    "values": ["图表", top + 1, 1 + k, top + len(years), 1 + k],
                    "marker": {"type": "circle", "size": 5},
                }
            )
        line.set_title(
            {"name": "系统统计指标历年走势", "name_font": {"name": "Noto Sans CJK SC", "size": 12}}
        )
        line.set_y_axis({"name": "家", "min": 0})
        line.set_legend({"position": "bottom"})
        line.set_size({"width": 760, "height": 380})
        charts_sheet.insert_chart(chart_row, 3, line)
        chart_row += 21
    tier_names, lines = report.tier_table
    if lines:
        top = chart_row + 1 if not computed else max(chart_row, 4 + len(done) + 2 + len(years) + 3)
        charts_sheet.write_string(top, 0, "地区", f_head)
        for k, name in enumerate(tier_names):
            charts_sheet.write_string(top, 1 + k, name, f_head)
        for j, (place, nums) in enumerate(lines):
            charts_sheet.write_string(top + 1 + j, 0, place, f_text)
            for k, n in enumerate(nums):
                charts_sheet.write_number(top + 1 + j, 1 + k, n, f_text)
        stacked = book.add_chart({"type": "column", "subtype": "stacked"})
        for k in range(len(tier_names)):
            stacked.add_series(
                {
                    "name": ["图表", top, 1 + k],
                    "categories": ["图表", top + 1, 0, top + len(lines), 0],
                    "values": ["图表", top + 1, 1 + k, top + len(lines), 1 + k],
                    "fill": {"color": svg.PALETTE[k]},
                }
            )
        stacked.set_title(
            {"name": f"{report.year}年末梯队企业分布", "name_font": {"name": "Noto Sans CJK SC", "size": 12}}
        )
        stacked.set_y_axis({"name": "家"})
        stacked.set_legend({"position": "bottom"})
        stacked.set_size({"width": 760, "height": 360})
        charts_sheet.insert_chart(top, 3 + len(tier_names), stacked)

    # 分市情况 (province)
    if report.cities:
        city_sheet = book.add_worksheet("分市情况")
        city_sheet.write_string(0, 0, _who(report) + "｜系统统计指标分市", f_title)
        city_sheet.write_string(1, 0, "市级单位", f_head)
        city_sheet.set_column(0, 0, 14)
        for k, t in enumerate(report.city_targets):
            col = 1 + 3 * k
            city_sheet.merge_range(1, col, 1, col + 2, f"{t.name}（{t.unit}）", f_head)
            city_sheet.write_string(2, col, "目标", f_head)
            city_sheet.write_string(2, col + 1, f"{report.year}年实际", f_head)
            city_sheet.write_string(2, col + 2, "完成率", f_head)
            city_sheet.set_column(col, col + 2, 11)
        city_sheet.write_string(2, 0, "", f_head)
        city_sheet.set_row(1, 32)
        for j, line_ in enumerate(report.cities):
            city_sheet.write_string(3 + j, 0, line_.name, f_text)
            for k, row in enumerate(line_.rows):
                col = 1 + 3 * k
                _num(city_sheet, 3 + j, col, row.goal, f_num)
                _num(city_sheet, 3 + j, col + 1, row.value, f_num)
                _num(city_sheet, 3 + j, col + 2, row.judgement.ratio if row.judgement else None, f_pct)
        city_sheet.freeze_panes(3, 1)
        city_sheet.autofilter(2, 0, 2 + len(report.cities), 3 * len(report.city_targets))
    book.close()
    return out.getvalue()


def _num(sheet, r, c, value, fmt):
    if value is None:
        sheet.write_blank(r, c, None, fmt)
    else:
        sheet.write_number(r, c, float(value), fmt)


def _who(report: Report) -> str:
    return (
        f"{report.full_title}｜截至：{report.as_of:%Y-%m-%d}"
        f"｜生成人：{report.author}｜生成时间：{report.generated_at:%Y-%m-%d %H:%M}（北京时间）"
    )
