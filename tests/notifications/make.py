"""A firm with an open campaign task and its enterprise users (rows made directly)."""

import datetime as dt

from smeplan.notifications.reminders import reminders_run
from tests.factories import CampaignFactory, CampaignTaskFactory, OrganisationFactory, enterprise_user

OPENS, DEADLINE = dt.date(2027, 3, 1), dt.date(2027, 3, 31)


def firm_with_task(*, users=1, campaign=None, **task_fields):
    campaign = campaign or CampaignFactory(title="2026年度企业数据填报", opens_on=OPENS, deadline=DEADLINE)
    org = OrganisationFactory()
    task = CampaignTaskFactory(campaign=campaign, organisation=org, **task_fields)
    people = [enterprise_user(org, email=f"firm{org.pk}-{n}@example.cn") for n in range(users)]
    return task, people


def run(day: dt.date) -> dict:
    return reminders_run(today=day)
