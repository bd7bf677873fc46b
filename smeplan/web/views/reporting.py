"""汇总表与市级年度计划: 附件3 汇总表 (page and .xlsx), the cities' annual plans (六（一）) with their
approval and the year-end assessment, and the filing (备案) of a city's own annex-3 sheet.

Reads through ``reporting.selectors`` (scoped); changes only through ``reporting.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.accounts.models import Role
from smeplan.exchange import export as engine
from smeplan.exchange.export import INTEGER, MONEY, PERCENT, TEXT, Column, Export
from smeplan.recognition import clock
from smeplan.reporting.models import PlanState
from smeplan.reporting.selectors import (
    LEVELS,
    TIERS,
    annex3,
    assessment,
    filing_get,
    filings_visible,
    may_read,
    plan_get,
    plans_visible,
)
from smeplan.reporting.services import (
    PLAN_FIELDS,
    PLAN_LABELS,
    filing_max_bytes,
    filing_upload,
    plan_act,
    plan_regions,
    plan_save,
)
from smeplan.reporting.sheets import annex3_export
from smeplan.reporting.workflow import ACTION_LABELS, EDITABLE, actions_for, is_city_of
from smeplan.web.views.common import require_page

FIRST_YEAR = 2017
EVENT_LABELS = {"create": "填报", "edit": "修改", **ACTION_LABELS}


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    default = clock.today().year - 1
    if not raw:
        return default
    try:
        year = int(raw)
    except ValueError as exc:
        raise ValidationError({"year": [f"年度应为四位数字，收到“{raw}”"]}) from exc
    if not FIRST_YEAR <= year <= clock.today().year:
        raise ValidationError({"year": [f"年度应在 {FIRST_YEAR}—{clock.today().year} 之间，收到“{raw}”"]})
    return year


def _years() -> list[int]:
    return list(range(clock.today().year, FIRST_YEAR - 1, -1))


def _region_label(user) -> str:
    return "全省" if user.is_superuser or not user.region_id else user.region.name


def percent(value) -> str:
    """A growth as "12.34%"; "—" when undefined."""
    return "—" if value is None else f"{value * 100:.2f}%"


def _cells(row) -> list[tuple[int, bool]]:
    """The 12 level × tier counts with each level's subtotal after its tiers: (value, is_subtotal)."""
    cells = []
    for level, _ in LEVELS:
        cells += [(row.counts[(level, tier)], False) for tier, _ in TIERS]
        cells.append((row.level_total(level), True))
    return cells


@login_required
@require_GET
def annex3_page(request):
    require_page(may_read(request.user))
    try:
        year = _year(request)
    except ValidationError as e:
        return HttpResponseBadRequest("；".join(m for ms in e.message_dict.values() for m in ms))
    result = annex3(user=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        return engine.xlsx_response(
            annex3_export(user=request.user, result=result, region_label=_region_label(request.user))
        )
    rows = [{"row": r, "cells": _cells(r), "growth": percent(r.growth)} for r in result.rows]
    return render(
        request,
        "web/reporting_annex3.html",
        {
            "year": year,
            "years": _years(),
            "rows": rows,
            "levels": LEVELS,
            "tiers": TIERS,
            "result": result,
        },
    )


# --- 市级年度计划 -----------------------------------------------------------------------------------


def _errors_text(e: ValidationError) -> list[str]:
    if hasattr(e, "message_dict"):
        return [m for ms in e.message_dict.values() for m in ms]
    return list(e.messages)


@login_required
@require_GET
def plan_list(request):
    user = request.user
    require_page(may_read(user))
    year = _year_or_default(request, clock.today().year)
    plans = list(plans_visible(user, year).order_by("city_id"))
    return render(
        request,
        "web/reporting_plans.html",
        {
            "year": year,
            "years": list(range(clock.today().year + 1, FIRST_YEAR - 1, -1)),
            "plans": plans,
            "can_enter": user.role == Role.CITY_OFFICER and user.region.level == "city",
            "own": next((p for p in plans if p.city_id == user.region_id), None),
        },
    )


def _year_or_default(request, default: int) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request):
    """The city's plan for a year: the form (GET) and saving it (POST)."""
    user = request.user
    require_page(user.role == Role.CITY_OFFICER)
    year = request.POST.get("year") or request.GET.get("year") or str(clock.today().year)
    city = user.region
    plan = plans_visible(user, int(year)).filter(city=city).first() if str(year).isdigit() else None
    regions = plan_regions(city)
    existing = {r.region_id: r for r in plan.rows.all()} if plan else {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        rows = {
            r.code: {name: request.POST.get(f"{r.code}-{name}", "") for name, _, _ in PLAN_FIELDS}
            for r in regions
        }
        try:
            plan = plan_save(actor=user, year=year, rows=rows)
        except ValidationError as e:
            errors = e.message_dict if hasattr(e, "message_dict") else {"__all__": e.messages}
        else:
            messages.success(request, f"已保存{plan}")
            return redirect("reporting_plan_detail", pk=plan.pk)
    form_rows = [
        {
            "region": r,
            "fields": [
                {
                    "name": f"{r.code}-{name}",
                    "label": label,
                    "value": request.POST.get(f"{r.code}-{name}", "")
                    if request.method == "POST"
                    else _plain(getattr(existing.get(r.code), name, None)),
                    "errors": errors.get(f"{r.code}-{name}", []),
                }
                for name, label, _ in PLAN_FIELDS
            ],
        }
        for r in regions
    ]
    general = [m for k, ms in errors.items() if not k.count("-") for m in ms]
    return render(
        request,
        "web/reporting_plan_form.html",
        {
            "year": year,
            "city": city,
            "plan": plan,
            "rows": form_rows,
            "general": general,
            "labels": PLAN_LABELS,
        },
        status=422 if errors else 200,
    )


def _plain(value) -> str:
    return "" if value is None else str(value)


@login_required
@require_GET
def plan_detail(request, pk: int):
    user = request.user
    require_page(may_read(user))
    plan = plan_get(user, pk)
    return render(
        request,
        "web/reporting_plan_detail.html",
        {
            "plan": plan,
            "rows": plan.rows.select_related("region"),
            "events": [
                (e, EVENT_LABELS.get(e.action, e.action)) for e in plan.events.select_related("actor")
            ],
            "states": dict(PlanState.choices),
            "actions": [(t.action, ACTION_LABELS[t.action], t.needs_reason) for t in actions_for(user, plan)],
            "editable": plan.state in EDITABLE and is_city_of(user, plan.city_id),
        },
    )


@login_required
@require_POST
def plan_act_view(request, pk: int):
    user = request.user
    require_page(may_read(user))
    plan = plan_get(user, pk)
    try:
        plan_act(
            actor=user,
            plan=plan,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            expected_version=request.POST.get("version") or None,
        )
    except ValidationError as e:
        for message in _errors_text(e):
            messages.error(request, message)
    else:
        messages.success(request, f"已{ACTION_LABELS.get(request.POST.get('action'), '')}：{plan}")
    return redirect("reporting_plan_detail", pk=plan.pk)


@login_required
@require_GET
def assessment_page(request):
    """年末考核: plan vs actual per city, with bars (HTML/CSS, no script) and .xlsx."""
    user = request.user
    require_page(may_read(user))
    try:
        year = _year(request)
    except ValidationError as e:
        return HttpResponseBadRequest("；".join(_errors_text(e)))
    rows = assessment(user=user, year=year)
    if request.GET.get("format") == "xlsx":
        return engine.xlsx_response(_assessment_export(user, year, rows))
    scale = max([1] + [max(r.planned.get("enterprises") or 0, r.actual.enterprises) for r in rows])
    items = [
        {
            "row": r,
            "planned_width": round(100 * (r.planned.get("enterprises") or 0) / scale, 1),
            "actual_width": round(100 * r.actual.enterprises / scale, 1),
            "completion": percent(r.completion("enterprises")),
            "revenue_completion": percent(r.completion("revenue")),
            "growth": percent(r.actual.growth),
        }
        for r in rows
    ]
    return render(request, "web/reporting_assessment.html", {"year": year, "years": _years(), "items": items})


def _assessment_export(user, year, rows) -> Export:
    def data():
        for r in rows:
            p = r.planned
            growth = p.get("revenue_growth")
            yield (
                r.name,
                r.plan.get_state_display() if r.plan else "未填报",
                p.get("enterprises"),
                r.actual.enterprises,
                r.completion("enterprises"),
                p.get("new_enterprises"),
                r.actual.new_enterprises,
                p.get("revenue"),
                r.actual.revenue,
                r.completion("revenue"),
                None if growth is None else growth / 100,
                r.actual.growth,
            )

    return Export(
        title=f"{year}年市级梯队企业计划完成情况",
        actor=user,
        columns=[
            Column("市级单位", TEXT, width=12),
            Column("计划状态", TEXT, width=10),
            Column("计划", INTEGER, unit="家"),
            Column("实际", INTEGER, unit="家"),
            Column("完成率", PERCENT),
            Column("计划", INTEGER, unit="家"),
            Column("实际", INTEGER, unit="家"),
            Column("计划", MONEY),
            Column("实际", MONEY),
            Column("完成率", PERCENT),
            Column("计划", PERCENT),
            Column("实际", PERCENT),
        ],
        groups=[("", 2), ("梯队企业总数", 3), ("本年新增", 2), ("合计营业收入", 3), ("营业收入增速", 2)],
        rows=data(),
        filters=[("年度", str(year)), ("范围", _region_label(user))],
        sheet_name="计划完成情况",
        freeze_columns=1,
        notes=[
            ("实际", "附件3 汇总表中该市级单位的合计行（年末有效的梯队企业）"),
            ("计划", "市级单位本级合计行"),
        ],
    )


# --- 汇总表备案 ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def filing_list(request):
    user = request.user
    require_page(may_read(user))
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        require_page(user.role == Role.CITY_OFFICER)
        upload = request.FILES.get("file")
        try:
            if upload is not None and upload.size > filing_max_bytes():
                raise ValidationError(
                    {
                        "file": [
                            f"文件“{upload.name}”过大（{upload.size / 1048576:.1f} MB），上限为 {filing_max_bytes() / 1048576:.0f} MB"
                        ]
                    }
                )
            filing = filing_upload(
                actor=user,
                year=request.POST.get("year", ""),
                file_name=upload.name if upload else "",
                content=upload.read() if upload else b"",
            )
        except ValidationError as e:
            errors, status = _errors_text(e), 422
        else:
            messages.success(request, f"已备案：{filing}（差异 {len(filing.differences)} 项）")
            return redirect("reporting_filing_detail", pk=filing.pk)
    return render(
        request,
        "web/reporting_filings.html",
        {
            "filings": filings_visible(user).order_by("-uploaded_at")[:200],
            "can_file": user.role == Role.CITY_OFFICER,
            "errors": errors,
            "years": _years(),
            "default_year": clock.today().year - 1,
        },
        status=status,
    )


@login_required
@require_GET
def filing_detail(request, pk: int):
    user = request.user
    require_page(may_read(user))
    filing = filing_get(user, pk)
    return render(request, "web/reporting_filing_detail.html", {"filing": filing})
