"""数据填报任务 — the firm's side (暂存, 提交, 佐证材料) and the county's review (通过, 退回) of a
``CampaignTask``, and the push of answers by a city's own platform.

**States** — the one table ``TASK_TRANSITIONS``; only ``_transition`` changes a task's state, along a
row of it, with the optimistic lock (``lock_version``: a stale version is refused first, naming who
acted last) and the audit event (the task's history is its audit events):

=========  ======  =======  =========
state      action  who      next
=========  ======  =======  =========
待填报     submit  firm     已提交
已退回     submit  firm     已提交
已提交     accept  county   已通过
已提交     return  county   已退回
=========  ======  =======  =========

"firm" is the organisation's own users, or a bureau user whose scope holds the task's county (a
city's platform pushing its firms' answers); "county" is a bureau user whose scope holds the task's
county (the county bureau, or a city / the province above it). An accepted task is final.

**Answers** are kept as entered (``CampaignTask.answers``): for the standard yearly figures
(``Content.FIGURES``) ``{figure field: 万元 text}`` of ``campaign.year``; for a form
(``Content.FORM``) ``{field code: value as entered}`` and, for its figures field,
``{figures field code: {year: {figure field: text}}}``. A draft (``task_save``) is checked for
types only; the submission (``task_submit``) checks everything at once (``figures_clean``,
``formdesign.answers_clean`` and the required fields) and then the plausibility warnings
(``indicators.plausibility``), which the firm confirms with an explanation. A late submission
(after the deadline) is accepted and shown as 逾期提交. On acceptance the figures become the firm's
yearly figures through ``indicators.services.figures_create/update`` with source 企业填报 (revisions,
the screening frame and the classification follow); an empty cell leaves the registry's value as it
is. A task made for a 年度报告 obligation (``task.obligation``) submits and reviews it too.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES, ORGANISATION_ROLES, User
from smeplan.accounts.scoping import can_write_region, require
from smeplan.audit.services import audit_record
from smeplan.campaigns.models import (
    Campaign,
    CampaignState,
    CampaignTask,
    Content,
    TaskAttachment,
    TaskState,
)
from smeplan.indicators.models import FIGURE_FIELDS, FIGURE_LABELS, FIGURE_NAMES, AnnualFigures, FigureSource
from smeplan.recognition import clock
from smeplan.recognition.services import ApplicationConflict

FIRM, COUNTY = "firm", "county"
S = TaskState
EDITABLE_STATES = (S.PENDING, S.RETURNED)
MAX_ATTACHMENTS = 20
MAX_PUSH_ROWS = 1000
ATTACHMENT_FOLDER = "campaign_tasks"
#: the standard yearly figures a FIGURES task must fill (新产品销售收入、出口交货值: where there are any)
REQUIRED_FIGURES = (
    "operating_revenue",
    "main_business_revenue",
    "total_profit",
    "tax_paid",
    "rd_expense",
    "employees",
    "total_assets",
    "total_liabilities",
)


@dataclass(frozen=True)
class Row:
    state: str
    action: str
    actor: str
    next_state: str


TASK_TRANSITIONS: tuple[Row, ...] = (
    Row(S.PENDING, "submit", FIRM, S.SUBMITTED),
    Row(S.RETURNED, "submit", FIRM, S.SUBMITTED),
    Row(S.SUBMITTED, "accept", COUNTY, S.ACCEPTED),
    Row(S.SUBMITTED, "return", COUNTY, S.RETURNED),
)
_BY_KEY = {(r.state, r.action): r for r in TASK_TRANSITIONS}
assert len(_BY_KEY) == len(TASK_TRANSITIONS), "one row per (state, action)"

ACTION_LABELS = {"save": "暂存", "submit": "提交", "accept": "审核通过", "return": "退回"}
EVENT_LABELS = {
    "campaign_task.saved": "暂存",
    "campaign_task.submitted": "提交",
    "campaign_task.accepted": "审核通过",
    "campaign_task.returned": "退回",
    "campaign_task.attachment_added": "上传佐证材料",
    "campaign_task.attachment_removed": "删除佐证材料",
}


class TaskConflict(ApplicationConflict):
    """乐观锁冲突: someone acted on the task after this user loaded it (the API answers 409, as for
    applications — a subclass of their conflict so the one handler serves both)."""


class TaskNeedsConfirmation(ValidationError):
    """The answers are valid but raise plausibility warnings: nothing was stored. ``warnings`` are
    the FigureWarning objects; the messages are under ``confirm_warnings`` (and ``explanation``)."""

    def __init__(self, warnings, *, explanation_missing: bool):
        self.warnings = warnings
        errors = {"confirm_warnings": [f"请核实：{w.message}" for w in warnings]}
        errors["confirm_warnings"].append("确认无误请勾选“确认无误”并填写情况说明后重新提交")
        if explanation_missing:
            errors["explanation"] = ["有需要核实的数据时，请填写情况说明"]
        super().__init__(errors)


# --- who may act ---------------------------------------------------------------------------------


def is_firm_of(user, task: CampaignTask) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in ORGANISATION_ROLES
        and user.organisation_id == task.organisation_id
    )


def is_bureau_over(user, task: CampaignTask) -> bool:
    """A bureau user whose scope holds the task's county (the county bureau or above it)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.role in BUREAU_ROLES or user.is_superuser)
        and can_write_region(user, task.county)
    )


def may_fill(user, task: CampaignTask) -> bool:
    return is_firm_of(user, task) or is_bureau_over(user, task)


def may_see_files(user, task: CampaignTask) -> bool:
    """佐证材料: the firm's users and the bureaus over it (not read-only viewers)."""
    return may_fill(user, task)


_MAY = {FIRM: may_fill, COUNTY: is_bureau_over}


def row_for(task: CampaignTask, action: str) -> Row | None:
    return _BY_KEY.get((task.state, action))


def is_editable(task: CampaignTask) -> bool:
    return task.state in EDITABLE_STATES and task.campaign.state == CampaignState.OPEN


def actions_for(user, task: CampaignTask) -> list[str]:
    """What ``user`` may do with ``task`` now: save / submit (while editable), accept / return."""
    out = []
    if is_editable(task) and may_fill(user, task):
        out.append("save")
        if clock.today() >= task.campaign.opens_on:
            out.append("submit")
    for action in ("accept", "return"):
        row = row_for(task, action)
        if row is not None and _MAY[row.actor](user, task):
            out.append(action)
    return out


def is_late(task: CampaignTask) -> bool:
    """逾期提交: submitted after the campaign's deadline (allowed, shown as such)."""
    return task.submitted_at is not None and timezone.localtime(task.submitted_at).date() > (
        task.campaign.deadline
    )


# --- the one transition function ----------------------------------------------------------------


def _locked(task: CampaignTask) -> CampaignTask:
    return (
        CampaignTask.objects.select_for_update(of=("self",))
        .select_related("campaign", "campaign__form_version", "organisation", "county")
        .get(pk=task.pk)
    )


def _version(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {"lock_version": [f"版本号应为整数（收到「{value}」），请刷新页面后重试"]}
        ) from None


def _conflict_message(task: CampaignTask) -> str:
    from smeplan.audit.models import AuditEvent

    last = (
        AuditEvent.objects.filter(subject_type="campaigns.campaigntask", subject_id=str(task.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    who = (
        f"{last.actor or '系统'}（{EVENT_LABELS.get(last.event_type, '操作')}，"
        f"{timezone.localtime(last.created_at):%Y-%m-%d %H:%M}）"
        if last
        else "他人"
    )
    return (
        f"该填报任务已被{who}处理，当前状态为「{task.get_state_display()}」。"
        "您的操作没有执行，请刷新页面后再处理。"
    )


def _check_lock(task: CampaignTask, lock_version) -> None:
    if _version(lock_version) != task.lock_version:
        raise TaskConflict(_conflict_message(task))


def _transition(task: CampaignTask, action: str, *, actor, lock_version) -> Row:
    """The only code that changes a task's state: the lock, the table row, who may act. The caller
    saves the task and writes the audit event in the same transaction."""
    _check_lock(task, lock_version)
    row = row_for(task, action)
    if row is None:
        raise ValidationError(f"填报任务当前为「{task.get_state_display()}」，不能{ACTION_LABELS[action]}")
    if not _MAY[row.actor](actor, task):
        if row.actor == FIRM:
            raise PermissionDenied("只有该企业的用户（或其主管部门）可以填报")
        raise PermissionDenied(f"只有{task.county.name}或其上级主管部门可以审核该填报任务")
    task.state = row.next_state
    task.lock_version += 1
    return row


def _firm_users(task: CampaignTask):
    return User.objects.filter(
        organisation_id=task.organisation_id, role__in=list(ORGANISATION_ROLES), is_active=True
    )


def _url(task: CampaignTask) -> str:
    return reverse("campaign_task_detail", args=[task.pk])


# --- answers ------------------------------------------------------------------------------------


def design_of(campaign: Campaign) -> dict | None:
    if campaign.content != Content.FORM or campaign.form_version_id is None:
        return None
    from smeplan.programmes import formdesign

    return formdesign.design_check(campaign.form_version.design)


def reference_year(campaign: Campaign) -> int:
    """The form's reference year: an annual report form is filled in the year after the one it
    reports on (its figures' offsets count from there, like ``obligations.answers_clean``)."""
    if campaign.form_version_id and campaign.form_version.purpose == "annual_report":
        return campaign.year + 1
    return campaign.year


def form_figures_years(campaign: Campaign, design: dict | None = None) -> list[int]:
    from smeplan.programmes import formdesign

    design = design if design is not None else design_of(campaign)
    field = formdesign.figures_field(design) if design else None
    if field is None:
        return []
    ref = reference_year(campaign)
    return [ref + y for y in field["years"]]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def answers_types_clean(campaign: Campaign, answers) -> dict:
    """A draft as it may be stored: a JSON object of text (numbers, lists and tables as sent); for
    figures, only known figure names and text values. Raises ValidationError (types only)."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": ["填报内容应为 JSON 对象（字段 → 值）"]})
    errors: dict[str, list[str]] = {}
    out: dict = {}
    if campaign.content == Content.FIGURES:
        for key, value in answers.items():
            if key not in FIGURE_NAMES:
                errors.setdefault(str(key), []).append(f"不是标准年度数据项（收到「{key}」）")
            elif value is not None and not isinstance(value, (str, int, float)):
                errors.setdefault(key, []).append(f"{FIGURE_LABELS[key]}应为数字或文本")
            else:
                out[key] = _text(value)
    else:
        design = design_of(campaign) or {"sections": []}
        from smeplan.programmes import formdesign

        known = formdesign.field_map(design)
        years = {str(y) for y in form_figures_years(campaign, design)}
        for key, value in answers.items():
            spec = known.get(key)
            if spec is None:
                continue  # unknown keys are ignored, as the form engine does
            if spec["type"] == "figures":
                if not isinstance(value, dict):
                    errors.setdefault(key, []).append(f"{spec['label']}应为 {{年度: {{数据项: 值}}}}")
                    continue
                rows = {}
                for year, values in value.items():
                    if str(year) not in years or not isinstance(values, dict):
                        errors.setdefault(key, []).append(f"{spec['label']}不填写 {year} 年的数据")
                        continue
                    rows[str(year)] = {k: _text(v) for k, v in values.items() if k in FIGURE_NAMES}
                out[key] = rows
            elif spec["type"] != "attachment":
                out[key] = value
    if errors:
        raise ValidationError(errors)
    return out


def _figures_of(campaign: Campaign, answers: dict, design: dict | None) -> dict[int, dict]:
    """{year: {figure field: text}} the answers carry (entered, possibly empty)."""
    if campaign.content == Content.FIGURES:
        return {campaign.year: {k: _text(v) for k, v in answers.items() if k in FIGURE_NAMES}}
    from smeplan.programmes import formdesign

    field = formdesign.figures_field(design) if design else None
    if field is None:
        return {}
    rows = answers.get(field["code"]) or {}
    return {int(y): {k: _text(v) for k, v in (rows.get(str(y)) or {}).items()} for y in rows}


def answers_check(task: CampaignTask, answers: dict) -> tuple[dict, dict[int, dict]]:
    """Everything a submission checks, every problem at once: the form's answers (cleaned) and the
    figures per year ({year: {field: Decimal}} of the non-empty cells). Raises ValidationError."""
    from smeplan.indicators.validation import figures_clean
    from smeplan.programmes import formdesign

    campaign = task.campaign
    design = design_of(campaign)
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    figures: dict[int, dict] = {}
    if campaign.content == Content.FORM:
        if design is None:
            raise ValidationError("该填报没有设定表单，请联系发起部门")
        try:
            cleaned = formdesign.answers_clean(design, answers, reference_year=reference_year(campaign))
        except ValidationError as e:
            errors.update(e.message_dict)
    entered = _figures_of(campaign, answers, design)
    for year, values in entered.items():
        try:
            parsed = figures_clean(values, partial=True, with_year=False)
        except ValidationError as e:
            for field, messages in e.message_dict.items():
                key = field if campaign.content == Content.FIGURES else f"figures-{year}-{field}"
                prefix = "" if campaign.content == Content.FIGURES else f"{year}年 "
                errors.setdefault(key, []).extend(f"{prefix}{m}" for m in messages)
            continue
        figures[year] = {k: v for k, v in parsed.items() if v is not None}
    if campaign.content == Content.FIGURES:
        values = entered.get(campaign.year, {})
        for field, label, _unit in FIGURE_FIELDS:
            if field in REQUIRED_FIGURES and not values.get(field) and field not in errors:
                errors[field] = [f"请填写{label}（没有的填 0）"]
    else:
        present = (
            set(task.attachments.exclude(field="").values_list("field", flat=True)) if task.pk else set()
        )
        missing = formdesign.missing_required(
            design,
            cleaned or {},
            attachment_fields_present=present,
            figures_present=any(figures.values()),
        )
        if missing and not errors:
            errors["__all__"] = [f"以下必填项尚未填写：{'、'.join(missing)}"]
    if errors:
        raise ValidationError(errors)
    return cleaned, figures


def figures_warnings_of(task: CampaignTask, figures: dict[int, dict]) -> list:
    """The plausibility warnings of writing ``figures`` into the registry (``indicators``' rules,
    with the neighbouring years as stored — last year's for growth and sign flips)."""
    from smeplan.indicators.services import figures_check_warnings

    stored = {
        row["year"]: row
        for row in AnnualFigures.objects.filter(
            organisation_id=task.organisation_id, year__in=list(figures)
        ).values("year", *FIGURE_NAMES)
    }
    out = []
    for year, values in sorted(figures.items()):
        if not values:
            continue
        merged = {f: (stored.get(year) or {}).get(f) for f in FIGURE_NAMES} | values
        out.extend(
            figures_check_warnings(
                organisation=task.organisation,
                year=year,
                values=merged,
                changed=set(values),
                confirm_warnings=True,
            )
        )
    return out


# --- services -----------------------------------------------------------------------------------


def _require_open(task: CampaignTask) -> None:
    if task.campaign.state != CampaignState.OPEN:
        raise ValidationError(f"「{task.campaign.title}」已结束，不能再填报")
    if task.state not in EDITABLE_STATES:
        raise ValidationError(f"填报任务当前为「{task.get_state_display()}」，不能修改")


@transaction.atomic
def task_save(*, actor, task: CampaignTask, answers, lock_version) -> CampaignTask:
    """暂存: the answers as entered (types only), while the campaign is open and the task is 待填报 or
    已退回; by the firm's users or a bureau over it (a city's platform)."""
    task = _locked(task)
    _check_lock(task, lock_version)
    require(may_fill(actor, task), "只有该企业的用户（或其主管部门）可以填报")
    _require_open(task)
    task.answers = answers_types_clean(task.campaign, answers)
    task.saved_at = timezone.now()
    task.lock_version += 1
    task.save(update_fields=["answers", "saved_at", "lock_version"])
    audit_record(
        actor=actor,
        event_type="campaign_task.saved",
        subject=task,
        payload={"campaign": task.campaign_id},
    )
    return task


@transaction.atomic
def task_submit(
    *, actor, task: CampaignTask, answers, confirm_warnings: bool = False, explanation: str = "", lock_version
) -> CampaignTask:
    """提交: from the campaign's opening day (after the deadline too — shown as 逾期提交); every
    problem of the answers at once; plausibility warnings need ``confirm_warnings`` and an
    explanation, else nothing is stored. A task for an annual report obligation submits it too."""
    task = _locked(task)
    _check_lock(task, lock_version)
    require(may_fill(actor, task), "只有该企业的用户（或其主管部门）可以填报")
    _require_open(task)
    if clock.today() < task.campaign.opens_on:
        raise ValidationError(f"「{task.campaign.title}」自 {task.campaign.opens_on:%Y-%m-%d} 起开始填报")
    explanation = str(explanation or "").strip()
    if len(explanation) > 2000:
        raise ValidationError({"explanation": ["情况说明不能超过2000个字"]})
    answers = answers_types_clean(task.campaign, answers)
    _cleaned, figures = answers_check(task, answers)
    warnings = figures_warnings_of(task, figures)
    if warnings and not (confirm_warnings and explanation):
        raise TaskNeedsConfirmation(warnings, explanation_missing=not explanation)
    _transition(task, "submit", actor=actor, lock_version=task.lock_version)
    task.answers = answers
    task.warnings = [{"field": w.field, "year": w.year, "message": w.message} for w in warnings]
    task.explanation = explanation
    task.submitted_at, task.submitted_by = timezone.now(), actor
    task.comment = ""
    task.save()
    late = is_late(task)
    audit_record(
        actor=actor,
        event_type="campaign_task.submitted",
        subject=task,
        payload={
            "campaign": task.campaign_id,
            "warnings_confirmed": [w.message for w in warnings],
            "late": late,
        },
    )
    if task.obligation_id:
        from smeplan.recognition.obligations import obligation_submit

        obligation_submit(
            actor=actor,
            obligation=task.obligation,
            answers=answers,
            statement=explanation or f"已通过数据填报「{task.campaign.title}」提交",
        )
    from smeplan.recognition.services import bureau_users, notify

    notify(
        bureau_users(task.county_id),
        kind="campaign",
        title=f"{task.organisation.name}已提交「{task.campaign.title}」，请审核",
        url=_url(task),
    )
    return task


def _write_figures(actor, task: CampaignTask) -> int:
    """The accepted figures into the registry (source 企业填报); the number of years written."""
    from smeplan.indicators.services import figures_create, figures_update

    _cleaned, figures = answers_check(task, task.answers or {})
    existing = set(
        AnnualFigures.objects.filter(
            organisation_id=task.organisation_id, year__in=list(figures)
        ).values_list("year", flat=True)
    )
    note = f"数据填报「{task.campaign.title}」"
    written = 0
    for year, values in sorted(figures.items()):
        if not values:
            continue
        data = {k: str(v) for k, v in values.items()}
        if year in existing:
            figures_update(
                actor=actor,
                organisation=task.organisation,
                year=year,
                data=data,
                source=FigureSource.ENTERPRISE,
                note=note,
                confirm_warnings=True,
            )
        else:
            figures_create(
                actor=actor,
                organisation=task.organisation,
                data={"year": year, **data},
                source=FigureSource.ENTERPRISE,
                note=note,
                confirm_warnings=True,
            )
        written += 1
    return written


def _review_obligation(actor, task: CampaignTask, action: str, note: str) -> None:
    from smeplan.recognition.models import ObligationState
    from smeplan.recognition.obligations import obligation_review

    if task.obligation_id and task.obligation.state == ObligationState.SUBMITTED:
        obligation_review(actor=actor, obligation=task.obligation, action=action, note=note)


@transaction.atomic
def task_accept(*, actor, task: CampaignTask, lock_version=None, comment: str = "") -> CampaignTask:
    """通过: by a bureau over the task's county. The figures are written into the registry (source
    企业填报, the confirmed warnings stay confirmed) in the same transaction; the firm is told."""
    task = _locked(task)
    comment = " ".join(str(comment or "").split())
    if len(comment) > 500:
        raise ValidationError({"comment": ["审核意见不能超过500个字"]})
    _transition(
        task, "accept", actor=actor, lock_version=task.lock_version if lock_version is None else lock_version
    )
    written = _write_figures(actor, task)
    task.decided_at, task.decided_by, task.comment = timezone.now(), actor, comment
    task.save()
    audit_record(
        actor=actor,
        event_type="campaign_task.accepted",
        subject=task,
        payload={"campaign": task.campaign_id, "years_written": written, "comment": comment},
    )
    _review_obligation(actor, task, "accept", comment or f"数据填报「{task.campaign.title}」审核通过")
    from smeplan.recognition.services import notify

    notify(
        _firm_users(task),
        kind="campaign",
        title=f"「{task.campaign.title}」已审核通过",
        url=_url(task),
    )
    return task


@transaction.atomic
def task_return(*, actor, task: CampaignTask, comment: str, lock_version=None) -> CampaignTask:
    """退回: by a bureau over the task's county, with the comment the firm reads; it corrects and
    submits again."""
    task = _locked(task)
    comment = " ".join(str(comment or "").split())
    if not comment:
        raise ValidationError({"comment": ["退回须填写意见（企业据此修改）"]})
    if len(comment) > 500:
        raise ValidationError({"comment": ["审核意见不能超过500个字"]})
    _transition(
        task, "return", actor=actor, lock_version=task.lock_version if lock_version is None else lock_version
    )
    task.decided_at, task.decided_by, task.comment = timezone.now(), actor, comment
    task.save()
    audit_record(
        actor=actor,
        event_type="campaign_task.returned",
        subject=task,
        payload={"campaign": task.campaign_id, "comment": comment},
    )
    _review_obligation(actor, task, "return", comment)
    from smeplan.recognition.services import notify

    notify(
        _firm_users(task),
        kind="campaign",
        title=f"「{task.campaign.title}」被退回修改：{comment}",
        url=_url(task),
    )
    return task


@transaction.atomic
def tasks_accept(*, actor, items: list[tuple[int, int]]) -> list[CampaignTask]:
    """批量通过 (the review queue): all or nothing — every refusal is listed and nothing changes."""
    from smeplan.campaigns.selectors import tasks_visible_to

    if not items:
        raise ValidationError("请至少选择一项填报任务")
    found = {
        t.pk: t
        for t in tasks_visible_to(actor).filter(pk__in=[pk for pk, _ in items]).select_related("organisation")
    }
    problems, done = [], []
    for pk, version in items:
        task = found.get(pk)
        if task is None:
            problems.append(f"填报任务 {pk} 不存在或不在您的管辖范围内")
            continue
        try:
            with transaction.atomic():
                done.append(task_accept(actor=actor, task=task, lock_version=version))
        except (ValidationError, PermissionDenied) as e:
            text = "；".join(getattr(e, "messages", None) or [str(e)])
            problems.append(f"{task.organisation.name}：{text}")
    if problems:
        raise ValidationError(problems)
    return done


# --- attachments --------------------------------------------------------------------------------


def _storage():
    from django.core.files.storage import default_storage

    return default_storage


@transaction.atomic
def task_attachment_add(*, actor, task: CampaignTask, field: str = "", upload) -> TaskAttachment:
    """佐证材料: checked by content and size (``recognition.services.attachment_check``; a form's
    attachment field: its types and size), kept under a random name, while the task is editable."""
    from smeplan.programmes import formdesign
    from smeplan.recognition.services import attachment_check, attachment_kinds_of

    task = _locked(task)
    require(may_fill(actor, task), "只有该企业的用户（或其主管部门）可以上传佐证材料")
    _require_open(task)
    name = getattr(upload, "name", "") or ""
    content = upload.read() if hasattr(upload, "read") else bytes(upload or b"")
    field = str(field or "").strip()
    if field:
        spec = formdesign.field_map(design_of(task.campaign) or {"sections": []}).get(field)
        if spec is None or spec["type"] != "attachment":
            raise ValidationError({"file": [f"该填报没有附件项「{field}」"]})
        try:
            name, kind = attachment_check(
                name, content, kinds=attachment_kinds_of(spec), max_bytes=spec["max_mb"] * 1024 * 1024
            )
        except ValidationError as e:
            raise ValidationError(
                {"file": [f"{spec['label']}：{m}" for m in e.message_dict["file"]]}
            ) from None
    else:
        name, kind = attachment_check(name, content)
    if task.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": [f"每项填报任务最多 {MAX_ATTACHMENTS} 个佐证材料"]})
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    stored = f"{secrets.token_hex(16)}{suffix}"
    _storage().save(f"{ATTACHMENT_FOLDER}/{stored}", _content_file(content))
    attachment = TaskAttachment.objects.create(
        task=task,
        field=field,
        original_name=name,
        stored_name=stored,
        content_type=kind,
        size=len(content),
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="campaign_task.attachment_added",
        subject=task,
        payload={"name": name, "size": len(content)},
    )
    return attachment


def _content_file(content: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(content)


@transaction.atomic
def task_attachment_remove(*, actor, attachment: TaskAttachment) -> None:
    task = _locked(attachment.task)
    require(may_fill(actor, task), "只有该企业的用户（或其主管部门）可以删除佐证材料")
    _require_open(task)
    name = attachment.original_name
    _storage().delete(f"{ATTACHMENT_FOLDER}/{attachment.stored_name}")
    attachment.delete()
    audit_record(
        actor=actor, event_type="campaign_task.attachment_removed", subject=task, payload={"name": name}
    )


def attachment_response(attachment: TaskAttachment):
    """The stored file under its own name (the caller checked the permission), or 404 when gone."""
    from django.http import FileResponse, Http404

    try:
        handle = _storage().open(f"{ATTACHMENT_FOLDER}/{attachment.stored_name}", "rb")
    except FileNotFoundError:
        raise Http404("佐证材料文件已不存在") from None
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


# --- a city's platform pushes answers -----------------------------------------------------------


class PushRefused(ValidationError):
    """The push was refused as a whole; ``rows`` are the problems: row index (0-based), credit code,
    field, Chinese message."""

    def __init__(self, rows: list[dict]):
        self.rows = rows
        errors: dict[str, list[str]] = {}
        for r in rows:
            errors.setdefault(f"rows.{r['row']}.{r['field']}", []).append(
                f"第{r['row'] + 1}行（{r['credit_code'] or '无代码'}）：{r['message']}"
            )
        super().__init__(errors)


@transaction.atomic
def campaign_answers_push(*, actor, campaign: Campaign, rows: list[dict]) -> list[CampaignTask]:
    """A city's platform sends its firms' answers: each row ``{credit_code, answers, submit,
    confirm_warnings, explanation}`` is saved (and submitted when ``submit``) through the same
    services. Bureau users only, each firm within their scope; all or nothing."""
    require(
        actor.is_authenticated and actor.is_active and (actor.role in BUREAU_ROLES or actor.is_superuser),
        "只有主管部门可以代企业报送填报内容",
    )
    if not rows:
        raise ValidationError({"rows": ["请至少报送一行"]})
    if len(rows) > MAX_PUSH_ROWS:
        raise ValidationError({"rows": [f"每次最多报送 {MAX_PUSH_ROWS} 行（收到 {len(rows)} 行），请分批"]})
    codes = [str(r.get("credit_code") or "").strip().upper() for r in rows]
    tasks = {
        t.organisation.credit_code: t
        for t in CampaignTask.objects.filter(
            campaign=campaign, organisation__credit_code__in=codes
        ).select_related("organisation", "county", "campaign")
    }
    problems: list[dict] = []
    done: list[CampaignTask] = []
    seen: set[str] = set()
    for i, (code, row) in enumerate(zip(codes, rows, strict=True)):
        task = tasks.get(code)
        if code in seen:
            problems.append(
                {"row": i, "credit_code": code, "field": "credit_code", "message": "同一企业重复报送"}
            )
            continue
        seen.add(code)
        if task is None or not is_bureau_over(actor, task):
            problems.append(
                {
                    "row": i,
                    "credit_code": code,
                    "field": "credit_code",
                    "message": "该企业不在本次填报中或不在您的管辖范围内",
                }
            )
            continue
        try:
            with transaction.atomic():
                task = task_save(
                    actor=actor, task=task, answers=row.get("answers") or {}, lock_version=task.lock_version
                )
                if row.get("submit"):
                    task = task_submit(
                        actor=actor,
                        task=task,
                        answers=task.answers,
                        confirm_warnings=bool(row.get("confirm_warnings")),
                        explanation=row.get("explanation") or "",
                        lock_version=task.lock_version,
                    )
                done.append(task)
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, messages in e.message_dict.items():
                    for m in messages:
                        problems.append({"row": i, "credit_code": code, "field": field, "message": m})
            else:
                for m in e.messages:
                    problems.append({"row": i, "credit_code": code, "field": "__all__", "message": m})
        except PermissionDenied as e:
            problems.append({"row": i, "credit_code": code, "field": "__all__", "message": str(e)})
    if problems:
        raise PushRefused(problems)
    audit_record(
        actor=actor,
        event_type="campaign.answers_pushed",
        subject=campaign,
        payload={"count": len(done), "submitted": sum(1 for r in rows if r.get("submit"))},
    )
    return done
