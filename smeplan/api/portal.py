"""企业注册与本单位账号 in the API (``/api/v1/portal/…``): a city's platform can file registrations
(public, no login), a bureau reviews its counties' requests, a firm's administrator lists its
accounts and invites colleagues — through the same services as the pages
(``portal.registration``, ``portal.members``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from smeplan.accounts import throttle
from smeplan.api.schemas import ERRORS, ErrorOut, ValidationErrorOut
from smeplan.portal import members, registration
from smeplan.portal.models import EnterpriseRegistration

router = Router(tags=["企业注册与本单位账号"])

#: registrations filed from one client address within the throttle window
REGISTRATIONS_PER_WINDOW = throttle.IP_LIMIT


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    credit_code: str = Field(description="统一社会信用代码（18 位，校验码须正确）")
    name: str = Field(description="单位名称")
    county: str = Field(description="所在区县：代码（如 610113）或名称（如 雁塔区）")
    contact_name: str = Field(description="联系人")
    mobile: str = Field(description="手机号码（11 位中国大陆手机号）")
    email: str = Field(description="电子邮箱")
    username: str = Field(description="登录用户名")
    password: str = Field(description="密码（至少 10 位，大写字母、小写字母、数字、符号中至少 3 类）")
    password2: str = Field(description="再次输入密码")


class RegistrationOut(Schema):
    id: int
    credit_code: str
    name: str
    county: str = Field(description="区县代码")
    county_name: str
    contact_name: str
    mobile: str
    email: str
    username: str
    organisation_id: int | None = Field(description="名录中的单位（新登记的单位在审核通过时建立）")
    organisation_name: str | None
    proposes_new: bool = Field(description="名录中尚无该代码，申请新登记")
    state: str = Field(description="pending 待审核 / approved 已通过 / refused 未通过")
    state_label: str
    reason: str = Field(description="不通过原因")
    created_at: dt.datetime
    decided_at: dt.datetime | None


class RegistrationFiledOut(RegistrationOut):
    notes: list[str] = Field(description="申请人须知（如名录中的名称与填写的不同）")


class RegistrationPage(Schema):
    items: list[RegistrationOut]
    offset: int
    limit: int
    has_next: bool


class RegistrationQuery(Schema):
    offset: int = Field(0, ge=0, description="跳过的条数")
    limit: int = Field(50, ge=1, le=200, description="每页条数（1–200）")
    state: str = Field("", description="pending 待审核 / approved 已通过 / refused 未通过；空为全部")


class RefuseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(description="不通过原因（申请人将看到）")


class MemberOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    mobile: str
    is_organisation_admin: bool
    is_active: bool


class InvitationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(description="被邀请人的电子邮箱（邀请链接发到此邮箱，7 天内有效）")
    display_name: str = Field("", description="被邀请人姓名")


class InvitationOut(Schema):
    id: int
    email: str
    display_name: str
    expires_at: dt.datetime


def _out(r: EnterpriseRegistration) -> dict:
    return {
        "id": r.pk,
        "credit_code": r.credit_code,
        "name": r.name,
        "county": r.county_id,
        "county_name": r.county.name,
        "contact_name": r.contact_name,
        "mobile": r.mobile,
        "email": r.email,
        "username": r.user.username,
        "organisation_id": r.organisation_id,
        "organisation_name": r.organisation.name if r.organisation_id else None,
        "proposes_new": r.proposes_new,
        "state": r.state,
        "state_label": r.get_state_display(),
        "reason": r.reason,
        "created_at": r.created_at,
        "decided_at": r.decided_at,
    }


@router.post(
    "/registrations",
    auth=None,
    response={201: RegistrationFiledOut, 422: ValidationErrorOut, 429: ErrorOut},
    summary="企业注册（无需登录）",
)
def registration_file(request, payload: RegistrationIn):
    """按统一社会信用代码注册企业账号，由所在区县主管部门审核。代码已有账号或已有待审核申请的，
    返回 422（“该单位已有账号，请联系本单位管理员邀请您加入”）。同一来源 15 分钟内最多 20 次。"""
    address = throttle.client_address(request)
    until = throttle.locked_until("register", account="", address=address)
    if until is not None:
        raise HttpError(429, throttle.retry_message(until, "注册"))
    throttle.attempt_count("register", account="", address=address)
    r = registration.registration_submit(data=payload.model_dump())
    return Status(201, {**_out(r), "notes": r.notes})


def _reviewer(request):
    if not registration.may_review(request.user):
        raise PermissionDenied("只有区县及以上主管部门可以审核企业注册申请")
    return request.user


@router.get("/registrations", response={200: RegistrationPage, **ERRORS}, summary="企业注册申请（本辖区）")
def registration_list(request, query: Query[RegistrationQuery]):
    user = _reviewer(request)
    qs = registration.registrations_for(user, state=query.state)
    rows = list(qs[query.offset : query.offset + query.limit + 1])
    return {
        "items": [_out(r) for r in rows[: query.limit]],
        "offset": query.offset,
        "limit": query.limit,
        "has_next": len(rows) > query.limit,
    }


@router.post(
    "/registrations/{int:registration_id}/approve",
    response={200: RegistrationOut, **ERRORS},
    summary="审核通过企业注册申请",
)
def registration_approve(request, registration_id: int):
    user = _reviewer(request)
    r = registration.registration_get(user, registration_id)
    r = registration.registration_approve(actor=user, registration=r)
    return _out(r)


@router.post(
    "/registrations/{int:registration_id}/refuse",
    response={200: RegistrationOut, **ERRORS},
    summary="企业注册申请不予通过（须说明原因）",
)
def registration_refuse(request, registration_id: int, payload: RefuseIn):
    user = _reviewer(request)
    r = registration.registration_get(user, registration_id)
    r = registration.registration_refuse(actor=user, registration=r, reason=payload.reason)
    return _out(r)


@router.get("/members", response={200: list[MemberOut], **ERRORS}, summary="本单位账号（企业管理员）")
def member_list(request):
    return [
        {
            "id": m.pk,
            "username": m.username,
            "display_name": m.display_name,
            "email": m.email,
            "mobile": m.mobile,
            "is_organisation_admin": m.is_organisation_admin,
            "is_active": m.is_active,
        }
        for m in members.members_of(request.user)
    ]


@router.post(
    "/invitations", response={201: InvitationOut, **ERRORS}, summary="邀请同事开通账号（企业管理员）"
)
def invitation_create(request, payload: InvitationIn):
    """向被邀请人的邮箱发送邀请链接（7 天内有效，只能使用一次）；链接只在邮件中，不在响应中。"""
    invitation, _token = members.invitation_create(
        actor=request.user,
        email=payload.email,
        display_name=payload.display_name,
        base_url=request.build_absolute_uri("/"),
    )
    return Status(
        201,
        {
            "id": invitation.pk,
            "email": invitation.email,
            "display_name": invitation.display_name,
            "expires_at": invitation.expires_at,
        },
    )
