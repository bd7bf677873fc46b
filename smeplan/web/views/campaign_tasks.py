"""数据填报任务 pages: the firm's list (我的填报) and task page (fill, 暂存, 提交, 佐证材料), the
county's review on the same page (通过 / 退回) and its queue (填报审核, bulk 通过). Writes only
through ``campaigns.answers``; reads through ``campaigns.selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.accounts.models import ORGANISATION_ROLES
from smeplan.campaigns import answers as services
from smeplan.campaigns import selectors
from smeplan.campaigns.models import Campaign, CampaignTask, Content, TaskAttachment, TaskState
from smeplan.indicators.models import FIGURE_FIELDS
from smeplan.recognition import clock
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import flash_errors, require_page, selected_items, split_errors


def _fmt(value) -> str:
    if value is None:
        return ""
    from smeplan.indicators.plausibility import fmt

    return fmt(value)


# --- 我的填报 ----------------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_task_list(request):
    """The user's own tasks (an enterprise; bureaus see the tasks of their area, newest first)."""
    user = request.user
    require_page(navigation.can_browse_registry(user))
    state = request.GET.get("state", "")
    qs = selectors.tasks_visible_to(user).select_related("campaign", "organisation", "county")
    if state in TaskState.values:
        qs = qs.filter(state=state)
    page = page_of(qs.order_by("-campaign__deadline", "-id"), request.GET.get("page"), size=30)
    rows = [{"t": t, "late": services.is_late(t), "overdue": _overdue(t)} for t in page.items]
    return render(
        request,
        "web/campaigns/task_list.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": TaskState.choices,
            "enterprise": user.role in ORGANISATION_ROLES,
        },
    )


def _overdue(task: CampaignTask) -> bool:
    return task.state in selectors.OPEN_TASK_STATES and task.campaign.deadline < clock.today()


# --- the task page -----------------------------------------------------------------------------------


def _figure_rows(task: CampaignTask, entered: dict, errors: dict, beside: dict) -> list[dict]:
    """The standard figures of ``campaign.year``: entered value, last year's, the registry's now."""
    year = task.campaign.year
    last, now = beside.get(year - 1) or {}, beside.get(year) or {}
    return [
        {
            "field": name,
            "label": label,
            "unit": unit,
            "required": name in services.REQUIRED_FIGURES,
            "value": entered.get(name, ""),
            "last": _fmt(last.get(name)),
            "registry": _fmt(now.get(name)),
            "errors": errors.get(name, []),
        }
        for name, label, unit in FIGURE_FIELDS
    ]


def _form_sections(task: CampaignTask, entered: dict, errors: dict, *, editable: bool):
    """The form (FORM content) by the form engine, without its attachment fields (the task's
    佐证材料 have their own section)."""
    from smeplan.programmes import formdesign

    design = services.design_of(task.campaign)
    if design is None:
        return []
    field = formdesign.figures_field(design)
    figures = {}
    if field is not None:
        figures = {int(y): v for y, v in (entered.get(field["code"]) or {}).items()}
    if editable:
        sections = formdesign.layout(
            design,
            entered,
            errors=errors,
            figures=figures,
            reference_year=services.reference_year(task.campaign),
            stored=False,
            editable=True,
        )
    else:
        try:
            stored = formdesign.answers_clean(
                design, entered, reference_year=services.reference_year(task.campaign), drafting=True
            )
        except ValidationError:
            stored = {}
        sections = formdesign.layout(
            design,
            stored,
            figures=figures,
            reference_year=services.reference_year(task.campaign),
            stored=True,
            editable=False,
        )
    for section in sections:
        section["items"] = [i for i in section["items"] if i["type"] != "attachment"]
    return sections


def _entered_from_post(task: CampaignTask, post) -> dict:
    if task.campaign.content == Content.FIGURES:
        return {name: post.get(name, "").strip() for name, _label, _unit in FIGURE_FIELDS}
    from smeplan.programmes import formdesign

    design = services.design_of(task.campaign)
    if design is None:
        return {}
    entered = formdesign.answers_from_post(design, post)
    field = formdesign.figures_field(design)
    if field is not None:
        entered[field["code"]] = {
            str(y): {name: post.get(f"figures-{y}-{name}", "").strip() for name in field["figures"]}
            for y in services.form_figures_years(task.campaign, design)
        }
    return entered


def _attachment_fields(task: CampaignTask) -> list[dict]:
    from smeplan.programmes import formdesign

    design = services.design_of(task.campaign)
    return formdesign.attachment_fields(design) if design else []


def _uploads(request, task: CampaignTask, user) -> int:
    """The files sent with the form: the general 佐证材料 and one per attachment field."""
    files = [("", f) for f in request.FILES.getlist("file")]
    for spec in _attachment_fields(task):
        for f in request.FILES.getlist(f"attachment-{spec['code']}"):
            files.append((spec["code"], f))
    for field, upload in files:
        services.task_attachment_add(actor=user, task=task, field=field, upload=upload)
    return len(files)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_task_detail(request, pk: int):
    """The firm fills its task here (POST action save / submit / upload); the county reviews it here
    (``campaign_task_review``)."""
    user = request.user
    task = selectors.task_get(user, pk)
    actions = services.actions_for(user, task)
    firm = services.is_firm_of(user, task)
    fills = firm and "save" in actions  # bureaus push through the API; the page is the firm's
    entered = task.answers or {}
    field_errors: dict = {}
    general: list[str] = []
    warnings: list[str] = []
    explanation = task.explanation
    confirm = False
    status = 200
    if request.method == "POST":
        require_page(fills)
        action = request.POST.get("action", "save")
        entered = _entered_from_post(task, request.POST)
        explanation = request.POST.get("explanation", "")
        confirm = request.POST.get("confirm_warnings") == "1"
        version = request.POST.get("lock_version")
        try:
            uploaded = _uploads(request, task, user)
            if action == "submit":
                services.task_submit(
                    actor=user,
                    task=task,
                    answers=entered,
                    confirm_warnings=confirm,
                    explanation=explanation,
                    lock_version=version,
                )
                messages.success(request, f"已提交「{task.campaign.title}」，等待{task.county.name}审核")
                return redirect("campaign_task_detail", task.pk)
            if request.POST.get("remove", "").isdigit():
                attachment = task.attachments.filter(pk=int(request.POST["remove"])).first()
                if attachment is None:
                    raise Http404("佐证材料不存在")
                services.task_attachment_remove(actor=user, attachment=attachment)
                messages.success(request, f"已删除佐证材料「{attachment.original_name}」")
                return redirect("campaign_task_detail", task.pk)
            if action == "save":
                services.task_save(actor=user, task=task, answers=entered, lock_version=version)
                messages.success(request, "已暂存（尚未提交）")
            elif uploaded:
                messages.success(request, f"已上传 {uploaded} 个佐证材料")
            return redirect("campaign_task_detail", task.pk)
        except services.TaskNeedsConfirmation as e:
            warnings = [w.message for w in e.warnings]
            field_errors, general = split_errors(e)
            field_errors.pop("confirm_warnings", None)
            status = 422
        except ValidationError as e:
            field_errors, general = split_errors(e)
            status = 422
        task = selectors.task_get(user, pk)
    beside = selectors.figures_beside(task.organisation_id, _beside_years(task))
    editable = fills
    figure_rows = (
        _figure_rows(task, entered, field_errors, beside) if task.campaign.content == Content.FIGURES else []
    )
    sections = (
        _form_sections(task, entered, field_errors, editable=editable)
        if task.campaign.content == Content.FORM
        else []
    )
    return render(
        request,
        "web/campaigns/task_detail.html",
        {
            "task": task,
            "campaign": task.campaign,
            "fills": fills,
            "may_submit": fills and "submit" in actions,
            "review": [a for a in actions if a in ("accept", "return")],
            "may_see_files": services.may_see_files(user, task),
            "figure_rows": figure_rows,
            "form_sections": sections,
            "form_figures": _form_figures_beside(task, beside),
            "attachments": list(task.attachments.all()),
            "attachment_fields": _attachment_fields(task),
            "field_errors": field_errors,
            "general": general,
            "warnings": warnings,
            "explanation": explanation,
            "confirm": confirm,
            "late": services.is_late(task),
            "overdue": _overdue(task),
            "today": clock.today(),
            "history": _history(task),
        },
        status=status,
    )


def _history(task: CampaignTask) -> list[dict]:
    """The task's history: its audit events (who, when, what), oldest first."""
    from smeplan.audit.events import event_name
    from smeplan.audit.models import AuditEvent

    events = (
        AuditEvent.objects.filter(subject_type="campaigns.campaigntask", subject_id=str(task.pk))
        .select_related("actor")
        .order_by("created_at", "id")[:100]
    )
    return [{"at": e.created_at, "actor": e.actor, "what": event_name(e.event_type)} for e in events]


def _beside_years(task: CampaignTask) -> list[int]:
    if task.campaign.content == Content.FIGURES:
        return [task.campaign.year - 1, task.campaign.year]
    return services.form_figures_years(task.campaign)


def _form_figures_beside(task: CampaignTask, beside: dict) -> dict | None:
    """For a form's figures: the registry's values of its years (what the county compares with)."""
    if task.campaign.content != Content.FORM or not beside:
        return None
    years = sorted(beside)
    return {
        "years": years,
        "rows": [
            {"label": label, "unit": unit, "cells": [_fmt((beside.get(y) or {}).get(name)) for y in years]}
            for name, label, unit in FIGURE_FIELDS
        ],
    }


@login_required
@require_POST
def campaign_task_review(request, pk: int):
    """通过 / 退回（意见） by a bureau over the task's county."""
    user = request.user
    task = selectors.task_get(user, pk)
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    version = request.POST.get("lock_version")
    try:
        if action == "accept":
            services.task_accept(actor=user, task=task, lock_version=version, comment=comment)
            messages.success(
                request, f"已审核通过：{task.organisation.name}（数据已写入年度数据，来源：企业填报）"
            )
        elif action == "return":
            services.task_return(actor=user, task=task, comment=comment, lock_version=version)
            messages.success(request, f"已退回：{task.organisation.name}")
        else:
            raise ValidationError("请选择审核结论（通过或退回）")
    except ValidationError as e:
        flash_errors(request, e)
    return redirect("campaign_task_detail", task.pk)


@login_required
@require_GET
def campaign_task_attachment(request, pk: int):
    """A 佐证材料, sent only to the firm's users and the bureaus over it (404 otherwise)."""
    user = request.user
    attachment = (
        TaskAttachment.objects.filter(pk=pk, task__in=selectors.tasks_visible_to(user))
        .select_related("task", "task__county")
        .first()
    )
    if attachment is None or not services.may_see_files(user, attachment.task):
        raise Http404("佐证材料不存在或不在您的管辖范围内")
    return services.attachment_response(attachment)


# --- 填报审核 ----------------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_review_queue(request):
    user = request.user
    require_page(navigation.can_review(user))
    campaign = request.GET.get("campaign", "")
    campaign_id = int(campaign) if campaign.isdigit() else None
    waiting = selectors.tasks_awaiting_review(user)
    campaigns = list(
        Campaign.objects.filter(pk__in=waiting.values("campaign_id")).order_by("-deadline", "-id")
    )
    qs = selectors.tasks_awaiting_review(user, campaign_id=campaign_id)
    page = page_of(qs, request.GET.get("page"), size=50)
    rows = [
        {"t": t, "late": services.is_late(t), "may": services.is_bureau_over(user, t)} for t in page.items
    ]
    return render(
        request,
        "web/campaigns/review_queue.html",
        {"page": page, "rows": rows, "campaigns": campaigns, "campaign": campaign_id},
    )


@login_required
@require_POST
def campaign_review_accept(request):
    """批量通过: all or nothing; every refusal listed."""
    user = request.user
    require_page(navigation.can_review(user))
    try:
        done = services.tasks_accept(actor=user, items=selected_items(request.POST.getlist("items")))
    except (ValidationError, PermissionDenied) as e:
        flash_errors(request, e)
        messages.error(request, "没有通过任何一项：请处理以上问题后重试")
    else:
        messages.success(request, f"已审核通过 {len(done)} 项填报，数据已写入年度数据（来源：企业填报）")
    target = request.POST.get("campaign", "")
    return redirect(f"/campaigns/review/?campaign={target}" if target.isdigit() else "/campaigns/review/")
