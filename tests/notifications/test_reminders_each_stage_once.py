"""A campaign task is reminded at each stage once: when it opens, 7 days and 1 day before the
deadline, and once overdue — a second run the same day (or the next days of the same stage)
reminds no one again."""

import datetime as dt

import pytest

from smeplan.notifications.models import Reminder
from smeplan.recognition.models import Notification
from tests.notifications.make import DEADLINE, OPENS, firm_with_task, run


@pytest.mark.django_db
def test_each_stage_reminded_once():
    task, (user,) = firm_with_task()

    assert run(OPENS - dt.timedelta(days=1))["notifications"] == 0  # not open yet
    days = {
        OPENS: "新的填报任务：2026年度企业数据填报，请于2027-03-31前填报并提交",
        OPENS + dt.timedelta(days=5): None,
        DEADLINE
        - dt.timedelta(days=7): "填报提醒：2026年度企业数据填报将于7天后截止（2027-03-31），请及时填报并提交",
        DEADLINE - dt.timedelta(days=3): None,
        DEADLINE
        - dt.timedelta(days=1): "填报提醒：2026年度企业数据填报将于明天截止（2027-03-31），请及时填报并提交",
        DEADLINE: None,
        DEADLINE
        + dt.timedelta(days=1): "填报已逾期：2026年度企业数据填报已于2027-03-31截止，请尽快填报并提交",
        DEADLINE + dt.timedelta(days=9): None,
    }
    for day, expected in days.items():
        first, second = run(day), run(day)
        titles = list(Notification.objects.filter(user=user).values_list("title", flat=True))
        assert first["notifications"] == (1 if expected else 0), day
        assert second["notifications"] == 0 and second["candidates"] == 0, day
        if expected:
            assert titles[0] == expected

    stages = list(Reminder.objects.filter(user=user).order_by("id").values_list("stage", flat=True))
    assert stages == ["opening", "due_7", "due_1", "overdue"]
    (note, *_) = Notification.objects.filter(user=user, kind="reminder")
    assert note.url.startswith("/campaigns/tasks/") and f"/{task.pk}/" in note.url  # campaign_task_detail
    assert Notification.objects.filter(user=user).count() == 4


@pytest.mark.django_db
def test_a_job_that_missed_days_sends_the_stage_of_the_day_with_the_real_days_left():
    _, (user,) = firm_with_task()

    assert run(DEADLINE - dt.timedelta(days=3))["by_stage"] == {"due_7": 1}

    (note,) = Notification.objects.filter(user=user)
    assert "将于3天后截止（2027-03-31）" in note.title
    assert list(Reminder.objects.values_list("stage", flat=True)) == ["due_7"]
