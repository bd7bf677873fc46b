"""认定申报 pages: 我的申报 / 申报列表, the annex-1 form (推荐登记表) with figures and attachments, the
application's detail with its history and actions, the print page, the review queue (审核待办) with
bulk actions, nominations from a screening run, expert review (专家评审) and notifications (通知).

Views never change state themselves: every write goes through ``smeplan.recognition.services``
(which checks permissions again), every read through ``smeplan.recognition.selectors``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.accounts.models import Role, User
from smeplan.indicators.models import FIGURE_LABELS, FIGURE_NAMES, FIGURE_UNITS, AnnualFigures
from smeplan.indicators.services import FiguresNeedConfirmation
from smeplan.programmes import formdesign
from smeplan.programmes.models import Programme, Tier, applying_kinds
from smeplan.programmes.selectors import run_get, run_results
from smeplan.recognition import clock, selectors, services
from smeplan.recognition import forms as application_forms
from smeplan.recognition.models import Application, ApplicationScore, Attachment, Certification, State
from smeplan.recognition.workflow import ACTION_LABELS
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import (
    confirmed_for,
    flash_errors,
    messages_of,
    require_page,
    safe_next,
    selected_items,
    split_errors,
    warnings_digest,
)

LIST_PAGE = 30
QUEUE_PAGE = 50
NOMINATE_PAGE = 100
NOTIFICATIONS_PAGE = 50
EDITABLE = (State.DRAFT, State.RETURNED)
BULK_ACTIONS = ("recommend", "select", "send_to_experts", "return", "reject")
DECLARATION = "本企业承诺所填报内容真实、准确、完整，如有虚假，愿承担相应责任"
OUTCOMES = {
    "pass": ("符合", "ok"),
    "fail": ("不符合", "bad"),
    "incomplete": ("数据不全", "warn"),
    "unavailable": ("无法核验", "warn"),
}
ITEM_STATUS = {
    "pass": ("✓", "ok", "符合"),
    "fail": ("✗", "bad", "不符合"),
    "incomplete": ("?", "warn", "数据不全"),
    "manual": ("人工审核", "warn", "待审核人员核实"),
    "priority_met": ("✓", "ok", "优先条件：符合"),
    "priority_not_met": ("—", "muted", "优先条件：不符合"),
}
STATE_LABELS = dict(State.choices)


# --- helpers --------------------------------------------------------------------------------------


def _number_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _is_enterprise(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.ENTERPRISE_USER
        and user.organisation_id
    )


def _outcome(application: Application) -> dict:
    outcome = application.eligibility_outcome or (application.eligibility or {}).get("outcome", "")
    label, css = OUTCOMES.get(outcome, ("未核验", "muted"))
    items = (application.eligibility or {}).get("items", [])
    failing = [i["label"] for i in items if i.get("status") == "fail"]
    missing = [i["label"] for i in items if i.get("status") == "incomplete"]
    return {"code": outcome, "label": label, "css": css, "failing": failing, "missing": missing}


def _eligibility_at(application: Application):
    """When the stored criteria check was computed (local time), or None."""
    raw = (application.eligibility or {}).get("computed_at")
    try:
        return timezone.localtime(dt.datetime.fromisoformat(raw)) if raw else None
    except (TypeError, ValueError):
        return None


def _eligibility_rows(application: Application) -> list[dict]:
    rows = []
    for item in (application.eligibility or {}).get("items", []):
        symbol, css, meaning = ITEM_STATUS.get(item.get("status"), ("?", "muted", item.get("status", "")))
        rows.append({**item, "symbol": symbol, "css": css, "meaning": meaning})
    return rows


def _figure_rows(application: Application, values: dict | None = None) -> tuple[list[int], list[dict]]:
    """The three years of figures: rows per figure, one cell per year (text for the form).
    ``values`` (posted text by "year-field") overrides the stored numbers."""
    years = services.figures_years(application)
    stored = {
        f.year: f for f in AnnualFigures.objects.filter(organisation=application.organisation, year__in=years)
    }
    rows = []
    for name in FIGURE_NAMES:
        cells = []
        for year in years:
            key = f"figures-{year}-{name}"
            if values is not None and key in values:
                text = values[key]
            else:
                text = _number_text(getattr(stored.get(year), name, None))
            cells.append({"year": year, "name": key, "value": text})
        rows.append({"field": name, "label": FIGURE_LABELS[name], "unit": FIGURE_UNITS[name], "cells": cells})
    return years, rows


def _form_sections(
    application: Application,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    figure_values: dict | None = None,
    editable: bool = False,
) -> list[dict]:
    """The application's form laid out by its version's design (``formdesign.layout``): read-only
    (detail, print, experts; the figures are shown apart) or as inputs with the posted ``values``
    and ``errors``."""
    design = application_forms.design_of(application)
    attachments = list(application.attachments.all())
    if not editable:
        sections = formdesign.layout(
            design,
            application.form or {},
            attachments=attachments,
            reference_year=application_forms.reference_year(application),
            editable=False,
        )
        for section in sections:
            section["items"] = [i for i in section["items"] if i["type"] != "figures"]
        return [s for s in sections if s["items"]]
    years, rows = _figure_rows(application, figure_values)
    figures = {y: {r["field"]: r["cells"][k]["value"] for r in rows} for k, y in enumerate(years)}
    return formdesign.layout(
        design,
        values if values is not None else (application.form or {}),
        stored=values is None,
        errors=errors,
        attachments=attachments,
        figures=figures,
        reference_year=application_forms.reference_year(application),
    )


def _ban_text(organisation_id: int, programme_id: int) -> str:
    ban = services._ban_of(organisation_id, programme_id)
    return services.ban_message(ban) if ban is not None else ""


# --- 我的申报 / 申报列表 --------------------------------------------------------------------------------


def _year_choices() -> list[int]:
    this = clock.today().year
    return list(range(this, this - 6, -1))


def _start_options(user) -> list[dict]:
    """The programmes an enterprise user may apply to, with their tiers and any ban."""
    organisation = user.organisation
    out = []
    for programme in Programme.objects.filter(
        subject_kind__in=applying_kinds(organisation.kind), closed_at__isnull=True
    ).prefetch_related("tiers"):
        out.append(
            {
                "programme": programme,
                "tiers": list(programme.tiers.all()),
                "ban": _ban_text(organisation.pk, programme.pk),
            }
        )
    return out


@login_required
@require_GET
def application_list(request):
    user = request.user
    enterprise = _is_enterprise(user)
    qs = selectors.own_applications(user) if enterprise else selectors.applications_visible_to(user)
    state = request.GET.get("state", "")
    if state in State.values:
        qs = qs.filter(state=state)
    programme = request.GET.get("programme", "")
    if programme:
        qs = qs.filter(programme__code=programme)
    tier = request.GET.get("tier", "")
    if tier.isdigit():
        qs = qs.filter(tier_id=int(tier))
    q = " ".join(request.GET.get("q", "").split())
    if q:
        qs = qs.filter(organisation__name__contains=q)
    page = page_of(qs.order_by("-updated_at", "-id"), request.GET.get("page"), size=LIST_PAGE)
    rows = [{"a": a, "outcome": _outcome(a)} for a in page.items]
    return render(
        request,
        "web/application_list.html",
        {
            "page": page,
            "rows": rows,
            "enterprise": enterprise,
            "start_options": _start_options(user) if enterprise else [],
            "years": _year_choices(),
            "default_year": clock.today().year - 1,
            "states": State.choices,
            "programmes": Programme.objects.all(),
            "tiers": Tier.objects.select_related("programme"),
            "state": state,
            "programme": programme,
            "tier": tier,
            "q": q,
            "is_bureau": navigation.can_review(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request):
    """申报: an enterprise user chooses programme · tier · data year; a draft is opened."""
    user = request.user
    require_page(_is_enterprise(user))
    errors: list[str] = []
    if request.method == "POST":
        tier = Tier.objects.select_related("programme").filter(pk=_int(request.POST.get("tier"))).first()
        if tier is None:
            errors.append("请选择要申报的认定项目和梯队")
        else:
            try:
                application = services.application_start(actor=user, tier=tier, year=request.POST.get("year"))
            except ValidationError as exc:
                errors += messages_of(exc)
            else:
                messages.success(request, f"已创建{tier.programme.name}·{tier.name}申报，请填写推荐登记表")
                return redirect("application_edit", application.pk)
    return render(
        request,
        "web/application_new.html",
        {
            "errors": errors,
            "start_options": _start_options(user),
            "years": _year_choices(),
            "default_year": _int(request.POST.get("year")) or clock.today().year - 1,
        },
        status=200,
    )


def _int(raw) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


# --- 推荐登记表 (annex 1) --------------------------------------------------------------------------


def _posted_figures(request, application: Application) -> tuple[dict, dict]:
    """({year: {field: text}}, {"figures-year-field": text}) from the posted form."""
    figures: dict[int, dict] = {}
    flat: dict[str, str] = {}
    for year in services.figures_years(application):
        values = {}
        for name in FIGURE_NAMES:
            key = f"figures-{year}-{name}"
            if key in request.POST:
                values[name] = request.POST[key].strip()
                flat[key] = request.POST[key]
        if values:
            figures[year] = values
    return figures, flat


def _edit_context(application, *, values=None, figure_values=None, errors=None, top=None, declared=None):
    errors = errors or {}
    sections = _form_sections(
        application, values=values, errors=errors, figure_values=figure_values, editable=True
    )
    known = {i["code"] for s in sections for i in s["items"]}
    other = [m for k, ms in errors.items() if k not in known and not k.startswith("figures-") for m in ms]
    organisation = application.organisation
    unfiled = [a for a in application.attachments.all() if not a.field]
    return {
        "application": application,
        "organisation": organisation,
        "form_title": application_forms.title_of(application),
        "form_sections": sections,
        "has_uploads": any(i["type"] == "attachment" for s in sections for i in s["items"]),
        "top_errors": (top or []) + other,
        "declaration": DECLARATION,
        "declared": application.declared_at is not None if declared is None else declared,
        "attachments": unfiled,
        "max_mb": services.attachment_max_bytes() / 1048576,
        "ban": _ban_text(organisation.pk, application.programme_id),
        "submit_action": "resubmit" if application.state == State.RETURNED else "submit",
    }


def _uploads(request, user, application) -> dict[str, list[str]]:
    """The files posted with the form (``attachment-<field>``), each uploaded to its attachment
    field; the Chinese errors by field."""
    errors: dict[str, list[str]] = {}
    design = application_forms.design_of(application)
    limit = services.attachment_max_bytes()
    for field in formdesign.attachment_fields(design):
        upload = request.FILES.get(f"attachment-{field['code']}")
        if upload is None:
            continue
        if upload.size is not None and upload.size > min(limit, field["max_mb"] * 1048576):
            errors[field["code"]] = [
                f"{field['label']}：{upload.name}：文件 {upload.size / 1048576:.1f} MB，"
                f"超过 {min(limit, field['max_mb'] * 1048576) / 1048576:.0f} MB 的上限"
            ]
            continue
        try:
            services.attachment_add(
                actor=user,
                application=application,
                name=upload.name,
                content=upload.read(limit + 1),
                field=field["code"],
            )
        except ValidationError as exc:
            for key, ms in exc.message_dict.items():
                errors.setdefault(field["code"] if key in ("file", "__all__") else key, []).extend(ms)
    return errors


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int):
    user = request.user
    application = selectors.application_get(user, pk)
    require_page(services.is_applicant(user, application))
    if application.state not in EDITABLE:
        messages.error(request, f"申报已提交（{application.get_state_display()}），不能再修改")
        return redirect("application_detail", application.pk)
    if request.method == "GET":
        return render(request, "web/application_form.html", _edit_context(application))

    values = formdesign.answers_from_post(application_forms.design_of(application), request.POST)
    figures, flat = _posted_figures(request, application)
    declare = request.POST.get("declare") == "1"
    submitting = request.POST.get("op") == "submit"

    def update(confirm: bool):
        return services.application_update(
            actor=user,
            application=application,
            expected_version=_int(request.POST.get("version")) or 0,
            form=values,
            figures=figures,
            declare=declare,
            confirm_warnings=confirm,
        )

    try:
        try:
            application = update(False)
        except FiguresNeedConfirmation as exc:
            shown = [w.message for w in exc.warnings]
            if not confirmed_for(request.POST, shown):
                context = _edit_context(application, values=values, figure_values=flat, declared=declare)
                context["warnings"], context["warnings_digest"] = exc.warnings, warnings_digest(shown)
                return render(request, "web/application_form.html", context, status=200)
            application = update(True)
    except ValidationError as exc:
        errors, top = split_errors(exc)
        if isinstance(exc, services.ApplicationConflict):
            application = selectors.application_get(user, pk)
        context = _edit_context(
            application, values=values, figure_values=flat, errors=errors, top=top, declared=declare
        )
        return render(request, "web/application_form.html", context, status=200)
    upload_errors = _uploads(request, user, application)
    if upload_errors:
        application = selectors.application_get(user, pk)
        context = _edit_context(application, errors=upload_errors, top=["登记表已保存，但以下附件未能上传："])
        return render(request, "web/application_form.html", context, status=200)
    if not submitting:
        messages.success(request, "登记表已保存（尚未提交）")
        return redirect("application_edit", application.pk)
    action = "resubmit" if application.state == State.RETURNED else "submit"
    application.refresh_from_db()
    try:
        application = services.application_act(
            actor=user, application=application, action=action, expected_version=application.lock_version
        )
    except ValidationError as exc:
        errors, top = split_errors(exc)
        top = ["登记表已保存，但未能提交：", *top]
        return render(
            request, "web/application_form.html", _edit_context(application, errors=errors, top=top)
        )
    messages.success(request, f"已提交，等待{_waiting_name(application)}审核")
    return redirect("application_detail", application.pk)


def _waiting_name(application: Application) -> str:
    if application.waiting_region_id:
        return application.waiting_region.name
    if application.state in EDITABLE:
        return "申报单位"
    return "—"


@login_required
@require_POST
def attachment_upload(request, pk: int):
    user = request.user
    application = selectors.application_get(user, pk)
    require_page(services.is_applicant(user, application))
    upload = request.FILES.get("file")
    back = reverse("application_edit", args=[application.pk]) + "#attachments"
    if upload is None:
        messages.error(request, "请选择要上传的文件")
        return redirect(back)
    limit = services.attachment_max_bytes()
    if upload.size is not None and upload.size > limit:
        messages.error(
            request,
            f"{upload.name}：文件 {upload.size / 1048576:.1f} MB，超过 {limit / 1048576:.0f} MB 的上限",
        )
        return redirect(back)
    content = upload.read(limit + 1)  # never more than the limit (+1 byte to notice an oversize file)
    try:
        attachment = services.attachment_add(
            actor=user,
            application=application,
            name=upload.name,
            content=content,
            description=request.POST.get("description", ""),
            field=request.POST.get("field", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已上传附件：{attachment.name}")
    return redirect(back)


def _attachment_of(user, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("application").filter(pk=pk).first()
    if attachment is None:
        raise Http404("附件不存在")
    selectors.application_get(user, attachment.application_id)  # 404 unless the user may see it
    return attachment


@login_required
@require_GET
def attachment_download(request, pk: int):
    return services.attachment_response(_attachment_of(request.user, pk))


@login_required
@require_POST
def attachment_delete(request, pk: int):
    user = request.user
    attachment = _attachment_of(user, pk)
    application = attachment.application
    require_page(services.is_applicant(user, application))
    try:
        services.attachment_remove(actor=user, attachment=attachment)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已删除附件：{attachment.name}")
    return redirect(reverse("application_edit", args=[application.pk]) + "#attachments")


# --- 申报详情 -----------------------------------------------------------------------------------------


def _detail_context(user, application: Application) -> dict:
    years, figure_rows = _figure_rows(application)
    events = list(application.events.select_related("actor", "region").order_by("at", "id"))
    for e in events:
        e.label = ACTION_LABELS.get(
            e.action, {"start": "创建申报", "nominate": "主管部门推荐"}.get(e.action, e.action)
        )
        e.from_label = STATE_LABELS.get(e.from_state, "")
        e.to_label = STATE_LABELS.get(e.to_state, "")
    actions = [
        {"action": row.action, "label": ACTION_LABELS[row.action], "needs_reason": row.needs_reason}
        for row in services.available_actions(user, application)
        if row.action not in ("publish", "certify")
    ]
    awaited = services.is_awaited_bureau(user, application)
    assignments = (
        list(application.expert_assignments.select_related("expert")) if navigation.can_review(user) else []
    )
    experts, expert_accounts = [], 0
    if awaited and application.state == State.EXPERT_REVIEW:
        assigned = {a.expert_id for a in assignments}
        accounts = list(User.objects.filter(role=Role.EXPERT, is_active=True).order_by("username"))
        expert_accounts = len(accounts)  # to tell "all assigned" from "no expert accounts at all"
        experts = [u for u in accounts if u.pk not in assigned]
    return {
        "application": application,
        "organisation": application.organisation,
        "outcome": _outcome(application),
        "eligibility_rows": _eligibility_rows(application),
        "eligibility_at": _eligibility_at(application),
        "form_sections": _form_sections(application),
        "form_title": application_forms.title_of(application),
        "years": years,
        "figure_rows": figure_rows,
        "attachments": list(application.attachments.all()),
        "events": events,
        "actions": actions,
        "waiting": _waiting_name(application),
        "summary": (
            services.expert_summary(application)
            if application.programme.expert_review and navigation.can_review(user)
            else None
        ),
        "assignments": assignments,
        "experts": experts,
        "expert_accounts": expert_accounts,
        "can_assign": awaited and application.state == State.EXPERT_REVIEW,
        "awaited": awaited,
        "can_edit": services.is_applicant(user, application) and application.state in EDITABLE,
        "is_bureau": navigation.can_review(user),
        "score_result": (
            ApplicationScore.objects.filter(application=application).select_related("rubric_version").first()
            if navigation.can_review(user)
            else None
        ),
        "notice_url": reverse("notice_detail", args=[application.notice_id]) if application.notice_id else "",
        "certification": Certification.objects.filter(application=application).first(),
    }


@login_required
@require_GET
def application_detail(request, pk: int):
    application = selectors.application_get(request.user, pk)
    return render(request, "web/application_detail.html", _detail_context(request.user, application))


@login_required
@require_POST
def application_act_view(request, pk: int):
    user = request.user
    application = selectors.application_get(user, pk)
    action = request.POST.get("action", "")
    if action not in ACTION_LABELS:
        messages.error(request, "未知的操作")
        return redirect("application_detail", application.pk)
    try:
        application = services.application_act(
            actor=user,
            application=application,
            action=action,
            expected_version=_int(request.POST.get("version")) or 0,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, f"已办理「{ACTION_LABELS[action]}」，当前状态：{application.get_state_display()}"
        )
    return redirect("application_detail", application.pk)


@login_required
@require_POST
def application_experts(request, pk: int):
    user = request.user
    application = selectors.application_get(user, pk)
    require_page(services.is_awaited_bureau(user, application))
    ids = [int(v) for v in request.POST.getlist("experts") if str(v).isdigit()]
    try:
        made = services.experts_assign(actor=user, application=application, expert_ids=ids)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已指派 {len(made)} 位评审专家")
    return redirect(reverse("application_detail", args=[application.pk]) + "#experts")


def _print_context(application: Application, *, pdf: bool = False) -> dict:
    years, figure_rows = _figure_rows(application)
    return {
        "application": application,
        "organisation": application.organisation,
        "form": application.form or {},
        "form_sections": _form_sections(application),
        "form_title": application_forms.title_of(application),
        "other_attachments": [a for a in application.attachments.all() if not a.field],
        "form_annex": application_forms.design_of(application).get("annex", ""),
        "years": years,
        "figure_rows": figure_rows,
        "declaration": DECLARATION,
        "chain_levels": [level for level, _ in application.chain],
        "today": clock.today(),
        "pdf": pdf,
    }


@login_required
@require_GET
def application_print(request, pk: int):
    application = selectors.application_get(request.user, pk)
    return render(request, "web/application_print.html", _print_context(application))


@login_required
@require_GET
def application_pdf(request, pk: int):
    """申报表 PDF: the printable form (sections as bordered label | value tables, the declaration
    and the signature, seal and date boxes) through WeasyPrint."""
    import weasyprint
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    application = selectors.application_get(request.user, pk)
    html = render_to_string(
        "web/application_print.html", _print_context(application, pdf=True), request=request
    )
    response = HttpResponse(weasyprint.HTML(string=html).write_pdf(), content_type="application/pdf")
    name = f"{application_forms.title_of(application)}-{application.organisation.name}-{application.pk}.pdf"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- 审核待办 ------------------------------------------------------------------------------------------


@login_required
@require_GET
def recognition_queue(request):
    user = request.user
    require_page(navigation.can_review(user))
    state = request.GET.get("state", "")
    state = state if state in State.values else ""
    programme = request.GET.get("programme", "")
    tier = request.GET.get("tier", "")
    q = " ".join(request.GET.get("q", "").split())
    qs = selectors.queue_for(user, state=state, programme=programme, tier=tier, q=q)
    page = page_of(qs, request.GET.get("page"), size=QUEUE_PAGE)
    rows = [
        {"a": a, "outcome": _outcome(a), "actions": {t.action for t in services.available_actions(user, a)}}
        for a in page.items
    ]
    offered = set().union(*(r["actions"] for r in rows))
    counts = selectors.queue_counts(user)
    return render(
        request,
        "web/queue.html",
        {
            "page": page,
            "rows": rows,
            "counts": [(s, STATE_LABELS[s], counts[s]) for s in State.values if counts.get(s)],
            "total": sum(counts.values()),
            "states": [(s, label) for s, label in State.choices if counts.get(s) or s == state],
            "programmes": Programme.objects.all(),
            "tiers": Tier.objects.select_related("programme"),
            "state": state,
            "programme": programme,
            "tier": tier,
            "q": q,
            # only what the table lets this user do on the listed applications (never, e.g., a
            # county officer the province's 初选/确认 or 提交专家评审)
            "bulk_actions": [(a, ACTION_LABELS[a]) for a in BULK_ACTIONS if a in offered],
            "notice_new_url": reverse("notice_new"),
            "certify_url": reverse("certify"),
            "has_selected": "publish" in offered,
            "has_on_notice": "certify" in offered,
            "needs_reason": bool(offered & {"return", "reject"}),
        },
    )


@login_required
@require_POST
def queue_act(request):
    user = request.user
    require_page(navigation.can_review(user))
    back = safe_next(request, reverse("recognition_queue"))
    action = request.POST.get("action", "")
    if action not in BULK_ACTIONS:
        messages.error(request, "请选择要办理的操作")
        return redirect(back)
    try:
        items = selected_items(request.POST.getlist("items"))
        done = services.applications_act(
            actor=user, items=items, action=action, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, f"「{ACTION_LABELS[action]}」没有执行（所选申报均未改变）：")
        flash_errors(request, exc)
    else:
        messages.success(request, f"已对 {len(done)} 项申报办理「{ACTION_LABELS[action]}」")
    return redirect(back)


# --- 从筛选结果推荐 -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    run = run_get(user, request.GET.get("run") or request.POST.get("run"))
    errors: list[str] = []
    if request.method == "POST":
        one = request.POST.get("one", "")
        raw = [one] if one else request.POST.getlist("organisation_ids")
        ids = [int(v) for v in raw if str(v).isdigit()]
        try:
            made = services.applications_nominate(
                actor=user, tier=run.tier, year=run.year, organisation_ids=ids, screening_run=run
            )
        except ValidationError as exc:
            errors = messages_of(exc)
        else:
            messages.success(
                request,
                f"已推荐 {len(made)} 家单位申报{run.tier.programme.name}·{run.tier.name}，请在审核待办中办理",
            )
            return redirect("recognition_queue")
    page = page_of(run_results(user, run, "pass"), request.GET.get("page"), size=NOMINATE_PAGE)
    ids = [r.organisation_id for r in page.items]
    existing = {
        a.organisation_id: a
        for a in Application.objects.filter(
            organisation_id__in=ids, programme_id=run.tier.programme_id, year=run.year
        )
        .exclude(state__in=[State.REJECTED, State.WITHDRAWN])
        .select_related("tier")
    }
    rows = [
        {"result": r, "organisation": r.organisation, "existing": existing.get(r.organisation_id)}
        for r in page.items
    ]
    return render(
        request,
        "web/application_nominate.html",
        {"run": run, "page": page, "rows": rows, "errors": errors},
    )


# --- 专家评审 ------------------------------------------------------------------------------------------


@login_required
@require_GET
def expert_assignment_list(request):
    user = request.user
    require_page(user.role == Role.EXPERT)
    assignments = selectors.expert_assignments_of(user).order_by("submitted_at", "-assigned_at", "-id")
    return render(request, "web/expert_assignment_list.html", {"assignments": list(assignments)})


def _assignment_of(user, pk: int):
    assignment = selectors.expert_assignments_of(user).filter(pk=pk).first()
    if assignment is None:
        raise Http404("评审任务不存在")
    return assignment


def _expert_context(assignment, *, errors=None, values=None, comment=None) -> dict:
    application = assignment.application
    years, figure_rows = _figure_rows(application)
    items, design = services.expert_items(application)
    rubric = []
    for item in items:
        code = item["code"]
        current = (values or {}).get(code, assignment.scores.get(code, ""))
        if design is not None:
            guide = item.get("basis", "")
        else:
            guide = "；".join(f"{b['label']} {b['low']}–{b['high']}" for b in item.get("bands", []))
        rubric.append({**item, "value": current, "bands_text": guide, "errors": (errors or {}).get(code, [])})
    return {
        "assignment": assignment,
        "application": application,
        "organisation": application.organisation,
        "outcome": _outcome(application),
        "eligibility_rows": _eligibility_rows(application),
        "eligibility_at": _eligibility_at(application),
        "form_sections": _form_sections(application),
        "form_title": application_forms.title_of(application),
        "years": years,
        "figure_rows": figure_rows,
        "rubric": rubric,
        "points": design is not None,
        "conflict_errors": (errors or {}).get("conflict_note", []),
        "attachments": list(application.attachments.all()),
        "comment": assignment.comment if comment is None else comment,
        "can_score": application.state == State.EXPERT_REVIEW,
        "top_errors": [
            m
            for k, ms in (errors or {}).items()
            if k not in {r["code"] for r in rubric} | {"conflict_note"}
            for m in ms
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def expert_assignment_detail(request, pk: int):
    user = request.user
    assignment = _assignment_of(user, pk)
    if request.method == "GET":
        return render(request, "web/expert_assignment_detail.html", _expert_context(assignment))
    op = request.POST.get("op", "")
    if op == "declare":
        services.expert_declare(actor=user, assignment=assignment)
        messages.success(request, "已声明与该企业无利益冲突，可以评分")
        return redirect("expert_assignment_detail", assignment.pk)
    if op == "conflict":
        try:
            services.expert_conflict_declare(
                actor=user, assignment=assignment, note=request.POST.get("conflict_note", "")
            )
        except ValidationError as exc:
            errors, top = split_errors(exc)
            if top:
                errors["__all__"] = top
            return render(
                request, "web/expert_assignment_detail.html", _expert_context(assignment, errors=errors)
            )
        messages.success(request, "已声明存在利益冲突并回避，该任务不计入评分")
        return redirect("expert_assignment_detail", assignment.pk)
    codes = [item["code"] for item in services.expert_items(assignment.application)[0]]
    scores = {code: request.POST.get(f"score-{code}", "") for code in codes}
    comment = request.POST.get("comment", "")
    try:
        services.expert_score(actor=user, assignment=assignment, scores=scores, comment=comment)
    except ValidationError as exc:
        errors, top = split_errors(exc)
        if top:
            errors["__all__"] = top
        context = _expert_context(assignment, errors=errors, values=scores, comment=comment)
        return render(request, "web/expert_assignment_detail.html", context)
    messages.success(request, "评分已提交")
    return redirect("expert_assignment_detail", assignment.pk)


# --- 通知 ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request):
    user = request.user
    page = page_of(selectors.notifications_of(user), request.GET.get("page"), size=NOTIFICATIONS_PAGE)
    unread, cap = selectors.unread_count(user), selectors.UNREAD_CAP
    return render(
        request,
        "web/notification_list.html",
        {"page": page, "unread": unread, "unread_text": f"{cap}+" if unread > cap else str(unread)},
    )


@login_required
@require_POST
def notifications_read(request):
    n = services.notifications_mark_read(actor=request.user)
    messages.success(request, f"已将 {n} 条通知标为已读")
    return redirect("notification_list")
