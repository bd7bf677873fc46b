"""After the deadline, an unsubmitted task (待填报 or 已退回) of an open campaign is reminded as
overdue — to its own firm's users only; submitted tasks, closed campaigns and bureau users are not."""

import datetime as dt

import pytest

from smeplan.campaigns.models import CampaignState, TaskState
from smeplan.notifications.mail import outbox_send
from smeplan.recognition.models import Notification
from tests.factories import CampaignFactory, county_officer
from tests.notifications.make import DEADLINE, firm_with_task, run


@pytest.mark.django_db
def test_overdue_once_to_the_firm(smtp):
    pending, (late,) = firm_with_task()
    _, (corrected,) = firm_with_task(campaign=pending.campaign, state=TaskState.RETURNED)
    _, (done,) = firm_with_task(campaign=pending.campaign, state=TaskState.SUBMITTED)
    closed = CampaignFactory(deadline=DEADLINE, state=CampaignState.CLOSED)
    _, (of_closed,) = firm_with_task(campaign=closed)
    officer = county_officer(email="county@example.cn")

    day = DEADLINE + dt.timedelta(days=2)
    summary = run(day)
    outbox_send()

    assert summary["by_stage"] == {"overdue": 2}
    for user in (late, corrected):
        (note,) = Notification.objects.filter(user=user)
        assert note.title == "填报已逾期：2026年度企业数据填报已于2027-03-31截止，请尽快填报并提交"
    for user in (done, of_closed, officer):
        assert not Notification.objects.filter(user=user).exists()
    assert sorted(smtp.inbox.to()) == sorted([late.email, corrected.email])
    assert all("已逾期" in s for s in smtp.inbox.subjects)
    assert run(day + dt.timedelta(days=7))["notifications"] == 0
