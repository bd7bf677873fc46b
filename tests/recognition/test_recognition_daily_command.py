"""recognition_daily notifies the notice's bureau once when its notice has ended."""

import io

import pytest
from django.core.management import call_command

from smeplan.recognition.models import Notification
from tests.recognition.make import applicant, bureaus, move_time, on_notice, submitted, to_selected


def run() -> str:
    out = io.StringIO()
    call_command("recognition_daily", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_recognition_daily_notifies_once_after_the_notice_ends(monkeypatch):
    officers = bureaus()
    _, user = applicant()
    application = to_selected(submitted(user), officers)
    _, notice = on_notice(application, officers["province"])
    assert "0 条" in run()  # still running
    move_time(monkeypatch, notice.days + 1)
    assert "1 条" in run()
    assert "0 条" in run()  # only once
    ended = Notification.objects.filter(user=officers["province"], kind="notice_ended")
    assert ended.count() == 1
    assert notice.title in ended.get().title
