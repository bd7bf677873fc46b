"""A city's platform files a registration through the API without signing in (same Chinese
messages as the page, 422 and nothing written when wrong); the county lists and approves it."""

import json

import pytest

from smeplan.portal.models import EnterpriseRegistration
from tests.factories import county_officer, registration_data

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_file_then_approve(client):
    bad = _post(client, "/api/v1/portal/registrations", registration_data(mobile="12345", county="不存在县"))
    assert bad.status_code == 422
    errors = json.loads(bad.content)["errors"]
    assert errors["county"] == ["未知区县“不存在县”：请从列表中选择陕西省的县级行政区"]
    assert "手机号码应为 11 位中国大陆手机号" in errors["mobile"][0]
    assert not EnterpriseRegistration.objects.exists()

    filed = _post(client, "/api/v1/portal/registrations", registration_data(county="雁塔区"))
    assert filed.status_code == 201
    body = json.loads(filed.content)
    assert body["state"] == "pending" and body["proposes_new"] and body["county_name"] == "雁塔区"

    client.force_login(county_officer("610113"))
    listed = json.loads(client.get("/api/v1/portal/registrations?state=pending").content)
    assert [r["id"] for r in listed["items"]] == [body["id"]]
    approved = client.post(f"/api/v1/portal/registrations/{body['id']}/approve")
    assert approved.status_code == 200 and json.loads(approved.content)["state"] == "approved"
    assert json.loads(approved.content)["organisation_id"] is not None
