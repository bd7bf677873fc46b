"""Writes through the API go through the page's services: revisions, name history, audit events."""

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.factories import OrganisationFactory, county_officer, enterprise_user

pytestmark = pytest.mark.django_db


def test_register_organisation(api_as):
    officer = county_officer("610113")
    client = api_as(officer)
    code = make_credit_code("610113", 31415)
    response = client.post(
        "/organisations",
        {
            "credit_code": f" {code.lower()} ",
            "name": "西安  秦川新材料有限公司",
            "county": "雁塔区",
            "industry": "3311",
            "founded_on": "2015-06-30",
            "registered_capital": "1,000.5",
            "kind": "企业",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credit_code"] == code and body["name"] == "西安 秦川新材料有限公司"
    assert body["registered_capital"] == "1000.50" and body["founded_on"] == "2015-06-30"
    assert body["city"] == {"code": "610100", "name": "西安市"}
    org = Organisation.objects.get(credit_code=code)
    event = AuditEvent.objects.get(event_type="organisation.created")
    assert event.actor == officer and event.subject_id == str(org.pk)


def test_figures_create_and_update_make_revisions(api_as):
    org = OrganisationFactory()
    user = enterprise_user(org)
    client = api_as(user)
    response = client.post(
        f"/organisations/{org.pk}/figures",
        {"year": 2024, "operating_revenue": 1234.5, "employees": "88", "total_profit": "-12", "note": "年报"},
    )
    assert response.status_code == 201, response.content
    year = response.json()
    assert (
        year["operating_revenue"] == "1234.50"
        and year["employees"] == 88
        and year["total_profit"] == "-12.00"
    )
    assert year["tax_paid"] is None
    created = FigureRevision.objects.filter(organisation=org, year=2024)
    assert {r.field for r in created} == {"operating_revenue", "employees", "total_profit"}
    assert {r.source for r in created} == {"enterprise"} and {r.note for r in created} == {"年报"}

    response = client.patch(
        f"/organisations/{org.pk}/figures/2024", {"operating_revenue": "1300", "employees": 88}
    )
    assert response.status_code == 200, response.content
    assert response.json()["operating_revenue"] == "1300.00"
    change = FigureRevision.objects.get(
        organisation=org, year=2024, field="operating_revenue", old_value__isnull=False
    )
    assert (change.old_value, change.new_value, change.actor) == (1234.5, 1300, user)
    assert FigureRevision.objects.filter(field="employees").count() == 1  # unchanged value: no revision
    assert AnnualFigures.objects.get(organisation=org, year=2024).operating_revenue == 1300
    events = AuditEvent.objects.filter(subject_type="registry.organisation", subject_id=str(org.pk))
    assert list(events.order_by("id").values_list("event_type", flat=True)) == [
        "figures.created",
        "figures.updated",
    ]

    revisions = client.get(f"/organisations/{org.pk}/revisions").json()
    assert revisions[0]["field"] == "operating_revenue" and revisions[0]["old_value"] == "1234.50"
    assert revisions[0]["new_value"] == "1300.00" and revisions[0]["source_label"] == "企业填报"
    employees = next(r for r in revisions if r["field"] == "employees")
    assert employees["new_value"] == "88" and employees["unit"] == "人"
    assert client.get(f"/organisations/{org.pk}/revisions", {"year": 2023}).json() == []
    assert len(client.get(f"/organisations/{org.pk}/revisions", {"year": 2024, "limit": 2}).json()) == 2


def test_rename_keeps_history_and_former_name_is_searchable(api_as):
    org = OrganisationFactory(name="旧名称有限公司")
    client = api_as(county_officer("610113"))
    response = client.post(
        f"/organisations/{org.pk}/rename", {"new_name": "新名称有限公司", "changed_on": "2024-03-01"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "新名称有限公司" and response.json()["former_names"] == [
        "旧名称有限公司"
    ]
    history = client.get(f"/organisations/{org.pk}/name-history").json()
    assert history[0]["old_name"] == "旧名称有限公司" and history[0]["changed_on"] == "2024-03-01"
    assert [i["id"] for i in client.get("/organisations", {"q": "旧名称"}).json()["items"]] == [org.pk]
    assert AuditEvent.objects.filter(event_type="organisation.renamed", subject_id=str(org.pk)).count() == 1


def test_patch_changes_only_the_fields_sent(api_as):
    org = OrganisationFactory(address="旧地址", contact_person="张三")
    client = api_as(county_officer("610113"))
    response = client.patch(f"/organisations/{org.pk}", {"address": "新地址", "industry": "6511"})
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert (org.address, org.contact_person, org.industry_id) == ("新地址", "张三", "6511")
    event = AuditEvent.objects.get(event_type="organisation.updated")
    assert event.payload["after"]["address"] == "新地址"
