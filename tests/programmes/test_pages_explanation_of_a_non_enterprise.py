"""A service agency opened on an enterprise programme's explanation gets a clear sentence, not an error."""

import pytest

from tests.factories import OrganisationFactory, county_officer, region, tier_of

pytestmark = pytest.mark.django_db


def test_service_agency_is_not_screened(client):
    agency = OrganisationFactory(kind="service_agency", county=region("610113"), name="雁塔创业服务中心")
    client.force_login(county_officer("610113"))
    tier = tier_of("growth-province", "industry_star")
    response = client.get(f"/programmes/tiers/{tier.pk}/explain/{agency.pk}/?year=2024")
    assert response.status_code == 200
    body = response.content.decode()
    assert "雁塔创业服务中心是服务机构" in body and "只认定企业" in body
