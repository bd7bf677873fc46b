import pytest

from smeplan.registry.models import Organisation
from tests.web.helpers import field_errors, organisation_post


@pytest.mark.django_db
def test_an_unknown_county_is_refused_beside_the_county_field(client, admin_user):
    client.force_login(admin_user)

    response = client.post("/organisations/new/", organisation_post(county="619999"))

    assert response.status_code == 200
    assert field_errors(response, "county") == ["未知区县“619999”：请填写陕西省的县级行政区名称或代码"]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_city_instead_of_a_county_is_refused(client, admin_user):
    client.force_login(admin_user)

    response = client.post("/organisations/new/", organisation_post(county="610100"))

    assert field_errors(response, "county") == ["“西安市”不是县级行政区，请选择具体区县"]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_county_outside_the_users_scope_is_forbidden(client, yanta_officer):
    client.force_login(yanta_officer)

    response = client.post("/organisations/new/", organisation_post(county="610302"))

    assert response.status_code == 403
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_the_county_choices_are_only_those_in_scope(client, xian_officer):
    client.force_login(xian_officer)

    body = client.get("/organisations/new/").content.decode()

    assert '<option value="610113">雁塔区</option>' in body
    assert 'value="610302"' not in body
