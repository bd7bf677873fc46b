"""Authentication of the API: a Django session (with CSRF on unsafe methods) or a bearer token.

``Authorization: Bearer <token>`` is checked against ``ApiToken.key_hash`` (SHA-256 of the token;
the token itself is never stored): the token must not be revoked and its user must be active.
When an ``Authorization`` header is present it alone decides (a wrong token is a 401 even with a
session cookie). Otherwise the session decides; its unsafe requests (POST, PATCH, …) must carry
the CSRF token like any form of the site. Anything else is a 401 (see ``errors.py``).
"""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from smeplan.accounts.models import ApiToken

#: ``last_used_at`` is written at most this often per token (not on every request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class TokenAuth(HttpBearer):
    """API 令牌: ``Authorization: Bearer <令牌>`` (令牌由 ``manage.py issue_token`` 签发)."""

    def authenticate(self, request: HttpRequest, token: str):
        token = (token or "").strip()
        if not token:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.api_token = row
        return row.user


class SessionCsrfAuth(APIKeyCookie):
    """Django 会话（网页登录后的 Cookie）；POST/PATCH 等需同时提供 CSRF 令牌（X-CSRFToken 请求头）."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        if "Authorization" in request.headers:
            return None  # credentials were offered explicitly: the token alone decides
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if (
            self.csrf
            and request.method not in SAFE_METHODS
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise HttpError(
                403, "CSRF 校验失败：使用会话登录调用写接口时，请在 X-CSRFToken 请求头中提供 CSRF 令牌"
            )
        return user

    def authenticate(self, request: HttpRequest, key):  # pragma: no cover - __call__ decides
        return None


api_auth = [TokenAuth(), SessionCsrfAuth()]
