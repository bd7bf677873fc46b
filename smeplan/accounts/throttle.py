"""登录与找回密码的防暴力破解 (login and password-reset throttle), in Django's cache.

Per account (the login name, or the e-mail of a reset request) and per client address, within a
window of :data:`WINDOW` seconds: after :data:`ACCOUNT_LIMIT` failed logins of one account, or
:data:`IP_LIMIT` from one address, further attempts are refused for :data:`LOCK_SECONDS` with a
message saying when to try again. Password-reset requests count every request the same way.
Every failed login, lockout and reset request is audited (``auth.login_failed``,
``auth.locked_out``, ``auth.password_reset_requested``).

The forms here are the ones the login and reset pages use (``web/urls.py``,
``web/views/portal_accounts.py``).
"""

import datetime as dt
import hashlib

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from smeplan.audit.services import audit_record

ACCOUNT_LIMIT = 5
IP_LIMIT = 20
WINDOW = 15 * 60
LOCK_SECONDS = 15 * 60


def client_address(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR") or ""


def _key(kind: str, what: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"throttle:{kind}:{what}:{digest}"


def locked_until(kind: str, *, account: str, address: str) -> dt.datetime | None:
    """When the lock on this account or address ends (None: not locked)."""
    keys = [_key(kind, "lock-account", account)] if account else []
    if address:
        keys.append(_key(kind, "lock-address", address))
    found = [v for v in cache.get_many(keys).values() if v]
    if not found:
        return None
    until = max(dt.datetime.fromtimestamp(v, tz=dt.UTC) for v in found)
    return until if until > timezone.now() else None


def _count(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW)
        return 1


def attempt_count(kind: str, *, account: str, address: str) -> tuple[int, dt.datetime | None]:
    """Count one (failed) attempt; (attempts of the account in the window, lock end if it locks now)."""
    account_n = _count(_key(kind, "account", account)) if account else 0
    address_n = _count(_key(kind, "address", address)) if address else 0
    until = timezone.now() + dt.timedelta(seconds=LOCK_SECONDS)
    locks = {}
    if account and account_n >= ACCOUNT_LIMIT:
        locks[_key(kind, "lock-account", account)] = until.timestamp()
    if address and address_n >= IP_LIMIT:
        locks[_key(kind, "lock-address", address)] = until.timestamp()
    if locks:
        cache.set_many(locks, timeout=LOCK_SECONDS)
        # the count starts afresh once the lock is over
        if account and account_n >= ACCOUNT_LIMIT:
            cache.delete(_key(kind, "account", account))
        if address and address_n >= IP_LIMIT:
            cache.delete(_key(kind, "address", address))
        return account_n, until
    return account_n, None


def attempts_clear(kind: str, *, account: str) -> None:
    """A successful login forgets the account's earlier failures."""
    if account:
        cache.delete(_key(kind, "account", account))


def retry_message(until: dt.datetime, what: str = "登录") -> str:
    local = timezone.localtime(until)
    minutes = max(1, int((until - timezone.now()).total_seconds() + 59) // 60)
    return f"{what}尝试次数过多，已暂时锁定，请于 {local:%Y-%m-%d %H:%M} 后（约 {minutes} 分钟后）再试。"


class _Unknown:
    """A subject for an attempt on an account that does not exist (no row to point at)."""

    class _meta:  # mimics a model's _meta for audit_record
        label_lower = "accounts.user"

    pk = ""

    def __init__(self, label: str):
        self.label = label

    def __str__(self) -> str:
        return f"（不存在的账号）{self.label}"[:200]


def _subject(user, typed: str):
    return user if user is not None else _Unknown(typed)


@transaction.atomic
def login_failure_record(*, username: str, address: str, attempts: int, until) -> None:
    """Audit one failed login (``auth.locked_out`` when it locks the account or address)."""
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit_record(
        actor=None,
        event_type="auth.locked_out" if until else "auth.login_failed",
        subject=_subject(user, username),
        payload={
            "username": username[:150],
            "client": address,
            "attempts": attempts,
            "locked_until": f"{timezone.localtime(until):%Y-%m-%d %H:%M}" if until else "",
        },
    )


@transaction.atomic
def reset_request_record(*, email: str, address: str, users: list, refused_until=None) -> None:
    """Audit one password-reset request (for each matching account, or the typed address)."""
    subjects = users or [None]
    for user in subjects:
        audit_record(
            actor=None,
            event_type="auth.password_reset_requested",
            subject=_subject(user, email),
            payload={
                "email": email[:254],
                "client": address,
                "known": user is not None,
                "locked_until": f"{timezone.localtime(refused_until):%Y-%m-%d %H:%M}"
                if refused_until
                else "",
            },
        )


class ThrottledLoginMixin:
    """For an ``AuthenticationForm`` (the login page's, the admin's): refuses while the account or
    the address is locked; counts and audits every failure; a success clears the account's count."""

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = client_address(self.request)
        until = locked_until("login", account=username, address=address)
        if until is not None:
            raise forms.ValidationError(retry_message(until), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            attempts, until = attempt_count("login", account=username, address=address)
            login_failure_record(username=username, address=address, attempts=attempts, until=until)
            if until is not None:
                raise forms.ValidationError(retry_message(until), code="locked") from None
            raise
        attempts_clear("login", account=username)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    """The login form."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确（连续输错 5 次将暂时锁定 15 分钟）。",
        "inactive": "该账号已停用。",
    }


class ThrottledPasswordResetForm(PasswordResetForm):
    """找回密码: at most 5 requests per e-mail address and 20 per client in 15 minutes; audited.
    The page says the same whether or not the address belongs to an account."""

    email = forms.EmailField(
        label="电子邮箱",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "请填写电子邮箱", "invalid": "电子邮箱格式不正确"},
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email = (cleaned.get("email") or "").strip()
        if not email:
            return cleaned
        address = client_address(self.request)
        until = locked_until("reset", account=email, address=address)
        users = list(self.get_users(email))
        if until is None:
            attempt_count("reset", account=email, address=address)
            reset_request_record(email=email, address=address, users=users)
            return cleaned
        reset_request_record(email=email, address=address, users=users, refused_until=until)
        raise forms.ValidationError(retry_message(until, "找回密码"), code="locked")
