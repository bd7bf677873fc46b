"""Reminders go to the enterprise's users and its county bureau 14 days before the due date, on it,
and weekly once overdue (催报), and are counted; the day after the due date an unsubmitted task is
逾期. A submitted report is not reminded."""

import datetime as dt

import pytest

from smeplan.recognition import obligations
from smeplan.recognition.models import Notification, Obligation, ObligationState
from tests.recognition.obligations_make import demonstration_with_reports, run_days, set_today


def _report_task(monkeypatch):
    certification, province, enterprise, county = demonstration_with_reports(monkeypatch)
    year = certification.certified_on.year + 1
    run_days(monkeypatch, dt.date(year, 1, 1), dt.date(year, 1, 1))
    return Obligation.objects.get(), enterprise, county, province


@pytest.mark.django_db
def test_reminders_before_on_and_after_the_due_date(monkeypatch):
    task, enterprise, county, _ = _report_task(monkeypatch)
    due = task.due_on
    run_days(monkeypatch, due - dt.timedelta(days=20), due)
    task.refresh_from_db()
    assert (task.reminders_sent, task.overdue_reminders, task.state) == (2, 0, ObligationState.PENDING)
    run_days(monkeypatch, due + dt.timedelta(days=1), due + dt.timedelta(days=8))
    task.refresh_from_db()
    assert task.state == ObligationState.OVERDUE
    assert (task.reminders_sent, task.overdue_reminders) == (3, 1)
    assert task.last_reminded_on == due + dt.timedelta(days=7)
    for user in (enterprise, county):
        titles = list(
            Notification.objects.filter(user=user, kind="obligation").values_list("title", flat=True)
        )
        assert len(titles) == 3
        assert any("催报（第1次）" in t for t in titles)


@pytest.mark.django_db
def test_a_job_that_missed_days_sends_one_reminder(monkeypatch):
    task, *_ = _report_task(monkeypatch)
    set_today(monkeypatch, task.due_on + dt.timedelta(days=10))
    obligations.obligations_due()
    task.refresh_from_db()
    assert task.reminders_sent == 1 and task.state == ObligationState.OVERDUE


@pytest.mark.django_db
def test_a_submitted_report_is_not_reminded(monkeypatch):
    task, enterprise, *_ = _report_task(monkeypatch)
    obligations.obligation_submit(
        actor=enterprise,
        obligation=task,
        answers={  # the required answers of the programme's annual report form
            "progress": "2025年营业收入增长12%，新增专利3项",
            "needs_help": False,
            "violation": False,
            "plan": "建设数字化车间",
        },
    )
    run_days(monkeypatch, task.due_on - dt.timedelta(days=20), task.due_on + dt.timedelta(days=30))
    task.refresh_from_db()
    assert task.state == ObligationState.SUBMITTED and task.reminders_sent == 0
