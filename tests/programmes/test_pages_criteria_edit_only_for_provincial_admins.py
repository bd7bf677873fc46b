"""修改认定条件 is for provincial admins: other bureau users get 403 on the form, the save and the
preview, and nothing is written."""

import json

import pytest

from smeplan.accounts.models import Role
from smeplan.programmes.models import CriteriaVersion
from tests.factories import UserFactory, city_officer, county_officer, province_admin, region, tier_of

pytestmark = pytest.mark.django_db

ROW = {
    "effective_year": "2024",
    "c-0-metric": "operating_revenue",
    "c-0-operator": "ge",
    "c-0-reference": "threshold",
    "c-0-threshold": "500",
    "c-0-years": "1",
    "c-0-role": "required",
}


@pytest.mark.parametrize(
    "make",
    [
        lambda: UserFactory(role=Role.PROVINCIAL_OFFICER, region=region("610000")),
        lambda: city_officer(),
        lambda: county_officer(),
    ],
    ids=["provincial_officer", "city_officer", "county_officer"],
)
def test_other_bureau_users_are_refused(client, make):
    tier = tier_of()
    client.force_login(make())
    before = CriteriaVersion.objects.count()

    assert client.get(f"/programmes/tiers/{tier.pk}/edit/").status_code == 403
    assert client.post(f"/programmes/tiers/{tier.pk}/edit/", ROW).status_code == 403
    preview = client.post(
        f"/programmes/tiers/{tier.pk}/preview/", json.dumps(ROW), content_type="application/json"
    )
    assert preview.status_code == 403
    assert CriteriaVersion.objects.count() == before


def test_the_provincial_admin_gets_the_form_with_the_current_criteria(client):
    tier = tier_of("growth-province", "growth_star")
    client.force_login(province_admin())

    response = client.get(f"/programmes/tiers/{tier.pk}/edit/")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="c-1-metric"' in body and 'name="c-7-metric"' in body and 'name="c-8-metric"' not in body
    assert 'name="c-1-threshold" value="2000"' in body and 'name="c-1-threshold_high" value="10000"' in body
    assert "以第 1 版（2017 年起生效）为基础修改" in body
