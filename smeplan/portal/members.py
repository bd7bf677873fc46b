"""本单位账号 — a firm's administrator (企业管理员, ``User.is_organisation_admin``) invites colleagues
by e-mail, revokes invitations, deactivates colleagues and grants or withdraws the administrator
right (a firm always keeps at least one active administrator).

An invitation link carries a random token (``secrets.token_urlsafe``); only its SHA-256 is kept
(like ``accounts.ApiToken``). It is valid for :data:`INVITATION_DAYS` days, once. The e-mail is sent
with ``django.core.mail.send_mail`` after the transaction commits (a failing mail server is logged
and never undoes the invitation).
"""

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from smeplan.accounts.models import Role, User
from smeplan.accounts.scoping import require
from smeplan.audit.services import audit_record
from smeplan.portal.models import Invitation
from smeplan.portal.registration import username_problem

INVITATION_DAYS = 7
log = logging.getLogger("smeplan.portal")


def hash_token(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()


def is_firm_admin(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in (Role.ENTERPRISE_USER, Role.AGENCY_USER)
        and user.organisation_id
        and user.is_organisation_admin
    )


def _require_admin(actor) -> None:
    require(is_firm_admin(actor), "只有本单位的企业管理员可以管理本单位账号")


def members_of(actor):
    """The accounts of the administrator's firm (active first)."""
    _require_admin(actor)
    return User.objects.filter(organisation_id=actor.organisation_id).order_by("-is_active", "username")


def invitations_of(actor):
    """The firm's invitations not yet accepted (open, expired and revoked)."""
    _require_admin(actor)
    return Invitation.objects.filter(organisation_id=actor.organisation_id, accepted_at__isnull=True)


def invitation_state(invitation: Invitation) -> str:
    if invitation.accepted_at:
        return "已接受"
    if invitation.revoked_at:
        return "已撤回"
    if invitation.expires_at <= timezone.now():
        return "已过期"
    return "待接受"


def invitation_url(token: str, base_url: str = "") -> str:
    """The link of the e-mail: on ``base_url`` (the site as the inviting request reached it), else
    ``settings.SMEPLAN_SITE_URL``."""
    base = (base_url or getattr(settings, "SMEPLAN_SITE_URL", "")).rstrip("/")
    return f"{base}{reverse('invitation_accept', args=[token])}"


def _send_invitation(email: str, organisation_name: str, inviter: str, url: str) -> None:
    from django.core.mail import send_mail

    subject = f"{organisation_name} 邀请您加入陕西省中小企业行动计划管理系统"
    body = (
        f"您好：\n\n{inviter}（{organisation_name}）邀请您开通本单位在陕西省中小企业行动计划管理系统中的账号。\n"
        f"请在 {INVITATION_DAYS} 天内打开下面的链接，设置用户名和密码：\n\n{url}\n\n"
        "如果您不认识邀请人，请忽略本邮件。\n"
    )
    try:
        send_mail(subject, body, None, [email])
    except Exception:  # a failing mail server never undoes the invitation; the admin can re-invite
        log.exception("邀请邮件发送失败：%s", email)


@transaction.atomic
def invitation_create(
    *, actor, email: str, display_name: str = "", base_url: str = ""
) -> tuple[Invitation, str]:
    """邀请同事; returns the invitation and the token (shown nowhere else; e-mailed as a link)."""
    _require_admin(actor)
    email = str(email or "").strip()
    display_name = " ".join(str(display_name or "").split())
    errors = {}
    if not email:
        errors["email"] = ["请填写被邀请人的电子邮箱"]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["电子邮箱格式不正确"]
        else:
            if User.objects.filter(
                organisation_id=actor.organisation_id, email__iexact=email, is_active=True
            ).exists():
                errors["email"] = ["本单位已有使用该邮箱的账号"]
            elif Invitation.objects.filter(
                organisation_id=actor.organisation_id,
                email__iexact=email,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            ).exists():
                errors["email"] = ["已向该邮箱发出邀请，尚在有效期内；如需重发，请先撤回原邀请"]
    if len(display_name) > 60:
        errors["display_name"] = ["姓名不能超过 60 个字"]
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation_id=actor.organisation_id,
        email=email,
        display_name=display_name,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        event_type="invitation.created",
        subject=invitation,
        payload={"email": email, "expires_at": invitation.expires_at.date().isoformat()},
    )
    url = invitation_url(token, base_url)
    organisation_name = actor.organisation.name
    inviter = str(actor)
    transaction.on_commit(lambda: _send_invitation(email, organisation_name, inviter, url))
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    _require_admin(actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.organisation_id != actor.organisation_id:
        raise Http404("没有找到该邀请")
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(f"该邀请{invitation_state(invitation)}，不能撤回")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, event_type="invitation.revoked", subject=invitation, payload={"email": invitation.email}
    )
    return invitation


def invitation_by_token(token: str) -> Invitation:
    """The invitation of a link, if it can still be accepted; otherwise a Chinese refusal."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        raise ValidationError("邀请链接无效，请向本单位管理员确认链接是否完整")
    if invitation.accepted_at:
        raise ValidationError("该邀请已被接受过，请直接登录")
    if invitation.revoked_at:
        raise ValidationError("该邀请已被撤回，请联系本单位管理员重新邀请")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(f"该邀请已过期（有效期 {INVITATION_DAYS} 天），请联系本单位管理员重新邀请")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, data: dict) -> User:
    """接受邀请 (public): creates the enterprise account of the inviting firm."""
    invitation = invitation_by_token(token)
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    invitation_by_token(token)  # again, under the lock (accepted meanwhile)
    errors: dict[str, list[str]] = {}
    username = str(data.get("username") or "").strip()
    display_name = " ".join(str(data.get("display_name") or "").split())
    problem = username_problem(username)
    if problem:
        errors["username"] = [problem]
    if not display_name:
        errors["display_name"] = ["请填写姓名"]
    elif len(display_name) > 60:
        errors["display_name"] = ["姓名不能超过 60 个字"]
    password = str(data.get("password") or "")
    if not password:
        errors["password"] = ["请设置密码"]
    else:
        probe = User(username=username, email=invitation.email, display_name=display_name)
        try:
            password_validation.validate_password(password, probe)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
        if password != str(data.get("password2") or ""):
            errors["password2"] = ["两次输入的密码不一致"]
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        email=invitation.email,
        display_name=display_name,
        role=Role.ENTERPRISE_USER if invitation.organisation.kind == "enterprise" else Role.AGENCY_USER,
        region=None,
        organisation=invitation.organisation,
        is_organisation_admin=False,
    )
    user.set_password(password)
    user.save()
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    audit_record(
        actor=user,
        event_type="invitation.accepted",
        subject=invitation,
        payload={"email": invitation.email, "username": username},
    )
    return user


def _colleague(actor, member_id) -> User:
    member = (
        User.objects.select_for_update().filter(pk=member_id, organisation_id=actor.organisation_id).first()
    )
    if member is None:
        raise Http404("本单位没有该账号")
    return member


def _admins_left(organisation_id, *, without: int) -> int:
    return (
        User.objects.filter(organisation_id=organisation_id, is_active=True, is_organisation_admin=True)
        .exclude(pk=without)
        .count()
    )


@transaction.atomic
def member_set_active(*, actor, member_id: int, active: bool) -> User:
    """停用 / 恢复 a colleague's account (never the firm's last active administrator)."""
    _require_admin(actor)
    member = _colleague(actor, member_id)
    if member.is_active == active:
        return member
    if (
        not active
        and member.is_organisation_admin
        and _admins_left(member.organisation_id, without=member.pk) == 0
    ):
        raise ValidationError("不能停用本单位唯一的企业管理员账号，请先将其他同事设为管理员")
    member.is_active = active
    member.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        event_type="member.activated" if active else "member.deactivated",
        subject=member,
        payload={"username": member.username},
    )
    return member


@transaction.atomic
def member_set_admin(*, actor, member_id: int, admin: bool) -> User:
    """设为 / 取消企业管理员 (a firm always keeps one active administrator)."""
    _require_admin(actor)
    member = _colleague(actor, member_id)
    if member.is_organisation_admin == admin:
        return member
    if admin and not member.is_active:
        raise ValidationError("已停用的账号不能设为企业管理员，请先恢复该账号")
    if not admin and _admins_left(member.organisation_id, without=member.pk) == 0:
        raise ValidationError("本单位至少要保留一名企业管理员，请先将其他同事设为管理员")
    member.is_organisation_admin = admin
    member.save(update_fields=["is_organisation_admin"])
    audit_record(
        actor=actor,
        event_type="member.admin_granted" if admin else "member.admin_withdrawn",
        subject=member,
        payload={"username": member.username},
    )
    return member


def open_invitations_q() -> Q:
    return Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


# --- 我的账号 (every signed-in user: own name, e-mail, mobile) -------------------------------------

ACCOUNT_FIELDS = {"display_name": "姓名/称呼", "email": "电子邮箱", "mobile": "手机号码"}


@transaction.atomic
def account_update(*, actor, data: dict) -> User:
    """修改本人的姓名、电子邮箱、手机号码 (the role, region and organisation stay the bureau's)."""
    from smeplan.portal.registration import MOBILE_RE, _clean_mobile

    require(actor.is_authenticated and actor.is_active, "请先登录")
    errors: dict[str, list[str]] = {}
    display_name = " ".join(str(data.get("display_name") or "").split())
    if len(display_name) > 60:
        errors["display_name"] = ["姓名不能超过 60 个字"]
    email = str(data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["电子邮箱格式不正确"]
    elif actor.role in (Role.ENTERPRISE_USER, Role.AGENCY_USER):
        errors["email"] = ["企业用户须填写电子邮箱（用于找回密码和接收通知）"]
    mobile = _clean_mobile(data.get("mobile"))
    if mobile and not MOBILE_RE.match(mobile):
        errors["mobile"] = ["手机号码应为 11 位中国大陆手机号（以 1 开头，如 13912345678）"]
    if errors:
        raise ValidationError(errors)
    user = User.objects.select_for_update().get(pk=actor.pk)
    values = {"display_name": display_name, "email": email, "mobile": mobile}
    changed = [k for k, v in values.items() if getattr(user, k) != v]
    if not changed:
        return user
    for k in changed:
        setattr(user, k, values[k])
    user.save(update_fields=changed)
    audit_record(
        actor=actor,
        event_type="account.updated",
        subject=user,
        payload={"fields": "、".join(ACCOUNT_FIELDS[k] for k in changed)},
    )
    return user
