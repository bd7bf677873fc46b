"""申报批次 pages: the list (per programme, year, state), the create/edit form (window, regions,
quotas per city-level unit, form and rubric versions, required attachments, notes), the detail with
the progress of the user's bureau (and its .xlsx), early close, and — for enterprise users — the
open calls they may apply to with a 申报 button into the application flow.

Reads through ``recognition.calls`` (scoped); writes only through its services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.accounts.models import Role
from smeplan.exchange import export as engine
from smeplan.exchange.export import INTEGER, Column, Export
from smeplan.programmes.models import FormPurpose, FormVersion, Programme, RubricVersion, Tier
from smeplan.recognition import calls, services
from smeplan.recognition.models import Application, State
from smeplan.regions.selectors import city_level_units
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import flash_errors, messages_of, require_page, split_errors

BLANK_ATTACHMENT_ROWS = 3


def _units():
    return list(city_level_units())


def _row(call, now) -> dict:
    names = {r.code: r.name for r in _units()}
    return {
        "call": call,
        "phase": calls.phase(call, now),
        "phase_label": calls.phase_label(call, now),
        "window": calls.window_text(call),
        "regions": "、".join(names.get(c, c) for c in call.regions) or "全省",
    }


@login_required
@require_GET
def call_list(request):
    user = request.user
    require_page(navigation.can_view_calls(user))
    qs = calls.calls_visible_to(user)
    programme = request.GET.get("programme", "")
    if programme:
        qs = qs.filter(programme__code=programme)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    now = calls.clock.now()
    state = request.GET.get("state", "")
    items = list(qs)
    if state in calls.PHASE_LABELS:
        items = [c for c in items if calls.phase(c, now) == state]
    page = page_of(items, request.GET.get("page"), size=30)
    open_for = []
    if user.role == Role.ENTERPRISE_USER:
        open_for = [_apply_options(user, c) for c in calls.calls_open_for(user, now=now)]
    return render(
        request,
        "web/call_list.html",
        {
            "page": page,
            "rows": [_row(c, now) for c in page.items],
            "open_for": open_for,
            "may_open": calls.may_open_calls(user),
            "programmes": Programme.objects.order_by("position", "code"),
            "years": sorted({c.year for c in calls.calls_visible_to(user)}, reverse=True),
            "phases": list(calls.PHASE_LABELS.items()),
            "filters": {"programme": programme, "year": year, "state": state},
        },
    )


def _apply_options(user, call) -> dict:
    existing = (
        Application.objects.filter(call=call, organisation_id=user.organisation_id)
        .exclude(state=State.WITHDRAWN)
        .first()
    )
    return {
        "call": call,
        "window": calls.window_text(call),
        "tiers": list(Tier.objects.filter(programme=call.programme).order_by("position", "pk")),
        "existing": existing,
        "refusals": [] if existing else calls.apply_refusals(call, user.organisation),
    }


# --- the form ------------------------------------------------------------------------------------


def _posted(request) -> tuple[dict, dict, list[dict]]:
    post = request.POST
    rows = []
    n = 0
    while f"att-{n}-code" in post:
        rows.append(
            {
                "code": post.get(f"att-{n}-code", "").strip(),
                "label": post.get(f"att-{n}-label", ""),
                "types": post.getlist(f"att-{n}-types"),
                "max_mb": post.get(f"att-{n}-max_mb", ""),
                "required": post.get(f"att-{n}-required") == "1",
            }
        )
        n += 1
    data = {
        "programme": post.get("programme", ""),
        "year": post.get("year", ""),
        "title": post.get("title", ""),
        "opens_at": post.get("opens_at", ""),
        "closes_at": post.get("closes_at", ""),
        "regions": post.getlist("regions"),
        "form_version": post.get("form_version", ""),
        "rubric_version": post.get("rubric_version", ""),
        "attachments": rows,
        "notes": post.get("notes", ""),
        "total_quota": post.get("total_quota", ""),
    }
    quotas = {r.code: post.get(f"quota-{r.code}", "").strip() for r in _units() if f"quota-{r.code}" in post}
    return data, quotas, rows


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _initial(call) -> tuple[dict, dict, list[dict]]:
    data = {
        "programme": str(call.programme_id),
        "year": str(call.year),
        "title": call.title,
        "opens_at": _local(call.opens_at),
        "closes_at": _local(call.closes_at),
        "regions": list(call.regions),
        "form_version": str(call.form_version_id or ""),
        "rubric_version": str(call.rubric_version_id or ""),
        "notes": call.notes,
        "total_quota": "" if call.total_quota is None else str(call.total_quota),
    }
    quotas = {q.region_id: str(q.quota) for q in call.quotas.all()}
    return data, quotas, [dict(a) for a in call.attachments]


def _form_context(user, *, call, data, quotas, rows, field_errors, general) -> dict:
    programmes = [call.programme] if call is not None else calls.programmes_for(user)
    units = _units()
    if user.role == Role.CITY_OFFICER:
        units = [u for u in units if u.code == user.region_id]
    rows = (
        list(rows)
        + [{"code": "", "label": "", "types": ["pdf"], "max_mb": "", "required": True}]
        * BLANK_ATTACHMENT_ROWS
    )
    ids = [p.pk for p in programmes]
    return {
        "call": call,
        "data": data,
        "programmes": programmes,
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "checked": u.code in data.get("regions", []),
                "quota": quotas.get(u.code, ""),
            }
            for u in units
        ],
        "form_versions": FormVersion.objects.filter(
            programme_id__in=ids, purpose=FormPurpose.APPLICATION
        ).select_related("programme"),
        "rubric_versions": RubricVersion.objects.filter(programme_id__in=ids).select_related("programme"),
        "attachment_rows": [{"n": n, **row} for n, row in enumerate(rows)],
        "file_types": calls.FILE_TYPES,
        "limit_mb": calls._limit_mb(),
        "field_errors": field_errors,
        "quota_errors": {k[len("quota-") :]: v for k, v in field_errors.items() if k.startswith("quota-")},
        "general": general,
    }


@login_required
@require_http_methods(["GET", "POST"])
def call_new(request):
    user = request.user
    require_page(calls.may_open_calls(user))
    field_errors, general = {}, []
    data, quotas, rows = {"regions": []}, {}, []
    if request.method == "POST":
        data, quotas, rows = _posted(request)
        try:
            call = calls.call_create(actor=user, data=data, quotas=quotas)
        except ValidationError as e:
            field_errors, general = split_errors(e)
        else:
            messages.success(request, f"已发布申报批次「{call.title}」")
            return redirect("call_detail", call.pk)
    context = _form_context(
        user, call=None, data=data, quotas=quotas, rows=rows, field_errors=field_errors, general=general
    )
    return render(request, "web/call_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, pk: int):
    user = request.user
    call = calls.call_get(user, pk)
    require_page(calls.may_edit_call(user, call))
    field_errors, general = {}, []
    data, quotas, rows = _initial(call)
    if request.method == "POST":
        data, quotas, rows = _posted(request)
        data["programme"] = str(call.programme_id)
        try:
            call = calls.call_update(actor=user, call=call, data=data, quotas=quotas)
        except ValidationError as e:
            field_errors, general = split_errors(e)
        else:
            messages.success(request, f"已保存申报批次「{call.title}」")
            return redirect("call_detail", call.pk)
    context = _form_context(
        user, call=call, data=data, quotas=quotas, rows=rows, field_errors=field_errors, general=general
    )
    return render(request, "web/call_form.html", context)


@login_required
@require_POST
def call_close(request, pk: int):
    user = request.user
    call = calls.call_get(user, pk)
    require_page(calls.may_edit_call(user, call))
    try:
        calls.call_close(actor=user, call=call, reason=request.POST.get("reason", ""))
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, f"「{call.title}」已截止受理")
    return redirect("call_detail", call.pk)


# --- detail, progress, applying ------------------------------------------------------------------


def _may_see_progress(user) -> bool:
    return user.role in (
        Role.PROVINCIAL_ADMIN,
        Role.PROVINCIAL_OFFICER,
        Role.CITY_OFFICER,
        Role.COUNTY_OFFICER,
        Role.VIEWER,
    )


def _cell(value) -> str:
    return "—" if value is None else str(value)


@login_required
@require_GET
def call_detail(request, pk: int):
    user = request.user
    require_page(navigation.can_view_calls(user))
    call = calls.call_get(user, pk)
    now = calls.clock.now()
    progress = calls.call_progress(user, call) if _may_see_progress(user) else None
    apply = None
    if user.role == Role.ENTERPRISE_USER:
        apply = _apply_options(user, call)
    return render(
        request,
        "web/call_detail.html",
        {
            **_row(call, now),
            "quotas": list(call.quotas.select_related("region").order_by("region_id")),
            "progress": progress,
            "progress_rows": _progress_rows(progress) if progress else [],
            "may_edit": calls.may_edit_call(user, call),
            "apply": apply,
        },
    )


def _progress_rows(progress) -> list[dict]:
    keys = [k for k, _ in progress["columns"]]
    out = [{"name": r["name"], "cells": [_cell(r[k]) for k in keys]} for r in progress["rows"]]
    out.append({"name": "合计", "cells": [_cell(progress["total"][k]) for k in keys], "total": True})
    return out


@login_required
@require_GET
def call_progress_export(request, pk: int):
    user = request.user
    require_page(navigation.can_view_calls(user) and _may_see_progress(user))
    call = calls.call_get(user, pk)
    progress = calls.call_progress(user, call)
    keys = [k for k, _ in progress["columns"]]
    unit = {"province": "市（区）", "city": "县（区）", "county": "县（区）"}[progress["level"]]
    columns = [Column(unit, shared=True)] + [Column(label, INTEGER) for _, label in progress["columns"]]
    rows = [(r["name"], *[r[k] for k in keys]) for r in progress["rows"]]
    rows.append(("合计", *[progress["total"][k] for k in keys]))
    return engine.xlsx_response(
        Export(
            title=f"{call.title}申报进度",
            actor=user,
            columns=columns,
            rows=rows,
            filters=[("申报批次", call.title), ("申报时间", calls.window_text(call))],
            sheet_name="申报进度",
            empty_message="本批次还没有申报",
        )
    )


@login_required
@require_POST
def call_apply(request, pk: int):
    """申报 through a call: a draft application of the chosen tier, then the form."""
    user = request.user
    require_page(user.role == Role.ENTERPRISE_USER and navigation.can_view_calls(user))
    call = calls.call_get(user, pk)
    tier = Tier.objects.filter(programme=call.programme, pk=_int(request.POST.get("tier"))).first()
    if tier is None:
        messages.error(request, "请选择要申报的梯队")
        return redirect("call_detail", call.pk)
    try:
        application = services.application_start(actor=user, tier=tier, call=call)
    except ValidationError as e:
        for text in messages_of(e):
            messages.error(request, text)
        return redirect("call_detail", call.pk)
    messages.success(request, f"已创建「{call.title}」的{tier.name}申报，请填写申报表")
    return redirect("application_edit", application.pk)


def _int(raw) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None
