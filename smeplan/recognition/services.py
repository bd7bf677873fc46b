"""Writes of the recognition workflow. Every service is keyword-only, atomic, checks who may act
itself and writes one audit event; every state change goes through ``_transition`` along a row
of ``workflow.TRANSITIONS`` (with its history row and the optimistic lock)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES, ORGANISATION_ROLES, Role, User
from smeplan.accounts.scoping import require, scope_filter
from smeplan.audit.services import audit_record
from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures
from smeplan.programmes import formdesign
from smeplan.programmes.models import OwnerLevel, Tier
from smeplan.recognition import calls as call_rules
from smeplan.recognition import clock
from smeplan.recognition import forms as application_forms
from smeplan.recognition.models import (
    Application,
    ApplicationEvent,
    Attachment,
    Ban,
    Certification,
    CertificationState,
    ChangeKind,
    ChangeReport,
    ChangeState,
    Channel,
    ExpertAssignment,
    Notification,
    Objection,
    ObjectionState,
    PublicNotice,
    State,
    TerminationReason,
)
from smeplan.recognition.signals import send_ended
from smeplan.recognition.workflow import (
    ACTION_LABELS,
    APPLICANT,
    FIRST_STEP,
    NEXT_STEP,
    RETURNED_STEP,
    REVIEW_STATE,
    Transition,
    chain_for,
    transition_for,
)
from smeplan.regions.models import Region
from smeplan.registry.models import Organisation


class ApplicationConflict(ValidationError):
    """乐观锁冲突: someone acted on the application after this user loaded it."""


# --- who may act ----------------------------------------------------------------------------------


def is_applicant(user, application: Application) -> bool:
    """The organisation's own enterprise users, or the bureau that nominated it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role in ORGANISATION_ROLES:
        return user.organisation_id == application.organisation_id
    if application.channel != Channel.APPLY and user.role in BUREAU_ROLES:
        return user.region_id is not None and user.region_id == application.nominated_by_region_id
    return False


def is_awaited_bureau(user, application: Application) -> bool:
    """An active bureau user of the region the application waits for."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in BUREAU_ROLES
        and application.waiting_region_id
        and user.region_id == application.waiting_region_id
    )


def may_act(user, application: Application, row: Transition) -> bool:
    if row.actor == APPLICANT:
        return is_applicant(user, application)
    return is_awaited_bureau(user, application)


def available_actions(user, application: Application) -> list[Transition]:
    """The rows of the table this user may take on this application now (guards not yet checked
    beyond the step position, so the page offers recommend or select, not both)."""
    out = []
    for action in ACTION_LABELS:
        row = transition_for(application.state, action)
        if row is None or not may_act(user, application, row):
            continue
        if row.guard in _POSITION_GUARDS and _guard_message(row.guard, application, {}) is not None:
            continue
        out.append(row)
    return out


# --- guards ---------------------------------------------------------------------------------------


def _last(application: Application) -> bool:
    return application.step >= len(application.chain) - 1


def _ban_of(organisation_id: int, programme_id: int, today=None) -> Ban | None:
    today = today or clock.today()
    return (
        Ban.objects.filter(organisation_id=organisation_id, programme_id=programme_id, until__gt=today)
        .order_by("-until")
        .first()
    )


def ban_message(ban: Ban) -> str:
    return (
        f"该单位的{ban.programme.name}资格已于 {ban.starts_on:%Y年%m月%d日} 终止（{ban.reason}），"
        f"{ban.until:%Y年%m月%d日} 前不再受理申报"
    )


def _guard_message(guard: str, application: Application, context: dict) -> str | None:
    """None when the guard holds, else the Chinese reason it does not."""
    programme = application.programme
    if guard == "not_last_step":
        return "已是最后一级审核，请选择「审核通过（初选/确认）」" if _last(application) else None
    if guard == "last_step_without_experts":
        if not _last(application):
            return "还需上一级审核，请选择「审核通过，推荐上报」"
        return "该项目需要专家评审，请先提交专家评审" if programme.expert_review else None
    if guard == "last_step_with_experts":
        if not _last(application):
            return "还需上一级审核，请选择「审核通过，推荐上报」"
        return None if programme.expert_review else "该项目不需要专家评审"
    if guard == "declared_and_not_banned":
        problems = []
        if application.channel == Channel.APPLY and application.declared_at is None:
            problems.append("请先勾选并确认《真实性承诺》")
        if application.channel == Channel.APPLY:
            fields, files = application_forms.missing(application)
            if fields:
                problems.append("请填写" + "、".join(fields))
            if files:
                problems.append("请上传附件：" + "、".join(f"「{f}」" for f in files))
        ban = _ban_of(application.organisation_id, application.programme_id)
        if ban is not None:
            problems.append(ban_message(ban))
        problems += call_rules.submit_refusals(application)  # the call's window and attachments
        return "；".join(problems) or None
    if guard == "experts_scored":
        assignments = [a for a in application.expert_assignments.all() if a.conflict_declared_at is None]
        if not assignments:
            if application.expert_assignments.exists():
                return "指派的专家均已声明利益冲突并回避，请另行指派专家"
            return "尚未指派评审专家"
        pending = [a for a in assignments if a.submitted_at is None]
        if pending:
            return f"还有 {len(pending)} 位专家未提交评分"
        return None
    if guard == "with_notice":
        return None if context.get("notice") is not None else "请通过「发布公示」把申报列入公示名单"
    if guard == "notice_over_no_objection":
        notice = application.notice
        if notice is None:
            return "该申报没有公示记录"
        today = clock.today()
        if notice.phase(today) != "ended":
            return f"公示期至 {notice.ends_on:%Y年%m月%d日}，公示期内不能认定"
        open_count = application.objections.filter(state=ObjectionState.OPEN).count()
        if open_count:
            return f"还有 {open_count} 条异议未处理，处理完毕后才能认定"
        if not context.get("certification"):
            return "请通过「认定」填写认定文号和日期"
        return None
    raise KeyError(guard)


_POSITION_GUARDS = {"not_last_step", "last_step_without_experts", "last_step_with_experts"}


# --- notifications --------------------------------------------------------------------------------


def _url(name: str, pk) -> str:
    return reverse(name, args=[pk])


def bureau_users(region_code: str):
    return User.objects.filter(region_id=region_code, role__in=list(BUREAU_ROLES), is_active=True)


def applicant_users(application: Application):
    if application.channel == Channel.APPLY:
        return User.objects.filter(
            organisation_id=application.organisation_id, role__in=list(ORGANISATION_ROLES), is_active=True
        )
    return bureau_users(application.nominated_by_region_id) if application.nominated_by_region_id else []


def notify(users: Iterable, *, kind: str, title: str, url: str = "", dedupe_key: str | None = None) -> int:
    """站内通知 for each user; also an e-mail through the outbox (sent after commit) where SMTP is
    configured and the user wants mail — the one implementation is ``notifications.services.notify``."""
    from smeplan.notifications.services import notify as notify_and_mail

    return notify_and_mail(users, kind=kind, title=title, url=url, dedupe_key=dedupe_key)


def _email(recipients: list[str], title: str, url: str) -> None:
    """E-mail a notification to addresses (no account behind them) through the outbox: written
    now, sent after commit; a failing mail server never undoes the change (retried later)."""
    from smeplan.notifications.mail import compose
    from smeplan.notifications.models import OutgoingMail
    from smeplan.notifications.services import schedule_outbox_send

    if not (settings.SMEPLAN_NOTIFY_BY_EMAIL and recipients):
        return
    subject, body = compose(title, url)
    OutgoingMail.objects.bulk_create([OutgoingMail(to=r, subject=subject, body=body) for r in recipients])
    schedule_outbox_send()


@transaction.atomic
def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# --- eligibility ----------------------------------------------------------------------------------


def eligibility_snapshot(application: Application) -> dict:
    """The criteria check at submission, stored with the application and shown at every step."""
    from django.http import Http404

    from smeplan.programmes.engine import explanation_compute

    try:
        ex = explanation_compute(
            organisation=application.organisation, tier=application.tier, year=application.year
        )
    except (ValidationError, Http404) as e:
        message = "；".join(e.messages) if isinstance(e, ValidationError) else str(e)
        return {"outcome": "unavailable", "message": message, "year": application.year, "items": []}
    return {
        "outcome": ex.outcome,
        "year": application.year,
        "version_id": ex.version.pk,
        "version": str(ex.version),
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "items": [
            {"label": i.spec.label or i.spec.metric, "status": i.status, "line": i.line} for i in ex.items
        ],
    }


# --- the one transition ---------------------------------------------------------------------------


def _next(application: Application, row: Transition) -> tuple[str, int]:
    """(state, step) after taking ``row``."""
    if row.next_state == NEXT_STEP:
        step = application.step + 1
        return REVIEW_STATE[application.chain[step][0]], step
    if row.next_state == FIRST_STEP:
        return REVIEW_STATE[application.chain[0][0]], 0
    if row.next_state == RETURNED_STEP:
        step = application.returned_step or 0
        return REVIEW_STATE[application.chain[step][0]], step
    return row.next_state, application.step


def _waiting_region(application: Application, state: str, step: int) -> str | None:
    if state in (State.DRAFT, State.RETURNED) or state in (State.CERTIFIED, State.REJECTED, State.WITHDRAWN):
        return None
    if state in (State.SELECTED, State.ON_NOTICE, State.EXPERT_REVIEW):
        return application.chain[-1][1]
    return application.chain[step][1]


def _transition(
    *, actor, application: Application, action: str, expected_version: int, reason: str = "", **context
) -> Application:
    """Take one row of the table, or refuse with a clear message and change nothing."""
    row = transition_for(application.state, action)
    label = ACTION_LABELS.get(action, action)
    if _version(expected_version) != application.lock_version:  # first: the page the user saw is stale
        raise ApplicationConflict(_conflict_message(application))
    if row is None:
        raise ValidationError(f"申报当前状态为「{application.get_state_display()}」，不能执行「{label}」")
    if not may_act(actor, application, row):
        if row.actor == APPLICANT:
            raise PermissionDenied("只有申报单位（或推荐该申报的主管部门）可以执行此操作")
        where = application.waiting_region.name if application.waiting_region_id else "申报单位"
        raise PermissionDenied(f"该申报正等待{where}处理，您无权执行「{label}」")
    reason = " ".join(str(reason or "").split())
    if row.needs_reason and not reason:
        raise ValidationError({"reason": [f"「{label}」需要填写原因"]})
    if len(reason) > 500:
        raise ValidationError({"reason": ["原因不能超过500个字"]})
    if row.guard:
        message = _guard_message(row.guard, application, context)
        if message:
            raise ValidationError(message)
    if row.counts_quota:
        message = call_rules.quota_refusal(application)
        if message:
            raise ValidationError(message)
    state, step = _next(application, row)
    changes = {
        "state": state,
        "step": step,
        "waiting_region_id": _waiting_region(application, state, step),
        "lock_version": F("lock_version") + 1,
        "updated_at": timezone.now(),
    }
    if state == State.RETURNED:
        changes["returned_step"] = application.step
    if row.needs_reason:
        changes["decision_reason"] = reason
    if action in ("submit", "resubmit"):
        snapshot = eligibility_snapshot(application)
        changes.update(
            eligibility=snapshot, eligibility_outcome=snapshot["outcome"], submitted_at=timezone.now()
        )
    if context.get("notice") is not None:
        changes["notice_id"] = context["notice"].pk
    updated = Application.objects.filter(pk=application.pk, lock_version=application.lock_version).update(
        **changes
    )
    if updated != 1:
        application.refresh_from_db()
        raise ApplicationConflict(_conflict_message(application))
    from_state = application.state
    application.refresh_from_db()
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_state=from_state,
        to_state=state,
        actor=actor if actor.pk else None,
        region_id=actor.region_id if actor.role in BUREAU_ROLES else None,
        reason=reason,
    )
    audit_record(
        actor=actor,
        event_type=f"application.{action}",
        subject=application,
        payload={"from": from_state, "to": state, "reason": reason},
    )
    _notify_after(application, action, reason)
    return application


def _version(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({"version": [f"版本号应为整数（收到「{value}」），请刷新页面后重试"]}) from None


def _conflict_message(application: Application) -> str:
    last = application.events.order_by("-at", "-id").select_related("actor").first()
    who = (
        f"{last.actor}（{ACTION_LABELS.get(last.action, last.action)}，{timezone.localtime(last.at):%H:%M}）"
        if last
        else "他人"
    )
    return (
        f"该申报已被{who}处理，当前状态为「{application.get_state_display()}」。"
        "您的操作没有执行，请刷新页面后再处理。"
    )


def _notify_after(application: Application, action: str, reason: str) -> None:
    url = _url("application_detail", application.pk)
    name = f"{application.organisation.name} 的{application.tier.programme.name}·{application.tier.name}申报"
    if application.waiting_region_id and application.state not in (State.ON_NOTICE,):
        notify(
            bureau_users(application.waiting_region_id),
            kind="queue",
            title=f"待办：{name}（{application.get_state_display()}）",
            url=url,
        )
    if action == "return":
        notify(applicant_users(application), kind="returned", title=f"{name}被退回修改：{reason}", url=url)
    elif action in ("reject", "uphold_objection"):
        notify(applicant_users(application), kind="rejected", title=f"{name}未通过：{reason}", url=url)
    elif action == "certify":
        notify(applicant_users(application), kind="certified", title=f"{name}已认定", url=url)
    elif action in ("recommend", "select"):  # a review step passed: the applicant hears where it stands
        notify(
            applicant_users(application),
            kind="approved",
            title=f"{name}已通过审核，当前：{application.get_state_display()}",
            url=url,
        )


# --- applications ---------------------------------------------------------------------------------


PHONE_RE = formdesign.TEXT_FORMATS["phone"][0]


def _open_application(organisation_id: int, programme_id: int, year: int) -> Application | None:
    return (
        Application.objects.filter(organisation_id=organisation_id, programme_id=programme_id, year=year)
        .exclude(state__in=[State.REJECTED, State.WITHDRAWN])
        .first()
    )


def _new_application_checks(organisation: Organisation, tier: Tier, year: int) -> list[str]:
    programme = tier.programme
    problems = []
    if programme.closed_at is not None:
        problems.append("该认定项目已关闭，不再受理申报")
    if organisation.kind != programme.applicant_kind:
        problems.append(
            f"{organisation.name}是{organisation.get_kind_display()}，{programme.name}只认定"
            f"{programme.get_subject_kind_display()}"
        )
    ban = _ban_of(organisation.pk, programme.pk)
    if ban is not None:
        problems.append(ban_message(ban))
    existing = _open_application(organisation.pk, programme.pk, year)
    if existing is not None:
        problems.append(
            f"{organisation.name}已有{year}年度{programme.name}申报（{existing.tier.name}，{existing.get_state_display()}）"
        )
    active = Certification.objects.filter(
        organisation=organisation, tier=tier, state=CertificationState.ACTIVE
    ).first()
    if active is not None:
        problems.append(f"{organisation.name}已是{active.title}（{active.document_number}），无需重复申报")
    else:
        other = other_tier_held(organisation.pk, tier)
        if other is not None:
            problems.append(other_tier_message(organisation.name, other, tier))
    return problems


def other_tier_held(organisation_id: int, tier: Tier, *, today=None) -> Certification | None:
    """The certification in force that ``organisation_id`` holds in another tier of ``tier``'s
    programme (one firm holds one tier of a programme at a time), or None."""
    from smeplan.recognition.selectors import in_force_on

    return (
        Certification.objects.filter(
            in_force_on(today or clock.today()),
            organisation_id=organisation_id,
            programme_id=tier.programme_id,
            state=CertificationState.ACTIVE,
        )
        .exclude(tier_id=tier.pk)
        .select_related("tier")
        .first()
    )


def other_tier_message(name: str, held: Certification, tier: Tier) -> str:
    return (
        f"{name}已是{held.title}（{held.document_number}），同一认定项目同时只能持有一个梯队；"
        f"如需改为「{tier.name}」，请由认定部门办理梯队调整（晋级/调整），而不是再申报或认定第二个梯队"
    )


def _year_clean(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": [f"数据年度应为四位年份（收到 {year!r}）"]}) from None
    if not 2000 <= year <= clock.today().year:
        raise ValidationError({"year": [f"数据年度 {year} 不在 2000–{clock.today().year} 之间"]})
    return year


@transaction.atomic
def application_start(*, actor, tier: Tier, year=None, call=None) -> Application:
    """企业直接申报: an enterprise user opens an annex-1 form for its own organisation (a draft).
    Through a call (申报批次): the year is the call's, refused outside its window, its regions,
    over its city's quota or while the programme is closed (``calls.apply_refusals``)."""
    require(
        actor.is_authenticated
        and actor.is_active
        and actor.role == Role.ENTERPRISE_USER
        and actor.organisation_id,
        "只有企业用户可以为本企业申报",
    )
    organisation = Organisation.objects.select_related("county").get(pk=actor.organisation_id)
    problems = []
    if call is not None:
        call = type(call).objects.select_related("programme").get(pk=call.pk)  # as stored now
        if call.programme_id != tier.programme_id:
            raise ValidationError({"tier": [f"{tier.name}不属于{call.programme.name}，请选择本批次的梯队"]})
        year = call.year
        problems += call_rules.apply_refusals(call, organisation)
    else:
        year = _year_clean(year)
        problems += _call_required(tier.programme, year)
    problems += _new_application_checks(organisation, tier, year)
    if problems:
        raise ValidationError(problems)
    # the form it is filed on (kept for good: a later version never changes it), prefilled from
    # the registry and the figures relative to the reference year
    form_version = application_forms.version_for(tier.programme, year, call=call)
    design = (
        formdesign.design_check(form_version.design) if form_version else application_forms.generic_design()
    )
    application = Application.objects.create(
        programme=tier.programme,
        tier=tier,
        organisation=organisation,
        year=year,
        call=call,
        channel=Channel.APPLY,
        chain=chain_for(county=organisation.county, owner_level=tier.programme.owner_level),
        form_version=form_version,
        form=formdesign.prefill(design, organisation, year),
        created_by=actor,
    )
    ApplicationEvent.objects.create(
        application=application, action="start", to_state=State.DRAFT, actor=actor
    )
    audit_record(
        actor=actor,
        event_type="application.started",
        subject=application,
        payload={"tier": tier.pk, "year": year, "call": call.pk if call is not None else None},
    )
    return application


def _call_required(programme, year) -> list[str]:
    """A programme that runs calls (申报批次) for a year accepts that year's applications only through
    one of them: a direct application is refused, naming the call."""
    from smeplan.recognition.models import Call

    call = Call.objects.filter(programme=programme, year=year).order_by("-opens_at", "-id").first()
    if call is None:
        return []
    return [f"{year}年度的{programme.name}通过申报批次受理，请在“{call.title}”中申报"]


def figures_years(application: Application) -> list[int]:
    """The years of figures on the application's form (its figures field, relative to the
    reference year; the growth tiers' annex 1: the data year and the two before it)."""
    return application_forms.figures_years(application)


@transaction.atomic
def application_update(
    *,
    actor,
    application: Application,
    expected_version,
    form: dict,
    figures: dict | None = None,
    declare: bool = False,
    confirm_warnings: bool = False,
) -> Application:
    """Save the application's form (draft or returned): ``form`` holds the answers as entered,
    checked by the form version's design (``formdesign.answers_clean``; a draft may leave required
    fields empty, the submission checks them). Figure corrections become figure revisions of the
    registry (source: the enterprise), so the bureaus see the same numbers everywhere. Plausibility
    warnings on the figures (``indicators.plausibility``) refuse the save, as
    ``FiguresNeedConfirmation`` naming the form's cells, unless ``confirm_warnings``."""
    from smeplan.indicators.services import FiguresNeedConfirmation, figures_create, figures_update

    application = Application.objects.select_for_update().get(pk=application.pk)
    require(is_applicant(actor, application), "只有申报单位可以修改登记表")
    if application.state not in (State.DRAFT, State.RETURNED):
        raise ValidationError(
            f"申报已提交（{application.get_state_display()}），不能再修改；如需修改请联系审核部门退回"
        )
    if _version(expected_version) != application.lock_version:
        raise ApplicationConflict(_conflict_message(application))
    errors: dict[str, list[str]] = {}
    design = application_forms.design_of(application)
    try:
        cleaned = formdesign.answers_clean(
            design, form, reference_year=application_forms.reference_year(application), drafting=True
        )
    except ValidationError as e:  # every problem at once: the figures are checked too
        cleaned, errors = {}, dict(e.message_dict)
    years = application_forms.figures_years(application, design)
    warnings = []
    for year, values in (figures or {}).items():
        year = int(year)
        if year not in years:
            errors[f"figures-{year}"] = [
                f"登记表只填写 {years[0]}–{years[-1]} 年的数据" if years else "该申报表不填写年度经营数据"
            ]
            continue
        values = {k: v for k, v in values.items() if k in FIGURE_NAMES}
        row = AnnualFigures.objects.filter(organisation=application.organisation, year=year).first()
        try:
            if row is None:
                if any(str(v or "").strip() for v in values.values()):
                    figures_create(
                        actor=actor,
                        organisation=application.organisation,
                        data={"year": year, **values},
                        note=f"认定申报#{application.pk}填报",
                        confirm_warnings=confirm_warnings,
                    )
            else:
                figures_update(
                    actor=actor,
                    organisation=application.organisation,
                    year=year,
                    data=values,
                    note=f"认定申报#{application.pk}更正",
                    confirm_warnings=confirm_warnings,
                )
        except FiguresNeedConfirmation as e:
            warnings.extend(e.warnings)
        except ValidationError as e:
            for field, messages in e.message_dict.items():
                errors[f"figures-{year}-{field}"] = [f"{year}年 {m}" for m in messages]
    if errors:
        raise ValidationError(errors)
    if warnings:  # nothing of this save is kept (the transaction is rolled back)
        raise FiguresNeedConfirmation(warnings, key=lambda w: f"figures-{w.year}-{w.field}")
    application.form = cleaned
    if declare:
        application.declared_at = timezone.now()
    application.lock_version += 1
    application.save(update_fields=["form", "declared_at", "lock_version", "updated_at"])
    audit_record(
        actor=actor, event_type="application.updated", subject=application, payload={"declared": declare}
    )
    return application


ATTACHMENT_TYPES = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the application attachments' kinds plus Excel workbooks (a bureau's statistics table)
ATTACHMENT_TYPES_WITH_XLSX = {**ATTACHMENT_TYPES, XLSX_TYPE: (b"PK\x03\x04", (".xlsx",))}
KIND_NAMES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG", XLSX_TYPE: "XLSX"}
MAX_ATTACHMENTS = 20


def attachment_max_bytes() -> int:
    return int(getattr(settings, "SMEPLAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def _is_xlsx(content: bytes) -> bool:
    """A zip holding an Excel workbook (not a Word document or any other zip)."""
    from smeplan.exchange.reading import ImportFileError, detect_kind

    try:
        return detect_kind(content[:8192], "", content) == "xlsx"
    except ImportFileError:
        return False


def attachment_response(attachment):
    """The one download of a stored attachment (an application's or a reported value's), for pages
    and the API alike, after the caller's scoped selector found it: the file under its own name, or
    404 when the stored file is gone."""
    from django.http import FileResponse, Http404

    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不存在") from None
    return FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )


def attachment_check(
    name: str, content: bytes, *, kinds: dict = ATTACHMENT_TYPES, max_bytes: int | None = None
) -> tuple[str, str]:
    """The one check of an uploaded attachment, wherever one is uploaded: the name made safe, the
    content present and at most ``SMEPLAN_ATTACHMENT_MAX_BYTES``, its type recognised by CONTENT
    (not by name) among ``kinds`` and matching the extension. Returns (name, content type); raises
    ValidationError({"file": [Chinese message]})."""
    name = (name or "").strip().replace("/", "_").replace("\\", "_")[:200] or "附件"
    limit = attachment_max_bytes() if max_bytes is None else min(max_bytes, attachment_max_bytes())
    if not content:
        raise ValidationError({"file": [f"{name}：文件是空的"]})
    if len(content) > limit:
        raise ValidationError(
            {"file": [f"{name}：文件 {len(content) / 1048576:.1f} MB，超过 {limit / 1048576:.0f} MB 的上限"]}
        )
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    kind = next((t for t, (magic, _) in kinds.items() if content.startswith(magic)), None)
    if kind == XLSX_TYPE and not _is_xlsx(content):
        kind = None
    if kind is None:
        allowed = "、".join(KIND_NAMES.get(k, k) for k in kinds)
        raise ValidationError(
            {"file": [f"{name}：只接受 {allowed} 文件（按文件内容识别，该文件不是其中任何一种）"]}
        )
    if suffix not in kinds[kind][1]:
        raise ValidationError(
            {"file": [f"{name}：文件内容是 {KIND_NAMES.get(kind, kind)}，与扩展名「{suffix or '无'}」不符"]}
        )
    return name, kind


#: a form's attachment file types (``formdesign.FILE_TYPES``) as the content types they admit
FORM_FILE_KINDS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "xlsx": XLSX_TYPE,
}


def attachment_kinds_of(field: dict) -> dict:
    return {FORM_FILE_KINDS[t]: ATTACHMENT_TYPES_WITH_XLSX[FORM_FILE_KINDS[t]] for t in field["file_types"]}


@transaction.atomic
def attachment_add(
    *, actor, application: Application, name: str, content: bytes, description: str = "", field: str = ""
) -> Attachment:
    """申报附件: PDF, PNG or JPEG, recognised by content (not by name), at most
    ``SMEPLAN_ATTACHMENT_MAX_BYTES`` (``attachment_check``); stored under a random name,
    downloadable only through a view that checks permission. With ``field`` (an attachment field of
    the application's form) the file is that field's, of its allowed types and size."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(is_applicant(actor, application), "只有申报单位可以上传附件")
    if application.state not in (State.DRAFT, State.RETURNED):
        raise ValidationError("申报已提交，不能再添加附件")
    field = str(field or "").strip()
    wanted = call_rules.call_attachment(application, field)  # one of the call's required files
    if wanted is not None:
        xlsx = "xlsx" in wanted["types"]
        name, kind = attachment_check(
            name, content, kinds=ATTACHMENT_TYPES_WITH_XLSX if xlsx else ATTACHMENT_TYPES
        )
        field = call_rules.attachment_field_check(application, field, name, kind, len(content))
        spec = {"label": wanted["label"]}
    elif field:
        spec = formdesign.field_map(application_forms.design_of(application)).get(field)
        if spec is None or spec["type"] != "attachment":
            raise ValidationError({"file": [f"申报表没有附件项「{field}」"]})
        try:
            name, kind = attachment_check(
                name, content, kinds=attachment_kinds_of(spec), max_bytes=spec["max_mb"] * 1024 * 1024
            )
        except ValidationError as e:
            raise ValidationError(
                {field: [f"{spec['label']}：{m}" for m in e.message_dict["file"]]}
            ) from None
    else:
        name, kind = attachment_check(name, content)
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": [f"每份申报最多 {MAX_ATTACHMENTS} 个附件"]})
    attachment = Attachment(
        application=application,
        name=name,
        content_type=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=" ".join(str(description or "").split())[:100],
        field=field,
        uploaded_by=actor,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        event_type="application.attachment_added",
        subject=application,
        payload={"name": name, "size": len(content), **({"field": spec["label"]} if field else {})},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    application = attachment.application
    require(is_applicant(actor, application), "只有申报单位可以删除附件")
    if application.state not in (State.DRAFT, State.RETURNED):
        raise ValidationError("申报已提交，不能再删除附件")
    name = attachment.name
    attachment.file.delete(save=False)
    attachment.delete()
    audit_record(
        actor=actor, event_type="application.attachment_removed", subject=application, payload={"name": name}
    )


def _application_at_step(
    *, actor, tier: Tier, organisation, year: int, chain, step: int, channel: str, region: Region, **links
) -> Application:
    """An application put forward by a bureau (nomination, promotion): it starts at ``step`` of its
    chain, waiting for that step's bureau, with the eligibility checked now and a history row."""
    application = Application(
        programme=tier.programme,
        tier=tier,
        organisation=organisation,
        year=year,
        channel=channel,
        chain=chain,
        step=step,
        state=REVIEW_STATE[chain[step][0]],
        waiting_region_id=chain[step][1],
        nominated_by_region=region,
        created_by=actor,
        submitted_at=timezone.now(),
        form={"contact_person": organisation.contact_person, "contact_phone": organisation.contact_phone},
        **links,
    )
    snapshot = eligibility_snapshot(application)
    application.eligibility, application.eligibility_outcome = snapshot, snapshot["outcome"]
    application.save()
    ApplicationEvent.objects.create(
        application=application, action=channel, to_state=application.state, actor=actor, region=region
    )
    return application


@transaction.atomic
def applications_nominate(
    *, actor, tier: Tier, year, organisation_ids: list[int], screening_run=None
) -> list[Application]:
    """主管部门推荐: a bureau nominates organisations (one or many, e.g. from a screening result).
    Each application starts at the nominating bureau's own step of its chain and waits there for
    that bureau's review (so nominations are reviewed and recommended in bulk from its queue).
    All or nothing: any refusal names the organisation and nothing is created."""
    require(
        actor.is_authenticated and actor.is_active and actor.role in BUREAU_ROLES and actor.region_id,
        "只有主管部门可以推荐",
    )
    year = _year_clean(year)
    ids = sorted({int(i) for i in organisation_ids})
    if not ids:
        raise ValidationError("请选择要推荐的单位")
    visible = {
        o.pk: o for o in scope_filter(actor, Organisation.objects.filter(pk__in=ids)).select_related("county")
    }
    problems = []
    made = []
    for pk in ids:
        organisation = visible.get(pk)
        if organisation is None:
            problems.append(f"单位 #{pk} 不存在或不在您的管辖范围内")
            continue
        chain = chain_for(county=organisation.county, owner_level=tier.programme.owner_level)
        step = next((i for i, (_, code) in enumerate(chain) if code == actor.region_id), None)
        if step is None:
            problems.append(f"{organisation.name}：{tier.programme.name}的审核链中没有您所在的部门")
            continue
        problems += [f"{organisation.name}：{p}" for p in _new_application_checks(organisation, tier, year)]
        made.append((organisation, chain, step))
    if problems:
        raise ValidationError(problems)
    region = Region.objects.get(pk=actor.region_id)
    out = []
    for organisation, chain, step in made:
        application = _application_at_step(
            actor=actor,
            tier=tier,
            organisation=organisation,
            year=year,
            chain=chain,
            step=step,
            channel=Channel.NOMINATE,
            region=region,
            screening_run=screening_run,
        )
        audit_record(
            actor=actor,
            event_type="application.nominated",
            subject=application,
            payload={"run": getattr(screening_run, "pk", None)},
        )
        out.append(application)
    return out


def application_act(
    *, actor, application: Application, action: str, expected_version, reason: str = ""
) -> Application:
    """One action of the table on one application (submit, recommend, select, return, reject …)."""
    if action in ("publish", "certify"):
        raise ValidationError("请通过「发布公示」或「认定」办理")
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("programme", "tier", "organisation")
            .get(pk=application.pk)
        )
        return _transition(
            actor=actor,
            application=application,
            action=action,
            expected_version=expected_version,
            reason=reason,
        )


def _locked(items: list[tuple[int, int]], *, actor) -> list[tuple[Application, int]]:
    """The chosen applications, locked, each with the version its row showed. An application
    outside ``actor``'s scope is refused like a missing one (404, naming no organisation)."""
    from django.http import Http404

    try:
        ids = [int(pk) for pk, _ in items]
    except (TypeError, ValueError):
        raise ValidationError("申报编号应为整数") from None
    if len(set(ids)) != len(ids):
        raise ValidationError("同一申报被选择了两次")
    rows = {
        a.pk: a
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join
        for a in scope_filter(
            actor,
            Application.objects.select_for_update(of=("self",))
            .select_related("programme", "tier", "organisation", "waiting_region", "notice")
            .filter(pk__in=ids),
            organisation="organisation",
        ).order_by("pk")
    }
    missing = [pk for pk in ids if pk not in rows]
    if missing:
        raise Http404(f"申报 #{', #'.join(map(str, missing))} 不存在或不在您的管辖范围内")
    return [(rows[int(pk)], _version(version)) for pk, version in items]


def _bulk(fn, pairs):
    """Run ``fn(application, version)`` for each; collect every refusal; all or nothing."""
    problems, out = [], []
    for application, version in pairs:
        try:
            out.append(fn(application, version))
        except (ValidationError, PermissionDenied) as e:
            messages = e.messages if isinstance(e, ValidationError) else [str(e)]
            problems.append(f"{application.organisation.name}：{'；'.join(messages)}")
    if problems:
        raise ValidationError(problems)
    return out


@transaction.atomic
def applications_act(
    *, actor, items: list[tuple[int, int]], action: str, reason: str = ""
) -> list[Application]:
    """批量办理: the same action on many applications, each with the version its row showed. All or
    nothing: one refusal or conflict and none is changed; every refusal is listed."""
    if action in ("publish", "certify"):
        raise ValidationError("请通过「发布公示」或「认定」办理")
    if not items:
        raise ValidationError("请至少选择一项申报")
    return _bulk(
        lambda a, v: _transition(
            actor=actor, application=a, action=action, expected_version=v, reason=reason
        ),
        _locked(items, actor=actor),
    )


# --- expert review --------------------------------------------------------------------------------


@transaction.atomic
def experts_assign(*, actor, application: Application, expert_ids: list[int]) -> list[ExpertAssignment]:
    """The bureau awaiting an application in 专家评审 assigns experts (each once)."""
    application = Application.objects.select_for_update().select_related("programme").get(pk=application.pk)
    require(is_awaited_bureau(actor, application), "只有负责该申报的主管部门可以指派专家")
    if application.state != State.EXPERT_REVIEW:
        raise ValidationError(f"申报当前状态为「{application.get_state_display()}」，不在专家评审阶段")
    experts = list(User.objects.filter(pk__in=expert_ids, role=Role.EXPERT, is_active=True).order_by("pk"))
    chosen = {str(pk): n for n, pk in enumerate(expert_ids)}
    experts.sort(key=lambda e: chosen.get(str(e.pk), 0))  # in the order chosen (the database has none)
    if not experts or len(experts) != len(set(expert_ids)):
        raise ValidationError("请选择有效的评审专家（角色为评审专家的在用账号）")
    already = set(application.expert_assignments.values_list("expert_id", flat=True))
    made = [
        ExpertAssignment.objects.create(application=application, expert=e, assigned_by=actor)
        for e in experts
        if e.pk not in already
    ]
    for a in made:
        notify(
            [a.expert],
            kind="expert",
            title=f"评审任务：{application}",
            url=_url("expert_assignment_detail", a.pk),
        )
    audit_record(
        actor=actor,
        event_type="application.experts_assigned",
        subject=application,
        payload={"experts": [e.pk for e in experts]},
    )
    return made


@transaction.atomic
def expert_declare(*, actor, assignment: ExpertAssignment) -> ExpertAssignment:
    """无利益冲突声明 — required before scoring."""
    require(actor.pk == assignment.expert_id, "只能处理分配给自己的评审任务")
    if assignment.conflict_declared_at is not None:
        raise ValidationError("您已声明存在利益冲突并回避，不能再声明无利益冲突")
    if assignment.no_conflict_declared_at is None:
        assignment.no_conflict_declared_at = timezone.now()
        assignment.save(update_fields=["no_conflict_declared_at"])
        audit_record(actor=actor, event_type="expert.declared", subject=assignment.application)
    return assignment


@transaction.atomic
def expert_conflict_declare(*, actor, assignment: ExpertAssignment, note: str = "") -> ExpertAssignment:
    """声明存在利益冲突（回避）: the expert is recused — does not score and is not counted; the
    bureau may assign another expert. Not after the scores were submitted."""
    assignment = (
        ExpertAssignment.objects.select_for_update().select_related("application").get(pk=assignment.pk)
    )
    require(actor.pk == assignment.expert_id, "只能处理分配给自己的评审任务")
    if assignment.submitted_at is not None:
        raise ValidationError("评分已提交，不能再声明利益冲突")
    if assignment.application.state != State.EXPERT_REVIEW:
        raise ValidationError("该申报已不在专家评审阶段")
    note = str(note or "").strip()
    if not note:
        raise ValidationError({"conflict_note": ["请说明利益冲突的情况（如：曾在该企业任职、存在投资关系）"]})
    if assignment.conflict_declared_at is None:
        assignment.conflict_declared_at = timezone.now()
        assignment.conflict_note = note[:300]
        assignment.save(update_fields=["conflict_declared_at", "conflict_note"])
        audit_record(
            actor=actor,
            event_type="expert.conflict_declared",
            subject=assignment.application,
            payload={"note": assignment.conflict_note},
        )
    return assignment


def expert_items(application: Application) -> tuple[list[dict], dict | None]:
    """What the experts score: the expert indicators of the application's rubric version (points
    0 … max each; returns them and the design), or — for a programme without one — the older
    0–100 items of ``Programme.rubric`` (design None)."""
    from smeplan.programmes.rubric import expert_indicators
    from smeplan.recognition.scoring import rubric_version_of

    version = rubric_version_of(application)
    if version is not None:
        items = expert_indicators(version.design)
        if items:
            return items, version.design
    return list(application.programme.rubric or []), None


def rubric_points(items: list[dict], scores: dict) -> tuple[dict, Decimal]:
    """Check the points of every expert indicator (0 … its maximum, at most 2 decimals); their sum."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    total = Decimal(0)
    for item in items:
        raw = str(scores.get(item["code"], "")).strip()
        maximum = Decimal(str(item["max"]))
        try:
            value = Decimal(raw)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors[item["code"]] = [f"{item['label']}：请填写 0–{maximum.normalize():f} 分（收到「{raw}」）"]
            continue
        if not Decimal(0) <= value <= maximum:
            errors[item["code"]] = [
                f"{item['label']}：得分应在 0–{maximum.normalize():f} 分之间（收到 {raw}）"
            ]
            continue
        if value != value.quantize(Decimal("0.01")):
            errors[item["code"]] = [f"{item['label']}：得分最多保留两位小数（收到 {raw}）"]
            continue
        clean[item["code"]] = f"{value.normalize():f}"
        total += value
    if errors:
        raise ValidationError(errors)
    return clean, total.quantize(Decimal("0.01"))


def rubric_score(rubric: list[dict], scores: dict) -> tuple[dict, Decimal]:
    """Older programmes: check 0–100 scores for every rubric item; weighted mean Σwᵢsᵢ/Σwᵢ (2 decimals)."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    total = Decimal(0)
    weights = Decimal(0)
    for item in rubric:
        raw = str(scores.get(item["code"], "")).strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            errors[item["code"]] = [f"{item['label']}：请填写 0–100 的分数（收到「{raw}」）"]
            continue
        if not Decimal(0) <= value <= Decimal(100):
            errors[item["code"]] = [f"{item['label']}：分数应在 0–100 之间（收到 {raw}）"]
            continue
        clean[item["code"]] = str(value)
        total += value * Decimal(item["weight"])
        weights += Decimal(item["weight"])
    if errors:
        raise ValidationError(errors)
    return clean, (total / weights).quantize(Decimal("0.01")) if weights else Decimal(0)


@transaction.atomic
def expert_score(*, actor, assignment: ExpertAssignment, scores: dict, comment: str = "") -> ExpertAssignment:
    """An expert scores the application: points per expert indicator of its rubric version (or the
    older 0–100 items); the application's ``expert_score`` becomes the experts' aggregate
    (``expert_summary``: the rubric's mean or trimmed mean over the counted, not recused, experts)."""
    assignment = (
        ExpertAssignment.objects.select_for_update(of=("self",))
        .select_related("application__programme", "application__call")
        .get(pk=assignment.pk)
    )
    require(actor.pk == assignment.expert_id, "只能处理分配给自己的评审任务")
    application = assignment.application
    if application.state != State.EXPERT_REVIEW:
        raise ValidationError("该申报已不在专家评审阶段，不能再评分")
    if assignment.conflict_declared_at is not None:
        raise ValidationError("您已声明存在利益冲突并回避，不能评分")
    if assignment.no_conflict_declared_at is None:
        raise ValidationError("请先声明与该企业无利益冲突")
    items, design = expert_items(application)
    clean, score = rubric_points(items, scores) if design is not None else rubric_score(items, scores)
    assignment.scores, assignment.score = clean, score
    assignment.comment = str(comment or "").strip()[:1000]
    assignment.submitted_at = timezone.now()
    assignment.save()
    summary = expert_summary(application)
    Application.objects.filter(pk=application.pk).update(expert_score=summary["mean"])
    audit_record(actor=actor, event_type="expert.scored", subject=application, payload={"score": str(score)})
    return assignment


def expert_summary(application: Application) -> dict:
    """The counted (submitted, not recused) experts' scores: how many, the aggregate by the rubric's
    setting (mean, or without the highest and lowest when there are at least 3), the spread
    (max − min), how it was aggregated (in Chinese) and the outliers (assignment ids whose total
    deviates from the others' mean by more than the rubric's ``outlier_points``)."""
    from smeplan.programmes.rubric import AGGREGATIONS, outliers_of

    counted = [
        a
        for a in application.expert_assignments.order_by("pk")
        if a.submitted_at is not None and a.conflict_declared_at is None
    ]
    scores = [a.score for a in counted]
    if not scores:
        return {"count": 0, "mean": None, "spread": None, "how": "", "outliers": []}
    _items, design = expert_items(application)
    aggregation = (design or {}).get("experts", {}).get("aggregation", "mean")
    kept = scores
    how = AGGREGATIONS["mean"]
    if aggregation == "trimmed_mean":
        if len(scores) >= 3:
            kept = sorted(scores)[1:-1]
            how = AGGREGATIONS["trimmed_mean"]
        else:
            how = f"不足 3 位专家，未去掉最高最低分，按{AGGREGATIONS['mean']}"
    flags = outliers_of(design or {}, scores)
    return {
        "count": len(scores),
        "mean": (sum(kept) / len(kept)).quantize(Decimal("0.01")),
        "spread": max(scores) - min(scores),
        "how": how,
        "outliers": [a.pk for a, flagged in zip(counted, flags, strict=True) if flagged],
    }


# --- public notice and objections -----------------------------------------------------------------


def _notice_terms_clean(programme, *, title, starts_on, days) -> tuple[str, dt.date, int]:
    """A notice's title, first day (default today, never earlier) and length in days (default the
    programme's ``notice_days``, 1–60), checked together: every problem in one ValidationError."""
    errors: dict[str, list[str]] = {}
    title = " ".join(str(title or "").split())
    if not title:
        errors["title"] = ["请填写公示标题"]
    elif len(title) > 200:
        errors["title"] = ["公示标题不能超过200个字"]
    if starts_on in (None, ""):
        starts_on = clock.today()
    elif isinstance(starts_on, str):
        try:
            starts_on = dt.date.fromisoformat(starts_on)
        except ValueError:
            errors["starts_on"] = [f"公示开始日期格式应为 YYYY-MM-DD（收到「{starts_on}」）"]
    if isinstance(starts_on, dt.date) and starts_on < clock.today():
        errors["starts_on"] = [f"公示开始日期不能早于今天（{clock.today():%Y-%m-%d}）"]
    try:
        days = programme.notice_days if days in (None, "") else int(days)
        if not 1 <= days <= 60:
            errors["days"] = [f"公示天数应在 1–60 之间（收到 {days}）"]
    except (TypeError, ValueError):
        errors["days"] = [f"公示天数应为整数（收到「{days}」）"]
    if errors:
        raise ValidationError(errors)
    return title, starts_on, days


@transaction.atomic
def notice_publish(
    *, actor, items: list[tuple[int, int]], title: str, starts_on=None, days=None, contact: str = ""
) -> PublicNotice:
    """发布公示: selected applications of one programme, awaiting the actor's bureau, go on notice
    from ``starts_on`` (default today) for ``days`` (default the programme's)."""

    require(
        actor.is_authenticated and actor.is_active and actor.role in BUREAU_ROLES and actor.region_id,
        "只有主管部门可以发布公示",
    )
    pairs = _locked(items, actor=actor) if items else []
    if not pairs:
        raise ValidationError("请选择要公示的申报")
    programmes = {a.programme_id for a, _ in pairs}
    if len(programmes) != 1:
        raise ValidationError("一次公示只能包含同一认定项目的申报")
    programme = pairs[0][0].programme
    title, starts_on, days = _notice_terms_clean(programme, title=title, starts_on=starts_on, days=days)
    notice = PublicNotice.objects.create(
        programme=programme,
        region_id=actor.region_id,  # each application's transition checks it waits for this bureau
        title=title,
        starts_on=starts_on,
        days=days,
        ends_on=starts_on + dt.timedelta(days=days - 1),
        contact=" ".join(str(contact or "").split())[:200],
        created_by=actor,
    )
    _bulk(
        lambda a, v: _transition(
            actor=actor, application=a, action="publish", expected_version=v, notice=notice
        ),
        pairs,
    )
    audit_record(
        actor=actor,
        event_type="notice.published",
        subject=notice,
        payload={"applications": [a.pk for a, _ in pairs]},
    )
    return notice


OBJECTION_LIMITS = {"name": 40, "phone": 20, "text": 2000}


@transaction.atomic
def objection_file(
    *,
    notice: PublicNotice,
    application_id=None,
    name: str,
    phone: str,
    text: str,
    client: str = "",
    change_report_id=None,
) -> Objection:
    """异议: anyone, without an account, names themself and objects to one listed application while
    the notice runs. (Rate limiting by client is the view's job; ``client`` is stored hashed.)"""
    errors: dict[str, list[str]] = {}
    name = " ".join(str(name or "").split())
    phone = str(phone or "").strip()
    text = str(text or "").strip()
    if not name:
        errors["name"] = ["请填写异议人真实姓名（实名提出的异议才予受理）"]
    if not PHONE_RE.match(phone):
        errors["phone"] = [f"请填写有效的联系电话（收到「{phone}」）"]
    if len(text) < 10:
        errors["text"] = ["请具体写明异议内容和理由（至少10个字）"]
    for key, limit in OBJECTION_LIMITS.items():
        value = {"name": name, "phone": phone, "text": text}[key]
        if len(value) > limit:
            errors[key] = [f"不能超过{limit}个字"]
    application = report = None
    try:
        if change_report_id not in (None, ""):  # a rename on notice (更名公示)
            report = notice.change_reports.select_related("certification").get(pk=int(change_report_id))
        else:
            application = notice.applications.get(pk=int(application_id))
    except (Application.DoesNotExist, ChangeReport.DoesNotExist, TypeError, ValueError):
        errors["application"] = ["请选择公示名单中的企业"]
    if errors:
        raise ValidationError(errors)
    phase = notice.phase(clock.today())
    if phase != "running":
        when = "尚未开始" if phase == "not_started" else f"已于 {notice.ends_on:%Y年%m月%d日} 结束"
        raise ValidationError(f"公示{when}，不能提出异议")
    if (application and application.state != State.ON_NOTICE) or (
        report and report.state != ChangeState.ON_NOTICE
    ):
        raise ValidationError("该企业已不在公示中")
    objection = Objection.objects.create(
        notice=notice,
        application=application,
        change_report=report,
        name=name,
        phone=phone,
        text=text,
        client=hashlib.sha256(client.encode()).hexdigest() if client else "",
    )
    audit_record(
        actor=None,
        event_type="objection.filed",
        subject=application or report,
        payload={"objection": objection.pk},
    )
    subject_name = application.organisation.name if application else report.certification.organisation_name
    notify(
        bureau_users(notice.region_id),
        kind="objection",
        title=f"收到异议：{subject_name}（{notice.title}）",
        url=_url("notice_detail", notice.pk),
    )
    return objection


@transaction.atomic
def objection_resolve(
    *, actor, objection: Objection, upheld: bool, resolution: str, expected_version=None
) -> Objection:
    """处理异议: upheld → the application is rejected (with the resolution as reason); dismissed →
    it stays on notice. Only the notice's bureau resolves."""
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("notice", "application")
        .get(pk=objection.pk)
    )
    notice = objection.notice
    require(
        actor.is_authenticated
        and actor.is_active
        and actor.role in BUREAU_ROLES
        and actor.region_id == notice.region_id,
        "只有发布公示的主管部门可以处理异议",
    )
    if objection.state != ObjectionState.OPEN:
        raise ValidationError(f"该异议已处理（{objection.get_state_display()}）")
    resolution = " ".join(str(resolution or "").split())
    if not resolution:
        raise ValidationError({"resolution": ["请填写处理意见"]})
    if len(resolution) > 500:
        raise ValidationError({"resolution": ["处理意见不能超过500个字"]})
    objection.state = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
    objection.resolution, objection.resolved_by, objection.resolved_at = resolution, actor, timezone.now()
    objection.save()
    if objection.change_report_id:  # an objection to a rename on notice
        report = ChangeReport.objects.select_for_update().get(pk=objection.change_report_id)
        if upheld and report.state == ChangeState.ON_NOTICE:
            report.state = ChangeState.REFUSED
            report.decided_by, report.decided_at = actor, timezone.now()
            report.decision_note = f"异议成立：{resolution}"[:500]
            report.save()
        audit_record(
            actor=actor,
            event_type="objection.resolved",
            subject=report,
            payload={"objection": objection.pk, "upheld": upheld},
        )
        return objection
    application = (
        Application.objects.select_for_update()
        .select_related("programme", "tier", "organisation")
        .get(pk=objection.application_id)
    )
    if upheld and application.state == State.ON_NOTICE:
        _transition(
            actor=actor,
            application=application,
            action="uphold_objection",
            expected_version=application.lock_version if expected_version is None else expected_version,
            reason=f"异议成立：{resolution}",
        )
    audit_record(
        actor=actor,
        event_type="objection.resolved",
        subject=application,
        payload={"objection": objection.pk, "upheld": upheld},
    )
    return objection


@transaction.atomic
def notices_close_due(*, today=None) -> int:
    """Notify each notice's bureau once when its notice has ended (run daily by the task / command;
    never by a page). Returns the number of notices closed."""
    today = today or clock.today()
    due = list(
        PublicNotice.objects.select_for_update().filter(ends_on__lt=today, end_notified_at__isnull=True)
    )
    for notice in due:
        notify(
            bureau_users(notice.region_id),
            kind="notice_ended",
            title=f"公示期已结束：{notice.title}，可以办理认定",
            url=_url("notice_detail", notice.pk),
        )
    PublicNotice.objects.filter(pk__in=[n.pk for n in due]).update(end_notified_at=timezone.now())
    return len(due)


# --- certification, termination, bans, promotion, changes ----------------------------------------


def _document_clean(value: str, field: str = "document_number") -> str:
    value = " ".join(str(value or "").split())
    if not value:
        raise ValidationError({field: ["请填写文号（如 陕中小企发〔2026〕12号）"]})
    if len(value) > 60:
        raise ValidationError({field: ["文号不能超过60个字"]})
    return value


def _date_clean(value, field: str, label: str):

    if value in (None, ""):
        return clock.today()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: [f"{label}格式应为 YYYY-MM-DD（收到「{value}」）"]}) from None


def _certificate_for(
    application: Application, *, actor, document_number, certified_on, previous=None
) -> Certification:
    programme = application.programme
    region = Region.objects.get(pk=application.chain[-1][1])
    region_name = "陕西省" if region.level == "province" else region.name
    valid_until = (
        clock.add_years(certified_on, programme.validity_years) if programme.validity_years else None
    )
    next_review = (
        clock.add_years(certified_on, programme.review_interval_years)
        if programme.review_interval_years
        else None
    )
    return Certification.objects.create(
        application=application,
        organisation=application.organisation,
        programme=programme,
        tier=application.tier,
        level=programme.owner_level,
        region=region,
        document_number=document_number,
        certified_on=certified_on,
        title=programme.title_for(region_name=region_name, tier_name=application.tier.name),
        organisation_name=application.organisation.name,
        valid_until=valid_until,
        next_review_on=next_review,
        previous=previous or application.promoted_from,
        certified_by=actor,
    )


@transaction.atomic
def applications_certify(
    *, actor, items: list[tuple[int, int]], document_number: str, certified_on=None
) -> list[Certification]:
    """认定: applications whose notice has ended with no open objection are certified under one
    document number; each gets its certificate (title from the programme), a promotion supersedes
    the lower-level certification it came from."""
    document_number = _document_clean(document_number)
    certified_on = _date_clean(certified_on, "certified_on", "认定日期")
    if certified_on > clock.today():
        raise ValidationError({"certified_on": ["认定日期不能晚于今天"]})
    pairs = _locked(items, actor=actor)
    if not pairs:
        raise ValidationError("请选择要认定的申报")
    out = []

    def one(application, version):
        held = other_tier_held(application.organisation_id, application.tier)
        if held is not None:
            raise ValidationError(other_tier_message("", held, application.tier))
        _transition(
            actor=actor,
            application=application,
            action="certify",
            expected_version=version,
            certification=True,
        )
        certification = _certificate_for(
            application, actor=actor, document_number=document_number, certified_on=certified_on
        )
        if application.promoted_from_id:
            ended = Certification.objects.filter(
                pk=application.promoted_from_id, state=CertificationState.ACTIVE
            ).update(state=CertificationState.SUPERSEDED, ended_on=certified_on)
            if ended:
                send_ended(
                    certification_ids=[application.promoted_from_id],
                    actor=actor,
                    because=f"已晋级认定（{document_number}）",
                )
        out.append(certification)
        return certification

    _bulk(one, pairs)
    audit_record(
        actor=actor,
        event_type="certification.issued",
        subject=out[0],
        payload={"document": document_number, "count": len(out)},
    )
    return out


def may_manage_certification(user, certification: Certification) -> bool:
    """The certifying bureau (and, for the province's certifications, provincial users)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in BUREAU_ROLES
        and user.region_id == certification.region_id
    )


def may_end_certification(user, certification: Certification) -> bool:
    """Terminations and tier moves: the certifying bureau, and the provincial bureau for every level
    (it confirms the yearly evaluation's proposals for city and county lists too, 六（三）)."""
    return may_manage_certification(user, certification) or bool(
        user.is_authenticated
        and user.is_active
        and user.role in {Role.PROVINCIAL_ADMIN, Role.PROVINCIAL_OFFICER}
    )


@transaction.atomic
def certification_terminate(
    *, actor, certification: Certification, reason: str, document_number: str, note: str = "", ended_on=None
) -> Certification:
    """终止资格 with a reason and a document number; the organisation may not apply to the same
    programme for the programme's ``ban_years`` (growth tiers: 2)."""
    certification = (
        Certification.objects.select_for_update().select_related("programme").get(pk=certification.pk)
    )
    require(may_end_certification(actor, certification), "只有认定该资格的主管部门或省级主管部门可以终止资格")
    if certification.state != CertificationState.ACTIVE:
        raise ValidationError(f"该认定已是「{certification.get_state_display()}」状态")
    if reason not in TerminationReason.values:
        raise ValidationError(
            {"reason": [f"请选择终止原因（{'、'.join(str(label) for label in TerminationReason.labels)}）"]}
        )
    document_number = _document_clean(document_number, "document_number")
    ended_on = _date_clean(ended_on, "ended_on", "终止日期")
    certification.state = CertificationState.TERMINATED
    certification.ended_on = ended_on
    certification.termination_reason = reason
    certification.termination_document = document_number
    certification.termination_note = " ".join(str(note or "").split())[:500]
    certification.save()
    send_ended(
        certification_ids=[certification.pk],
        actor=actor,
        because=f"已终止资格：{TerminationReason(reason).label}（{document_number}）",
    )
    programme = certification.programme
    if programme.ban_years:
        Ban.objects.create(
            organisation=certification.organisation,
            programme=programme,
            certification=certification,
            starts_on=ended_on,
            until=clock.add_years(ended_on, programme.ban_years),
            reason=f"{TerminationReason(reason).label}（{document_number}）",
        )
    audit_record(
        actor=actor,
        event_type="certification.terminated",
        subject=certification,
        payload={"reason": reason, "document": document_number},
    )
    notify(
        User.objects.filter(organisation_id=certification.organisation_id, is_active=True),
        kind="terminated",
        title=f"{certification.title}资格已终止：{TerminationReason(reason).label}（{document_number}）",
        url=_url("certification_detail", certification.pk),
    )
    return certification


NEXT_LEVEL = {OwnerLevel.COUNTY: OwnerLevel.CITY, OwnerLevel.CITY: OwnerLevel.PROVINCE}


@transaction.atomic
def certification_promote(*, actor, certification: Certification, year) -> Application:
    """晋级: the certifying bureau puts its certified organisation forward to the same tier of the
    programme one level up (same family: 县级 → 市级 → 省级成长梯队). The new application starts at
    the next level's review, linked to the certification it comes from."""
    from smeplan.programmes.models import Programme

    require(may_manage_certification(actor, certification), "只有认定该资格的主管部门可以推荐晋级")
    if certification.state != CertificationState.ACTIVE:
        raise ValidationError("只有有效的认定可以晋级")
    level = NEXT_LEVEL.get(certification.programme.owner_level)
    family = certification.programme.code.rsplit("-", 1)[0]
    target = Programme.objects.filter(code=f"{family}-{level}").first() if level else None
    if target is None:
        raise ValidationError(f"{certification.programme.name}没有更高一级的项目可以晋级")
    tier = target.tiers.filter(code=certification.tier.code).first()
    if tier is None:
        raise ValidationError(f"{target.name}没有「{certification.tier.name}」梯队")
    year = _year_clean(year)
    organisation = Organisation.objects.select_related("county").get(pk=certification.organisation_id)
    problems = _new_application_checks(organisation, tier, year)
    if problems:
        raise ValidationError(problems)
    chain = chain_for(county=organisation.county, owner_level=target.owner_level)
    step = next((i for i, (_, code) in enumerate(chain) if code == certification.region_id), None)
    if step is None or step + 1 >= len(chain):
        raise ValidationError("晋级的审核链中没有认定部门的上一级")
    step += 1
    region = Region.objects.get(pk=certification.region_id)
    application = _application_at_step(
        actor=actor,
        tier=tier,
        organisation=organisation,
        year=year,
        chain=chain,
        step=step,
        channel=Channel.PROMOTE,
        region=region,
        promoted_from=certification,
    )
    audit_record(
        actor=actor,
        event_type="application.promoted",
        subject=application,
        payload={"from": certification.pk},
    )
    _notify_after(application, "promote", "")
    return application


def _certifying_city(certification: Certification) -> str | None:
    return certification.organisation.county.city_level_unit_code()


@transaction.atomic
def change_report_file(
    *, actor, certification: Certification, kind: str, description: str, new_name: str = ""
) -> ChangeReport:
    """重大变化报告 by the organisation or a bureau that sees it; the criteria are re-checked at once."""
    require(
        (actor.role in ORGANISATION_ROLES and actor.organisation_id == certification.organisation_id)
        or (
            actor.role in BUREAU_ROLES
            and scope_filter(actor, Organisation.objects.filter(pk=certification.organisation_id)).exists()
        ),
        "只有该单位或其主管部门可以报告重大变化",
    )
    if certification.state != CertificationState.ACTIVE:
        raise ValidationError("只有有效的认定需要报告重大变化")
    errors = {}
    if kind not in ChangeKind.values:
        errors["kind"] = ["请选择变化类型"]
    description = str(description or "").strip()
    if len(description) < 5:
        errors["description"] = ["请写明变化情况（至少5个字）"]
    new_name = " ".join(str(new_name or "").split())
    if kind == ChangeKind.RENAME and not new_name:
        errors["new_name"] = ["更名请填写新名称"]
    if kind == ChangeKind.RENAME and new_name == certification.organisation.name:
        errors["new_name"] = ["新名称与现名称相同"]
    if errors:
        raise ValidationError(errors)
    if ChangeReport.objects.filter(
        certification=certification, state__in=[ChangeState.REPORTED, ChangeState.CONFIRMED]
    ).exists():
        raise ValidationError("该认定已有待处理的重大变化报告")
    report = ChangeReport.objects.create(
        certification=certification, kind=kind, description=description, new_name=new_name, reported_by=actor
    )
    if kind != ChangeKind.RENAME:
        year = clock.today().year - 1
        application = Application(
            organisation=certification.organisation,
            tier=certification.tier,
            year=year,
            programme=certification.programme,
        )
        report.recheck = eligibility_snapshot(application)
        report.save(update_fields=["recheck"])
    audit_record(actor=actor, event_type="change.reported", subject=certification, payload={"kind": kind})
    city = _certifying_city(certification)
    notify(
        bureau_users(city if kind == ChangeKind.RENAME else certification.region_id),
        kind="change",
        title=f"重大变化报告：{certification.organisation_name}（{ChangeKind(kind).label}）",
        url=_url("change_report_detail", report.pk),
    )
    return report


@transaction.atomic
def change_report_decide(
    *, actor, report: ChangeReport, keep: bool, note: str, document_number: str = ""
) -> ChangeReport:
    """After a merger/restructuring/transfer: the certifying bureau keeps or terminates (reason
    重大变化, with a document number) in view of the re-check."""
    report = ChangeReport.objects.select_for_update().select_related("certification").get(pk=report.pk)
    certification = report.certification
    require(may_manage_certification(actor, certification), "只有认定该资格的主管部门可以处理")
    if report.kind == ChangeKind.RENAME:
        raise ValidationError("更名请由市级确认、认定部门重新认定")
    if report.state != ChangeState.REPORTED:
        raise ValidationError(f"该报告已处理（{report.get_state_display()}）")
    note = " ".join(str(note or "").split())
    if not note:
        raise ValidationError({"note": ["请填写处理意见"]})
    if not keep:
        certification_terminate(
            actor=actor,
            certification=certification,
            reason=TerminationReason.MAJOR_CHANGE,
            document_number=document_number,
            note=note,
        )
    report.state = ChangeState.KEPT if keep else ChangeState.TERMINATED
    report.decided_by, report.decided_at, report.decision_note = actor, timezone.now(), note[:500]
    report.save()
    audit_record(actor=actor, event_type="change.decided", subject=certification, payload={"keep": keep})
    return report


@transaction.atomic
def rename_confirm(*, actor, report: ChangeReport, note: str = "") -> ChangeReport:
    """更名 step 1: the organisation's city-level bureau confirms the new name."""
    report = (
        ChangeReport.objects.select_for_update()
        .select_related("certification__organisation__county")
        .get(pk=report.pk)
    )
    certification = report.certification
    city = _certifying_city(certification)
    require(
        actor.is_authenticated and actor.role in BUREAU_ROLES and actor.region_id == city,
        "更名由企业所在市（区）主管部门确认",
    )
    if report.kind != ChangeKind.RENAME or report.state != ChangeState.REPORTED:
        raise ValidationError("只有待确认的更名报告可以确认")
    report.state = ChangeState.CONFIRMED
    report.decision_note = " ".join(str(note or "").split())[:500]
    report.save()
    audit_record(
        actor=actor,
        event_type="change.rename_confirmed",
        subject=certification,
        payload={"new_name": report.new_name},
    )
    step = "公示" if certification.programme.rename_requires_notice else "重新认定"
    notify(
        bureau_users(certification.region_id),
        kind="change",
        title=f"更名待{step}：{certification.organisation_name} → {report.new_name}",
        url=_url("change_report_detail", report.pk),
    )
    return report


@transaction.atomic
def rename_notice_publish(
    *, actor, report_ids: list[int], title: str, starts_on=None, days=None, contact: str = ""
) -> PublicNotice:
    """更名公示: where the programme requires it (``rename_requires_notice``), the certifying bureau
    puts city-confirmed renames of one programme on public notice before re-certifying them;
    objections are filed and resolved as for applications."""

    require(
        actor.is_authenticated and actor.is_active and actor.role in BUREAU_ROLES and actor.region_id,
        "只有主管部门可以发布公示",
    )
    try:
        ids = sorted({int(pk) for pk in report_ids})
    except (TypeError, ValueError):
        raise ValidationError({"reports": ["请选择要公示的更名"]}) from None
    reports = list(
        ChangeReport.objects.select_for_update(of=("self",))
        .select_related("certification__programme")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if not reports or len(reports) != len(ids):
        raise ValidationError({"reports": ["请选择要公示的更名"]})
    for r in reports:
        require(may_manage_certification(actor, r.certification), "只有认定该资格的主管部门可以公示更名")
        if r.kind != ChangeKind.RENAME or r.state != ChangeState.CONFIRMED:
            raise ValidationError(
                {"reports": [f"{r.certification.organisation_name}：只有市（区）已确认的更名可以公示"]}
            )
        if not r.certification.programme.rename_requires_notice:
            raise ValidationError(
                {"reports": [f"{r.certification.programme.name}的更名不需公示，可直接重新认定"]}
            )
    if len({r.certification.programme_id for r in reports}) != 1:
        raise ValidationError({"reports": ["一次公示只能包含同一认定项目的更名"]})
    programme = reports[0].certification.programme
    title, starts_on, days = _notice_terms_clean(programme, title=title, starts_on=starts_on, days=days)
    notice = PublicNotice.objects.create(
        programme=programme,
        region_id=actor.region_id,
        title=title,
        starts_on=starts_on,
        days=days,
        ends_on=starts_on + dt.timedelta(days=days - 1),
        contact=" ".join(str(contact or "").split())[:200],
        created_by=actor,
    )
    ChangeReport.objects.filter(pk__in=ids).update(notice=notice, state=ChangeState.ON_NOTICE)
    audit_record(
        actor=actor,
        event_type="change.rename_published",
        subject=notice,
        payload={"reports": ids},
    )
    return notice


@transaction.atomic
def rename_recertify(
    *, actor, report: ChangeReport, document_number: str, certified_on=None
) -> Certification:
    """更名 step 2: the certifying bureau renames the organisation in the registry (name history
    kept) and re-certifies it under the new name: a new certification continuing the old one."""
    from smeplan.registry.services import organisation_rename

    report = (
        ChangeReport.objects.select_for_update(of=("self",))
        .select_related("certification__application")
        .get(pk=report.pk)
    )
    old = report.certification
    require(may_manage_certification(actor, old), "只有认定该资格的主管部门可以重新认定")
    if report.kind != ChangeKind.RENAME or report.state not in (ChangeState.CONFIRMED, ChangeState.ON_NOTICE):
        if report.state == ChangeState.REFUSED:
            raise ValidationError(f"更名公示的异议成立，不予重新认定（{report.decision_note}）")
        raise ValidationError("更名须先由市（区）主管部门确认")
    if report.state == ChangeState.CONFIRMED and old.programme.rename_requires_notice:
        raise ValidationError(f"{old.programme.name}的更名须先公示，公示期满无异议后再重新认定")
    if report.state == ChangeState.ON_NOTICE:
        notice = report.notice
        if notice.phase(clock.today()) != "ended":
            raise ValidationError(f"更名公示期至 {notice.ends_on:%Y年%m月%d日}，公示期满后才能重新认定")
        if report.objections.filter(state=ObjectionState.OPEN).exists():
            raise ValidationError("该更名还有未处理的异议，请先处理异议")
    document_number = _document_clean(document_number)
    certified_on = _date_clean(certified_on, "certified_on", "认定日期")
    organisation = old.organisation
    if organisation.name != report.new_name:
        organisation_rename(
            actor=actor,
            organisation=organisation,
            new_name=report.new_name,
            changed_on=min(certified_on, timezone.localdate()),  # the registry refuses future dates
        )
        organisation.refresh_from_db()
    region_name = "陕西省" if old.region.level == "province" else old.region.name
    new = Certification.objects.create(
        organisation=organisation,
        programme=old.programme,
        tier=old.tier,
        level=old.level,
        region=old.region,
        document_number=document_number,
        certified_on=certified_on,
        title=old.programme.title_for(region_name=region_name, tier_name=old.tier.name),
        organisation_name=organisation.name,
        valid_until=old.valid_until,
        next_review_on=old.next_review_on,
        previous=old,
        certified_by=actor,
    )
    old.state, old.ended_on = CertificationState.SUPERSEDED, certified_on
    old.save(update_fields=["state", "ended_on"])
    send_ended(certification_ids=[old.pk], actor=actor, because=f"已重新认定（{document_number}）")
    report.state, report.decided_by, report.decided_at = ChangeState.RECERTIFIED, actor, timezone.now()
    report.save()
    audit_record(
        actor=actor,
        event_type="certification.recertified",
        subject=new,
        payload={"previous": old.pk, "document": document_number},
    )
    return new


# --- validity and re-review (复核) ----------------------------------------------------------------


def review_schedule_next(certification: Certification, *, today=None) -> None:
    """A passed re-review: the next one falls one interval later (never after the validity's end)."""
    today = today or clock.today()
    following = clock.add_years(today, certification.programme.review_interval_years)
    if certification.valid_until and following >= certification.valid_until:
        following = None
    certification.next_review_on = following
    certification.review_notified_on = None


@transaction.atomic
def certification_review(
    *, actor, certification: Certification, passed: bool, note: str, document_number: str = ""
) -> Certification:
    """复核 (e.g. transformation demonstration: every 3 years within its 5): passed → confirmed, the
    next re-review falls one interval later (never after the validity's end); failed → the
    qualification is terminated (不再符合认定条件, with a document number) and the ban follows."""
    certification = (
        Certification.objects.select_for_update().select_related("programme").get(pk=certification.pk)
    )
    require(may_manage_certification(actor, certification), "只有认定该资格的主管部门可以复核")
    if certification.state != CertificationState.ACTIVE:
        raise ValidationError(f"该认定已是「{certification.get_state_display()}」状态，不能复核")
    interval = certification.programme.review_interval_years
    if not interval:
        raise ValidationError(f"{certification.programme.name}不实行定期复核")
    note = " ".join(str(note or "").split())
    if not note:
        raise ValidationError({"note": ["请填写复核意见"]})
    if len(note) > 500:
        raise ValidationError({"note": ["复核意见不能超过500个字"]})
    from smeplan.recognition.obligations import close_review_task

    today = clock.today()
    close_review_task(certification, actor=actor, passed=passed, note=note)
    if not passed:
        certification_terminate(
            actor=actor,
            certification=certification,
            reason=TerminationReason.REVIEW_FAILED,
            document_number=document_number,
            note=f"复核不合格：{note}",
        )
        certification.refresh_from_db()
    else:
        review_schedule_next(certification, today=today)
    certification.last_reviewed_on = today
    certification.review_note = note
    certification.save(
        update_fields=["next_review_on", "review_notified_on", "last_reviewed_on", "review_note"]
    )
    audit_record(
        actor=actor,
        event_type="certification.reviewed",
        subject=certification,
        payload={"passed": passed, "note": note, "next_review_on": str(certification.next_review_on or "")},
    )
    return certification


@transaction.atomic
def certifications_due(*, today=None) -> dict[str, int]:
    """Daily: certifications past their validity become 已到期 (the bureau is told); those whose
    re-review date has come are announced to their bureau once."""
    today = today or clock.today()
    expired = list(
        Certification.objects.select_for_update(of=("self",))
        .select_related("programme")
        .filter(state=CertificationState.ACTIVE, valid_until__lt=today)
    )
    for c in expired:
        c.state, c.ended_on = CertificationState.EXPIRED, c.valid_until
        c.save(update_fields=["state", "ended_on"])
        send_ended(certification_ids=[c.pk], actor=None, because=f"认定已于{c.valid_until}到期")
        audit_record(
            actor=None,
            event_type="certification.expired",
            subject=c,
            payload={"valid_until": str(c.valid_until)},
        )
        notify(
            bureau_users(c.region_id),
            kind="expired",
            title=f"认定已到期：{c.organisation_name} · {c.title}",
            url=_url("certification_detail", c.pk),
        )
    due = list(
        Certification.objects.select_for_update(of=("self",)).filter(
            state=CertificationState.ACTIVE, next_review_on__lte=today, review_notified_on__isnull=True
        )
    )
    for c in due:
        notify(
            bureau_users(c.region_id),
            kind="review_due",
            title=f"复核到期（{c.next_review_on:%Y-%m-%d}）：{c.organisation_name} · {c.title}",
            url=_url("certification_detail", c.pk),
        )
    Certification.objects.filter(pk__in=[c.pk for c in due]).update(review_notified_on=today)
    return {"expired": len(expired), "review_due": len(due)}


# --- tier moves after the yearly evaluation (梯队调整) ---------------------------------------------


@transaction.atomic
def certification_move(
    *, actor, certification: Certification, tier: Tier, document_number: str, certified_on=None
) -> Certification:
    """梯队调整: the certifying bureau moves an active certification to another tier of the same
    programme (e.g. 成长之星 → 行业之星 when the year's revenue falls in that band): the old one is
    superseded and a new one issued in ``tier`` (``previous`` = old, title from the programme)."""
    old = (
        Certification.objects.select_for_update()
        .select_related("programme", "region")
        .get(pk=certification.pk)
    )
    require(may_end_certification(actor, old), "只有认定该资格的主管部门或省级主管部门可以调整梯队")
    if old.state != CertificationState.ACTIVE:
        raise ValidationError(f"该认定已是「{old.get_state_display()}」状态")
    if tier.programme_id != old.programme_id:
        raise ValidationError({"tier": [f"梯队「{tier.name}」不属于「{old.programme.name}」"]})
    if tier.pk == old.tier_id:
        raise ValidationError({"tier": [f"该认定已是「{tier.name}」"]})
    document_number = _document_clean(document_number)
    certified_on = _date_clean(certified_on, "certified_on", "认定日期")
    region_name = "陕西省" if old.region.level == "province" else old.region.name
    organisation = old.organisation
    new = Certification.objects.create(
        organisation=organisation,
        programme=old.programme,
        tier=tier,
        level=old.level,
        region=old.region,
        document_number=document_number,
        certified_on=certified_on,
        title=old.programme.title_for(region_name=region_name, tier_name=tier.name),
        organisation_name=organisation.name,
        valid_until=old.valid_until,
        next_review_on=old.next_review_on,
        previous=old,
        certified_by=actor,
    )
    old.state, old.ended_on = CertificationState.SUPERSEDED, certified_on
    old.save(update_fields=["state", "ended_on"])
    send_ended(certification_ids=[old.pk], actor=actor, because=f"已调整梯队（{document_number}）")
    audit_record(
        actor=actor,
        event_type="certification.moved",
        subject=new,
        payload={
            "previous": old.pk,
            "from_tier": old.tier_id,
            "to_tier": tier.pk,
            "document": document_number,
        },
    )
    return new
