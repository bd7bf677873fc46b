import pytest

from smeplan.indicators.models import AnnualFigures, FigureRevision, FigureSource
from tests.web.helpers import field_errors, figures_post, text


@pytest.mark.django_db
def test_the_enterprise_user_fills_in_its_own_figures_as_the_enterprise(
    client, yanta_enterprise_user, yanta_org
):
    client.force_login(yanta_enterprise_user)

    response = client.post(f"/organisations/{yanta_org.pk}/figures/new/", figures_post())

    assert response.status_code == 302
    assert AnnualFigures.objects.filter(organisation=yanta_org, year=2022).exists()
    assert set(FigureRevision.objects.filter(year=2022).values_list("source", flat=True)) == {
        FigureSource.ENTERPRISE
    }


@pytest.mark.django_db
def test_the_enterprise_user_edits_contact_details_but_not_the_county(
    client, yanta_enterprise_user, yanta_org
):
    client.force_login(yanta_enterprise_user)
    form = text(client.get(f"/organisations/{yanta_org.pk}/edit/"))
    assert 'name="contact_phone"' in form and 'name="county"' not in form and 'name="kind"' not in form

    response = client.post(
        f"/organisations/{yanta_org.pk}/edit/",
        {"contact_person": "张会计", "contact_phone": "13800000000", "county": "610302"},
    )

    assert response.status_code == 302
    yanta_org.refresh_from_db()
    assert (yanta_org.contact_person, yanta_org.county_id) == ("张会计", "610113")


@pytest.mark.django_db
def test_the_enterprise_user_sees_only_its_own_organisation(
    client, yanta_enterprise_user, yanta_org, weiyang_org
):
    client.force_login(yanta_enterprise_user)

    assert client.get(f"/organisations/{weiyang_org.pk}/").status_code == 404
    assert client.get("/organisations/new/").status_code == 403
    listing = text(client.get("/organisations/"))
    assert yanta_org.name in listing and weiyang_org.name not in listing


@pytest.mark.django_db
def test_the_enterprise_user_gets_the_same_field_errors(client, yanta_enterprise_user, yanta_org):
    client.force_login(yanta_enterprise_user)

    response = client.post(f"/organisations/{yanta_org.pk}/figures/new/", figures_post(employees="-3"))

    assert field_errors(response, "employees") == ["从业人员不能为负数（收到 -3）"]
