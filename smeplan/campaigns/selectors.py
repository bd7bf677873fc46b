"""Reads of 数据填报, always through the one scoping function."""

from django.db.models import Q, QuerySet

from smeplan.accounts.scoping import records_filter, scope_filter
from smeplan.campaigns.models import Campaign, CampaignState, CampaignTask, TaskState
from smeplan.recognition import clock

OPEN_TASK_STATES = (TaskState.PENDING, TaskState.RETURNED)


def overdue_q(today=None, *, prefix: str = "") -> Q:
    """逾期: not submitted (待填报/已退回) after the campaign's deadline."""
    today = today or clock.today()
    return Q(**{f"{prefix}state__in": OPEN_TASK_STATES, f"{prefix}campaign__deadline__lt": today})


def tasks_visible_to(user) -> QuerySet[CampaignTask]:
    """Tasks of the organisations ``user`` sees (an enterprise: its own)."""
    return scope_filter(user, CampaignTask.objects.all(), organisation="organisation")


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns issued in the user's region or above it that hold tasks it sees: a bureau sees the
    campaigns of its region and the regions under it (``records_filter``) and those issued above
    that reach its firms; an enterprise the campaigns it has a task in."""
    from smeplan.accounts.models import ORGANISATION_ROLES

    if user.is_authenticated and user.role in ORGANISATION_ROLES:
        return Campaign.objects.filter(tasks__in=tasks_visible_to(user)).distinct()
    own = records_filter(user, Campaign.objects.all(), region="region", owner="created_by")
    return Campaign.objects.filter(
        Q(pk__in=own.values("pk")) | Q(pk__in=tasks_visible_to(user).values("campaign_id"))
    )


def open_tasks_of_organisation(user) -> QuerySet[CampaignTask]:
    """What an enterprise still has to fill in: open campaigns' tasks not yet submitted (或已退回)."""
    return (
        tasks_visible_to(user)
        .filter(
            campaign__state=CampaignState.OPEN,
            state__in=OPEN_TASK_STATES,
            campaign__opens_on__lte=clock.today(),
        )
        .select_related("campaign")
        .order_by("campaign__deadline", "id")
    )


# --- tasks: the firm's page and the county's review (part 4, ``answers.py``) ----------------------


def task_get(user, pk) -> CampaignTask:
    """One task the user may open: its firm's users and the bureaus and viewers over it; 404 else."""
    from django.http import Http404

    try:
        return (
            tasks_visible_to(user)
            .select_related("campaign", "campaign__form_version", "organisation", "county", "obligation")
            .get(pk=int(pk))
        )
    except (CampaignTask.DoesNotExist, TypeError, ValueError):
        raise Http404("填报任务不存在或不在您的管辖范围内") from None


def tasks_awaiting_review(user, *, campaign_id=None) -> QuerySet[CampaignTask]:
    """填报审核: submitted tasks of the counties in the user's scope (bureau users only)."""
    from smeplan.accounts.models import BUREAU_ROLES

    if not (user.is_authenticated and (user.role in BUREAU_ROLES or user.is_superuser)):
        return CampaignTask.objects.none()
    qs = scope_filter(
        user, CampaignTask.objects.filter(state=TaskState.SUBMITTED), organisation="organisation"
    )
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    return qs.select_related("campaign", "organisation", "county").order_by("submitted_at", "id")


def figures_beside(organisation_id: int, years) -> dict[int, dict]:
    """{year: {figure field: Decimal | None}} of the registry for ``years`` (one query) — last
    year's values shown beside the form, and this year's current ones."""
    from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures

    return {
        row["year"]: row
        for row in AnnualFigures.objects.filter(organisation_id=organisation_id, year__in=list(years)).values(
            "year", *FIGURE_NAMES
        )
    }
