import pytest
from django.test import Client

from smeplan.accounts.models import Role
from smeplan.audit.models import AuditEvent
from smeplan.indicators.models import FigureRevision
from smeplan.registry.models import Organisation
from tests.factories import UserFactory, region


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.COUNTY_OFFICER, Role.VIEWER]
)
def test_other_roles_are_turned_away_from_the_admin(client, role):
    user = UserFactory(
        role=role, region=region("610100" if role != Role.PROVINCIAL_OFFICER else "610000"), is_staff=True
    )
    client.force_login(user)

    for url in ("/admin/", "/admin/registry/organisation/", "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_the_admin_login_form_refuses_non_admins_and_admits_provincial_admins(yanta_officer, admin_user):
    refused = Client().post("/admin/login/", {"username": "yanta", "password": "pw-test-123"})
    assert refused.status_code == 200 and "后台管理仅限省级管理员使用" in refused.content.decode()

    client = Client()
    admitted = client.post("/admin/login/?next=/admin/", {"username": "sheng", "password": "pw-test-123"})
    assert admitted.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_provincial_admin_uses_every_model_page(client, admin_user, yanta_org):
    client.force_login(admin_user)
    pages = [
        "/admin/regions/region/", "/admin/regions/region/610113/change/",
        "/admin/industries/industry/", "/admin/registry/organisation/",
        f"/admin/registry/organisation/{yanta_org.pk}/change/", "/admin/registry/organisation/add/",
        "/admin/indicators/annualfigures/", "/admin/indicators/figurerevision/",
        "/admin/audit/auditevent/", "/admin/accounts/user/", f"/admin/accounts/user/{admin_user.pk}/change/",
        "/admin/accounts/user/add/", "/admin/accounts/apitoken/",
    ]  # fmt: skip
    for url in pages:
        assert client.get(url).status_code == 200, url
    # logs and reference data are read-only
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.get("/admin/indicators/figurerevision/add/").status_code == 403
    assert client.get("/admin/regions/region/add/").status_code == 403


@pytest.mark.django_db
def test_an_admin_edit_goes_through_the_service_with_audit_and_revisions(client, admin_user, yanta_org):
    client.force_login(admin_user)
    figures = yanta_org.annual_figures.get(year=2024)
    data = {
        f: getattr(figures, f) if getattr(figures, f) is not None else ""
        for f in (
            "operating_revenue",
            "main_business_revenue",
            "total_profit",
            "tax_paid",
            "rd_expense",
            "employees",
            "total_assets",
            "total_liabilities",
            "new_product_revenue",
            "export_value",
        )
    }
    data["operating_revenue"] = "6000"

    response = client.post(f"/admin/indicators/annualfigures/{figures.pk}/change/", data)

    assert response.status_code == 302
    revision = FigureRevision.objects.get(organisation=yanta_org, year=2024)
    assert (revision.old_value, revision.new_value, revision.actor) == (5000, 6000, admin_user)
    assert AuditEvent.objects.filter(event_type="figures.updated", actor=admin_user).count() == 1


@pytest.mark.django_db
def test_an_invalid_credit_code_in_the_admin_is_a_field_error(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        "/admin/registry/organisation/add/",
        {
            "credit_code": "91610113MA6",
            "name": "后台新单位",
            "kind": "enterprise",
            "county": "610113",
            "name_changes-TOTAL_FORMS": "0",
            "name_changes-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "统一社会信用代码应为18位，实际为11位" in response.content.decode()
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_user_change_in_the_admin_is_audited(client, admin_user, yanta_officer):
    client.force_login(admin_user)
    response = client.get(f"/admin/accounts/user/{yanta_officer.pk}/change/")
    assert response.status_code == 200

    response = client.post(
        f"/admin/accounts/user/{yanta_officer.pk}/change/",
        {
            "username": "yanta",
            "display_name": "雁塔张三",
            "first_name": "",
            "last_name": "",
            "email": "",
            "role": "county_officer",
            "region": "610113",
            "organisation": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(event_type="user.updated")
    assert event.actor == admin_user and event.payload["changed"] == ["display_name"]
