"""数据填报 in the API (``/api/v1/campaigns``), the bureau side: the scoped list (an enterprise sees
the campaigns it has a task in), issuing a campaign (JSON; an uploaded list as ``credit_codes``), one
campaign, its progress per county (and city), its tasks (paged) and closing it — through the same
services and selectors as the pages (``campaigns.services``, ``campaigns.selectors``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from smeplan.api.schemas import ERRORS
from smeplan.campaigns import selectors, services
from smeplan.campaigns.models import Campaign

router = Router(tags=["数据填报"])


class CampaignIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(description="名称")
    year: int = Field(description="数据年度（不晚于今年）")
    targeting: str = Field(
        description="填报对象：region 按地区 / programme 认定项目 / screening 筛选结果 / list 名单"
    )
    regions: list[str] = Field(default_factory=list, description="region：省、市、区县代码（管辖范围内）")
    kind: str = Field("", description="region：单位类型（enterprise 企业等），空为全部")
    programme: str = Field("", description="programme：认定项目代码")
    tier: int | None = Field(None, description="programme：梯队 id，空为全部梯队")
    screening_run: int | None = Field(None, description="screening：筛选记录 id")
    include_incomplete: bool = Field(False, description="screening：同时包括“数据不全”的企业")
    credit_codes: list[str] | None = Field(
        None, description="list：统一社会信用代码（管辖范围内、已在企业名录）"
    )
    content: str = Field("figures", description="figures 标准年度数据 / form 表单")
    form_version: int | None = Field(None, description="form：表单版本 id")
    opens_on: dt.date = Field(description="开始日期")
    deadline: dt.date = Field(description="截止日期（不早于开始日期和今天）")
    note: str = Field("", description="填报说明")


class CampaignOut(Schema):
    id: int
    title: str
    year: int
    region: str = Field(description="发起单位辖区代码")
    region_name: str
    targeting: str
    targeting_label: str
    targeting_detail: dict
    content: str
    content_label: str
    form_version_id: int | None
    opens_on: dt.date
    deadline: dt.date
    state: str = Field(description="open 填报中 / closed 已结束")
    state_label: str
    note: str
    task_count: int = Field(description="发出的任务数")
    annual_report: bool = Field(description="是否为自动发起的年度报告填报")
    created_at: dt.datetime


class ProgressRow(Schema):
    code: str = Field(description="区划代码（合计行为空）")
    name: str
    total: int
    pending: int = Field(description="待填报")
    submitted: int = Field(description="已提交（待审核）")
    accepted: int = Field(description="已通过")
    returned: int = Field(description="已退回")
    overdue: int = Field(description="逾期：截止日期后仍未提交")
    rate: float | None = Field(description="完成率：已通过 ÷ 任务数（小数）")


class ProgressOut(Schema):
    counties: list[ProgressRow]
    cities: list[ProgressRow] = Field(description="按市（区）汇总（省级用户）")
    total: ProgressRow


class CampaignPage(Schema):
    items: list[CampaignOut]
    offset: int
    limit: int
    has_next: bool


class TaskOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    credit_code: str
    county: str
    county_name: str
    state: str = Field(description="pending 待填报 / submitted 已提交 / accepted 已通过 / returned 已退回")
    state_label: str
    overdue: bool
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None


class TaskPage(Schema):
    items: list[TaskOut]
    offset: int
    limit: int
    has_next: bool


class PageQuery(Schema):
    offset: int = Field(0, ge=0, description="跳过的条数")
    limit: int = Field(50, ge=1, le=200, description="每页条数（1–200）")


class TaskQuery(PageQuery):
    county: str = Field("", description="区县代码")
    state: str = Field("", description="状态")
    overdue: bool = Field(False, description="只看逾期")


def _out(c: Campaign) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "year": c.year,
        "region": c.region_id,
        "region_name": c.region.name,
        "targeting": c.targeting,
        "targeting_label": str(c.get_targeting_display()),
        "targeting_detail": c.targeting_detail,
        "content": c.content,
        "content_label": str(c.get_content_display()),
        "form_version_id": c.form_version_id,
        "opens_on": c.opens_on,
        "deadline": c.deadline,
        "state": c.state,
        "state_label": str(c.get_state_display()),
        "note": c.note,
        "task_count": c.task_count,
        "annual_report": bool(c.auto_key),
        "created_at": c.created_at,
    }


def _follow(user, campaign_id: int) -> Campaign:
    return selectors.campaign_get(user, campaign_id)


@router.get("", response={200: CampaignPage, **ERRORS}, summary="数据填报列表")
def campaign_list(request, query: Query[PageQuery]):
    user = request.auth
    if not selectors.may_view_campaigns(user):
        raise PermissionDenied("您的角色无权查看数据填报")
    rows = list(selectors.campaigns_listed(user)[query.offset : query.offset + query.limit + 1])
    return {
        "items": [_out(c) for c in rows[: query.limit]],
        "offset": query.offset,
        "limit": query.limit,
        "has_next": len(rows) > query.limit,
    }


@router.post("", response={201: CampaignOut, **ERRORS}, summary="发起数据填报（主管部门）")
def campaign_create(request, payload: CampaignIn):
    user = request.auth
    data = payload.dict()
    if data.get("credit_codes") is None:
        data.pop("credit_codes", None)
    campaign = services.campaign_create(actor=user, data=data)
    return Status(201, _out(Campaign.objects.select_related("region").get(pk=campaign.pk)))


@router.get("/{int:campaign_id}", response={200: CampaignOut, **ERRORS}, summary="一次数据填报")
def campaign_detail(request, campaign_id: int):
    return _out(_follow(request.auth, campaign_id))


@router.get(
    "/{int:campaign_id}/progress", response={200: ProgressOut, **ERRORS}, summary="填报进度（按区县、市）"
)
def campaign_progress(request, campaign_id: int):
    user = request.auth
    return selectors.campaign_progress(user=user, campaign=_follow(user, campaign_id))


@router.get("/{int:campaign_id}/tasks", response={200: TaskPage, **ERRORS}, summary="填报任务清单")
def campaign_tasks(request, campaign_id: int, query: Query[TaskQuery]):
    from smeplan.recognition import clock

    user = request.auth
    campaign = _follow(user, campaign_id)
    qs = selectors.campaign_tasks(
        user, campaign, county=query.county, state=query.state, overdue=query.overdue
    )
    rows = list(qs[query.offset : query.offset + query.limit + 1])
    past = campaign.deadline < clock.today()
    items = [
        {
            "id": t.pk,
            "organisation_id": t.organisation_id,
            "organisation": t.organisation.name,
            "credit_code": t.organisation.credit_code,
            "county": t.county_id,
            "county_name": t.county.name,
            "state": t.state,
            "state_label": str(t.get_state_display()),
            "overdue": past and t.state in selectors.OPEN_TASK_STATES,
            "submitted_at": t.submitted_at,
            "decided_at": t.decided_at,
        }
        for t in rows[: query.limit]
    ]
    return {"items": items, "offset": query.offset, "limit": query.limit, "has_next": len(rows) > query.limit}


@router.post("/{int:campaign_id}/close", response={200: CampaignOut, **ERRORS}, summary="结束数据填报")
def campaign_close(request, campaign_id: int):
    user = request.auth
    campaign = services.campaign_close(actor=user, campaign=_follow(user, campaign_id))
    return _out(Campaign.objects.select_related("region").get(pk=campaign.pk))
