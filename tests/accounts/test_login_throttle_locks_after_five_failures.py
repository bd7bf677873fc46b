"""Five wrong passwords for one account within 15 minutes lock it for 15 minutes — even the right
password is refused, with a Chinese message saying when to retry; every failure and the lockout are
audited. Many failures from one address lock that address. A success clears the count."""

import datetime as dt

import pytest
from django.utils import timezone

from smeplan.accounts import throttle
from smeplan.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def _login(client, username, password, address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_lockout_after_five_failures(client):
    user = UserFactory(username="wangwu")
    for _ in range(4):
        assert "用户名或密码不正确" in text(_login(client, "wangwu", "wrong"))

    fifth = text(_login(client, "wangwu", "wrong"))
    right = _login(client, "wangwu", "pw-test-123")

    assert "登录尝试次数过多，已暂时锁定，请于" in fifth
    assert right.status_code == 200 and "登录尝试次数过多" in text(right)
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.filter(event_type="auth.login_failed", subject_id=str(user.pk))
    locked = AuditEvent.objects.get(event_type="auth.locked_out", subject_id=str(user.pk))
    assert failed.count() == 4 and locked.payload["attempts"] == 5
    until = dt.datetime.strptime(locked.payload["locked_until"], "%Y-%m-%d %H:%M")
    expected = timezone.localtime(timezone.now() + dt.timedelta(minutes=15)).replace(tzinfo=None)
    assert abs(until - expected) < dt.timedelta(minutes=2)


def test_success_clears_the_count(client):
    UserFactory(username="zhaoliu")
    for _ in range(4):
        _login(client, "zhaoliu", "wrong")
    assert _login(client, "zhaoliu", "pw-test-123").status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "zhaoliu", "wrong")

    assert _login(client, "zhaoliu", "pw-test-123").status_code == 302


def test_many_accounts_from_one_address_lock_the_address(client):
    UserFactory(username="victim")
    for n in range(throttle.IP_LIMIT):
        _login(client, f"guess{n}", "wrong", address="10.9.9.9")

    from_there = _login(client, "victim", "pw-test-123", address="10.9.9.9")
    elsewhere = _login(client, "victim", "pw-test-123", address="10.1.1.1")

    assert "登录尝试次数过多" in text(from_there)
    assert elsewhere.status_code == 302
    unknown = AuditEvent.objects.filter(event_type="auth.login_failed", subject_id="").first()
    assert unknown is not None and "guess" in unknown.subject_label
