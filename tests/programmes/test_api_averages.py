"""GET /programmes/averages: the stored same-industry averages of a year, filtered by metric and area,
as fractions with their group sizes and sums."""

import pytest

from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.factories import county_officer, industry_average_make, region

pytestmark = pytest.mark.django_db


def test_the_stored_averages(api_as):  # noqa: F811
    industry_average_make(group_code="33", value="0.112", count=12)
    industry_average_make(area=region("610100"), group_code="33", value="0.2", count=6)
    industry_average_make(metric="ratio.rd_ratio", group_code="33", value="0.03", count=12)

    client = api_as(county_officer())
    data = client.get(
        "/programmes/averages", {"year": 2024, "metric": "growth.operating_revenue", "area": "610000"}
    ).json()

    (item,) = data["items"]
    assert item["area_name"] == "陕西省" and item["group_kind"] == "division" and item["group_code"] == "33"
    assert item["value"] == "0.1120000000" and item["count"] == 12
    assert item["numerator"] == "11120.00" and item["denominator"] == "10000.00"
    assert len(client.get("/programmes/averages", {"year": 2024}).json()["items"]) == 3


def test_the_year_is_required(api_as):  # noqa: F811
    response = api_as(county_officer()).get("/programmes/averages")

    assert response.status_code == 422 and "year" in response.json()["errors"]
