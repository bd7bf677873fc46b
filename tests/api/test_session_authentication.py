"""A signed-in browser session works; its unsafe requests need the CSRF token."""

import json

import pytest
from django.test import Client

from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def session_client(user, *, enforce_csrf=True) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def test_session_reads():
    officer = county_officer("610113")
    org = OrganisationFactory()
    response = session_client(officer).get(f"/api/v1/organisations/{org.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == org.name


def test_session_write_without_csrf_is_refused():
    org = OrganisationFactory(address="旧地址")
    response = session_client(county_officer("610113")).patch(
        f"/api/v1/organisations/{org.pk}", json.dumps({"address": "新地址"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    org.refresh_from_db()
    assert org.address == "旧地址"


def test_session_write_with_csrf_token_succeeds():
    org = OrganisationFactory(address="旧地址")
    client = session_client(county_officer("610113"))
    client.get("/api/v1/docs")  # like any page of the site, the docs page hands out the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.patch(
        f"/api/v1/organisations/{org.pk}",
        json.dumps({"address": "新地址"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert org.address == "新地址"


def test_wrong_bearer_token_is_not_rescued_by_the_session():
    client = session_client(county_officer("610113"))
    response = client.get("/api/v1/organisations", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


def test_logged_out_session_gets_401():
    response = Client().get("/api/v1/regions")
    assert response.status_code == 401
