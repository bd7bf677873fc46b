"""A caller who may see but not change something gets 403 with the service's message; nothing saved."""

import pytest

from smeplan.accounts.models import Role
from smeplan.registry.models import Organisation
from tests.factories import OrganisationFactory, UserFactory, city_officer, county_officer, region

pytestmark = pytest.mark.django_db


def test_viewer_cannot_write(api_as):
    org = OrganisationFactory(address="原地址")
    viewer = UserFactory(role=Role.VIEWER, region=region("610113"))
    client = api_as(viewer)
    assert client.get(f"/organisations/{org.pk}").status_code == 200
    response = client.patch(f"/organisations/{org.pk}", {"address": "改"})
    assert response.status_code == 403
    assert response.json()["detail"] == "无权修改该单位"
    org.refresh_from_db()
    assert org.address == "原地址"


def test_county_officer_cannot_move_an_organisation_out_of_its_county(api_as):
    org = OrganisationFactory()
    response = api_as(county_officer("610113")).patch(f"/organisations/{org.pk}", {"county": "610402"})
    assert response.status_code == 403
    assert "秦都区" in response.json()["detail"]
    assert Organisation.objects.get(pk=org.pk).county_id == "610113"


def test_city_officer_cannot_register_outside_its_city(api_as):
    from smeplan.registry.credit_code import make_credit_code

    response = api_as(city_officer("610100")).post(
        "/organisations",
        {"credit_code": make_credit_code("610402", 5), "name": "咸阳某公司", "county": "秦都区"},
    )
    assert response.status_code == 403
    assert Organisation.objects.count() == 0
