"""通知设置: every signed-in user sees the address their mails go to (or that there is none), turns
notification e-mails off and on again, each change audited; the notifications page links to it."""

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.notifications.models import OutgoingMail
from smeplan.recognition.services import notify
from tests.factories import OrganisationFactory, county_officer, enterprise_user
from tests.web.helpers import text


@pytest.mark.django_db
def test_turn_mail_off_and_on(client, settings):
    settings.SMEPLAN_NOTIFY_BY_EMAIL = True
    user = enterprise_user(OrganisationFactory(), email="boss@firm.example.cn")
    client.force_login(user)

    listing = client.get("/notifications/").content.decode()
    assert 'href="/notifications/settings/"' in listing and "通知设置（邮件）" in listing
    page = text(client.get("/notifications/settings/"))
    assert "boss@firm.example.cn" in page and "接收邮件通知" in page

    response = client.post("/notifications/settings/", {})
    assert response.status_code == 302 and response["Location"] == "/notifications/settings/"
    user.refresh_from_db()
    assert user.email_notifications is False
    assert "已关闭邮件通知" in text(client.get("/notifications/settings/"))
    notify([user], kind="returned", title="申报被退回修改")
    assert not OutgoingMail.objects.exists()

    client.post("/notifications/settings/", {"email_notifications": "1"})
    user.refresh_from_db()
    assert user.email_notifications is True
    notify([user], kind="returned", title="申报被退回修改")
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["boss@firm.example.cn"]

    events = AuditEvent.objects.filter(event_type="notification.settings_updated").order_by("id")
    assert [e.payload["changes"]["email_notifications"] for e in events] == [[True, False], [False, True]]
    assert all(e.actor_id == user.pk for e in events)


@pytest.mark.django_db
def test_without_an_address_the_page_says_so(client):
    officer = county_officer(email="")
    client.force_login(officer)

    page = text(client.get("/notifications/settings/"))

    assert "尚未填写邮箱，收不到邮件通知" in page
    assert "尚未配置邮件服务器" in page  # the test settings have no SMTP
