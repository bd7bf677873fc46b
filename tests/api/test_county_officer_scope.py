"""A county officer sees only its county: other counties' organisations are 404 on every endpoint
and never appear in the list."""

import pytest

from smeplan.indicators.models import AnnualFigures
from smeplan.registry.models import Organisation
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign():
    org = OrganisationFactory(name="碑林外区企业", county=region("610103"))
    AnnualFiguresFactory(organisation=org, year=2023)
    return org


READS = [
    "/organisations/{id}",
    "/organisations/{id}/figures",
    "/organisations/{id}/revisions",
    "/organisations/{id}/name-history",
]


@pytest.mark.parametrize("path", READS)
def test_reads_of_another_countys_organisation_are_404(api_as, foreign, path):
    response = api_as(county_officer("610113")).get(path.format(id=foreign.pk))
    assert response.status_code == 404
    assert "单位不存在" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/organisations/{id}", {"address": "篡改"}),
        ("post", "/organisations/{id}/rename", {"new_name": "篡改名称"}),
        ("post", "/organisations/{id}/figures", {"year": 2024, "employees": 1}),
        ("patch", "/organisations/{id}/figures/2023", {"employees": 1}),
    ],
)
def test_writes_to_another_countys_organisation_are_404(api_as, foreign, method, path, body):
    client = api_as(county_officer("610113"))
    before = (Organisation.objects.get(pk=foreign.pk).name, AnnualFigures.objects.count())
    response = getattr(client, method)(path.format(id=foreign.pk), body)
    assert response.status_code == 404
    assert (Organisation.objects.get(pk=foreign.pk).name, AnnualFigures.objects.count()) == before


def test_list_has_no_foreign_rows(api_as, foreign):
    own = OrganisationFactory(name="雁塔本区企业", county=region("610113"))
    client = api_as(county_officer("610113"))
    listed = {i["id"] for i in client.get("/organisations", {"page_size": 100}).json()["items"]}
    assert listed == {own.pk}
    assert client.get("/organisations", {"q": "碑林"}).json()["items"] == []
    assert client.get("/organisations", {"county": "610103"}).json()["items"] == []
    assert client.get("/organisations", {"q": foreign.credit_code}).json()["items"] == []


def test_city_officer_sees_its_counties_only(api_as, foreign):
    from tests.factories import city_officer

    xianyang = OrganisationFactory(county=region("610402"))
    client = api_as(city_officer("610100"))
    assert client.get(f"/organisations/{foreign.pk}").status_code == 200  # 碑林区 is in 西安
    assert client.get(f"/organisations/{xianyang.pk}").status_code == 404
