"""Reads of the recognition workflow, every one through the scoping function.

* applications: what the user may see = applications of organisations in the user's scope
  (``scope_filter``: a county its county, a city its counties, the province all, an enterprise its
  own); experts see only applications assigned to them;
* the queue (待办): applications waiting for the user's own bureau;
* public notices: the public page shows running and ended notices (name, county, tier only).
"""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from smeplan.accounts.models import BUREAU_ROLES, Role
from smeplan.accounts.scoping import scope_filter
from smeplan.recognition.models import (
    Application,
    ApplicationScore,
    Certification,
    CertificationState,
    ChangeReport,
    ExpertAssignment,
    Notification,
    Objection,
    ObjectionState,
    PublicNotice,
)

_RELATED = ("programme", "tier", "organisation", "organisation__county", "waiting_region", "notice")


def applications_visible_to(user) -> QuerySet[Application]:
    qs = Application.objects.select_related(*_RELATED)
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.EXPERT:
        return qs.filter(expert_assignments__expert=user).distinct()
    return scope_filter(user, qs, organisation="organisation")


def application_get(user, pk) -> Application:
    try:
        return applications_visible_to(user).get(pk=int(pk))
    except (Application.DoesNotExist, TypeError, ValueError):
        raise Http404("申报不存在或不在您的管辖范围内") from None


def queue_for(
    user, *, state: str = "", programme: str = "", tier: str = "", q: str = ""
) -> QuerySet[Application]:
    """待办: what waits for the user's bureau, with filters; oldest first."""
    if not (user.is_authenticated and user.is_active and user.role in BUREAU_ROLES and user.region_id):
        return Application.objects.none()
    qs = applications_visible_to(user).filter(waiting_region_id=user.region_id)
    if state:
        qs = qs.filter(state=state)
    if programme:
        qs = qs.filter(programme__code=programme)
    if tier:
        qs = qs.filter(tier_id=tier) if str(tier).isdigit() else qs.filter(tier__code=tier)
    if q:
        qs = qs.filter(Q(organisation__name__contains=q) | Q(organisation__credit_code=q.upper()))
    return qs.order_by("submitted_at", "id")


def queue_counts(user) -> dict[str, int]:
    """Waiting items per state for the user's bureau (a small GROUP BY on an indexed column)."""
    if not (user.is_authenticated and user.role in BUREAU_ROLES and user.region_id):
        return {}
    rows = (
        Application.objects.filter(waiting_region_id=user.region_id)
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["state"]: r["n"] for r in rows}


def own_applications(user) -> QuerySet[Application]:
    """An enterprise user's applications."""
    if not (user.is_authenticated and user.organisation_id):
        return Application.objects.none()
    return Application.objects.select_related(*_RELATED).filter(organisation_id=user.organisation_id)


def scores_visible_to(user) -> QuerySet[ApplicationScore]:
    """评分结果 of the applications ``user`` sees (the score pages and the API)."""
    visible = applications_visible_to(user).values("id")
    return ApplicationScore.objects.filter(application_id__in=visible).select_related(
        "application__organisation__county", "application__tier", "application__programme", "rubric_version"
    )


#: the orders of the 评分结果 list (pages and API): key → (ordering, label)
SCORE_SORTS = {
    "total": (("-total", "application__organisation__name"), "总分从高到低"),
    "-total": (("total", "application__organisation__name"), "总分从低到高"),
    "name": (("application__organisation__name",), "企业名称"),
    "outcome": (("outcome", "-total"), "评分结论"),
}


def scores_of(user, *, programme=None, year=None, call=None, sort="total") -> QuerySet[ApplicationScore]:
    """The scores ``user`` sees, of a programme (object or code), reference year and call, in one of
    ``SCORE_SORTS``' orders (ties by application)."""
    qs = scores_visible_to(user)
    if call is not None:
        qs = qs.filter(application__call_id=getattr(call, "pk", call))
    if isinstance(programme, str):
        qs = qs.filter(application__programme__code=programme) if programme.strip() else qs
    elif programme is not None:
        qs = qs.filter(application__programme=programme)
    if year:
        qs = qs.filter(reference_year=year)
    return qs.order_by(*SCORE_SORTS[sort][0], "application_id")


def notices_visible_to(user) -> QuerySet[PublicNotice]:
    """Bureau side: notices of the user's bureau or below (the province sees all)."""
    from smeplan.accounts.scoping import records_filter

    return records_filter(
        user, PublicNotice.objects.select_related("programme", "region"), region="region", owner="created_by"
    )


def notice_get(user, pk) -> PublicNotice:
    try:
        return notices_visible_to(user).get(pk=int(pk))
    except (PublicNotice.DoesNotExist, TypeError, ValueError):
        raise Http404("公示不存在或不在您的管辖范围内") from None


def public_notices() -> QuerySet[PublicNotice]:
    """公示公告 (no login): every notice; the page says which are running."""
    return PublicNotice.objects.select_related("programme", "region").annotate(
        n=Count("applications", distinct=True) + Count("change_reports", distinct=True)
    )


def public_notice_get(pk) -> PublicNotice:
    try:
        return PublicNotice.objects.select_related("programme", "region").get(pk=int(pk))
    except (PublicNotice.DoesNotExist, TypeError, ValueError):
        raise Http404("公示不存在") from None


def public_notice_rows(notice: PublicNotice) -> list[dict]:
    """What the public sees of each listed application: name, county, tier — nothing else; of each
    listed rename (更名公示): the former and the new name (``id`` "rename-<pk>")."""
    rows = [
        {"id": a.pk, "name": a.organisation.name, "county": a.organisation.county.name, "tier": a.tier.name}
        for a in notice.applications.select_related("organisation__county", "tier").order_by(
            "tier__position", "organisation__name"
        )
    ]
    rows += [
        {
            "id": f"rename-{r.pk}",
            "name": f"{r.new_name}（原名称：{r.certification.organisation_name}）",
            "county": r.certification.organisation.county.name,
            "tier": r.certification.title,
        }
        for r in notice.change_reports.select_related("certification__organisation__county").order_by("pk")
    ]
    return rows


def objections_of(notice: PublicNotice, state: str = "") -> QuerySet[Objection]:
    qs = notice.objections.select_related("application__organisation", "change_report__certification")
    return qs.filter(state=state) if state else qs


def open_objections(application: Application) -> int:
    return application.objections.filter(state=ObjectionState.OPEN).count()


def in_force_on(day: dt.date) -> Q:
    """The one definition of a certification in force on ``day``: certified by then, not ended by
    then (ended on ``day`` itself: no longer in force) and not past its validity (``valid_until`` is
    its last valid day) — whether or not the daily job has already marked it 已到期."""
    return (
        Q(certified_on__lte=day)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    )


def held_on(certification: Certification, day: dt.date) -> bool:
    """``in_force_on`` for one certification already read (the same rule, in Python)."""
    return (
        certification.certified_on <= day
        and (certification.ended_on is None or certification.ended_on > day)
        and (certification.valid_until is None or certification.valid_until >= day)
    )


def year_reference_day(year: int, today: dt.date) -> dt.date:
    """The day a year's "in force" count refers to: its last day, or today while it runs."""
    return min(dt.date(year, 12, 31), today)


def certifications_visible_to(user) -> QuerySet[Certification]:
    qs = Certification.objects.select_related(
        "organisation", "organisation__county", "programme", "tier", "region"
    )
    if not user.is_authenticated:
        return qs.none()
    return scope_filter(user, qs, organisation="organisation")


def certification_get(user, pk) -> Certification:
    try:
        return certifications_visible_to(user).get(pk=int(pk))
    except (Certification.DoesNotExist, TypeError, ValueError):
        raise Http404("认定记录不存在或不在您的管辖范围内") from None


def published_certifications(
    *, programme: str = "", tier: str = "", year: str = ""
) -> QuerySet[Certification]:
    """公布名单 (public): active certifications — name as certified, county, tier, title, document."""
    qs = Certification.objects.select_related("organisation__county", "programme", "tier", "region").filter(
        state=CertificationState.ACTIVE
    )
    if programme:
        qs = qs.filter(programme__code=programme)
    if tier:
        qs = qs.filter(tier__code=tier)
    if year and str(year).isdigit():
        qs = qs.filter(certified_on__year=int(year))
    return qs.order_by("programme__position", "tier__position", "organisation_name")


def certification_history(certification: Certification) -> list[Certification]:
    """The chain of certifications this one continues (promotion, re-certification), oldest first."""
    chain = [certification]
    seen = {certification.pk}
    current = certification
    while current.previous_id and current.previous_id not in seen:
        current = Certification.objects.select_related("programme", "tier", "region").get(
            pk=current.previous_id
        )
        seen.add(current.pk)
        chain.append(current)
    return list(reversed(chain))


def change_reports_visible_to(user) -> QuerySet[ChangeReport]:
    qs = ChangeReport.objects.select_related("certification", "certification__organisation")
    if not user.is_authenticated:
        return qs.none()
    return scope_filter(user, qs, organisation="certification__organisation")


def expert_assignments_of(user) -> QuerySet[ExpertAssignment]:
    """专家: only their own assignments."""
    if not (user.is_authenticated and user.role == Role.EXPERT):
        return ExpertAssignment.objects.none()
    return ExpertAssignment.objects.select_related(
        "application__organisation", "application__tier", "application__programme"
    ).filter(expert=user)


def notifications_of(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


UNREAD_CAP = 99


def unread_count(user) -> int:
    """Unread notifications, at most ``UNREAD_CAP + 1`` (the menu shows "99+"): a LIMIT on the
    user's index instead of a COUNT on every page."""
    if not user.is_authenticated:
        return 0
    return len(notifications_of(user, unread_only=True).values_list("id", flat=True)[: UNREAD_CAP + 1])


def certifications_of(user, organisation) -> QuerySet[Certification]:
    """One organisation's certifications the user may see (current and past), newest first."""
    return (
        certifications_visible_to(user)
        .filter(organisation_id=organisation.pk)
        .order_by("-certified_on", "-id")
    )


def applications_of(user, organisation) -> QuerySet[Application]:
    """One organisation's applications the user may see, latest activity first."""
    return (
        applications_visible_to(user).filter(organisation_id=organisation.pk).order_by("-updated_at", "-id")
    )


def objections_open_count(user) -> int:
    """公示异议 still open on the notices the user's bureau may see."""
    return Objection.objects.filter(
        state=ObjectionState.OPEN, notice__in=notices_visible_to(user).values("pk")
    ).count()


def change_reports_open(user) -> dict[str, int]:
    """重大变化报告 not yet decided, per state (待核查, 待省级重新认定), in the user's scope."""
    from smeplan.recognition.models import ChangeState

    open_states = (ChangeState.REPORTED, ChangeState.CONFIRMED)
    rows = (
        change_reports_visible_to(user)
        .filter(state__in=open_states)
        .order_by()
        .values("state")
        .annotate(n=Count("id"))
    )
    return {r["state"]: r["n"] for r in rows}
