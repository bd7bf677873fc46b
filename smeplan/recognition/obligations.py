"""年度报告与复核任务 and 撤销建议 (issue 15 part 5): what a certified enterprise owes after its
certification, and the revocation that follows when it does not deliver.

**Tasks** (:class:`~smeplan.recognition.models.Obligation`), created by the daily job
(``obligations_due``, run by ``recognition_daily``), idempotently (one task per certification, kind
and period; a re-certified chain — rename, tier move — counts as one):

* 复核 (re-review): on the day a certification's ``next_review_on`` comes; ``period`` is that year;
  due ``REVIEW_SUBMIT_DAYS`` days later (the enterprise's materials; the bureau may also review
  without them, as ``services.certification_review`` always allowed).
* 年度报告 (annual report) of a programme with ``annual_report_due`` (月-日): from 1 January of
  year Y (the reporting period starts when the year reported on has ended), for every certification
  in force then that was certified in Y−1 or earlier; ``period`` = Y−1, due on Y-MM-DD.

**Reminders** (notifications to the enterprise's users and its county bureau): ``FIRST_REMINDER_DAYS``
days before the due date, on the due date, then every ``REMIND_EVERY_DAYS`` days while overdue
(催报). A job that missed days sends one reminder, not the missed ones. ``reminders_sent`` counts
them all, ``overdue_reminders`` the 催报 after the due date.

**Overdue**: the day after the due date a task not submitted becomes 逾期 (it may still be
submitted). An annual report still missing when ``programme.report_reminders`` 催报 have been sent
and a further week has passed (with 0: from the day it is overdue) is proposed for revocation
(``report_missed``) instead of being reminded again.

**States** — the one table ``TRANSITIONS`` (state, action, who, next state, kinds); only
``_move`` changes a task's state, along a row of it:

=========  ========  ==========  =====================  ============
state      action    who         next                   kinds
=========  ========  ==========  =====================  ============
待提交     submit    enterprise  已提交                 both
逾期       submit    enterprise  已提交                 both
待提交     lapse     system      逾期                   both
已提交     accept    bureau      已通过                 both
已提交     return    bureau      待提交 / 逾期 (by due)  annual report
已提交     fail      bureau      未通过                 re-review
待提交     accept    bureau      已通过                 re-review
待提交     fail      bureau      未通过                 re-review
逾期       accept    bureau      已通过                 re-review
逾期       fail      bureau      未通过                 re-review
any open   cancel    system      已取消                 both
=========  ========  ==========  =====================  ============

A passed re-review moves the certification's next re-review on (``services.certification_review``'s
rule); a failed one proposes revocation (``review_failed``) — the bureau confirms it with a document
number. **Revocation proposals** (:class:`~smeplan.recognition.models.RevocationProposal`) are
confirmed through ``services.certification_terminate`` (文号, ban, audit, ``certification_ended``)
or dismissed with a reason; a proposal whose certification ended otherwise is withdrawn (listener
of ``signals.certification_ended``). We keep our own model rather than ``evaluation``'s
``TerminationProposal``: that one belongs to an evaluation run (a required key, one per run), and
recognition must not depend on the evaluation app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES, ORGANISATION_ROLES, User
from smeplan.accounts.scoping import require, scope_filter
from smeplan.audit.services import audit_record
from smeplan.recognition import clock
from smeplan.recognition.models import (
    Certification,
    CertificationState,
    Obligation,
    ObligationKind,
    ObligationState,
    RevocationProposal,
    RevocationState,
    TerminationReason,
)

REVIEW_SUBMIT_DAYS = 60
FIRST_REMINDER_DAYS = 14
REMIND_EVERY_DAYS = 7

ENTERPRISE, BUREAU, SYSTEM = "enterprise", "bureau", "system"
BY_DUE = "@by_due"  # 待提交 on or before the due date, 逾期 after it
BOTH = (ObligationKind.RE_REVIEW, ObligationKind.ANNUAL_REPORT)
REVIEW = (ObligationKind.RE_REVIEW,)
REPORT = (ObligationKind.ANNUAL_REPORT,)
S = ObligationState


@dataclass(frozen=True)
class Row:
    state: str
    action: str
    actor: str
    next_state: str
    kinds: tuple = BOTH


TRANSITIONS: tuple[Row, ...] = (
    Row(S.PENDING, "submit", ENTERPRISE, S.SUBMITTED),
    Row(S.OVERDUE, "submit", ENTERPRISE, S.SUBMITTED),
    Row(S.PENDING, "lapse", SYSTEM, S.OVERDUE),
    Row(S.SUBMITTED, "accept", BUREAU, S.PASSED),
    Row(S.SUBMITTED, "return", BUREAU, BY_DUE, REPORT),
    Row(S.SUBMITTED, "fail", BUREAU, S.FAILED, REVIEW),
    Row(S.PENDING, "accept", BUREAU, S.PASSED, REVIEW),
    Row(S.PENDING, "fail", BUREAU, S.FAILED, REVIEW),
    Row(S.OVERDUE, "accept", BUREAU, S.PASSED, REVIEW),
    Row(S.OVERDUE, "fail", BUREAU, S.FAILED, REVIEW),
    *(Row(state, "cancel", SYSTEM, S.CANCELLED) for state in (S.PENDING, S.OVERDUE, S.SUBMITTED)),
)
_BY_KEY = {(r.state, r.action): r for r in TRANSITIONS}
assert len(_BY_KEY) == len(TRANSITIONS), "one row per (state, action)"
OPEN_STATES = (S.PENDING, S.OVERDUE, S.SUBMITTED)

ACTION_LABELS = {
    "submit": "提交",
    "accept": "审核通过",
    "return": "退回补正",
    "fail": "复核不合格",
    "lapse": "逾期",
    "cancel": "取消",
}


def row_for(obligation: Obligation, action: str) -> Row | None:
    row = _BY_KEY.get((obligation.state, action))
    return row if row is not None and obligation.kind in row.kinds else None


def _move(obligation: Obligation, action: str, *, today: dt.date | None = None) -> None:
    """The only code that changes a task's state: along a row of ``TRANSITIONS``."""
    row = row_for(obligation, action)
    if row is None:
        raise ValidationError(
            f"「{obligation.get_state_display()}」的{obligation.get_kind_display()}任务不能{ACTION_LABELS[action]}"
        )
    next_state = row.next_state
    if next_state == BY_DUE:
        next_state = S.PENDING if (today or clock.today()) <= obligation.due_on else S.OVERDUE
    obligation.state = next_state


# --- who may act ---------------------------------------------------------------------------------


def is_enterprise_of(user, obligation: Obligation) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in ORGANISATION_ROLES
        and user.organisation_id == obligation.certification.organisation_id
    )


def is_certifying_bureau(user, obligation: Obligation) -> bool:
    from smeplan.recognition.services import may_manage_certification

    return may_manage_certification(user, obligation.certification)


def actions_for(user, obligation: Obligation) -> list[str]:
    out = []
    for action in ("submit", "accept", "return", "fail"):
        row = row_for(obligation, action)
        if row is None:
            continue
        may = {ENTERPRISE: is_enterprise_of, BUREAU: is_certifying_bureau}.get(row.actor)
        if may is not None and may(user, obligation):
            out.append(action)
    return out


# --- reads ---------------------------------------------------------------------------------------


def obligations_visible_to(user):
    qs = Obligation.objects.select_related(
        "certification__organisation__county", "certification__programme", "certification__region"
    )
    if not user.is_authenticated:
        return qs.none()
    return scope_filter(user, qs, organisation="certification__organisation")


def revocations_visible_to(user):
    qs = RevocationProposal.objects.select_related(
        "certification__organisation__county", "certification__programme", "certification__region"
    )
    if not (user.is_authenticated and user.role in BUREAU_ROLES):
        return qs.none()
    return scope_filter(user, qs, organisation="certification__organisation")


# --- the daily job -------------------------------------------------------------------------------


def _url(name: str, pk) -> str:
    from django.urls import reverse

    return reverse(name, args=[pk])


def _recipients(certification: Certification) -> list:
    """The enterprise's users and its county bureau."""
    from smeplan.recognition.services import bureau_users

    enterprise = User.objects.filter(
        organisation_id=certification.organisation_id, role__in=list(ORGANISATION_ROLES), is_active=True
    )
    return [*enterprise, *bureau_users(certification.organisation.county_id)]


class _Owed:
    """Which certification chains already have a task of a kind and period: a rename or tier move
    re-certifies (``previous``), and the new certification owes nothing the old one was asked.
    Two queries per run, whatever the number of certifications."""

    def __init__(self):
        self.previous = dict(Certification.objects.values_list("id", "previous_id"))
        self.have = set(Obligation.objects.values_list("certification_id", "kind", "period"))

    def has(self, certification_id: int, kind: str, period: int) -> bool:
        seen = set()
        current = certification_id
        while current is not None and current not in seen:
            if (current, kind, period) in self.have:
                return True
            seen.add(current)
            current = self.previous.get(current)
        return False


def _create(today: dt.date) -> list[Obligation]:
    from smeplan.programmes import models as programme_models

    owed = _Owed()
    created: list[Obligation] = []
    # re-reviews that have come due
    for c in Certification.objects.filter(state=CertificationState.ACTIVE, next_review_on__lte=today):
        period = c.next_review_on.year
        if not owed.has(c.pk, ObligationKind.RE_REVIEW, period):
            created.append(
                Obligation(
                    certification=c,
                    kind=ObligationKind.RE_REVIEW,
                    period=period,
                    due_on=c.next_review_on + dt.timedelta(days=REVIEW_SUBMIT_DAYS),
                )
            )
    # annual reports on last year
    for programme in programme_models.Programme.objects.exclude(annual_report_due=""):
        due_on = programme.annual_report_due_on(today.year)
        period = today.year - 1
        form_version = _report_form(programme, period)
        for c in Certification.objects.filter(
            programme=programme, state=CertificationState.ACTIVE, certified_on__lt=dt.date(today.year, 1, 1)
        ):
            if not owed.has(c.pk, ObligationKind.ANNUAL_REPORT, period):
                created.append(
                    Obligation(
                        certification=c,
                        kind=ObligationKind.ANNUAL_REPORT,
                        period=period,
                        due_on=due_on,
                        form_version=form_version,
                    )
                )
    return Obligation.objects.bulk_create(created)


def _report_form(programme, period: int):
    """The programme's annual report form (purpose annual_report) for the year reported on: the
    newest version in effect by the reporting year (``formdesign.form_version_for``)."""
    from smeplan.programmes import formdesign

    return formdesign.form_version_for(programme, "annual_report", period + 1)


def _reminder_due(o: Obligation, today: dt.date) -> bool:
    if o.last_reminded_on is None:
        return today >= o.due_on - dt.timedelta(days=FIRST_REMINDER_DAYS)
    if o.last_reminded_on < o.due_on:
        return today >= o.due_on
    return today >= o.last_reminded_on + dt.timedelta(days=REMIND_EVERY_DAYS)


def _missed(o: Obligation, today: dt.date) -> bool:
    """A missed annual report that has had its 催报: propose revocation instead of reminding again."""
    if o.kind != ObligationKind.ANNUAL_REPORT or o.state != S.OVERDUE:
        return False
    needed = o.certification.programme.report_reminders
    if o.overdue_reminders < needed:
        return False
    return needed == 0 or today >= o.last_reminded_on + dt.timedelta(days=REMIND_EVERY_DAYS)


@transaction.atomic
def obligations_due(*, today=None) -> dict[str, int]:
    """Daily: create the tasks that have come due, mark overdue ones, remind, propose revocation
    for annual reports missed after the reminders. Safe to run more than once a day."""
    from smeplan.recognition.services import notify

    today = today or clock.today()
    created = _create(today)
    by_programme: dict[int, list[Obligation]] = {}
    for o in created:
        by_programme.setdefault(o.certification.programme_id, []).append(o)
    for items in by_programme.values():
        audit_record(
            actor=None,
            event_type="obligation.created",
            subject=items[0].certification.programme,
            payload={
                "count": len(items),
                "obligations": [o.pk for o in items],
            },
        )
    open_tasks = list(
        Obligation.objects.select_for_update(of=("self",))
        .select_related("certification__organisation", "certification__programme")
        .filter(state__in=[S.PENDING, S.OVERDUE], certification__state=CertificationState.ACTIVE)
        .order_by("due_on", "id")
    )
    lapsed, reminded, proposed = [], 0, 0
    for o in open_tasks:
        if o.state == S.PENDING and today > o.due_on:
            _move(o, "lapse")
            lapsed.append(o)
        if _missed(o, today):
            if _propose(
                actor=None,
                certification=o.certification,
                reason=TerminationReason.REPORT_MISSED,
                evidence=(
                    f"{o.period}年度报告应于{o.due_on:%Y年%m月%d日}前报送，"
                    f"逾期催报{o.overdue_reminders}次后仍未报送"
                ),
                obligation=o,
            ):
                proposed += 1
            o.save()
            continue
        if (
            _reminder_due(o, today)
            and not o.revocation_proposals.filter(state=RevocationState.PROPOSED).exists()
        ):
            c = o.certification
            what = (
                f"{o.period}年度报告" if o.kind == ObligationKind.ANNUAL_REPORT else f"{o.period}年复核材料"
            )
            if today > o.due_on:
                o.overdue_reminders += 1
                title = f"催报（第{o.overdue_reminders}次）：{c.organisation_name}的{what}已逾期（截止{o.due_on:%Y-%m-%d}）"
            elif today == o.due_on:
                title = f"今日截止：{c.organisation_name}的{what}（{c.title}）"
            else:
                title = f"请于{o.due_on:%Y-%m-%d}前报送{c.organisation_name}的{what}（{c.title}）"
            notify(_recipients(c), kind="obligation", title=title, url=_url("obligation_detail", o.pk))
            o.reminders_sent += 1
            o.last_reminded_on = today
            reminded += 1
        o.save()
    overdue_by_programme: dict[int, list[Obligation]] = {}
    for o in lapsed:
        overdue_by_programme.setdefault(o.certification.programme_id, []).append(o)
    for items in overdue_by_programme.values():
        audit_record(
            actor=None,
            event_type="obligation.overdue",
            subject=items[0].certification.programme,
            payload={"count": len(items), "obligations": [o.pk for o in items]},
        )
    return {"created": len(created), "overdue": len(lapsed), "reminded": reminded, "proposed": proposed}


# --- submit and review ---------------------------------------------------------------------------


def form_version_of(obligation: Obligation):
    """The annual report form of the task: the version it was created with, else (a form designed
    since) the programme's version in force for the reporting year; None for a re-review."""
    if obligation.kind != ObligationKind.ANNUAL_REPORT:
        return None
    if obligation.form_version_id is not None:
        return obligation.form_version
    return _report_form(obligation.certification.programme, obligation.period)


def answers_clean(obligation: Obligation, answers) -> dict:
    """The annual report's answers (as entered: percent as 5 for 5 %), checked by the form engine
    against the task's form version (``formdesign.answers_clean``: a Chinese message per field,
    hidden fields dropped; attachment and figures fields are not kept). Without a form: none."""
    version = form_version_of(obligation)
    if version is None:
        return {}
    from smeplan.programmes import formdesign

    return formdesign.answers_clean(version.design, answers or {}, reference_year=obligation.period + 1)


@transaction.atomic
def obligation_submit(*, actor, obligation: Obligation, answers=None, statement: str = "") -> Obligation:
    """提交 by the enterprise: the annual report's answers (checked by its form) or the re-review
    materials' statement. A refused submission changes nothing."""
    obligation = (
        Obligation.objects.select_for_update(of=("self",))
        .select_related("certification__organisation", "certification__programme", "form_version")
        .get(pk=obligation.pk)
    )
    require(is_enterprise_of(actor, obligation), "只有该企业的用户可以提交")
    if row_for(obligation, "submit") is None:
        raise ValidationError(f"该任务已是「{obligation.get_state_display()}」，不能再提交")
    statement = str(statement or "").strip()
    if len(statement) > 4000:
        raise ValidationError({"statement": ["情况说明不能超过4000个字"]})
    clean = answers_clean(obligation, answers)
    obligation.form_version = form_version_of(obligation)
    if obligation.form_version is None and not statement:
        what = "年度报告的情况" if obligation.kind == ObligationKind.ANNUAL_REPORT else "复核材料"
        raise ValidationError({"statement": [f"请填写{what}说明"]})
    _move(obligation, "submit")
    obligation.answers, obligation.statement = clean, statement
    obligation.submitted_at, obligation.submitted_by = timezone.now(), actor
    obligation.save()
    audit_record(
        actor=actor,
        event_type="obligation.submitted",
        subject=obligation,
        payload={"kind": obligation.kind, "period": obligation.period},
    )
    from smeplan.recognition.services import bureau_users, notify

    c = obligation.certification
    notify(
        bureau_users(c.region_id),
        kind="obligation",
        title=f"{c.organisation_name}已提交{obligation}，请审核",
        url=_url("obligation_detail", obligation.pk),
    )
    return obligation


@transaction.atomic
def obligation_review(*, actor, obligation: Obligation, action: str, note: str) -> Obligation:
    """审核 by the certifying bureau: ``accept`` (a re-review passes: the next one is scheduled as
    ``certification_review`` does), ``return`` (an annual report goes back for correction), ``fail``
    (a re-review fails: revocation is proposed, to be confirmed with a document number)."""
    from smeplan.recognition.services import notify, review_schedule_next

    obligation = (
        Obligation.objects.select_for_update(of=("self",))
        .select_related("certification__organisation", "certification__programme")
        .get(pk=obligation.pk)
    )
    require(is_certifying_bureau(actor, obligation), "只有认定该资格的主管部门可以审核")
    if action not in ("accept", "return", "fail"):
        raise ValidationError({"action": ["请选择审核结论（通过、退回补正或复核不合格）"]})
    if obligation.certification.state != CertificationState.ACTIVE:
        raise ValidationError(f"该认定已是「{obligation.certification.get_state_display()}」状态")
    note = " ".join(str(note or "").split())
    if not note:
        raise ValidationError({"note": ["请填写审核意见"]})
    if len(note) > 500:
        raise ValidationError({"note": ["审核意见不能超过500个字"]})
    _move(obligation, action)
    obligation.reviewed_at, obligation.reviewed_by, obligation.review_note = timezone.now(), actor, note
    if action == "return":
        obligation.submitted_at = None
    obligation.save()
    certification = obligation.certification
    if obligation.kind == ObligationKind.RE_REVIEW:
        certification = Certification.objects.select_for_update().get(pk=certification.pk)
        certification.last_reviewed_on, certification.review_note = clock.today(), note
        if action == "accept":
            review_schedule_next(certification)
        certification.save(
            update_fields=["next_review_on", "review_notified_on", "last_reviewed_on", "review_note"]
        )
    audit_record(
        actor=actor,
        event_type="obligation.accept"
        if action == "accept"
        else ("obligation.return" if action == "return" else "obligation.fail"),
        subject=obligation,
        payload={"note": note},
    )
    if action == "fail":
        _propose(
            actor=actor,
            certification=certification,
            reason=TerminationReason.REVIEW_FAILED,
            evidence=f"{obligation.period}年复核不合格：{note}",
            obligation=obligation,
        )
    notify(
        User.objects.filter(
            organisation_id=certification.organisation_id, role__in=list(ORGANISATION_ROLES), is_active=True
        ),
        kind="obligation",
        title=f"{obligation}：{ACTION_LABELS[action]}（{note}）",
        url=_url("obligation_detail", obligation.pk),
    )
    return obligation


def close_review_task(certification: Certification, *, actor, passed: bool, note: str) -> None:
    """``services.certification_review`` decided a re-review on the certificate's page: the open
    re-review task (if any) follows it."""
    for o in Obligation.objects.select_for_update().filter(
        certification=certification, kind=ObligationKind.RE_REVIEW, state__in=OPEN_STATES
    ):
        _move(o, "accept" if passed else "fail")
        o.reviewed_at, o.reviewed_by, o.review_note = timezone.now(), actor, note[:500]
        o.save()


# --- revocation proposals (撤销建议) -------------------------------------------------------------

#: the reasons an officer may propose (the automatic ones come from the tasks)
OFFICER_REASONS = (TerminationReason.VIOLATION, TerminationReason.FALSE_INFORMATION)


def _propose(*, actor, certification, reason, evidence: str, obligation=None) -> RevocationProposal | None:
    """One pending proposal per certification: a second one is not made (None)."""
    from smeplan.recognition.services import bureau_users, notify

    if RevocationProposal.objects.filter(
        certification=certification, state=RevocationState.PROPOSED
    ).exists():
        return None
    proposal = RevocationProposal.objects.create(
        certification=certification,
        reason=reason,
        evidence=evidence[:1000],
        obligation=obligation,
        proposed_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="revocation.proposed",
        subject=proposal,
        payload={"reason": reason, "certification": certification.pk},
    )
    notify(
        bureau_users(certification.region_id),
        kind="revocation",
        title=f"撤销建议：{certification.organisation_name} · {certification.title}（{TerminationReason(reason).label}）",
        url=_revocation_url(),
    )
    return proposal


def _revocation_url() -> str:
    from django.urls import reverse

    return reverse("revocation_list")


@transaction.atomic
def revocation_propose(
    *, actor, certification: Certification, reason: str, evidence: str
) -> RevocationProposal:
    """建议撤销 by a bureau officer who sees the enterprise (违法违规, 提供虚假信息), with the facts."""
    from smeplan.registry.models import Organisation

    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    require(
        actor.is_authenticated
        and actor.is_active
        and actor.role in BUREAU_ROLES
        and scope_filter(actor, Organisation.objects.filter(pk=certification.organisation_id)).exists(),
        "只有该企业的主管部门可以建议撤销资格",
    )
    if certification.state != CertificationState.ACTIVE:
        raise ValidationError(f"该认定已是「{certification.get_state_display()}」状态")
    errors = {}
    if reason not in OFFICER_REASONS:
        labels = "、".join(str(TerminationReason(r).label) for r in OFFICER_REASONS)
        errors["reason"] = [f"请选择撤销原因（{labels}）"]
    evidence = " ".join(str(evidence or "").split())
    if len(evidence) < 10:
        errors["evidence"] = ["请写明违法违规或虚假信息的事实和依据（至少10个字）"]
    elif len(evidence) > 1000:
        errors["evidence"] = ["事实与依据不能超过1000个字"]
    if errors:
        raise ValidationError(errors)
    proposal = _propose(actor=actor, certification=certification, reason=reason, evidence=evidence)
    if proposal is None:
        raise ValidationError("该认定已有待确认的撤销建议")
    return proposal


def _pending(proposal: RevocationProposal, actor) -> RevocationProposal:
    from smeplan.recognition.services import may_end_certification

    proposal = (
        RevocationProposal.objects.select_for_update(of=("self",))
        .select_related("certification__programme")
        .get(pk=proposal.pk)
    )
    require(
        may_end_certification(actor, proposal.certification),
        "只有认定该资格的主管部门或省级主管部门可以处理撤销建议",
    )
    if proposal.state != RevocationState.PROPOSED:
        raise ValidationError(f"该撤销建议已处理（{proposal.get_state_display()}）")
    return proposal


@transaction.atomic
def revocation_confirm(*, actor, proposal: RevocationProposal, document_number: str, ended_on=None):
    """确认撤销: the certification is terminated (``certification_terminate``: reason, 文号, ban,
    audit, ``certification_ended``)."""
    from smeplan.recognition.services import _document_clean, certification_terminate

    proposal = _pending(proposal, actor)
    document_number = _document_clean(document_number)
    proposal.state, proposal.decided_by, proposal.decided_at = (
        RevocationState.CONFIRMED,
        actor,
        timezone.now(),
    )
    proposal.document_number = document_number
    proposal.save()  # confirmed first: the certification_ended listener withdraws only pending ones
    certification_terminate(
        actor=actor,
        certification=proposal.certification,
        reason=proposal.reason,
        document_number=document_number,
        note=proposal.evidence[:500],
        ended_on=ended_on,
    )
    audit_record(
        actor=actor,
        event_type="revocation.confirmed",
        subject=proposal,
        payload={"document": document_number},
    )
    return proposal


@transaction.atomic
def revocation_dismiss(*, actor, proposal: RevocationProposal, note: str) -> RevocationProposal:
    """不予撤销, with the reason."""
    proposal = _pending(proposal, actor)
    note = " ".join(str(note or "").split())
    if not note:
        raise ValidationError({"note": ["请填写不予撤销的理由"]})
    if len(note) > 500:
        raise ValidationError({"note": ["理由不能超过500个字"]})
    proposal.state, proposal.decided_by, proposal.decided_at = (
        RevocationState.DISMISSED,
        actor,
        timezone.now(),
    )
    proposal.decision_note = note
    proposal.save()
    audit_record(actor=actor, event_type="revocation.dismissed", subject=proposal, payload={"note": note})
    return proposal


def certifications_ended(*, certification_ids, actor, because: str, **kwargs) -> None:
    """Receiver of ``signals.certification_ended``: pending revocation proposals are withdrawn; open
    tasks move to the certification that continues it in the same programme (rename, tier move) or
    are cancelled."""
    ids = list(certification_ids)
    pending = list(
        RevocationProposal.objects.select_for_update().filter(
            certification_id__in=ids, state=RevocationState.PROPOSED
        )
    )
    for p in pending:
        p.state, p.decided_by, p.decided_at = RevocationState.WITHDRAWN, actor, timezone.now()
        p.decision_note = because[:500]
        p.save()
        audit_record(actor=actor, event_type="revocation.withdrawn", subject=p, payload={"because": because})
    successors = {
        c.previous_id: c
        for c in Certification.objects.filter(previous_id__in=ids, state=CertificationState.ACTIVE)
    }
    for o in (
        Obligation.objects.select_for_update()
        .select_related("certification")
        .filter(certification_id__in=ids, state__in=OPEN_STATES)
    ):
        successor = successors.get(o.certification_id)
        if successor is not None and successor.programme_id == o.certification.programme_id:
            o.certification = successor
        else:
            _move(o, "cancel")
            o.review_note = because[:500]
        o.save()
