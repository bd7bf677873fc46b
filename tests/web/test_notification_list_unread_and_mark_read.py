"""通知: a user sees only their own notifications, unread ones highlighted, each linking to its page;
「全部标为已读」 marks them read."""

import pytest

from smeplan.recognition import services
from smeplan.recognition.models import Notification
from tests.factories import county_officer
from tests.recognition.make import applicant, submitted
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_the_county_officer_is_told_of_a_new_application(client):
    officer = county_officer("610113")
    other = county_officer("610302")
    org, user = applicant()
    application = submitted(user)

    client.force_login(officer)
    body = text(client.get("/notifications/"))
    assert f"待办：{org.name}" in body and "1 条未读" in body
    assert f'<a href="/recognition/applications/{application.pk}/">' in body
    assert '<tr class="unread">' in body

    client.force_login(other)
    assert org.name not in text(client.get("/notifications/"))

    client.force_login(officer)
    body = text(client.post("/notifications/read/", follow=True))
    assert "已将 1 条通知标为已读" in body and '<tr class="unread">' not in body
    assert not Notification.objects.filter(user=officer, read_at__isnull=True).exists()
    assert services.notifications_mark_read(actor=other) == 0
