"""数据填报, the bureau side (issue 16 part 3): the list of campaigns (an enterprise: those it has a
task in), 发起数据填报, a campaign's page with its progress per county (and city), the progress as
.xlsx through the one export engine, the task list, and changing / closing / reopening. Writes only
through ``campaigns.services``; reads through ``campaigns.selectors`` (scoped)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.accounts.models import ORGANISATION_ROLES
from smeplan.accounts.scoping import regions_filter
from smeplan.campaigns import selectors, services
from smeplan.campaigns.models import CampaignState, Content, Targeting, TaskState
from smeplan.exchange import export as engine
from smeplan.exchange.export import INTEGER, PERCENT, Column, Export
from smeplan.recognition import clock
from smeplan.registry.models import OrganisationKind
from smeplan.registry.selectors import page_of
from smeplan.web.views.common import flash_errors, require_page, split_errors


def task_url(task_id: int) -> str:
    """The task's page (part 4's ``campaign_task_detail``), or "" while it does not exist."""
    try:
        return reverse("campaign_task_detail", args=[task_id])
    except NoReverseMatch:
        return ""


# --- the list ------------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request):
    user = request.user
    require_page(selectors.may_view_campaigns(user))
    enterprise = user.role in ORGANISATION_ROLES
    page = page_of(selectors.campaigns_listed(user), request.GET.get("page"))
    counts = selectors.campaign_counts(user, page.items)
    own_tasks = {}
    if enterprise:
        own_tasks = dict(
            selectors.tasks_visible_to(user)
            .filter(campaign_id__in=[c.pk for c in page.items])
            .values_list("campaign_id", "pk")
        )
    today = clock.today()
    rows = []
    for c in page.items:
        n = counts.get(c.pk, {})
        total = n.get("total", 0)
        rows.append(
            {
                "campaign": c,
                "counts": n,
                "rate": (n.get("accepted", 0) / total) if total else None,
                "url": task_url(own_tasks[c.pk]) if enterprise and c.pk in own_tasks else "",
                "past": c.deadline < today,
            }
        )
    return render(
        request,
        "web/campaigns/campaign_list.html",
        {
            "rows": rows,
            "page": page,
            "enterprise": enterprise,
            "may_issue": services.may_issue(user),
        },
    )


# --- 发起数据填报 ------------------------------------------------------------------------------------


def _form_context(user, data: dict) -> dict:
    from smeplan.programmes.models import FormVersion, Programme
    from smeplan.programmes.selectors import runs_visible_to
    from smeplan.regions.models import Region

    regions = list(regions_filter(user, Region.objects.all()).order_by("path"))
    programmes = list(Programme.objects.prefetch_related("tiers").order_by("position", "code"))
    chosen_regions = data.get("regions") or []
    if isinstance(chosen_regions, str):
        chosen_regions = [chosen_regions]
    return {
        "data": data,
        "chosen_regions": set(chosen_regions),
        "regions": [
            {"code": r.code, "name": r.name, "depth": r.path.count("/") - 1, "county": r.is_county}
            for r in regions
        ],
        "kinds": OrganisationKind.choices,
        "programmes": programmes,
        "runs": list(runs_visible_to(user).order_by("-created_at")[:50]),
        "form_versions": list(
            FormVersion.objects.select_related("programme").order_by(
                "programme__position", "purpose", "-number"
            )
        ),
        "targetings": Targeting.choices,
        "contents": Content.choices,
        "this_year": clock.today().year,
    }


def _posted(request) -> dict:
    post = request.POST
    data = {k: post.get(k, "") for k in post if k not in ("regions", "csrfmiddlewaretoken")}
    data["regions"] = post.getlist("regions")
    return data


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    user = request.user
    require_page(services.may_issue(user))
    today = clock.today()
    if request.method == "POST":
        data = _posted(request)
        try:
            campaign = services.campaign_create(
                actor=user, data=data, list_file=request.FILES.get("list_file")
            )
        except ValidationError as exc:
            field_errors, general = split_errors(exc)
            context = _form_context(user, data)
            context.update(field_errors=field_errors, general=general)
            return render(request, "web/campaigns/campaign_form.html", context, status=422)
        messages.success(request, f"已向 {campaign.task_count} 家企业发出填报任务")
        return redirect("campaign_detail", pk=campaign.pk)
    data = {
        "year": str(today.year - 1),
        "targeting": Targeting.REGION,
        "content": Content.FIGURES,
        "opens_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=30)).isoformat(),
        "regions": [user.region_id] if user.region_id else [],
    }
    return render(request, "web/campaigns/campaign_form.html", _form_context(user, data))


# --- one campaign --------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_detail(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    progress = selectors.campaign_progress(user=user, campaign=campaign)
    manage = services.may_manage(user, campaign)
    return render(
        request,
        "web/campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "total_rows": [progress["total"]],
            "may_manage": manage,
            "is_open": campaign.state == CampaignState.OPEN,
            "past": campaign.deadline < clock.today(),
        },
    )


PROGRESS_COLUMNS = [
    Column("地区", width=16, shared=True),
    Column("任务数", INTEGER, width=10),
    Column("待填报", INTEGER, width=10),
    Column("已提交", INTEGER, width=10),
    Column("已通过", INTEGER, width=10),
    Column("已退回", INTEGER, width=10),
    Column("逾期", INTEGER, width=10),
    Column("已提交比例", PERCENT),
    Column("已通过比例", PERCENT),
    Column("已退回比例", PERCENT),
    Column("逾期比例", PERCENT),
    Column("完成率", PERCENT),
]


def _progress_values(row: dict) -> tuple:
    return (
        row["name"],
        row["total"],
        row["pending"],
        row["submitted"],
        row["accepted"],
        row["returned"],
        row["overdue"],
        row["submitted_rate"],
        row["accepted_rate"],
        row["returned_rate"],
        row["overdue_rate"],
        row["rate"],
    )


@login_required
@require_GET
def campaign_progress_xlsx(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    progress = selectors.campaign_progress(user=user, campaign=campaign)
    rows = [_progress_values(r) for r in progress["counties"]]
    rows += [_progress_values({**r, "name": f"{r['name']}（小计）"}) for r in progress["cities"]]
    rows.append(_progress_values(progress["total"]))
    return engine.xlsx_response(
        Export(
            title=f"{campaign.title}填报进度",
            actor=user,
            columns=PROGRESS_COLUMNS,
            rows=rows,
            filters=[
                ("数据年度", f"{campaign.year}年"),
                ("截止日期", f"{campaign.deadline:%Y-%m-%d}"),
            ],
            sheet_name="填报进度",
            notes=[("完成率", "已通过的任务 ÷ 任务数；逾期：截止日期后仍未提交（待填报或已退回）")],
        )
    )


TASKS_PER_PAGE = 50


@login_required
@require_GET
def campaign_tasks(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    f = {
        "county": request.GET.get("county", "").strip(),
        "state": request.GET.get("state", "").strip(),
        "overdue": request.GET.get("overdue", "") == "1",
    }
    qs = selectors.campaign_tasks(user, campaign, county=f["county"], state=f["state"], overdue=f["overdue"])
    page = page_of(qs, request.GET.get("page"), size=TASKS_PER_PAGE)
    progress_counties = selectors.campaign_progress(user=user, campaign=campaign)["counties"]
    today = clock.today()
    items = [
        {
            "task": t,
            "url": task_url(t.pk),
            "overdue": t.state in selectors.OPEN_TASK_STATES and campaign.deadline < today,
        }
        for t in page.items
    ]
    return render(
        request,
        "web/campaigns/campaign_tasks.html",
        {
            "campaign": campaign,
            "page": page,
            "items": items,
            "f": f,
            "counties": [(r["code"], r["name"]) for r in progress_counties],
            "states": TaskState.choices,
        },
    )


@login_required
@require_POST
def campaign_edit(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    try:
        services.campaign_update(actor=user, campaign=campaign, data=request.POST.dict())
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "已保存修改")
    return redirect("campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_close(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    try:
        services.campaign_close(actor=user, campaign=campaign)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "填报已结束，企业不能再提交")
    return redirect("campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_reopen(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    try:
        services.campaign_reopen(actor=user, campaign=campaign, deadline=request.POST.get("deadline") or None)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "填报已重新开放")
    return redirect("campaign_detail", pk=campaign.pk)
