"""The admin's own login form locks like the login page: after five wrong passwords the right one is
refused too, and the failures are audited."""

import pytest

from smeplan.audit.models import AuditEvent
from tests.factories import province_admin
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def _admin_login(client, username, password):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9"
    )


def test_admin_login_locks_after_five_failures(client):
    admin = province_admin()
    for _ in range(5):
        _admin_login(client, admin.username, "wrong")
    right = _admin_login(client, admin.username, "pw-test-123")

    assert right.status_code == 200 and "登录尝试次数过多" in text(right)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type="auth.login_failed", subject_id=str(admin.pk)).count() == 4
    assert AuditEvent.objects.filter(event_type="auth.locked_out", subject_id=str(admin.pk)).exists()


def test_admin_login_still_works(client):
    admin = province_admin()
    assert _admin_login(client, admin.username, "pw-test-123").status_code == 302
