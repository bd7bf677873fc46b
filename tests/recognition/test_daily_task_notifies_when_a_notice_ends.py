"""The scheduled task tells the notice's bureau once that its notice has ended."""

import pytest

from smeplan.recognition.models import Notification
from smeplan.recognition.tasks import recognition_daily
from tests.recognition.make import applicant, bureaus, move_time, on_notice, submitted, to_selected


@pytest.mark.django_db
def test_bureau_is_told_once_after_the_notice_ends(monkeypatch):
    officers = bureaus()
    _, notice = on_notice(to_selected(submitted(applicant()[1]), officers), officers["province"], days=7)
    assert recognition_daily.delay().get() == 0  # still running
    move_time(monkeypatch, 7)
    assert recognition_daily.delay().get() == 1
    assert recognition_daily.delay().get() == 0
    (note,) = Notification.objects.filter(user=officers["province"], kind="notice_ended")
    assert notice.title in note.title
