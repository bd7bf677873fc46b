"""统计图表: four ECharts charts over the user's area, each with its data table (``targets.charts``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from smeplan.exchange import export as engine
from smeplan.reporting.selectors import may_read
from smeplan.targets import charts
from smeplan.web.views.common import require_page
from smeplan.web.views.reporting import _year, _years


def _choice(request, name: str, choices, default: str) -> str:
    value = request.GET.get(name, default)
    if value not in dict(choices):
        raise ValidationError({name: [f"无法识别的选项“{value}”"]})
    return value


@login_required
@require_GET
def charts_page(request):
    user = request.user
    require_page(may_read(user))
    try:
        year = _year(request)
        level = _choice(request, "level", charts.LEVEL_CHOICES, "")
        figure = _choice(request, "figure", charts.GROWTH_LABELS.items(), charts.GROWTH_FIGURES[0])
    except ValidationError as e:
        return HttpResponseBadRequest("；".join(m for ms in e.message_dict.values() for m in ms))

    tiers = charts.tier_distribution(user=user, year=year, level=level)
    scores = charts.score_distribution(user=user, year=year, level=level)
    growth = charts.growth_by_section(user=user, years=charts.growth_years(year))
    plans = charts.plan_completion(user=user, year=year)
    sections = [
        {
            "key": "tiers",
            "title": "梯队企业分布",
            "note": "年末有效的成长梯队认定，按企业所在区县的市级单位和梯队统计（同一梯队多级认定的企业计一次）。",
            "option": charts.tier_option(tiers),
            "table": charts.tier_table(tiers, year=year, level=level),
        },
        {
            "key": "scores",
            "title": "综合测评得分分布",
            "note": "各梯队本年度最近一次综合测评（优先覆盖本辖区全部的测评），本辖区企业的得分，每10分一档。",
            "option": charts.score_option(scores),
            "table": charts.score_table(scores, year=year),
        },
        {
            "key": "growth",
            "title": f"主要指标分行业增速：{charts.GROWTH_LABELS[figure]}",
            "note": "按 GB/T 4754 门类，Σ本年 / Σ上年 − 1，计入两年均有该指标且上年大于 0 的企业。",
            "option": charts.growth_option(growth, figure),
            "table": charts.growth_table(growth, figure),
        },
        {
            "key": "plans",
            "title": "市级计划完成情况",
            "note": "计划值为市级单位年度计划的全市合计行；实际值为附件3 汇总表的年末梯队企业数。",
            "option": charts.plan_option(plans),
            "table": charts.plan_table(plans, year=year),
        },
    ]
    for s in sections:
        s["script_id"] = f"chart-{s['key']}"
    if request.GET.get("format") == "xlsx":
        filters = [
            ("年度", str(year)),
            ("认定层级", dict(charts.LEVEL_CHOICES)[level]),
            ("增速指标", charts.GROWTH_LABELS[figure]),
        ]
        tables = [(s["title"], s["table"]) for s in sections]
        return engine.xlsx_response(charts.tables_export(user=user, tables=tables, filters=filters))
    return render(
        request,
        "web/targets/charts.html",
        {
            "year": year,
            "years": _years(),
            "level": level,
            "levels": charts.LEVEL_CHOICES,
            "figure": figure,
            "figures": list(charts.GROWTH_LABELS.items()),
            "sections": sections,
        },
    )
