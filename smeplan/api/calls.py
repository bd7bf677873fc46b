"""申报批次 through the API: the same services and selectors as the pages (``recognition.calls``).

Lists and details follow the pages' visibility (the province all calls; a city or county bureau the
calls open to its city-level unit or published by it; an enterprise user the calls open to its
city); progress is the caller's bureau's (a row per city-level unit, county, or the county itself).
Writes: create, update, quotas, early close — by the bureau that publishes the call; an enterprise
user applies through a call (``POST /calls/{id}/applications``) and gets the new draft application.
Bad input answers 422 with the pages' Chinese messages and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from smeplan.api.recognition import ApplicationOut, _detail
from smeplan.api.schemas import ERRORS
from smeplan.programmes.models import Tier
from smeplan.recognition import calls, services
from smeplan.regions.selectors import city_level_units

router = Router(tags=["申报批次"])


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class AttachmentRule(Schema):
    code: str = Field(description="附件代码（小写字母开头），上传申报附件时以此代码对应")
    label: str = Field(description="附件名称")
    types: list[str] = Field(description="允许的类型：pdf、jpg、png、xlsx")
    max_mb: int | None = Field(None, description="大小上限（MB），不超过系统附件上限；缺省为系统上限")
    required: bool = Field(True, description="是否必交（提交申报时检查）")


class CallIn(_In):
    programme: str = Field(description="认定项目代码（修改时不可更改，忽略）")
    year: int | str = Field(description="申报年度")
    title: str = Field(description="批次名称")
    opens_at: str = Field(description="开始受理（含），如 2027-03-01T09:00 或带时区的 ISO 8601")
    closes_at: str = Field(description="截止受理（不含：此刻起不再受理）")
    regions: list[str] = Field(default_factory=list, description="可申报的市级单位（代码或名称）；空为全省")
    form_version_id: int | None = Field(None, description="申报表版本（须属于该项目）")
    rubric_version_id: int | None = Field(None, description="评分细则版本（须属于该项目）")
    attachments: list[AttachmentRule] = Field(default_factory=list, description="须提交的附件")
    notes: str = Field("", description="申报须知")
    total_quota: int | None = Field(None, description="名额总数（可选；各市名额合计不得超过）")
    quotas: dict[str, int | None] = Field(
        default_factory=dict, description="各市级单位的推荐名额 {代码或名称: 名额}；null 为不限"
    )

    def data(self) -> dict:
        values = self.dict()
        values["form_version"] = values.pop("form_version_id")
        values["rubric_version"] = values.pop("rubric_version_id")
        values.pop("quotas")
        return values


class QuotasIn(_In):
    quotas: dict[str, int | None] = Field(description="{市级单位代码或名称: 名额}；null 为取消名额（不限）")


class CloseIn(_In):
    reason: str = Field("", description="提前截止的原因")


class ApplyIn(_In):
    tier_id: int = Field(description="申报的梯队（须属于该批次的认定项目）")


class QuotaOut(Schema):
    region: str
    region_name: str
    quota: int
    used: int = Field(description="已用名额：该市市级审核通过并上报的本批次申报（含已认定）")


class CallItem(Schema):
    id: int
    programme: str = Field(description="认定项目代码")
    programme_name: str
    year: int = Field(description="申报年度")
    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    closed_at: dt.datetime | None = Field(description="提前截止的时刻")
    state: str = Field(description="not_started 未开始 / open 受理中 / closed 已截止")
    state_label: str
    window: str = Field(description="申报时间（中文）")
    regions: list[str] = Field(description="可申报的市级单位代码；空为全省")
    region: str | None = Field(description="发布部门（区划代码）")


class CallOut(CallItem):
    form_version_id: int | None
    rubric_version_id: int | None
    attachments: list[dict] = Field(description="须提交的附件 {code, label, types, max_mb, required}")
    notes: str
    total_quota: int | None
    quotas: list[QuotaOut]


class CallPage(Schema):
    items: list[CallItem]
    offset: int
    limit: int
    has_next: bool


class ProgressRow(Schema):
    code: str = Field(description="区划代码（合计行为空）")
    name: str
    submitted: int = Field(description="已提交")
    county_review: int = Field(description="县级审核中")
    city_review: int = Field(description="市级审核中")
    forwarded: int = Field(description="已推荐上报（市级审核通过后，含已认定）")
    certified: int = Field(description="已认定")
    quota: int | None = Field(description="名额（不限为空）")
    used: int | None = Field(description="已用名额")
    remaining: int | None = Field(description="剩余名额")


class ProgressOut(Schema):
    level: str = Field(description="province：各市级单位一行 / city：所辖区县一行 / county：本县")
    rows: list[ProgressRow]
    total: ProgressRow


class CallQuery(Schema):
    programme: str | None = Field(None, description="认定项目代码")
    year: int | None = Field(None, description="申报年度")
    state: str | None = Field(None, description="not_started / open / closed")
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=200)


def _item(call) -> dict:
    phase = calls.phase(call)
    return {
        "id": call.pk,
        "programme": call.programme.code,
        "programme_name": call.programme.name,
        "year": call.year,
        "title": call.title,
        "opens_at": timezone.localtime(call.opens_at),
        "closes_at": timezone.localtime(call.closes_at),
        "closed_at": timezone.localtime(call.closed_at) if call.closed_at else None,
        "state": phase,
        "state_label": calls.PHASE_LABELS[phase],
        "window": calls.window_text(call),
        "regions": list(call.regions),
        "region": call.region_id,
    }


def _out(call) -> dict:
    names = {r.code: r.name for r in city_level_units()}
    used = calls._used_by_city(call)
    return {
        **_item(call),
        "form_version_id": call.form_version_id,
        "rubric_version_id": call.rubric_version_id,
        "attachments": call.attachments,
        "notes": call.notes,
        "total_quota": call.total_quota,
        "quotas": [
            {
                "region": q.region_id,
                "region_name": names.get(q.region_id, ""),
                "quota": q.quota,
                "used": used.get(q.region_id, 0),
            }
            for q in call.quotas.order_by("region_id")
        ],
    }


@router.get("", response={200: CallPage, **ERRORS}, summary="申报批次列表（可见范围内）")
def call_list(request, query: Query[CallQuery]):
    qs = calls.calls_visible_to(request.auth)
    if query.programme:
        qs = qs.filter(programme__code=query.programme)
    if query.year:
        qs = qs.filter(year=query.year)
    items = list(qs)
    if query.state:
        items = [c for c in items if calls.phase(c) == query.state]
    rows = items[query.offset : query.offset + query.limit + 1]
    return {
        "items": [_item(c) for c in rows[: query.limit]],
        "offset": query.offset,
        "limit": query.limit,
        "has_next": len(rows) > query.limit,
    }


@router.post("", response={201: CallOut, **ERRORS}, summary="发布申报批次")
def call_create(request, payload: CallIn):
    call = calls.call_create(actor=request.auth, data=payload.data(), quotas=payload.quotas)
    return Status(201, _out(call))


@router.get("/{int:call_id}", response={200: CallOut, **ERRORS}, summary="申报批次详情（含名额与已用名额）")
def call_detail(request, call_id: int):
    return _out(calls.call_get(request.auth, call_id))


@router.put("/{int:call_id}", response={200: CallOut, **ERRORS}, summary="修改申报批次")
def call_update(request, call_id: int, payload: CallIn):
    call = calls.call_get(request.auth, call_id)
    call = calls.call_update(actor=request.auth, call=call, data=payload.data(), quotas=payload.quotas)
    return _out(call)


@router.put("/{int:call_id}/quotas", response={200: CallOut, **ERRORS}, summary="分配推荐名额")
def call_quotas(request, call_id: int, payload: QuotasIn):
    call = calls.call_get(request.auth, call_id)
    return _out(calls.call_quotas_set(actor=request.auth, call=call, quotas=payload.quotas))


@router.post("/{int:call_id}/close", response={200: CallOut, **ERRORS}, summary="提前截止受理")
def call_close(request, call_id: int, payload: CloseIn):
    call = calls.call_get(request.auth, call_id)
    return _out(calls.call_close(actor=request.auth, call=call, reason=payload.reason))


@router.get("/{int:call_id}/progress", response={200: ProgressOut, **ERRORS}, summary="申报进度（本部门）")
def call_progress(request, call_id: int):
    call = calls.call_get(request.auth, call_id)
    progress = calls.call_progress(request.auth, call)
    return {"level": progress["level"], "rows": progress["rows"], "total": progress["total"]}


@router.post(
    "/{int:call_id}/applications",
    response={201: ApplicationOut, **ERRORS},
    summary="企业通过申报批次申报（草稿）",
)
def call_apply(request, call_id: int, payload: ApplyIn):
    """企业用户通过该批次为本企业新建申报：申报年度为批次年度；不在申报时间内、不在可申报地区、
    本市名额已用完、不再受理期内或项目已关闭时拒绝（422，附原因）。"""
    from django.core.exceptions import ValidationError

    from smeplan.accounts.models import Role
    from smeplan.accounts.scoping import require

    require(request.auth.role == Role.ENTERPRISE_USER, "只有企业用户可以为本企业申报")
    call = calls.call_get(request.auth, call_id)
    tier = Tier.objects.filter(pk=payload.tier_id, programme_id=call.programme_id).first()
    if tier is None:
        raise ValidationError({"tier_id": [f"梯队 #{payload.tier_id} 不属于{call.programme.name}"]})
    application = services.application_start(actor=request.auth, tier=tier, call=call)
    return Status(201, _detail(request.auth, application.pk))
