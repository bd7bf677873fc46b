"""填报审核: the county's queue lists its submitted tasks (not another county's), filtered by campaign;
bulk 通过 is all or nothing — one stale task refuses the batch, listing it, and nothing is accepted."""

import pytest

from smeplan.campaigns.answers import task_save, task_submit
from smeplan.campaigns.models import CampaignTask, TaskState
from smeplan.indicators.models import AnnualFigures
from tests.factories import (
    CampaignFactory,
    CampaignTaskFactory,
    OrganisationFactory,
    county_officer,
    enterprise_user,
    figure_answers,
    region,
)


def _submitted(campaign, county="610113", name=None):
    org = OrganisationFactory(county=region(county), **({"name": name} if name else {}))
    task = CampaignTaskFactory(campaign=campaign, organisation=org)
    return task_submit(actor=enterprise_user(org), task=task, answers=figure_answers(), lock_version=0)


@pytest.mark.django_db
def test_queue_and_all_or_nothing_bulk_accept(client):
    campaign, other_campaign = CampaignFactory(), CampaignFactory(title="另一批次")
    a = _submitted(campaign, name="甲公司")
    b = _submitted(campaign, name="乙公司")
    c = _submitted(other_campaign, name="丙公司")
    _submitted(campaign, county="610302", name="宝鸡企业")
    client.force_login(county_officer("610113"))

    page = client.get("/campaigns/review/").content.decode()
    assert all(n in page for n in ("甲公司", "乙公司", "丙公司")) and "宝鸡企业" not in page
    filtered = client.get(f"/campaigns/review/?campaign={campaign.pk}").content.decode()
    assert "甲公司" in filtered and "丙公司" not in filtered

    stale = b.lock_version - 1
    response = client.post(
        "/campaigns/review/accept/",
        {"items": [f"{a.pk}:{a.lock_version}", f"{b.pk}:{stale}"], "campaign": campaign.pk},
        follow=True,
    )
    body = response.content.decode()
    assert "乙公司" in body and "没有通过任何一项" in body
    assert set(CampaignTask.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True)) == {
        TaskState.SUBMITTED
    }
    assert not AnnualFigures.objects.exists()

    response = client.post(
        "/campaigns/review/accept/",
        {"items": [f"{a.pk}:{a.lock_version}", f"{b.pk}:{b.lock_version}", f"{c.pk}:{c.lock_version}"]},
        follow=True,
    )
    assert "已审核通过 3 项" in response.content.decode()
    assert AnnualFigures.objects.count() == 3


@pytest.mark.django_db
def test_a_pending_task_is_not_in_the_queue(client):
    task = CampaignTaskFactory(organisation=OrganisationFactory(name="未提交企业"))
    task_save(actor=enterprise_user(task.organisation), task=task, answers=figure_answers(), lock_version=0)
    client.force_login(county_officer("610113"))
    assert "未提交企业" not in client.get("/campaigns/review/").content.decode()
