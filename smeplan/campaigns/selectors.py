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


def is_overdue(state: str, deadline, today=None) -> bool:
    """``overdue_q`` for a state and deadline already read (the same rule, in Python): the grouped
    progress counts read (county, state) groups and derive 逾期 from them."""
    return state in OPEN_TASK_STATES and deadline < (today or clock.today())


def tasks_visible_to(user) -> QuerySet[CampaignTask]:
    """Tasks of the organisations ``user`` sees (an enterprise: its own)."""
    return scope_filter(user, CampaignTask.objects.all(), organisation="organisation")


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns issued in the user's region or above it that hold tasks it sees: a bureau sees the
    campaigns of its region and the regions under it (``records_filter``) and those issued above
    that reach its firms; an enterprise the campaigns it has a task in."""
    from django.db.models import Exists, OuterRef

    from smeplan.accounts.models import ORGANISATION_ROLES

    reaches = Exists(CampaignTask.objects.filter(task_scope_q(user), campaign_id=OuterRef("pk")))
    if user.is_authenticated and user.role in ORGANISATION_ROLES:
        return Campaign.objects.filter(reaches)
    own = records_filter(user, Campaign.objects.all(), region="region", owner="created_by")
    return Campaign.objects.filter(Q(pk__in=own.values("pk")) | reaches)


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


# --- the bureau side: lists, progress, task lists (part 3) -------------------------------------------

PROGRESS_STATES = (TaskState.PENDING, TaskState.SUBMITTED, TaskState.ACCEPTED, TaskState.RETURNED)


def may_view_campaigns(user) -> bool:
    """数据填报 list: bureau users of a region and enterprise users of an organisation."""
    from smeplan.accounts.models import BUREAU_ROLES, ORGANISATION_ROLES, Role

    if not (user.is_authenticated and user.is_active):
        return False
    if user.role in BUREAU_ROLES:
        return user.region_id is not None
    return (
        user.role == Role.ENTERPRISE_USER and user.role in ORGANISATION_ROLES and bool(user.organisation_id)
    )


def may_follow(user) -> bool:
    """Progress and task lists of a campaign: bureau users of a region."""
    from smeplan.accounts.models import BUREAU_ROLES

    return bool(user.is_authenticated and user.is_active and user.role in BUREAU_ROLES and user.region_id)


def task_scope_q(user, *, prefix: str = "") -> Q:
    """The scope of tasks by the task's own county (copied from the organisation when the task was
    written, indexed with the campaign and state) — the same counties ``scope_for`` gives."""
    from smeplan.accounts.scoping import county_scope_q, scope_for

    scope = scope_for(user)
    if scope.organisation_id is not None:
        return Q(**{f"{prefix}organisation_id": scope.organisation_id})
    return county_scope_q(user, county=f"{prefix}county")


def campaign_get(user, pk) -> Campaign:
    """A campaign the user may follow (bureau) — else 404, never saying that it exists."""
    from django.http import Http404

    campaign = (
        campaigns_visible_to(user)
        .filter(pk=pk)
        .select_related("region", "programme", "form_version", "created_by")
        .first()
        if may_follow(user)
        else None
    )
    if campaign is None:
        raise Http404("数据填报不存在或不在您的管辖范围内")
    return campaign


def _grouped(qs, key: str, deadlines: dict, today) -> dict:
    """{key value: {total, pending, submitted, accepted, returned, overdue}} from ONE
    ``GROUP BY key, state`` (the index (campaign, county, state) serves it); 逾期 derived per group."""
    from django.db.models import Count

    out: dict = {}
    for value, state, n in qs.order_by().values_list(key, "state").annotate(n=Count("*")):
        row = out.setdefault(value, dict.fromkeys(("total", *PROGRESS_STATES, "overdue"), 0))
        row["total"] += n
        if state in row:
            row[state] += n
        deadline = deadlines[value] if key == "campaign_id" else deadlines[None]
        if is_overdue(state, deadline, today):
            row["overdue"] += n
    return out


def campaign_counts(user, campaigns) -> dict[int, dict[str, int]]:
    """{campaign id: {total, pending, submitted, accepted, returned, overdue}} of the tasks the user
    sees, for a page of campaigns: ONE grouped query."""
    deadlines = {c.pk: c.deadline for c in campaigns}
    qs = CampaignTask.objects.filter(task_scope_q(user), campaign_id__in=list(deadlines))
    return _grouped(qs, "campaign_id", deadlines, clock.today())


def _rate(part: int, total: int) -> float | None:
    return part / total if total else None


def _progress_row(code: str, name: str, counts: dict) -> dict:
    total = counts.get("total", 0)
    row = {"code": code, "name": name, "total": total}
    for key in ("pending", "submitted", "accepted", "returned", "overdue"):
        row[key] = counts.get(key, 0)
    row["reported"] = row["submitted"] + row["accepted"]
    row["submitted_rate"] = _rate(row["submitted"], total)
    row["accepted_rate"] = _rate(row["accepted"], total)
    row["returned_rate"] = _rate(row["returned"], total)
    row["overdue_rate"] = _rate(row["overdue"], total)
    row["rate"] = _rate(row["accepted"], total)  # 完成率: 已通过 ÷ 任务数
    return row


def campaign_progress(*, user, campaign, today=None) -> dict:
    """Progress of ``campaign`` over the counties ``user`` sees: ONE grouped query on the index
    (campaign, county, state). Returns {"counties": [rows by county], "cities": [rows by city-level
    unit, only for a user above a city], "total": row}; a row: code, name, total, pending, submitted,
    accepted, returned, overdue (derived: ``is_overdue``, the rule of ``overdue_q``) and the rates (fractions; None when empty).
    完成率 (``rate``) = 已通过 ÷ 任务数."""
    from smeplan.accounts.scoping import scope_for
    from smeplan.regions.models import city_level_unit_of_path

    today = today or clock.today()
    qs = CampaignTask.objects.filter(task_scope_q(user), campaign_id=campaign.pk)
    by_county = _grouped(qs, "county_id", {None: campaign.deadline}, today)
    regions = {r.code: r for r in _regions_cached()}
    counties = sorted(by_county, key=lambda code: regions[code].path if code in regions else code)
    county_rows = [
        _progress_row(code, regions[code].name if code in regions else code, by_county[code])
        for code in counties
    ]
    keys = ("total", "pending", "submitted", "accepted", "returned", "overdue")
    totals = {k: sum(by_county[c][k] for c in by_county) for k in keys}
    city_rows = []
    if scope_for(user).everything:
        cities: dict[str, dict] = {}
        for code in counties:
            city = city_level_unit_of_path(regions[code].path) if code in regions else code
            acc = cities.setdefault(city, dict.fromkeys(keys, 0))
            for k in keys:
                acc[k] += by_county[code][k]
        city_rows = [
            _progress_row(code, regions[code].name if code in regions else code, acc)
            for code, acc in cities.items()
        ]
        city_rows.sort(key=lambda r: regions[r["code"]].path if r["code"] in regions else r["code"])
    return {"counties": county_rows, "cities": city_rows, "total": _progress_row("", "合计", totals)}


def _regions_cached():
    """All regions (about 120 rows, reference data) for names and paths."""
    from smeplan.regions.models import Region

    return list(Region.objects.only("code", "name", "path"))


def campaign_tasks(user, campaign, *, county: str = "", state: str = "", overdue: bool = False):
    """The tasks of ``campaign`` the user sees, filtered (county, state, 逾期), in county then name order."""
    qs = CampaignTask.objects.filter(task_scope_q(user), campaign_id=campaign.pk)
    if county:
        qs = qs.filter(county_id=county)
    if state in TaskState.values:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(overdue_q())
    return qs.select_related("organisation", "county").order_by("county_id", "organisation__name", "id")


def campaigns_listed(user):
    """The campaigns of the 数据填报 list: those visible to the user, newest first."""
    return campaigns_visible_to(user).select_related("region").order_by("-created_at", "-id")
