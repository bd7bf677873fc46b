"""年度报告与复核 (the enterprise's 待办 and the bureaus' list with filters and .xlsx, the task page
with submit and review) and 撤销建议 (the proposals list with confirm / dismiss, an officer's
proposal from the certificate's page). Writes only through ``recognition.obligations``; reads
through its scoped selectors."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.accounts.models import ORGANISATION_ROLES
from smeplan.exchange import export as engine
from smeplan.exchange.export import DATE, Column, Export
from smeplan.programmes.models import Programme
from smeplan.recognition import clock, obligations, selectors
from smeplan.recognition.models import (
    Obligation,
    ObligationKind,
    ObligationState,
    RevocationProposal,
    RevocationState,
    TerminationReason,
)
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import flash_errors, require_page, split_errors

DUE_SOON_DAYS = 30

LIST_COLUMNS = [
    Column("统一社会信用代码", width=22),
    Column("企业名称", width=36),
    Column("所在区县", width=12, shared=True),
    Column("认定项目", width=24, shared=True),
    Column("称号", width=24, shared=True),
    Column("任务", width=10, shared=True),
    Column("年度", width=8),
    Column("截止日期", DATE),
    Column("状态", width=10, shared=True),
    Column("已提醒次数", width=10),
    Column("提交时间", DATE),
]


def _filters(request) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip() for k in ("show", "programme", "kind", "period")}


def _filtered(user, f: dict[str, str]):
    qs = obligations.obligations_visible_to(user)
    today = clock.today()
    if f["show"] == "overdue":
        qs = qs.filter(state=ObligationState.OVERDUE)
    elif f["show"] == "due_soon":
        qs = qs.filter(
            state=ObligationState.PENDING,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
    elif f["show"] == "submitted":
        qs = qs.filter(state=ObligationState.SUBMITTED)
    elif f["show"] == "open":
        qs = qs.filter(state__in=obligations.OPEN_STATES)
    if f["programme"]:
        qs = qs.filter(certification__programme__code=f["programme"])
    if f["kind"] in ObligationKind.values:
        qs = qs.filter(kind=f["kind"])
    if f["period"].isdigit():
        qs = qs.filter(period=int(f["period"]))
    return qs.order_by("due_on", "id")


SHOW_CHOICES = [
    ("open", "未完成"),
    ("overdue", "逾期"),
    ("due_soon", f"{DUE_SOON_DAYS}天内到期"),
    ("submitted", "待审核"),
]


@login_required
@require_GET
def obligation_list(request):
    """The enterprise's 待办 (its own tasks) and the bureaus' 年度报告与复核 (scoped)."""
    user = request.user
    require_page(navigation.can_view_obligations(user))
    f = _filters(request)
    enterprise = user.role in ORGANISATION_ROLES
    if enterprise and not request.GET:
        f["show"] = "open"
    qs = _filtered(user, f)
    programmes = list(Programme.objects.order_by("position", "code"))
    if request.GET.get("format") == "xlsx":
        return _export(user, qs, f, programmes)
    page = page_of(qs, request.GET.get("page"), size=30)
    from urllib.parse import urlencode

    return render(
        request,
        "web/obligation_list.html",
        {
            "page": page,
            "f": f,
            "enterprise": enterprise,
            "programmes": programmes,
            "kinds": ObligationKind.choices,
            "shows": SHOW_CHOICES,
            "today": clock.today(),
            "export_query": urlencode({"format": "xlsx", **{k: v for k, v in f.items() if v}}),
        },
    )


def _export(user, qs, f, programmes):
    shows = dict(SHOW_CHOICES)
    labels = {
        "show": ("显示", shows),
        "programme": ("认定项目", {p.code: p.name for p in programmes}),
        "kind": ("任务", dict(ObligationKind.choices)),
        "period": ("年度", {}),
    }
    filters = [(labels[k][0], str(labels[k][1].get(v, v))) for k, v in f.items() if v]
    kinds, states = dict(ObligationKind.choices), dict(ObligationState.choices)

    def rows():
        for o in qs.iterator(chunk_size=2000):
            c = o.certification
            yield (
                c.organisation.credit_code,
                c.organisation_name,
                c.organisation.county.name,
                c.programme.name,
                c.title,
                str(kinds[o.kind]),
                o.period,
                o.due_on,
                str(states[o.state]),
                o.reminders_sent,
                clock_date(o.submitted_at),
            )

    return engine.xlsx_response(
        Export(
            title="年度报告与复核",
            actor=user,
            columns=LIST_COLUMNS,
            rows=rows(),
            filters=filters,
            sheet_name="年度报告与复核",
            empty_message="没有符合条件的任务",
        )
    )


def clock_date(value):
    from django.utils import timezone

    return timezone.localtime(value).date() if value else None


def _get(user, pk) -> Obligation:
    try:
        return obligations.obligations_visible_to(user).select_related("form_version").get(pk=int(pk))
    except (Obligation.DoesNotExist, TypeError, ValueError):
        raise Http404("任务不存在或不在您的管辖范围内") from None


def _sections(obligation: Obligation, answers, errors, *, stored: bool, editable: bool = True):
    """The annual report form (the task's form version) laid out by the form engine for
    ``web/_form_design_fields.html``: stored answers (or the prefill) as entered, or the entered
    values of a refused submission with their messages."""
    from smeplan.programmes import formdesign

    version = obligations.form_version_of(obligation)
    if version is None:
        return []
    return formdesign.layout(
        version.design,
        answers or {},
        errors=errors or {},
        reference_year=obligation.period + 1,
        stored=stored,
        editable=editable,
    )


@login_required
@require_http_methods(["GET", "POST"])
def obligation_detail(request, pk: int):
    """The task: what is owed, its reminders and history; the enterprise submits here (POST: the
    annual report form of the programme, prefilled with the year's figures, and a statement), the
    certifying bureau reviews (``obligation_review``)."""
    from smeplan.programmes import formdesign

    user = request.user
    obligation = _get(user, pk)
    actions = obligations.actions_for(user, obligation)
    version = obligations.form_version_of(obligation)
    field_errors: dict = {}
    general: list[str] = []
    statement = obligation.statement
    status = 200
    sections = []
    if request.method == "POST":
        require_page(obligations.is_enterprise_of(user, obligation))
        entered = formdesign.answers_from_post(version.design, request.POST) if version else {}
        statement = request.POST.get("statement", "")
        try:
            obligations.obligation_submit(
                actor=user, obligation=obligation, answers=entered, statement=statement
            )
        except ValidationError as e:
            field_errors, general = split_errors(e)
            status = 422
            sections = _sections(obligation, entered, field_errors, stored=False)
        else:
            messages.success(request, f"已提交{obligation}")
            return redirect("obligation_detail", obligation.pk)
    elif "submit" in actions and version is not None:
        answers = obligation.answers or formdesign.prefill(
            version.design, obligation.certification.organisation, obligation.period + 1
        )
        sections = _sections(obligation, answers, {}, stored=True)
    shown = (
        _sections(obligation, obligation.answers, {}, stored=True, editable=False)
        if obligation.answers and "submit" not in actions
        else []
    )
    return render(
        request,
        "web/obligation_detail.html",
        {
            "o": obligation,
            "c": obligation.certification,
            "version": version,
            "may_submit": "submit" in actions,
            "review_actions": [a for a in actions if a != "submit"],
            "statement": statement,
            "field_errors": field_errors,
            "general": general,
            "form_sections": sections,
            "answer_sections": shown,
            "proposals": obligation.revocation_proposals.order_by("-proposed_at"),
        },
        status=status,
    )


@login_required
@require_POST
def obligation_review(request, pk: int):
    user = request.user
    obligation = _get(user, pk)
    try:
        obligations.obligation_review(
            actor=user,
            obligation=obligation,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        obligation.refresh_from_db()
        text = f"已审核：{obligation.get_state_display()}"
        if obligation.state == ObligationState.FAILED:
            text += "；已生成撤销建议，请在「撤销建议」中确认（须填写文号）或不予撤销"
        messages.success(request, text)
    return redirect("obligation_detail", obligation.pk)


# --- 撤销建议 ---------------------------------------------------------------------------------------


@login_required
@require_GET
def revocation_list(request):
    user = request.user
    require_page(navigation.can_review(user))
    state = request.GET.get("state", RevocationState.PROPOSED)
    qs = obligations.revocations_visible_to(user)
    if state in RevocationState.values:
        qs = qs.filter(state=state)
    page = page_of(qs.order_by("-proposed_at", "-id"), request.GET.get("page"), size=30)
    from smeplan.recognition.services import may_end_certification

    rows = [{"p": p, "may_decide": may_end_certification(user, p.certification)} for p in page.items]
    return render(
        request,
        "web/revocation_list.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": RevocationState.choices,
            "today_iso": clock.today().isoformat(),
        },
    )


def _proposal(user, pk) -> RevocationProposal:
    try:
        return obligations.revocations_visible_to(user).get(pk=int(pk))
    except (RevocationProposal.DoesNotExist, TypeError, ValueError):
        raise Http404("撤销建议不存在或不在您的管辖范围内") from None


@login_required
@require_POST
def revocation_confirm(request, pk: int):
    user = request.user
    proposal = _proposal(user, pk)
    try:
        obligations.revocation_confirm(
            actor=user,
            proposal=proposal,
            document_number=request.POST.get("document_number", ""),
            ended_on=request.POST.get("ended_on", "") or None,
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        c = proposal.certification
        messages.success(
            request, f"已撤销{c.organisation_name}的{c.title}资格（{request.POST.get('document_number')}）"
        )
    return redirect("revocation_list")


@login_required
@require_POST
def revocation_dismiss(request, pk: int):
    user = request.user
    proposal = _proposal(user, pk)
    try:
        obligations.revocation_dismiss(actor=user, proposal=proposal, note=request.POST.get("note", ""))
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, f"已不予撤销：{proposal.certification.organisation_name}")
    return redirect("revocation_list")


@login_required
@require_POST
def revocation_propose(request, pk: int):
    """建议撤销 from the certificate's page (违法违规, 提供虚假信息)."""
    user = request.user
    certification = selectors.certification_get(user, pk)
    try:
        obligations.revocation_propose(
            actor=user,
            certification=certification,
            reason=request.POST.get("reason", ""),
            evidence=request.POST.get("evidence", ""),
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, "已提出撤销建议，由认定部门确认（填写文号）或不予撤销")
    return redirect("certification_detail", certification.pk)


#: the reasons an officer may propose on the certificate's page
OFFICER_REASONS = [(r.value, TerminationReason(r).label) for r in obligations.OFFICER_REASONS]
