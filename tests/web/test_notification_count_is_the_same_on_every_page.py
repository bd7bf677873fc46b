"""The menu's 通知 count changes only when something happens: opening a page (公示管理 used to
create "公示期已结束" reminders) writes no notification, so two pages show the same count; the
reminder comes from the daily job, once."""

import re

import pytest

from smeplan.recognition.models import Notification
from smeplan.recognition.tasks import recognition_daily
from tests.recognition.make import applicant, bureaus, move_time, on_notice, submitted, to_selected
from tests.web.helpers import text

pytestmark = pytest.mark.django_db

PAGES = ["/", "/recognition/notices/", "/recognition/queue/", "/notifications/", "/recognition/notices/"]


def menu_count(body: str) -> str:
    match = re.search(r"通知（(\d+\+?)）", body)
    return match.group(1) if match else "0"


def test_pages_show_the_same_count_and_create_no_notification(client, monkeypatch):
    officers = bureaus()
    on_notice(to_selected(submitted(applicant()[1]), officers), officers["province"], days=7)
    move_time(monkeypatch, 8)  # the notice has ended; the daily job has not run yet
    client.force_login(officers["province"])
    before = Notification.objects.count()

    counts = [menu_count(text(client.get(path))) for path in PAGES]

    assert len(set(counts)) == 1, dict(zip(PAGES, counts, strict=True))
    assert Notification.objects.count() == before

    recognition_daily.delay().get()
    after = [menu_count(text(client.get(path))) for path in PAGES]
    assert len(set(after)) == 1 and int(after[0]) == int(counts[0]) + 1
    assert Notification.objects.filter(user=officers["province"], kind="notice_ended").count() == 1
