"""按地区: a campaign asks exactly the firms of the chosen regions within the issuer's scope."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.campaigns.models import Campaign, CampaignTask
from smeplan.campaigns.services import campaign_create
from tests.factories import (
    OrganisationFactory,
    campaign_data,
    city_officer,
    county_officer,
    province_admin,
    region,
)

pytestmark = pytest.mark.django_db


def _asked(campaign):
    return set(CampaignTask.objects.filter(campaign=campaign).values_list("organisation__name", flat=True))


def test_a_city_campaign_asks_the_firms_of_its_counties_and_no_others():
    OrganisationFactory(name="雁塔甲", county=region("610113"))
    OrganisationFactory(name="碑林乙", county=region("610103"))
    OrganisationFactory(name="渭滨丙", county=region("610302"))
    OrganisationFactory(name="雁塔服务机构", county=region("610113"), kind="service_agency")
    officer = city_officer("610100")
    campaign = campaign_create(actor=officer, data=campaign_data(regions=["610100"], kind="enterprise"))
    assert _asked(campaign) == {"雁塔甲", "碑林乙"}
    assert campaign.task_count == 2
    assert campaign.region_id == "610100"
    task = CampaignTask.objects.get(campaign=campaign, organisation__name="碑林乙")
    assert (task.county_id, task.state) == ("610103", "pending")


def test_the_province_may_name_counties_of_several_cities():
    OrganisationFactory(name="雁塔甲", county=region("610113"))
    OrganisationFactory(name="渭滨丙", county=region("610302"))
    OrganisationFactory(name="汉台丁", county=region("610702"))
    campaign = campaign_create(actor=province_admin(), data=campaign_data(regions=["610113", "610302"]))
    assert _asked(campaign) == {"雁塔甲", "渭滨丙"}


def test_a_county_officer_cannot_reach_beyond_its_county():
    OrganisationFactory(name="渭滨丙", county=region("610302"))
    with pytest.raises(ValidationError) as exc:
        campaign_create(actor=county_officer("610113"), data=campaign_data(regions=["610302", "610100"]))
    assert exc.value.message_dict["regions"] == [
        "「渭滨区」不在您的管辖范围内",
        "「西安市」不在您的管辖范围内",
    ]
    assert not Campaign.objects.exists() and not CampaignTask.objects.exists()
