"""An enterprise user sees and changes only its own organisation."""

import pytest

from tests.factories import AnnualFiguresFactory, OrganisationFactory, enterprise_user, region

pytestmark = pytest.mark.django_db


def test_enterprise_user_sees_only_its_organisation(api_as):
    own = OrganisationFactory(name="本企业")
    neighbour = OrganisationFactory(name="同县邻居企业", county=own.county)
    AnnualFiguresFactory(organisation=own, year=2023)
    client = api_as(enterprise_user(own))
    items = client.get("/organisations").json()["items"]
    assert [i["id"] for i in items] == [own.pk]
    assert client.get(f"/organisations/{own.pk}/figures").json()["years"][0]["year"] == 2023
    assert client.get(f"/organisations/{neighbour.pk}").status_code == 404
    assert client.get(f"/organisations/{neighbour.pk}/figures").status_code == 404


def test_enterprise_user_reports_figures_and_edits_contact_but_not_county(api_as):
    own = OrganisationFactory()
    client = api_as(enterprise_user(own))
    response = client.post(f"/organisations/{own.pk}/figures", {"year": 2024, "operating_revenue": "1200"})
    assert response.status_code == 201, response.content
    assert client.patch(f"/organisations/{own.pk}", {"contact_phone": "029-88886666"}).status_code == 200
    response = client.patch(f"/organisations/{own.pk}", {"county": "610102"})
    assert response.status_code == 422
    assert response.json()["errors"]["county"] == ["企业用户不能修改此项，请联系主管部门"]
    own.refresh_from_db()
    assert own.county == region("610113")


def test_enterprise_user_cannot_register_organisations(api_as):
    from smeplan.registry.credit_code import make_credit_code

    own = OrganisationFactory()
    response = api_as(enterprise_user(own)).post(
        "/organisations",
        {"credit_code": make_credit_code("610113", 4242), "name": "新公司", "county": "610113"},
    )
    assert response.status_code == 403
    assert "无权" in response.json()["detail"]
