"""GET /organisations: the list page's filters, search and sort, paginated without a COUNT."""

import pytest

from smeplan.registry.models import OrganisationKind
from tests.factories import OrganisationFactory, province_admin, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return {
        "yanta": OrganisationFactory(
            name="秦川机床甲公司",
            county=region("610113"),
            industry_id="3311",
            size_class="small",
            above_scale=True,
        ),
        "xincheng": OrganisationFactory(
            name="长安软件乙公司",
            county=region("610102"),
            industry_id="6511",
            size_class="micro",
            above_scale=False,
            former_names="古城软件|旧名",
        ),
        "qindu": OrganisationFactory(
            name="咸阳建筑丙公司",
            county=region("610402"),
            industry_id="4710",
            size_class="",
            above_scale=None,
            kind=OrganisationKind.SERVICE_AGENCY,
        ),
    }


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"yanta", "xincheng", "qindu"}),
        ({"q": "软件"}, {"xincheng"}),
        ({"q": "古城"}, {"xincheng"}),  # a former name finds the organisation
        ({"county": "610113"}, {"yanta"}),
        ({"city": "610100"}, {"yanta", "xincheng"}),
        ({"city": "610400"}, {"qindu"}),
        ({"section": "c"}, {"yanta"}),
        ({"division": "65"}, {"xincheng"}),
        ({"size_class": "micro"}, {"xincheng"}),
        ({"size_class": "unknown"}, {"qindu"}),
        ({"above_scale": "1"}, {"yanta"}),
        ({"above_scale": "false"}, {"xincheng"}),
        ({"above_scale": "unknown"}, {"qindu"}),
        ({"kind": "service_agency"}, {"qindu"}),
        ({"city": "610100", "section": "I"}, {"xincheng"}),
    ],
)
def test_filters(api_as, orgs, params, expected):
    response = api_as(province_admin()).get("/organisations", params)
    assert names(response) == {orgs[k].name for k in expected}


def test_search_by_credit_code(api_as, orgs):
    response = api_as(province_admin()).get("/organisations", {"q": orgs["qindu"].credit_code.lower()})
    assert names(response) == {orgs["qindu"].name}


def test_sort_pages_and_the_number_found(api_as, orgs):
    client = api_as(province_admin())
    first = client.get("/organisations", {"sort": "-credit_code", "page_size": 2}).json()
    assert set(first) == {
        "items",
        "page",
        "page_size",
        "has_next",
        "total",
        "total_is_estimate",
        "total_is_lower_bound",
    }
    assert first["page"] == 1 and first["page_size"] == 2 and first["has_next"] is True
    assert first["total"] == 3 and first["total_is_estimate"] is False
    second = client.get("/organisations", {"sort": "-credit_code", "page_size": 2, "page": 2}).json()
    assert second["has_next"] is False
    listed = [i["credit_code"] for i in first["items"] + second["items"]]
    assert listed == sorted((o.credit_code for o in orgs.values()), reverse=True)


def test_list_item_shape(api_as, orgs):
    item = next(
        i for i in api_as(province_admin()).get("/organisations", {"county": "610113"}).json()["items"]
    )
    assert item["county"] == {"code": "610113", "name": "雁塔区"}
    assert item["industry"]["code"] == "3311" and item["industry"]["division"] == "33"
    assert item["size_class_label"] == "小型" and item["above_scale"] is True


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"page_size": 101}, "page_size", "不能大于 100"),
        ({"page_size": "abc"}, "page_size", "应为整数"),
        ({"sort": "revenue"}, "sort", "取值无效"),
        ({"kind": "bank"}, "kind", "取值无效"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(api_as, params, field, fragment):
    response = api_as(province_admin()).get("/organisations", params)
    assert response.status_code == 422
    body = response.json()
    assert field in body["errors"] and fragment in body["errors"][field][0]
    assert field in body["detail"]
