"""企业注册 — a firm asks for an account by its 统一社会信用代码; the county bureau approves or refuses.

- :func:`registration_submit` (public, no login): validates everything at once, creates the account
  (企业用户 without an organisation, so it sees nothing but its status page) and the request;
  :func:`registration_resubmit` sends a refused request again, corrected.
- :func:`registration_approve` (the county's bureau, or any bureau whose area covers the county):
  links the registry's organisation of that code, or registers it (``registry.services.organisation_create``),
  and makes the account that organisation's administrator (企业管理员).
- :func:`registration_refuse`: with a reason the applicant reads.

States: :data:`REGISTRATION_TRANSITIONS`, enforced by :func:`registration_transition` alone.
"""

import re

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES, Role, User
from smeplan.accounts.scoping import can_write_region, county_scope_q, require, scope_for
from smeplan.audit.services import audit_record
from smeplan.portal.models import EnterpriseRegistration, RegistrationState
from smeplan.regions.models import Region
from smeplan.regions.selectors import region_resolve
from smeplan.registry.credit_code import CreditCodeError, validate_credit_code
from smeplan.registry.models import Organisation

#: (state, action) → new state
REGISTRATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (RegistrationState.PENDING, "approve"): RegistrationState.APPROVED,
    (RegistrationState.PENDING, "refuse"): RegistrationState.REFUSED,
    (RegistrationState.REFUSED, "resubmit"): RegistrationState.PENDING,
}

CLAIMED_MESSAGE = "该单位已有账号，请联系本单位管理员邀请您加入"
PENDING_MESSAGE = "该单位已提交注册申请，正在等待区县主管部门审核；如需使用，请联系本单位管理员邀请您加入"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
TEXT_LIMITS = {"name": 120, "contact_name": 40}
REQUEST_FIELDS = ("credit_code", "name", "county", "contact_name", "mobile", "email")


def registration_transition(registration: EnterpriseRegistration, action: str) -> str:
    """Move ``registration`` by ``action`` (not saved); refuse a move the table does not allow."""
    new = REGISTRATION_TRANSITIONS.get((registration.state, action))
    if new is None:
        raise ValidationError(
            f"该注册申请当前为“{registration.get_state_display()}”，不能执行此操作（请刷新页面）"
        )
    registration.state = new
    return new


def _county_of(raw, errors: dict) -> Region | None:
    if isinstance(raw, Region):
        county = raw
    else:
        text = str(raw or "").strip()
        if not text:
            errors["county"] = ["请选择所在区县"]
            return None
        county = Region.objects.filter(pk=text).first() or region_resolve(text)
        if county is None:
            errors["county"] = [f"未知区县“{text}”：请从列表中选择陕西省的县级行政区"]
            return None
    if not county.is_county:
        errors["county"] = [f"“{county.name}”不是县级行政区，请选择具体区县"]
        return None
    return county


def _clean_mobile(raw) -> str:
    text = "".join(str(raw or "").split()).replace("-", "")
    if text.startswith("+86"):
        text = text[3:]
    return text


def registration_clean(data: dict, *, exclude_pk: int | None = None) -> tuple[dict, dict]:
    """(values, errors) of the request's fields (not the account's)."""
    errors: dict[str, list[str]] = {}
    values: dict = {}
    try:
        values["credit_code"] = validate_credit_code(data.get("credit_code") or "")
    except CreditCodeError as exc:
        errors["credit_code"] = [exc.message]
    for field, label in (("name", "单位名称"), ("contact_name", "联系人")):
        text = " ".join(str(data.get(field) or "").split())
        if not text:
            errors[field] = [f"请填写{label}"]
        elif len(text) > TEXT_LIMITS[field]:
            errors[field] = [f"{label}不能超过 {TEXT_LIMITS[field]} 个字（当前 {len(text)} 个字）"]
        values[field] = text
    values["county"] = _county_of(data.get("county"), errors)
    mobile = _clean_mobile(data.get("mobile"))
    if not mobile:
        errors["mobile"] = ["请填写手机号码"]
    elif not MOBILE_RE.match(mobile):
        errors["mobile"] = ["手机号码应为 11 位中国大陆手机号（以 1 开头，如 13912345678）"]
    values["mobile"] = mobile
    email = str(data.get("email") or "").strip()
    if not email:
        errors["email"] = ["请填写电子邮箱"]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["电子邮箱格式不正确"]
    values["email"] = email
    if "credit_code" in values:
        claim = claim_problem(values["credit_code"], exclude_pk=exclude_pk)
        if claim:
            errors["credit_code"] = [claim]
    return values, errors


def claim_problem(credit_code: str, *, exclude_pk: int | None = None) -> str:
    """Why this code cannot be registered again ("" when it can): the organisation already has an
    active enterprise account, or a request for it waits for review."""
    if User.objects.filter(
        organisation__credit_code=credit_code,
        role__in=[Role.ENTERPRISE_USER, Role.AGENCY_USER],
        is_active=True,
    ).exists():
        return CLAIMED_MESSAGE
    pending = EnterpriseRegistration.objects.filter(credit_code=credit_code, state=RegistrationState.PENDING)
    if exclude_pk is not None:
        pending = pending.exclude(pk=exclude_pk)
    if pending.exists():
        return PENDING_MESSAGE
    return ""


def username_problem(username: str) -> str | None:
    """Why ``username`` cannot name a new account (registration, an accepted invitation), or None."""
    if not username:
        return "请填写用户名"
    if len(username) > 150:
        return "用户名不能超过 150 个字符"
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return "用户名只能包含字母、数字、汉字和 @ . + - _"
    if User.objects.filter(username__iexact=username).exists():
        return "该用户名已被使用，请换一个"
    return None


def _account_clean(data: dict, errors: dict, values: dict) -> dict:
    username = str(data.get("username") or "").strip()
    problem = username_problem(username)
    if problem:
        errors["username"] = [problem]
    password = str(data.get("password") or "")
    password2 = str(data.get("password2") or "")
    if not password:
        errors["password"] = ["请设置密码"]
    else:
        probe = User(
            username=username, email=values.get("email", ""), display_name=values.get("contact_name", "")
        )
        problems = _password_problems(password, probe)
        if problems:
            errors["password"] = problems
        if password != password2:
            errors["password2"] = ["两次输入的密码不一致"]
    return {"username": username, "password": password}


def _password_problems(password: str, user) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _link(registration: EnterpriseRegistration) -> list[str]:
    """Link the registry's organisation of the code (or propose a new one); notes for the applicant."""
    notes = []
    organisation = (
        Organisation.objects.select_related("county").filter(credit_code=registration.credit_code).first()
    )
    registration.organisation = organisation
    registration.proposes_new = organisation is None
    if organisation is not None:
        if organisation.name != registration.name:
            notes.append(
                f"名录中该代码登记的单位名称为“{organisation.name}”，与您填写的“{registration.name}”不同；"
                "申请已提交，审核通过后以名录中的名称为准（如已更名，请在通过后申请变更）"
            )
        if organisation.county_id != registration.county_id:
            notes.append(f"名录中该单位所在区县为“{organisation.county.name}”，申请将由该区县主管部门审核")
            registration.county = organisation.county
    return notes


@transaction.atomic
def registration_submit(*, data: dict) -> EnterpriseRegistration:
    """企业注册 (public). ``data``: credit_code, name, county (code or name), contact_name, mobile,
    email, username, password, password2. Creates the account and the request, or nothing.
    The returned request carries ``notes`` (what the applicant should know, e.g. the registry's name)."""
    values, errors = registration_clean(data)
    account = _account_clean(data, errors, values)
    if errors:
        raise ValidationError(errors)
    user = User(
        username=account["username"],
        email=values["email"],
        mobile=values["mobile"],
        display_name=values["contact_name"],
        role=Role.ENTERPRISE_USER,
        region=None,
        organisation=None,
        is_organisation_admin=False,
    )
    user.set_password(account["password"])
    user.save()
    registration = EnterpriseRegistration(user=user, **values)
    notes = _link(registration)
    registration.save()
    audit_record(
        actor=user,
        event_type="registration.submitted",
        subject=registration,
        payload={
            "credit_code": registration.credit_code,
            "county": registration.county_id,
            "organisation": registration.organisation_id,
            "proposes_new": registration.proposes_new,
            "username": user.username,
        },
    )
    registration.notes = notes
    return registration


@transaction.atomic
def registration_resubmit(
    *, actor, registration: EnterpriseRegistration, data: dict
) -> EnterpriseRegistration:
    """重新提交 a refused request with corrected fields (its own applicant only)."""
    registration = EnterpriseRegistration.objects.select_for_update().get(pk=registration.pk)
    require(actor.pk == registration.user_id, "只能修改本人的注册申请")
    values, errors = registration_clean(data, exclude_pk=registration.pk)
    if errors:
        raise ValidationError(errors)
    registration_transition(registration, "resubmit")
    for field, value in values.items():
        setattr(registration, field, value)
    notes = _link(registration)
    registration.reason = ""
    registration.decided_by = None
    registration.decided_at = None
    registration.save()
    User.objects.filter(pk=actor.pk).update(
        email=values["email"], mobile=values["mobile"], display_name=values["contact_name"]
    )
    audit_record(
        actor=actor,
        event_type="registration.resubmit",
        subject=registration,
        payload={
            "credit_code": registration.credit_code,
            "county": registration.county_id,
            "organisation": registration.organisation_id,
            "proposes_new": registration.proposes_new,
        },
    )
    registration.notes = notes
    return registration


def may_review(user) -> bool:
    """企业注册审核: active bureau users with an area."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not (user.is_superuser or user.role in BUREAU_ROLES):
        return False
    scope = scope_for(user)
    return scope.everything or bool(scope.county_codes)


def registrations_for(user, *, state: str = ""):
    """The requests of the counties ``user`` reviews (nothing for anyone else)."""
    qs = EnterpriseRegistration.objects.select_related("county", "organisation", "user", "decided_by")
    if not may_review(user):
        return qs.none()
    qs = qs.filter(county_scope_q(user))  # the request's own county
    if state:
        qs = qs.filter(state=state)
    return qs


def registration_get(user, pk) -> EnterpriseRegistration:
    from django.http import Http404

    registration = registrations_for(user).filter(pk=pk).first()
    if registration is None:
        raise Http404("没有找到该注册申请")
    return registration


def _reviewed(actor, registration: EnterpriseRegistration) -> EnterpriseRegistration:
    registration = (
        EnterpriseRegistration.objects.select_for_update()
        .select_related("county", "user")
        .get(pk=registration.pk)
    )
    require(
        actor.is_active
        and (actor.is_superuser or actor.role in BUREAU_ROLES)
        and can_write_region(actor, registration.county),
        f"无权审核“{registration.county.name}”的企业注册申请",
    )
    return registration


@transaction.atomic
def registration_approve(*, actor, registration: EnterpriseRegistration) -> EnterpriseRegistration:
    """审核通过: the account becomes the administrator of the registry's organisation (registered
    now when the code is new to the registry)."""
    from smeplan.recognition.services import notify
    from smeplan.registry.services import organisation_create

    registration = _reviewed(actor, registration)
    registration_transition(registration, "approve")
    organisation = Organisation.objects.filter(credit_code=registration.credit_code).first()
    created = organisation is None
    if created:
        organisation = organisation_create(
            actor=actor,
            data={
                "credit_code": registration.credit_code,
                "name": registration.name,
                "county": registration.county,
                "kind": "enterprise",
                "contact_person": registration.contact_name,
                "contact_phone": registration.mobile,
            },
        )
    elif User.objects.filter(
        organisation=organisation, role__in=[Role.ENTERPRISE_USER, Role.AGENCY_USER], is_active=True
    ).exists():
        raise ValidationError(
            {"credit_code": [f"{CLAIMED_MESSAGE}（该单位已有账号，本申请不能通过，请不予通过并说明）"]}
        )
    applicant = registration.user
    applicant.organisation = organisation
    applicant.is_organisation_admin = True
    # a registry organisation that is not an enterprise (服务机构, 基地运营机构 …) gets an agency account
    applicant.role = Role.ENTERPRISE_USER if organisation.kind == "enterprise" else Role.AGENCY_USER
    applicant.save(update_fields=["organisation", "is_organisation_admin", "role"])
    registration.organisation = organisation
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.reason = ""
    registration.save()
    audit_record(
        actor=actor,
        event_type="registration.approve",
        subject=registration,
        payload={"organisation": organisation.pk, "organisation_created": created, "to": registration.state},
    )
    notify(
        [applicant],
        kind="registration",
        title=f"您的企业注册申请已通过审核：{organisation.name}，现在可以使用本系统",
        url=reverse("home"),
    )
    return registration


@transaction.atomic
def registration_refuse(
    *, actor, registration: EnterpriseRegistration, reason: str
) -> EnterpriseRegistration:
    """不予通过, with the reason the applicant reads (required)."""
    from smeplan.recognition.services import notify

    reason = " ".join(str(reason or "").split())
    registration = _reviewed(actor, registration)
    if not reason:
        raise ValidationError({"reason": ["请填写不通过的原因（申请人将看到）"]})
    if len(reason) > 500:
        raise ValidationError({"reason": [f"原因不能超过 500 个字（当前 {len(reason)} 个字）"]})
    registration_transition(registration, "refuse")
    registration.reason = reason
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.save()
    audit_record(
        actor=actor,
        event_type="registration.refuse",
        subject=registration,
        payload={"reason": reason, "to": registration.state},
    )
    notify(
        [registration.user],
        kind="registration",
        title=f"您的企业注册申请未通过审核：{reason}",
        url=reverse("registration_status"),
    )
    return registration
