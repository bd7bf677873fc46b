"""本单位信息 and 企业信息变更申请 in the API (``/api/v1/portal/…``), through the same services as the
pages: the profile of the caller's own organisation (contact details edited directly), and the
requests (更名, 迁址, 登记注册类型, 并购/重组/转让) filed by the firm or a bureau on its behalf and
approved / refused by the county bureau (``portal.changes``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from smeplan.accounts.models import ORGANISATION_ROLES
from smeplan.api.schemas import ERRORS, OrganisationOut, organisation_out
from smeplan.portal import changes, selectors
from smeplan.portal.models import ProfileChangeKind, ProfileChangeRequest, ProfileChangeState
from smeplan.registry.selectors import organisation_get
from smeplan.registry.services import organisation_update

router = Router(tags=["企业信息变更"])


class ChangeQuery(Schema):
    offset: int = Field(0, ge=0, description="跳过的条数")
    limit: int = Field(50, ge=1, le=200, description="每页条数（1–200）")
    state: str = Field("", description="pending 待审核 / approved 已通过 / refused 未通过 / withdrawn 已撤回")
    kind: str = Field("", description="rename / relocation / legal_form / merger / restructuring / transfer")
    queue: bool = Field(False, description="true：只列出调用者（主管部门）所辖区县受理的申请")


class ChangeLineOut(Schema):
    label: str
    before: str
    after: str


class ChangeOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    credit_code: str
    county: str = Field(description="受理区县（申请时单位所在区县）")
    kind: str = Field(
        description="rename 更名 / relocation 迁址 / legal_form 登记注册类型 / merger 并购 / restructuring 重组 / transfer 转让"
    )
    kind_label: str
    new_name: str
    new_county: str | None = Field(description="迁入区县代码")
    new_address: str
    new_ownership_type: str
    description: str
    effective_on: dt.date | None
    state: str = Field(description="pending 待审核 / approved 已通过 / refused 未通过 / withdrawn 已撤回")
    state_label: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    changes: list[ChangeLineOut] = Field(description="变更内容：项目、原值、新值")
    raised_reports: list[int] = Field(description="报认定部门复核的重大变化报告")
    actions: list[str] = Field(description="调用者可以执行的操作：approve / refuse / withdraw")


class ChangePage(Schema):
    items: list[ChangeOut]
    offset: int
    limit: int
    has_next: bool


class ChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(description="rename / relocation / legal_form / merger / restructuring / transfer")
    organisation_id: int | None = Field(
        None, description="单位（主管部门代企业提交时必填；企业用户为本单位）"
    )
    new_name: str = Field("", description="更名：新名称")
    new_county: str = Field("", description="迁址：迁入区县代码或名称")
    new_address: str = Field("", description="迁址：新地址")
    new_ownership_type: str = Field("", description="变更登记注册类型：新类型代码或中文名")
    description: str = Field("", description="变更情况（并购、重组、转让至少5个字）")
    effective_on: str = Field("", description="变更日期，如 2026-06-30（不能晚于今天）")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", description="审核意见（不予通过时必填）")


class ContactIn(Schema):
    model_config = ConfigDict(extra="forbid")
    contact_person: str | None = Field(None, description="联系人")
    contact_phone: str | None = Field(None, description="联系电话")


class ProfileOut(Schema):
    organisation: OrganisationOut
    contact_person: str
    contact_phone: str
    pending_changes: list[ChangeOut]
    history: list[ChangeOut] = Field(description="信息变更记录（审核通过的申请）")


def _out(user, r: ProfileChangeRequest) -> dict:
    return {
        "id": r.pk,
        "organisation_id": r.organisation_id,
        "organisation": r.organisation.name,
        "credit_code": r.organisation.credit_code,
        "county": r.county.name,
        "kind": r.kind,
        "kind_label": str(r.get_kind_display()),
        "new_name": r.new_name,
        "new_county": r.new_county_id,
        "new_address": r.new_address,
        "new_ownership_type": r.new_ownership_type,
        "description": r.description,
        "effective_on": r.effective_on,
        "state": r.state,
        "state_label": str(r.get_state_display()),
        "requested_at": r.requested_at,
        "decided_at": r.decided_at,
        "decision_note": r.decision_note,
        "changes": [vars(line) for line in selectors.change_lines(r)],
        "raised_reports": sorted(rep.pk for rep in r.raised_reports.all()),
        "actions": changes.actions_for(user, r),
    }


def _own(user):
    if not (user.role in ORGANISATION_ROLES and user.organisation_id):
        raise PermissionDenied("只有企业（单位）用户有本单位信息")
    return organisation_get(user, user.organisation_id)


@router.get("/changes", response={200: ChangePage, **ERRORS}, summary="企业信息变更申请列表")
def change_list(request, query: Query[ChangeQuery]):
    """企业用户看本单位的申请；主管部门看辖区内单位的申请（``queue=true``：所辖区县受理的申请）。"""
    user = request.auth
    if query.queue:
        qs = selectors.change_queue(user, state=query.state, kind=query.kind)
    else:
        qs = selectors.change_requests_visible_to(user).order_by("-requested_at", "-id")
        if query.state in ProfileChangeState.values:
            qs = qs.filter(state=query.state)
        if query.kind in ProfileChangeKind.values:
            qs = qs.filter(kind=query.kind)
    rows = list(qs.prefetch_related("raised_reports")[query.offset : query.offset + query.limit + 1])
    return {
        "items": [_out(user, r) for r in rows[: query.limit]],
        "offset": query.offset,
        "limit": query.limit,
        "has_next": len(rows) > query.limit,
    }


@router.post("/changes", response={201: ChangeOut, **ERRORS}, summary="提交企业信息变更申请")
def change_file(request, payload: ChangeIn):
    """企业用户为本单位提交；主管部门可代辖区内的企业提交（给出 ``organisation_id``）。输入有误返回 422，列出全部问题。"""
    user = request.auth
    if user.role in ORGANISATION_ROLES:
        if payload.organisation_id not in (None, user.organisation_id):
            raise Http404("单位不存在或不在您的管辖范围内")
        organisation = _own(user)
    else:
        if payload.organisation_id is None:
            raise PermissionDenied("请给出单位（organisation_id）")
        organisation = organisation_get(user, payload.organisation_id)
    data = payload.model_dump(exclude={"organisation_id"})
    created = changes.change_request_file(actor=user, organisation=organisation, data=data)
    return Status(201, _out(user, selectors.change_request_get(user, created.pk)))


@router.get("/changes/{int:change_id}", response={200: ChangeOut, **ERRORS}, summary="企业信息变更申请")
def change_detail(request, change_id: int):
    return _out(request.auth, selectors.change_request_get(request.auth, change_id))


@router.post(
    "/changes/{int:change_id}/approve", response={200: ChangeOut, **ERRORS}, summary="审核通过（主管部门）"
)
def change_approve(request, change_id: int, payload: DecisionIn):
    """审核通过即记入名录（更名保留更名记录、迁址、登记注册类型）；已认定的企业同时报认定部门复核。"""
    user = request.auth
    r = changes.change_request_approve(
        actor=user, request=selectors.change_request_get(user, change_id), note=payload.note
    )
    return _out(user, selectors.change_request_get(user, r.pk))


@router.post(
    "/changes/{int:change_id}/refuse", response={200: ChangeOut, **ERRORS}, summary="不予通过（主管部门）"
)
def change_refuse(request, change_id: int, payload: DecisionIn):
    user = request.auth
    r = changes.change_request_refuse(
        actor=user, request=selectors.change_request_get(user, change_id), note=payload.note
    )
    return _out(user, selectors.change_request_get(user, r.pk))


@router.post(
    "/changes/{int:change_id}/withdraw", response={200: ChangeOut, **ERRORS}, summary="撤回申请（申请单位）"
)
def change_withdraw(request, change_id: int):
    user = request.auth
    r = changes.change_request_withdraw(actor=user, request=selectors.change_request_get(user, change_id))
    return _out(user, selectors.change_request_get(user, r.pk))


def _profile(user) -> dict:
    organisation = _own(user)
    requests = list(selectors.change_requests_of(user, organisation).prefetch_related("raised_reports"))
    return {
        "organisation": organisation_out(organisation),
        "contact_person": organisation.contact_person,
        "contact_phone": organisation.contact_phone,
        "pending_changes": [_out(user, r) for r in requests if r.state == ProfileChangeState.PENDING],
        "history": [_out(user, r) for r in requests if r.state == ProfileChangeState.APPROVED],
    }


@router.get("/profile", response={200: ProfileOut, **ERRORS}, summary="本单位信息（企业用户）")
def profile(request):
    return _profile(request.auth)


@router.patch("/profile", response={200: ProfileOut, **ERRORS}, summary="修改本单位联系方式（企业用户）")
def profile_change(request, payload: ContactIn):
    """只修改请求中给出的联系人、联系电话；名称、迁址、登记注册类型等请提交变更申请（``POST /portal/changes``）。"""
    user = request.auth
    organisation = _own(user)
    organisation_update(actor=user, organisation=organisation, data=payload.model_dump(exclude_unset=True))
    return _profile(user)
