"""规划目标: the dashboard of a plan period's targets (progress bar, pace judgement, yearly trend,
filters by action plan and city-level unit, each number linked to the list behind it), a target's
page (trend chart, per-city breakdown, reported values with their revisions and the entry form),
the county map, and the provincial admins' forms for periods, targets and city shares.

Reads through ``targets.selectors`` (scoped); changes only through ``targets.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.accounts.scoping import is_provincial_admin
from smeplan.recognition import clock, composition
from smeplan.recognition.selectors import year_reference_day
from smeplan.regions.models import PROVINCE_CODE, Region
from smeplan.regions.selectors import city_level_units
from smeplan.targets import metrics, selectors, services
from smeplan.targets.models import ActionPlan, PlanPeriod, TargetKind, TargetScope, TargetSource
from smeplan.web.views.common import flash_errors, require_page, split_errors

STATE_ORDER = ["behind", "missed", "on_track", "met", "no_value"]


def _period(request) -> PlanPeriod:
    code = request.GET.get("period") or ""
    if code:
        period = selectors.periods().filter(code=code).first()
        if period is None:
            raise Http404("规划期不存在")
        return period
    period = selectors.period_current(clock.today())
    if period is None:
        raise Http404("尚未设置规划期")
    return period


def _trend_option(row, *, height_title: str = "") -> dict:
    years = [str(y) for y, _ in row.trend]
    values = [float(v) if v is not None else None for _, v in row.trend]
    series = [
        {"name": "实际", "type": "line", "data": values, "connectNulls": False, "label": {"show": True}}
    ]
    if row.goal is not None:
        series.append(
            {
                "name": "目标",
                "type": "line",
                "data": [float(row.goal)] * len(years),
                "lineStyle": {"type": "dashed"},
                "symbol": "none",
            }
        )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [s["name"] for s in series], "top": 0},
        "grid": {"left": 60, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": years},
        "yAxis": {"type": "value", "name": row.target.unit},
        "series": series,
    }


@login_required
@require_GET
def dashboard(request):
    """目标进度 — every target of a period for the province, a city or the user's own area."""
    user = request.user
    require_page(selectors.may_read(user))
    period = _period(request)
    plan = request.GET.get("plan", "")
    if plan and plan not in ActionPlan.values:
        plan = ""
    area = selectors.area_for(user, request.GET.get("city") or None)
    today = clock.today()
    rows = selectors.dashboard(user=user, period=period, area=area, today=today, plan=plan)
    summary = {state: 0 for state in STATE_ORDER}
    for row in rows:
        summary[row.judgement.state if row.judgement else "no_value"] += 1
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.target.get_plan_display(), []).append(row)
    composition_url = ""
    if plan in ("", ActionPlan.GROWTH):  # 梯队构成 loads after the page (it reads every tier enterprise)
        composition_url = reverse("target_composition") + f"?period={period.code}"
        if area.kind == "city" and request.GET.get("city"):
            composition_url += f"&city={area.code}"
    return render(
        request,
        "web/targets/dashboard.html",
        {
            "composition_url": composition_url,
            "has_growth": any(r.target.plan == ActionPlan.GROWTH for r in rows),
            "period": period,
            "periods": selectors.periods(),
            "plan": plan,
            "plans": ActionPlan.choices,
            "area": area,
            "cities": selectors.cities_for(user),
            "groups": groups,
            "summary": summary,
            "today": today,
            "can_admin": is_provincial_admin(user),
        },
    )


@login_required
@require_GET
def composition_page(request):
    """梯队构成 of the dashboard's area at the period's year (today while it runs): the section the
    dashboard loads after itself (``?fragment=1``), or a page of its own (without script)."""
    user = request.user
    require_page(selectors.may_read(user))
    period = _period(request)
    area = selectors.area_for(user, request.GET.get("city") or None)
    today = clock.today()
    day = year_reference_day(min(max(today.year, period.start_year), period.end_year), today)
    tier_mix = composition.composition(user=user, day=day, area_kind=area.kind, area_code=area.code)
    fragment = bool(request.GET.get("fragment"))
    return render(
        request,
        "web/_tier_composition.html" if fragment else "web/targets/composition.html",
        {"composition": tier_mix, "heading": "h3" if fragment else "h2", "period": period, "area": area},
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_detail(request, pk: int):
    """One target: trend, per-city breakdown, reported values with revisions, the entry form."""
    user = request.user
    require_page(selectors.may_read(user))
    target = selectors.target_get(pk)
    today = clock.today()
    area = selectors.area_for(user, request.GET.get("city") or None)
    form = {
        "region": area.code if area.kind in ("city", "county") else PROVINCE_CODE,
        "year": str(min(today.year, target.period.end_year)),
        "value": "",
        "source_note": "",
    }
    field_errors: dict = {}
    general: list = []
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in ("region", "year", "value", "source_note")}
        upload = request.FILES.get("attachment")
        try:
            attachment = None
            if upload is not None:
                from smeplan.recognition.services import attachment_max_bytes

                attachment = (upload.name, upload.read(attachment_max_bytes() + 1))
            services.reported_value_set(actor=user, target=target, data=form, attachment=attachment)
        except ValidationError as e:  # a PermissionDenied is a 403, like every page's
            field_errors, general = split_errors(e)
            if "file" in field_errors:
                field_errors["attachment"] = field_errors.pop("file")
        else:
            messages.success(request, f"已保存{form['year']}年的填报值")
            return redirect(
                reverse("target_detail", args=[target.pk])
                + (f"?city={request.GET['city']}" if request.GET.get("city") else "")
            )
    (row,) = selectors.dashboard(
        user=user, period=target.period, area=area, today=today, target_ids={target.pk}
    )
    breakdown = (
        selectors.city_breakdown(user=user, target=target, today=today) if area.kind == "province" else []
    )
    report_regions = []
    reported = []
    if target.source == TargetSource.REPORTED:
        from smeplan.regions.selectors import counties

        candidates = [Region.objects.get(code=PROVINCE_CODE), *city_level_units(), *counties()]
        report_regions = [(r.code, r.name) for r in candidates if services.may_report(user, r)]
        reported = list(selectors.reported_values(user=user, target=target))
        for rv in reported:
            rv.needs_confirmation = services.is_county_region(rv.region)
            rv.may_confirm = rv.confirmed_at is None and services.may_confirm(user, rv.region)
    return render(
        request,
        "web/targets/detail.html",
        {
            "target": target,
            "row": row,
            "area": area,
            "breakdown": breakdown,
            "trend_option": _trend_option(row),
            "reported": reported,
            "max_mb": _attachment_mb(),
            "report_regions": report_regions,
            "years": list(range(target.period.start_year, target.period.end_year + 1)),
            "form": form,
            "field_errors": field_errors,
            "general": general,
            "can_admin": is_provincial_admin(user),
            "metric": metrics.metric_get(target.metric),
        },
        status=422 if (field_errors or general) else 200,
    )


def _attachment_mb() -> str:
    from smeplan.recognition.services import attachment_max_bytes

    return f"{attachment_max_bytes() / 1048576:g}"


@login_required
@require_POST
def reported_value_confirm(request, pk: int):
    """确认: the city bureau confirms a county's reported value."""
    user = request.user
    require_page(selectors.may_read(user))
    reported = selectors.reported_value_get(user, pk)
    try:
        services.reported_value_confirm(actor=user, reported=reported)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, f"已确认{reported.region.name}{reported.year}年的填报值")
    return redirect(reverse("target_detail", args=[reported.target_id]) + "#reported")


@login_required
@require_GET
def reported_attachment(request, pk: int):
    """A reported value's attachment (current or of a revision), to those who see its region."""
    from smeplan.recognition.services import attachment_response

    attachment = selectors.attachment_get(request.user, pk)
    return attachment_response(attachment)


def _target_form_context(period, form, field_errors, general, target=None, shares=None):
    return {
        "period": period,
        "target": target,
        "form": form,
        "field_errors": field_errors,
        "general": general,
        "plans": ActionPlan.choices,
        "kinds": TargetKind.choices,
        "scopes": TargetScope.choices,
        "sources": TargetSource.choices,
        "metric_choices": [(m.code, m.label) for m in metrics.all_metrics().values()],
        "cities": list(city_level_units().values_list("code", "name")),
        "shares": shares or {},
    }


@login_required
@require_http_methods(["GET", "POST"])
def target_new(request, period: str):
    """新增目标 (provincial admins)."""
    user = request.user
    require_page(is_provincial_admin(user))
    period_obj = selectors.periods().filter(code=period).first()
    if period_obj is None:
        raise Http404("规划期不存在")
    form = {k: "" for k in services.TARGET_FIELDS}
    form.update(deadline=f"{period_obj.end_year}-12-31", scope="province", source="reported")
    field_errors, general = {}, []
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in services.TARGET_FIELDS}
        try:
            target = services.target_create(actor=user, period=period_obj, data=form)
        except ValidationError as e:
            field_errors, general = split_errors(e)
        else:
            messages.success(request, f"已新增目标“{target.name}”")
            return redirect("target_detail", pk=target.pk)
    return render(
        request,
        "web/targets/target_form.html",
        _target_form_context(period_obj, form, field_errors, general),
        status=422 if (field_errors or general) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk: int):
    """修改目标 and its city shares (provincial admins)."""
    user = request.user
    require_page(is_provincial_admin(user))
    target = selectors.target_get(pk)
    form = {k: "" if getattr(target, k) is None else str(getattr(target, k)) for k in services.TARGET_FIELDS}
    shares = {s.region_id: str(s.value) for s in target.shares.all()}
    field_errors, general = {}, []
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in services.TARGET_FIELDS}
        shares = {
            code: request.POST.get(f"share_{code}", "").strip()
            for code, _ in city_level_units().values_list("code", "name")
        }
        try:
            from django.db import transaction

            with transaction.atomic():
                services.target_update(actor=user, target=target, data=form)
                services.target_shares_set(actor=user, target=target, shares=shares)
        except ValidationError as e:
            field_errors, general = split_errors(e)
        else:
            messages.success(request, f"已保存目标“{form['name']}”")
            return redirect("target_detail", pk=target.pk)
    return render(
        request,
        "web/targets/target_form.html",
        _target_form_context(target.period, form, field_errors, general, target=target, shares=shares),
        status=422 if (field_errors or general) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_new(request):
    """新增规划期 (provincial admins)."""
    user = request.user
    require_page(is_provincial_admin(user))
    form = {"code": "", "name": "", "start_year": "", "end_year": ""}
    field_errors, general = {}, []
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            period = services.period_create(actor=user, data=form)
        except ValidationError as e:
            field_errors, general = split_errors(e)
        else:
            messages.success(request, f"已新增规划期“{period.name}”，请为其添加目标")
            return redirect(reverse("target_dashboard") + f"?period={period.code}")
    return render(
        request,
        "web/targets/period_form.html",
        {"form": form, "field_errors": field_errors, "general": general, "periods": selectors.periods()},
        status=422 if (field_errors or general) else 200,
    )


@login_required
@require_GET
def county_map(request):
    """分县地图 — a choropleth of one count metric per county (in the user's area)."""
    user = request.user
    require_page(selectors.may_read(user))
    code = request.GET.get("metric") or metrics.MAP_METRICS[0]
    if code not in metrics.MAP_METRICS:
        raise Http404("没有这个统计口径")
    metric = metrics.METRICS[code]
    today = clock.today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404("年度无效") from None
    if not 2000 <= year <= today.year:
        raise Http404("年度无效")
    data = selectors.county_values(user=user, metric=metric, year=year)
    peak = max([1] + [d["value"] for d in data])
    covered = sum(1 for d in data if d["value"])
    option = {
        "tooltip": {"trigger": "item"},
        "visualMap": {
            "min": 0,
            "max": peak,
            "left": 10,
            "bottom": 20,
            "text": ["多", "少"],
            "calculable": True,
            "inRange": {"color": ["#f2f6fb", "#9db7d8", "#2f6db5", "#143d73"]},
        },
        "series": [
            {
                "name": metric.label,
                "type": "map",
                "map": "shaanxi",
                "roam": True,
                "label": {"show": False},
                "emphasis": {"label": {"show": True}},
                "data": [{"name": d["name"], "value": d["value"]} for d in data],
            }
        ],
    }
    return render(
        request,
        "web/targets/map.html",
        {
            "metric": metric,
            "metric_choices": [(c, metrics.METRICS[c].label) for c in metrics.MAP_METRICS],
            "year": year,
            "years": list(range(today.year, 2015, -1)),
            "option": option,
            "rows": sorted(data, key=lambda d: (-d["value"], d["code"])),
            "covered": covered,
            "total_counties": len(data),
            "total": sum(d["value"] for d in data),
        },
    )


# --- 复制与导入目标（省级管理员） -------------------------------------------------------------------


def _period_or_404(code: str) -> PlanPeriod:
    period = selectors.periods().filter(code=code).first()
    if period is None:
        raise Http404("规划期不存在")
    return period


@login_required
@require_http_methods(["GET", "POST"])
def targets_copy(request, period: str):
    """从其他规划期复制目标: pick a period, tick the targets (all by default), adjust the deadlines
    (shifted to the new period's end), optionally a new 出处文件; all or nothing."""
    user = request.user
    require_page(is_provincial_admin(user))
    period_obj = _period_or_404(period)
    others = [p for p in selectors.periods() if p.pk != period_obj.pk]
    if not others:
        messages.error(request, "没有其他规划期可以复制，请改为逐项新增或从表格导入")
        return redirect(reverse("target_dashboard") + f"?period={period_obj.code}")
    params = request.POST if request.method == "POST" else request.GET
    earlier = [p for p in others if p.start_year < period_obj.start_year]
    source = next((p for p in others if p.code == params.get("from")), None) or (
        earlier[-1] if earlier else others[-1]
    )
    targets = list(source.targets.prefetch_related("shares").order_by("position", "id"))
    chosen = set(request.POST.getlist("codes")) if request.method == "POST" else {t.code for t in targets}
    deadlines = {
        t.code: (
            request.POST.get(f"deadline_{t.code}", "").strip()
            if request.method == "POST"
            else services.shifted_deadline(t.deadline, source=source, period=period_obj).isoformat()
        )
        for t in targets
    }
    document = params.get("source_document", "").strip()
    general: list[str] = []
    field_errors: dict = {}
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            made = services.targets_copy(
                actor=user,
                period=period_obj,
                source=source,
                codes=[t.code for t in targets if t.code in chosen],
                deadlines={c: d for c, d in deadlines.items() if c in chosen},
                source_document=document,
            )
        except ValidationError as e:
            field_errors, general = split_errors(e)
            general += [m for ms in field_errors.values() for m in ms]
        else:
            messages.success(
                request,
                f"已从{source.name}复制 {len(made)} 个目标（含分解到市的目标），请逐项核对目标值和基期值",
            )
            return redirect(reverse("target_dashboard") + f"?period={period_obj.code}")
    return render(
        request,
        "web/targets/copy_form.html",
        {
            "period": period_obj,
            "source": source,
            "others": others,
            "targets": targets,
            "chosen": chosen,
            "deadlines": deadlines,
            "source_document": document,
            "general": general,
        },
        status=422 if general else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets_import(request, period: str):
    """从表格导入目标: upload a filled template; every problem listed by row and column, nothing
    written unless the whole file is right."""
    user = request.user
    require_page(is_provincial_admin(user))
    period_obj = _period_or_404(period)
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = ["请选择要导入的文件"]
        else:
            from smeplan.exchange.reading import max_import_bytes

            limit = max_import_bytes()
            content = upload.read(limit + 1)
            try:
                result = services.targets_import(
                    actor=user, period=period_obj, filename=upload.name, content=content
                )
            except ValidationError as e:
                fields, general = split_errors(e)
                problems = general + [m for ms in fields.values() for m in ms]
            else:
                messages.success(
                    request, f"已导入：新增 {result['created']} 个目标，更新 {result['updated']} 个目标"
                )
                return redirect(reverse("target_dashboard") + f"?period={period_obj.code}")
    return render(
        request,
        "web/targets/import_form.html",
        {"period": period_obj, "problems": problems},
        status=422 if problems else 200,
    )


@login_required
@require_GET
def targets_import_template(request):
    """目标导入模板 (blank .xlsx with a 说明 sheet)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from smeplan.exchange.export import XLSX_CONTENT_TYPE
    from smeplan.targets.spreadsheet import template_xlsx

    require_page(is_provincial_admin(request.user))
    content = template_xlsx(list(city_level_units().values_list("code", "name")))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "规划目标导入模板.xlsx")
    return response
