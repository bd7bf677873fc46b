"""首页. A bureau officer's desk (what waits for me, key counts of my region, this year's targets
that are most behind); an enterprise's own status (certifications, applications, what is due); an
expert's assignments. Every number comes from its app's scoped selector, each link only where the
user may open the page; nothing counts the organisation table (its size is the planner's estimate
when large, ``registry.search.list_count``)."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from smeplan.accounts.models import BUREAU_ROLES, Role
from smeplan.accounts.scoping import is_provincial_admin, scope_for
from smeplan.regions.selectors import counties
from smeplan.registry.selectors import OrganisationFilters, organisation_count, organisation_get
from smeplan.web import navigation

#: How many of this year's targets the desk shows (those most behind).
TARGETS_SHOWN = 3
#: Certifications whose validity or re-review falls within this many days are "due" on an
#: enterprise's home.
DUE_DAYS = 90


@dataclass
class Item:
    label: str
    n: int
    url: str = ""
    note: str = ""


@login_required
def home(request):
    user = request.user
    if user.role == Role.ENTERPRISE_USER and not user.organisation_id:  # registration not approved yet
        return redirect("registration_status")
    scope = scope_for(user)
    context = {
        "is_bureau": user.is_bureau or user.is_superuser,
        "is_viewer": user.role == Role.VIEWER,
        "is_expert": user.role == Role.EXPERT,
        "api_docs_url": navigation.api_docs_url(),
        "region": user.region if user.region_id else None,
        "organisation": None,
        "county_count": None,
    }
    if context["region"] is not None and not scope.nothing:
        # Counties covered: from the scope (no query) or the 107 counties for the province.
        context["county_count"] = len(scope.county_codes) if scope.county_codes else counties().count()
        if user.is_superuser or user.role in (*BUREAU_ROLES, Role.VIEWER):
            context.update(_desk(user))
    if navigation.is_organisation_user(user):
        try:
            context["organisation"] = organisation_get(user, user.organisation_id)
        except Http404:
            context["organisation"] = None
        else:
            context.update(_own_status(user, context["organisation"]))
    if user.role == Role.EXPERT:
        from smeplan.recognition import selectors

        context["expert_open"] = (
            selectors.expert_assignments_of(user).filter(submitted_at__isnull=True).count()
        )
    return render(request, "web/home.html", context)


# --- the officer's desk ------------------------------------------------------------------------------


def _desk(user) -> dict:
    today = timezone.localdate()
    out: dict = {"waiting": _waiting(user), "key_counts": [], "targets_behind": [], "targets_period": None}
    if navigation.can_browse_registry(user):
        count = organisation_count(user, OrganisationFilters())
        out["key_counts"].append(
            Item(_("登记企业"), count.shown, reverse("organisation_list"), "" if count.exact else _("约"))
        )
    counts = _counts(user)
    out["key_counts"] += _certification_counts(user, today, counts)
    if navigation.can_view_targets(user):
        out.update(_targets_at_a_glance(user, today, counts))
    return out


def _counts(user):
    """The certification counts of the user's scope (one grouped query), shared by the key counts
    and the targets."""
    from smeplan.targets import metrics

    return metrics.counts(user)


def _url(name: str, **params) -> str:
    url = reverse(name)
    params = {k: v for k, v in params.items() if v not in ("", None)}
    return f"{url}?{urlencode(params)}" if params else url


def _waiting(user) -> list[Item]:
    """What waits for the user's bureau, by kind, each with the page that lists it (only what is
    waiting, only kinds the user may open)."""
    from smeplan.recognition import selectors as recognition
    from smeplan.recognition.models import ChangeState, State

    items: list[Item] = []
    if navigation.can_review(user):
        counts = recognition.queue_counts(user)
        for state in State.values:
            if counts.get(state):
                items.append(
                    Item(
                        _("审核待办：%(state)s") % {"state": State(state).label},
                        counts[state],
                        _url("recognition_queue", state=state),
                    )
                )
    if navigation.can_view_notices(user):
        n = recognition.objections_open_count(user)
        if n:
            items.append(Item(_("公示异议待处理"), n, reverse("notice_list")))
    if navigation.can_browse_registry(user):
        for state, n in recognition.change_reports_open(user).items():
            items.append(
                Item(
                    _("重大变化报告：%(state)s") % {"state": ChangeState(state).label},
                    n,
                    _url("change_report_list", state=state),
                )
            )
    if navigation.can_check_flags(user):
        from smeplan.flags.models import FlagState
        from smeplan.flags.selectors import flags_visible_to

        n = flags_visible_to(user).filter(state=FlagState.OPEN).count()
        if n:
            items.append(Item(_("虚假信息疑点待核实"), n, _url("flag_list", state=FlagState.OPEN)))
    if navigation.can_evaluate(user):
        from smeplan.evaluation.selectors import moves_of, proposals_of

        n = proposals_of(user, pending=True).count()
        if n:
            items.append(Item(_("测评后建议终止待确认"), n, reverse("evaluation_list")))
        n = moves_of(user, pending=True).count()
        if n:
            items.append(Item(_("测评后建议调整梯队待确认"), n, reverse("evaluation_list")))
    if navigation.can_import(user):
        from smeplan.exchange.models import ImportStatus, JobState
        from smeplan.exchange.selectors import batches_visible_to

        since = timezone.now() - dt.timedelta(days=30)
        problems = batches_visible_to(user).filter(created_at__gte=since, uploaded_by=user)
        n = problems.filter(status=ImportStatus.FAILED).count()
        if n:
            items.append(
                Item(
                    _("我的导入未通过校验（近 30 天）"),
                    n,
                    _url("import_list", status=ImportStatus.FAILED, mine="1"),
                )
            )
        n = problems.filter(job_state=JobState.ERROR).count()
        if n:
            items.append(Item(_("我的导入后台任务出错（近 30 天）"), n, _url("import_list", mine="1")))
    return items


def _area(user):
    from smeplan.targets.selectors import area_for

    try:
        return area_for(user)
    except Http404:
        return None


def _certification_counts(user, today: dt.date, counts) -> list[Item]:
    """梯队企业 by level in force now and this year's new certifications, for the user's area — one
    grouped query (``targets.metrics.counts``), each number linked to the list behind it."""
    from smeplan.targets import metrics

    area = _area(user)
    if area is None or not navigation.can_browse_registry(user):
        return []
    kwargs = area.counts_kwargs()
    items = []
    for code in ("growth.province", "growth.city", "growth.county"):
        metric = metrics.metric_get(code)
        if metric is not None:
            items.append(
                Item(_(metric.label), counts.value(metric, today.year, **kwargs), metric.list_url(**kwargs))
            )
    programmes = tuple(sorted({p for m in metrics.all_metrics().values() for p in m.programmes}))
    new = metrics.Metric("home.new", "今年新认定", "项", programmes, mode=metrics.NEW)
    items.append(
        Item(
            _("%(year)s年新认定") % {"year": today.year},
            counts.value(new, today.year, **kwargs),
            new.list_url(year=today.year, **kwargs),
        )
    )
    return items


def _targets_at_a_glance(user, today: dt.date, counts) -> dict:
    """This year's targets of the period containing today that are most behind (逾期未完成 first,
    then 进度滞后 by how far), and how many are still without a reported value."""
    from smeplan.targets import progress
    from smeplan.targets.selectors import dashboard, period_current

    area = _area(user)
    period = period_current(today)
    if area is None or period is None:
        return {}
    rows = dashboard(user=user, period=period, area=area, today=today, counts=counts)
    behind = [r for r in rows if r.judgement and r.judgement.state in (progress.MISSED, progress.BEHIND)]
    behind.sort(key=lambda r: (r.judgement.state != progress.MISSED, r.judgement.ratio or 0))
    unreported = sum(1 for r in rows if r.target.source == "reported" and r.value is None)
    return {
        # no period contains today (the latest has ended): its final results, and a new period is due
        "targets_ended": period.end_year < today.year,
        "targets_can_add_period": is_provincial_admin(user),
        "targets_period": period,
        "targets_area": area,
        "targets_behind": behind[:TARGETS_SHOWN],
        "targets_behind_total": len(behind),
        "targets_unreported": unreported,
    }


# --- the enterprise's own status (issue 16 part 2: obligations in one place) ------------------------

#: Due within this many days: highlighted on an enterprise's home (逾期: past the due date, in red).
SOON_DAYS = 7
#: How many of the latest notifications an enterprise's home shows.
NOTIFICATIONS_SHOWN = 5
#: A refused change request stays on the home's 待办 this long after the decision.
REFUSED_SHOWN_DAYS = 30


@dataclass
class Due:
    """One thing an enterprise must do: what, where, by when; ``urgency`` "overdue" (逾期) or "soon"
    (within ``SOON_DAYS``) or ""."""

    kind: str
    label: str
    url: str = ""
    due_on: dt.date | None = None
    urgency: str = ""
    note: str = ""


def _urgency(due_on: dt.date | None, today: dt.date, *, overdue: bool = False) -> str:
    if overdue or (due_on is not None and due_on < today):
        return "overdue"
    if due_on is not None and due_on <= today + dt.timedelta(days=SOON_DAYS):
        return "soon"
    return ""


def _url_or_empty(name: str, *args) -> str:
    """The page's address, or "" while that page does not exist (a part of the system not installed)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _obligations_due(user, organisation, today: dt.date) -> list[Due]:
    """年度报告与复核 of the organisation's certifications still open — one query."""
    from smeplan.recognition.models import ObligationKind, ObligationState
    from smeplan.recognition.obligations import OPEN_STATES, obligations_visible_to

    rows = obligations_visible_to(user).filter(
        certification__organisation_id=organisation.pk, state__in=OPEN_STATES
    )
    out = []
    for o in rows.order_by("due_on", "id"):
        what = (
            _("%(period)s年度报告") % {"period": o.period}
            if o.kind == ObligationKind.ANNUAL_REPORT
            else _("%(period)s年复核") % {"period": o.period}
        )
        submitted = o.state == ObligationState.SUBMITTED
        note = _("已提交，待审核") if submitted else str(o.get_state_display())
        if not submitted and o.submitted_at and o.review_note:  # 退回补正: it goes back to the firm
            note = _("退回补正：%(note)s") % {"note": o.review_note}
        out.append(
            Due(
                kind=str(o.get_kind_display()),
                label=f"{o.certification.title}：{what}",
                url=reverse("obligation_detail", args=[o.pk]),
                due_on=o.due_on,
                urgency=""
                if submitted
                else _urgency(o.due_on, today, overdue=o.state == ObligationState.OVERDUE),
                note=note,
            )
        )
    return out


def _campaign_tasks_due(user, today: dt.date) -> list[Due]:
    """数据填报 tasks still to fill in (or returned) — one query."""
    from smeplan.campaigns.models import TaskState
    from smeplan.campaigns.selectors import open_tasks_of_organisation

    out = []
    for t in open_tasks_of_organisation(user):
        returned = t.state == TaskState.RETURNED
        note = _("已退回：%(comment)s") % {"comment": t.comment} if returned and t.comment else ""
        out.append(
            Due(
                kind=_("数据填报"),
                label=t.campaign.title,
                url=_url_or_empty("campaign_task_detail", t.pk),
                due_on=t.campaign.deadline,
                urgency=_urgency(t.campaign.deadline, today),
                note=note or str(t.get_state_display()),
            )
        )
    return out


def _own_status(user, organisation) -> dict:
    """An enterprise's obligations in one place: what is due (annual reports and re-reviews, data
    campaign tasks, applications returned for correction or not yet submitted, refused change
    requests, last year's figures, validity or re-review coming up), its applications, its
    certifications with validity and next re-review, its latest notifications and its pending change
    requests. One query per section, each through its app's scoped selector."""
    from smeplan.indicators.selectors import figures_get
    from smeplan.portal.models import ProfileChangeState
    from smeplan.portal.selectors import change_requests_of
    from smeplan.recognition import selectors
    from smeplan.recognition.models import CertificationState, State

    today = timezone.localdate()
    certifications = [
        c
        for c in selectors.certifications_of(user, organisation).filter(state=CertificationState.ACTIVE)
        if c.valid_until is None or c.valid_until >= today
    ]
    for c in certifications:
        c.validity_urgency = _urgency(c.valid_until, today) if c.valid_until else ""
        c.review_urgency = _urgency(c.next_review_on, today) if c.next_review_on else ""
    applications = list(selectors.applications_of(user, organisation)[:5])
    due: list[Due] = _obligations_due(user, organisation, today) + _campaign_tasks_due(user, today)
    for a in applications:
        if a.state in (State.DRAFT, State.RETURNED):
            returned = a.state == State.RETURNED
            due.append(
                Due(
                    kind=_("退回补正") if returned else _("认定申报"),
                    label=f"{a.programme.name}·{a.tier.name}",
                    url=reverse("application_detail", args=[a.pk]),
                    note=_("申报被退回，请修改后重新提交") if returned else _("申报尚未提交"),
                )
            )
    since = timezone.now() - dt.timedelta(days=REFUSED_SHOWN_DAYS)
    change_rows = list(
        change_requests_of(user, organisation).filter(
            Q(state=ProfileChangeState.PENDING) | Q(state=ProfileChangeState.REFUSED, decided_at__gte=since)
        )
    )
    pending_changes = [r for r in change_rows if r.state == ProfileChangeState.PENDING]
    for r in change_rows:
        if r.state == ProfileChangeState.REFUSED:
            due.append(
                Due(
                    kind=_("信息变更"),
                    label=_("%(kind)s申请未通过") % {"kind": r.get_kind_display()},
                    url=reverse("change_request_detail", args=[r.pk]),
                    note=r.decision_note,
                )
            )
    last_year = today.year - 1
    if figures_get(user, organisation, last_year) is None:
        due.append(
            Due(
                kind=_("年度数据"),
                label=_("填报 %(year)s 年度数据") % {"year": last_year},
                url=reverse("figures_create", args=[organisation.pk]),
            )
        )
    horizon = today + dt.timedelta(days=DUE_DAYS)
    for c in certifications:
        if c.valid_until and c.valid_until <= horizon:
            due.append(
                Due(
                    kind=_("有效期"),
                    label=_("%(title)s有效期至 %(day)s")
                    % {"title": c.title, "day": f"{c.valid_until:%Y-%m-%d}"},
                    url=reverse("certification_detail", args=[c.pk]),
                    due_on=c.valid_until,
                    urgency=c.validity_urgency,
                )
            )
    # overdue first, then by date (undated last), keeping each section's order otherwise
    order = {"overdue": 0, "soon": 1, "": 2}
    due.sort(key=lambda d: (order[d.urgency], d.due_on is None, d.due_on or today))
    return {
        "own_certifications": certifications,
        "own_applications": applications,
        "due": due,
        "own_notifications": list(selectors.notifications_of(user)[:NOTIFICATIONS_SHOWN]),
        "own_pending_changes": pending_changes,
    }
