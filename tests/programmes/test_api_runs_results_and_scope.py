"""GET /programmes/runs, /runs/{id}, /runs/{id}/results, /runs/{id}/compare: the stored runs a bureau
may see (its region and below), their counts, breakdown and results with one status per criterion."""

import pytest

from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.factories import (
    OrganisationFactory,
    city_officer,
    county_officer,
    province_admin,
    region,
    screening_run_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs():
    yanta = OrganisationFactory(name="甲精密机械有限公司", county=region("610113"))
    weibin = OrganisationFactory(name="宝鸡乙有限公司", county=region("610302"))
    return {
        "yanta": screening_run_make(
            actor=county_officer("610113"),
            evaluated=10,
            passed=1,
            failed=8,
            incomplete=1,
            breakdown={"county": {"610113": [1, 8, 1]}},
            results=[(yanta, "pass", "PP", True)],
        ),
        "weibin": screening_run_make(actor=county_officer("610302"), results=[(weibin, "incomplete", "IP")]),
        "province": screening_run_make(actor=province_admin()),
    }


def test_the_list_is_scoped(api_as, runs):  # noqa: F811
    city = api_as(city_officer("610100")).get("/programmes/runs").json()
    province = api_as(province_admin()).get("/programmes/runs").json()

    assert [r["id"] for r in city["items"]] == [runs["yanta"].pk]
    assert {r["id"] for r in province["items"]} == {r.pk for r in runs.values()}


def test_detail_and_results(api_as, runs):  # noqa: F811
    client = api_as(city_officer("610100"))
    run = runs["yanta"]

    detail = client.get(f"/programmes/runs/{run.pk}").json()
    results = client.get(f"/programmes/runs/{run.pk}/results").json()

    assert (detail["evaluated"], detail["passed"], detail["failed"], detail["incomplete"]) == (10, 1, 8, 1)
    assert detail["breakdown"] == {"county": {"610113": [1, 8, 1]}}
    assert detail["version_number"] == 1 and detail["region"] == "610113"
    assert len(detail["criteria"]) == 2
    (item,) = results["items"]
    assert item["organisation"]["name"] == "甲精密机械有限公司"
    assert item["statuses"] == ["pass", "pass"] and item["priority"] is True


def test_another_regions_run_is_404(api_as, runs):  # noqa: F811
    client = api_as(city_officer("610100"))

    assert client.get(f"/programmes/runs/{runs['weibin'].pk}").status_code == 404
    assert client.get(f"/programmes/runs/{runs['weibin'].pk}/results").status_code == 404
    assert client.get(f"/programmes/runs/{runs['province'].pk}/compare").status_code == 404


def test_compare_without_a_previous_run(api_as, runs):  # noqa: F811
    data = api_as(county_officer("610113")).get(f"/programmes/runs/{runs['yanta'].pk}/compare").json()

    assert data == {"run_id": runs["yanta"].pk, "previous_id": None, "entered": [], "left": []}
