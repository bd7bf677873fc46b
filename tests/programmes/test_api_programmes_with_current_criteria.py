"""GET /programmes: programmes, their tiers and the criteria in force in the asked year (rates as
fractions, each with its words); GET a tier's versions, newest first."""

import pytest

from smeplan.programmes.services import criteria_version_create
from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.factories import county_officer, province_admin, tier_of

pytestmark = pytest.mark.django_db


def test_programmes_tiers_and_criteria(api_as):  # noqa: F811
    response = api_as(county_officer()).get("/programmes", {"year": 2024})

    assert response.status_code == 200
    data = {p["code"]: p for p in response.json()}
    assert set(data) == {
        "growth-province",
        "growth-city",
        "growth-county",
        "transformation",
        "transformation-demo",
    }
    tiers = {t["code"]: t for t in data["transformation"]["tiers"]}
    version = tiers["demo_recommend"]["version"]
    assert (version["number"], version["effective_year"]) == (1, 2017)
    growth = version["criteria"][1]
    assert growth["metric"] == "growth.operating_revenue" and growth["operator"] == "gt"
    assert growth["threshold"] == "0.300000" and growth["text"] == "营业收入增速 > 30%"


def test_a_year_before_any_version_has_none(api_as):  # noqa: F811
    data = api_as(county_officer()).get("/programmes", {"year": 2010}).json()

    assert all(t["version"] is None for p in data for t in p["tiers"])


def test_versions_newest_first(api_as):  # noqa: F811
    tier = tier_of()
    admin = province_admin(username="sheng")
    criteria_version_create(
        actor=admin, tier=tier, effective_year=2022, criteria=[{"metric": "manual.other"}], note="试行"
    )

    versions = api_as(county_officer()).get(f"/programmes/tiers/{tier.pk}/versions").json()

    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["created_by"] == "sheng" and versions[0]["note"] == "试行"
    assert versions[0]["criteria"][0]["role"] == "manual"
