"""Without an SMTP server configured (the default) notifications stay in the system: no outbox
mail is written and the sender sends nothing."""

import pytest

from smeplan.notifications.mail import outbox_send
from smeplan.notifications.models import OutgoingMail
from smeplan.recognition.models import Notification
from smeplan.recognition.services import notify
from tests.factories import county_officer


@pytest.mark.django_db
def test_in_system_only(settings):
    settings.SMEPLAN_NOTIFY_BY_EMAIL = False  # the default: SMEPLAN_SMTP_HOST unset
    officer = county_officer(email="county@example.cn")

    assert notify([officer, None], kind="queue", title="待办：测试") == 1

    assert Notification.objects.filter(user=officer).count() == 1
    assert not OutgoingMail.objects.exists()
    OutgoingMail.objects.create(to="county@example.cn", subject="旧邮件", body="正文")
    assert outbox_send() == {"sent": 0, "failed": 0}
    assert OutgoingMail.objects.get().attempts == 0
