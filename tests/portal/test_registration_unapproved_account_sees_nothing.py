"""Until approved, the account sees only its status page: home redirects there, the directory and
the API give it nothing, the county queue refuses it."""

import json

import pytest

from tests.factories import GOOD_PASSWORD, OrganisationFactory, registration_make

pytestmark = pytest.mark.django_db


def test_the_account_sees_nothing(client):
    OrganisationFactory(name="不应看到的企业有限公司")
    registration = registration_make()
    assert client.login(username=registration.user.username, password=GOOD_PASSWORD)

    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/portal/registration/status/"
    status = client.get("/portal/registration/status/").content.decode()
    assert "注册申请待区县主管部门审核" in status
    listing = client.get("/organisations/")
    assert listing.status_code == 403 or "不应看到的企业有限公司" not in listing.content.decode()
    api = client.get("/api/v1/organisations")
    assert api.status_code == 403 or json.loads(api.content)["items"] == []
    assert client.get("/portal/registrations/").status_code == 403
    assert client.get("/api/v1/portal/registrations").status_code == 403
    assert client.get("/portal/members/").status_code == 403
