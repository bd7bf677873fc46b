"""认定项目的有效认定企业: the firms with a certification of the programme in force today (optionally
of one tier), within the issuer's scope."""

import datetime as dt

import pytest

from smeplan.campaigns.models import CampaignTask
from smeplan.campaigns.services import campaign_create
from smeplan.recognition import clock
from tests.campaigns.helpers import certify
from tests.factories import OrganisationFactory, campaign_data, city_officer, region

pytestmark = pytest.mark.django_db


def _asked(campaign):
    return set(CampaignTask.objects.filter(campaign=campaign).values_list("organisation__name", flat=True))


def test_only_certifications_in_force_within_scope_are_asked():
    certify(OrganisationFactory(name="在有效期内", county=region("610113")))
    certify(
        OrganisationFactory(name="已终止", county=region("610113")),
        ended_on=clock.today() - dt.timedelta(days=5),
    )
    certify(
        OrganisationFactory(name="已过有效期", county=region("610103")),
        valid_until=clock.today() - dt.timedelta(days=1),
    )
    certify(OrganisationFactory(name="宝鸡的", county=region("610302")))
    certify(OrganisationFactory(name="别的项目", county=region("610113")), programme="growth-county")
    OrganisationFactory(name="未认定", county=region("610113"))
    campaign = campaign_create(
        actor=city_officer("610100"), data=campaign_data(targeting="programme", programme="growth-province")
    )
    assert _asked(campaign) == {"在有效期内"}
    assert campaign.programme.code == "growth-province"
    assert campaign.targeting_detail["programme"] == "growth-province"
