"""Scoping-matrix rows for 企业注册, 注册审核, 本单位账号, 邀请, 我的账号 and 找回密码
(``smeplan/web/urls_portal_accounts.py`` and ``/api/v1/portal/…``), read by ``test_scoping_matrix.py``.

Targets: ``mine`` — a request of 雁塔区 / the matrix's 雁塔 enterprise; ``foreign`` — one of 渭滨区 /
its 宝鸡 enterprise. The matrix's enterprise user is made its firm's administrator (企业管理员) here.
Requests, colleagues and invitations an action changes are made fresh per call.
"""

import datetime as dt
import itertools
import secrets

from django.utils import timezone

from smeplan.portal.members import hash_token
from smeplan.portal.models import Invitation
from tests.accounts.matrix_common import PROVINCIAL, everyone, signed_in
from tests.factories import enterprise_user, registration_make

_n = itertools.count(1)


def _registration(county: str) -> int:
    return registration_make(county=county).pk


def _invitation(org) -> tuple[int, str]:
    token = secrets.token_urlsafe(16)
    invitation = Invitation.objects.create(
        organisation=org,
        email=f"matrix{next(_n)}@example.com",
        token_hash=hash_token(token),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return invitation.pk, token


def _make(world, target):
    org = world["orgs"][target]
    county = "610302" if target == "foreign" else "610113"
    return {
        "pa_reg": lambda: _registration(county),
        "pa_member": lambda: enterprise_user(org).pk,
        "pa_invitation": lambda: _invitation(org)[0],
        "pa_token": lambda: _invitation(org)[1],
    }


def make_world(world):
    admin = world["users"]["enterprise_user"]
    admin.is_organisation_admin = True
    admin.save(update_fields=["is_organisation_admin"])
    return {target: _make(world, target) for target in ("mine", "foreign", "none")}


def reviews(role, target):
    """注册审核: the province everywhere; the 西安 city and 雁塔 county officers their own area."""
    return role in PROVINCIAL or (role in {"city_officer", "county_officer"} and target == "mine")


def reviewer(role, target):
    return role in PROVINCIAL | {"city_officer", "county_officer"}


def firm_admin(role, target):
    """本单位账号: the firm's administrator, on its own firm."""
    return role == "enterprise_user" and target == "mine"


NONE = ("none",)


def _row(method, url, allowed, key, body=None, **kw):
    return {
        "method": method,
        "url": url,
        "allowed": allowed,
        "body": body,
        "keys": [key] if key else [],
        **kw,
    }


ROUTES = [
    # 企业注册 (public; a signed-in user is sent home)
    _row("GET", "/register/", everyone, "register/", targets=NONE),
    _row("POST", "/register/", everyone, None, {"credit_code": "1"}, targets=NONE),
    # the applicant's status page: any signed-in user (it shows their own request or none)
    _row("GET", "/portal/registration/status/", signed_in, "portal/registration/status/", targets=NONE),
    _row("POST", "/portal/registration/status/", signed_in, None, targets=NONE),
    # 企业注册审核: bureau users, their counties
    _row("GET", "/portal/registrations/", reviewer, "portal/registrations/", targets=NONE),
    _row("GET", "/portal/registrations/{pa_reg}/", reviews, "portal/registrations/<int:pk>/"),
    _row(
        "POST", "/portal/registrations/{pa_reg}/approve/", reviews, "portal/registrations/<int:pk>/approve/"
    ),
    _row(
        "POST",
        "/portal/registrations/{pa_reg}/refuse/",
        reviews,
        "portal/registrations/<int:pk>/refuse/",
        {"reason": "矩阵：材料不符"},
    ),
    # 本单位账号: the firm's administrator only
    _row("GET", "/portal/members/", lambda r, t: r == "enterprise_user", "portal/members/", targets=NONE),
    _row(
        "POST",
        "/portal/members/invite/",
        lambda r, t: r == "enterprise_user",
        "portal/members/invite/",
        lambda t: {"email": f"invite{next(_n)}@example.com"},
        targets=NONE,
    ),
    _row(
        "POST",
        "/portal/members/{pa_member}/deactivate/",
        firm_admin,
        "portal/members/<int:pk>/<str:action>/",
    ),
    _row(
        "POST",
        "/portal/invitations/{pa_invitation}/revoke/",
        firm_admin,
        "portal/invitations/<int:pk>/revoke/",
    ),
    # accepting an invitation: public, by the link's token
    _row("GET", "/portal/invitations/{pa_token}/", everyone, "portal/invitations/<str:token>/"),
    # 我的账号 and 修改密码: every signed-in user, their own account
    _row("GET", "/account/", signed_in, "account/", targets=NONE),
    _row("POST", "/account/", signed_in, None, {"display_name": "矩阵"}, targets=NONE),
    _row("GET", "/account/password/", signed_in, "account/password/", targets=NONE),
    # 找回密码: public
    _row("GET", "/password-reset/", everyone, "password-reset/", targets=NONE),
    _row("POST", "/password-reset/", everyone, None, {"email": "nobody@example.com"}, targets=NONE),
    _row("GET", "/password-reset/done/", everyone, "password-reset/done/", targets=NONE),
    _row(
        "GET", "/password-reset/MQ/set-password/", everyone, "password-reset/<uidb64>/<token>/", targets=NONE
    ),
    _row("GET", "/password-reset/complete/", everyone, "password-reset/complete/", targets=NONE),
    # API
    _row(
        "POST",
        "/api/v1/portal/registrations",
        everyone,
        "POST /api/v1/portal/registrations",
        {"credit_code": "1"},
        targets=NONE,
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/portal/registrations",
        reviewer,
        "GET /api/v1/portal/registrations",
        targets=NONE,
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/portal/registrations/{pa_reg}/approve",
        reviews,
        "POST /api/v1/portal/registrations/{registration_id}/approve",
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/portal/registrations/{pa_reg}/refuse",
        reviews,
        "POST /api/v1/portal/registrations/{registration_id}/refuse",
        {"reason": "矩阵：材料不符"},
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/portal/members",
        lambda r, t: r == "enterprise_user",
        "GET /api/v1/portal/members",
        targets=NONE,
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/portal/invitations",
        lambda r, t: r == "enterprise_user",
        "POST /api/v1/portal/invitations",
        lambda t: {"email": f"api-invite{next(_n)}@example.com"},
        targets=NONE,
        api=True,
    ),
]
