"""The daily Celery task (in the beat schedule) reminds and sends the outbox; run again it sends
nothing more."""

import pytest
from django.conf import settings

from smeplan.notifications.tasks import reminders_daily
from tests.notifications.make import OPENS, firm_with_task


def test_in_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"smeplan.reminders_daily", "smeplan.outbox_send"} <= tasks


@pytest.mark.django_db
def test_daily_task_reminds_and_mails_once(smtp):
    _, (user,) = firm_with_task()
    day = OPENS.isoformat()

    first = reminders_daily.delay(today=day).get()
    second = reminders_daily.delay(today=day).get()

    assert first["notifications"] == 1 and first["outbox"] == {"sent": 1, "failed": 0}
    assert second["notifications"] == 0 and second["outbox"] == {"sent": 0, "failed": 0}
    assert smtp.inbox.to() == [user.email]
    assert "新的填报任务" in smtp.inbox.subjects[0]
