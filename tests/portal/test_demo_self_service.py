"""The self-service demo (``demo_self_service``, run by ``make run``) lays out what the printed logins
find: a registration waiting in 雁塔区's queue, the county's data campaign with a task for each of its
firms, ent_2's submitted and ent_1's still to do — and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from smeplan.accounts.models import User
from smeplan.campaigns.models import Campaign, CampaignTask, TaskState
from smeplan.portal.models import EnterpriseRegistration, RegistrationState
from smeplan.registry.models import Organisation

PASSWORD = "pw-demo-123"


@pytest.fixture
def demo(db):
    call_command("demo_province", enterprises=1500, password=PASSWORD, stdout=io.StringIO())
    call_command("demo_self_service", password=PASSWORD, stdout=io.StringIO())


def test_the_demo_lays_out_registration_campaign_and_submission(demo):
    registration = EnterpriseRegistration.objects.get(user__username="yunqi")
    assert registration.state == RegistrationState.PENDING
    assert registration.county_id == "610113"
    campaign = Campaign.objects.get()
    assert campaign.task_count == Organisation.objects.filter(county_id="610113").count()
    ent_1, ent_2 = (User.objects.get(username=u) for u in ("ent_1", "ent_2"))
    assert (
        CampaignTask.objects.get(campaign=campaign, organisation=ent_2.organisation).state
        == TaskState.SUBMITTED
    )
    assert (
        CampaignTask.objects.get(campaign=campaign, organisation=ent_1.organisation).state
        == TaskState.PENDING
    )

    county = Client()
    assert county.login(username="county_610113", password=PASSWORD)
    assert "西安云启数智科技有限公司" in county.get("/portal/registrations/").content.decode()
    assert ent_2.organisation.name in county.get("/campaigns/review/").content.decode()
    firm = Client()
    assert firm.login(username="ent_1", password=PASSWORD)
    assert campaign.title in firm.get("/").content.decode()  # its home lists the task under 待办
    registrant = Client()
    assert registrant.login(username="yunqi", password=PASSWORD)


def test_a_second_run_adds_nothing(demo):
    out = io.StringIO()
    call_command("demo_self_service", if_empty=True, password=PASSWORD, stdout=out)
    assert Campaign.objects.count() == 1
    assert EnterpriseRegistration.objects.count() == 1
    assert "未生成" in out.getvalue()
