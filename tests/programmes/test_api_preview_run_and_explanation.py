"""The engine through the API: POST preview (counts, nothing written; 422 with the page's messages),
POST runs (201, the caller's area only), GET the run's results, GET an enterprise's explanation."""

import pytest

from smeplan.programmes.models import ScreeningRun
from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.factories import county_officer, province_admin, tier_of
from tests.programmes.helpers import firm

pytestmark = pytest.mark.django_db

FIGURES = {"employees": 50, "total_assets": 100}


@pytest.fixture
def firms():
    return {
        "up": firm(y2023={"operating_revenue": 100, **FIGURES}, y2024={"operating_revenue": 130, **FIGURES}),
        "flat": firm(
            y2023={"operating_revenue": 100, **FIGURES}, y2024={"operating_revenue": 101, **FIGURES}
        ),
        "baoji": firm(
            county="610302",
            y2023={"operating_revenue": 100, **FIGURES},
            y2024={"operating_revenue": 160, **FIGURES},
        ),
    }


def test_preview(api_as, firms):  # noqa: F811
    tier = tier_of("transformation", "upgrade_library")
    body = {
        "year": 2024,
        "criteria": [{"metric": "growth.operating_revenue", "operator": "gt", "threshold": "0.5"}],
    }

    response = api_as(province_admin()).post(f"/programmes/tiers/{tier.pk}/preview", body)

    data = response.json()
    assert response.status_code == 200
    assert (data["evaluated"], data["passed"], data["failed"], data["incomplete"]) == (3, 1, 2, 0)
    assert not ScreeningRun.objects.exists()


def test_preview_with_wrong_criteria_is_422(api_as, firms):  # noqa: F811
    tier = tier_of("transformation", "upgrade_library")
    body = {
        "year": 2024,
        "criteria": [{"metric": "operating_revenue", "operator": "between", "threshold": 5}],
    }

    response = api_as(province_admin()).post(f"/programmes/tiers/{tier.pk}/preview", body)

    assert response.status_code == 422
    assert response.json()["errors"] == {"criteria.0.threshold_high": ["第 1 条条件：请填写上限"]}


def test_run_results_of_the_callers_county(api_as, firms):  # noqa: F811
    tier = tier_of("transformation", "upgrade_library")
    client = api_as(county_officer("610113"))

    response = client.post(f"/programmes/tiers/{tier.pk}/runs", {"year": 2024})

    assert response.status_code == 201, response.content
    run = response.json()
    assert (run["evaluated"], run["passed"], run["failed"], run["region"]) == (2, 1, 1, "610113")
    results = client.get(f"/programmes/runs/{run['id']}/results").json()["items"]
    assert [(r["organisation"]["id"], r["statuses"]) for r in results] == [(firms["up"].pk, ["pass", "pass"])]


def test_explanation(api_as, firms):  # noqa: F811
    tier = tier_of("transformation", "upgrade_library")
    client = api_as(county_officer("610113"))

    data = client.get(f"/programmes/tiers/{tier.pk}/explain/{firms['flat'].pk}", {"year": 2024}).json()
    outside = client.get(f"/programmes/tiers/{tier.pk}/explain/{firms['baoji'].pk}", {"year": 2024})

    assert data["outcome"] == "fail" and data["outcome_label"] == "不符合" and data["version_number"] == 1
    growth = data["items"][1]
    assert growth["status"] == "fail" and growth["criterion"]["metric"] == "growth.operating_revenue"
    assert "1.0%" in growth["line"] and "✗" in growth["line"]
    assert outside.status_code == 404
