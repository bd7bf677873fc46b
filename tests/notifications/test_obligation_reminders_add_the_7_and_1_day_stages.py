"""An annual report keeps its own reminders (14 days before, on the due date — the daily
recognition job); the reminder job adds 7 days and 1 day before, to the enterprise's users, never a
second reminder on the same day, in whichever order the two jobs run."""

import datetime as dt

import pytest

from smeplan.notifications.reminders import reminders_run
from smeplan.recognition.models import Notification, Obligation
from smeplan.recognition.obligations import obligations_due
from tests.recognition.obligations_make import demonstration_with_reports, set_today


@pytest.mark.django_db
@pytest.mark.parametrize("reminders_first", [True, False])
def test_reminded_14_7_1_and_0_days_before_once_a_day(monkeypatch, reminders_first):
    certification, _, enterprise, county = demonstration_with_reports(monkeypatch)
    set_today(monkeypatch, dt.date(certification.certified_on.year + 1, 1, 1))
    obligations_due()
    task = Obligation.objects.get()
    due = task.due_on

    reminded = {}  # days before the due date → the enterprise user's reminders that day
    day = due - dt.timedelta(days=20)
    while day <= due:
        set_today(monkeypatch, day)
        before = Notification.objects.filter(user=enterprise).count()
        for job in (reminders_run, obligations_due) if reminders_first else (obligations_due, reminders_run):
            job()
            job()
        got = Notification.objects.filter(user=enterprise).count() - before
        if got:
            reminded[(due - day).days] = got
        day += dt.timedelta(days=1)

    assert reminded == {14: 1, 7: 1, 1: 1, 0: 1}
    titles = list(
        Notification.objects.filter(user=enterprise, kind__in=["obligation", "reminder"])
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert titles[0].startswith("请于") and "今日截止" in titles[3]  # the recognition job's own
    assert "将于7天后截止" in titles[1] and "将于明天截止" in titles[2]
    assert f"{task.period}年度报告" in titles[1]
    assert not Notification.objects.filter(user=county, kind="reminder").exists()  # bureau: its own only
