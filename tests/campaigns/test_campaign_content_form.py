"""填报内容: a form version of the programme form designer (any purpose), or a refusal naming the field."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.campaigns.services import campaign_create
from smeplan.programmes.models import FormVersion, Programme
from tests.factories import OrganisationFactory, campaign_data, county_officer

pytestmark = pytest.mark.django_db


def test_a_form_version_is_asked_and_an_unknown_one_refused():
    OrganisationFactory()
    version = FormVersion.objects.create(
        programme=Programme.objects.get(code="growth-province"),
        purpose="annual_report",
        number=1,
        effective_year=2020,
        title="成长之星年度报告表",
        design={"sections": []},
    )
    campaign = campaign_create(
        actor=county_officer(), data=campaign_data(content="form", form_version=str(version.pk))
    )
    assert (campaign.content, campaign.form_version_id) == ("form", version.pk)
    with pytest.raises(ValidationError) as exc:
        campaign_create(actor=county_officer(), data=campaign_data(content="form", form_version="999999"))
    assert exc.value.message_dict == {"form_version": ["所选表单不存在"]}
