"""When the mail server is down, the change and its in-system notification stand; the mail stays
in the outbox with the reason in Chinese and goes out — once — when the server is back."""

import pytest

from smeplan.notifications.mail import outbox_send
from smeplan.notifications.models import OutgoingMail
from smeplan.recognition.models import Notification
from smeplan.recognition.services import notify
from tests.factories import county_officer


@pytest.mark.django_db
def test_failure_kept_then_sent_once(smtp, django_capture_on_commit_callbacks):
    officer = county_officer(email="county@example.cn")
    smtp.stop()

    with django_capture_on_commit_callbacks(execute=True):  # the after-commit send fails quietly
        assert (
            notify([officer], kind="queue", title="待办：测试企业的申报（县级审核）", url="/applications/1/")
            == 1
        )

    assert Notification.objects.filter(user=officer, kind="queue").count() == 1
    (mail,) = OutgoingMail.objects.all()
    assert mail.sent_at is None and mail.attempts == 1
    assert mail.last_error.startswith("无法连接邮件服务器")
    assert outbox_send(fresh_only=True) == {"sent": 0, "failed": 0}  # failures wait for the schedule

    assert outbox_send() == {"sent": 0, "failed": 1}
    mail.refresh_from_db()
    assert mail.attempts == 2 and smtp.inbox.messages == []

    smtp.start()
    assert outbox_send() == {"sent": 1, "failed": 0}
    assert outbox_send() == {"sent": 0, "failed": 0}

    mail.refresh_from_db()
    assert mail.sent_at is not None and mail.attempts == 3 and mail.last_error == ""
    assert smtp.inbox.subjects == ["【陕西省中小企业行动计划管理系统】待办：测试企业的申报（县级审核）"]
    assert "https://smeplan.example.cn/applications/1/" in smtp.inbox.body(0)
