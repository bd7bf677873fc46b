"""筛选结果: the 符合 firms of a screening run the issuer may open (数据不全 too when asked), never a
firm outside the issuer's scope."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.campaigns.models import CampaignTask
from smeplan.campaigns.services import campaign_create
from tests.factories import (
    OrganisationFactory,
    campaign_data,
    city_officer,
    province_admin,
    region,
    screening_run_make,
)

pytestmark = pytest.mark.django_db


def _asked(campaign):
    return set(CampaignTask.objects.filter(campaign=campaign).values_list("organisation__name", flat=True))


def _run(actor):
    passed = OrganisationFactory(name="符合的", county=region("610113"))
    incomplete = OrganisationFactory(name="数据不全的", county=region("610103"))
    foreign = OrganisationFactory(name="辖区外符合的", county=region("610302"))
    failed = OrganisationFactory(name="不符合的", county=region("610113"))
    return screening_run_make(
        actor=actor,
        results=[
            (passed, "pass", "PP"),
            (incomplete, "incomplete", "PI"),
            (foreign, "pass", "PP"),
            (failed, "fail", "FP"),
        ],
    )


def test_the_passed_firms_in_scope_are_asked():
    officer = city_officer("610100")
    run = _run(officer)
    campaign = campaign_create(
        actor=officer, data=campaign_data(targeting="screening", screening_run=str(run.pk))
    )
    assert _asked(campaign) == {"符合的"}
    assert campaign.screening_run_id == run.pk


def test_incomplete_firms_too_when_asked():
    officer = city_officer("610100")
    run = _run(officer)
    data = campaign_data(targeting="screening", screening_run=str(run.pk), include_incomplete="1")
    assert _asked(campaign_create(actor=officer, data=data)) == {"符合的", "数据不全的"}


def test_a_run_the_issuer_may_not_open_is_refused():
    run = _run(province_admin())
    with pytest.raises(ValidationError) as exc:
        campaign_create(
            actor=city_officer("610100"), data=campaign_data(targeting="screening", screening_run=str(run.pk))
        )
    assert exc.value.message_dict["screening_run"] == ["所选筛选结果不存在或不在您的管辖范围内"]
