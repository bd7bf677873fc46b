"""The reporting API: annex 3 per year (scoped), a plan entered, submitted, returned and approved,
a filing uploaded and read back with its differences."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import city_officer, county_officer, province_admin
from tests.reporting.make import plan_rows, small_world

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_annex3_is_scoped_to_the_caller(client):
    small_world()
    client.force_login(county_officer("610113"))
    body = client.get("/api/v1/reporting/annex3?year=2024").json()
    assert [r["code"] for r in body["rows"]] == ["610113"]
    row = body["rows"][0]
    assert row["counts"]["province:growth_star"] == 1 and row["enterprises"] == 2
    assert row["revenue"] == "200.00" and row["growth"] == "0.500000" and row["comparable"] == 1


def test_plan_through_the_api(client):
    city, province = city_officer("610100"), province_admin()
    client.force_login(city)
    response = _post(
        client, "/api/v1/reporting/plans", {"year": 2026, "rows": {"610113": {"enterprises": "x"}}}
    )
    assert response.status_code == 422 and "收到“x”" in json.dumps(response.json(), ensure_ascii=False)
    plan = _post(client, "/api/v1/reporting/plans", {"year": 2026, "rows": plan_rows("610100")}).json()
    assert plan["state"] == "draft" and len(plan["rows"]) > 1
    plan = _post(client, f"/api/v1/reporting/plans/{plan['id']}/actions", {"action": "submit"}).json()
    assert plan["state"] == "submitted"
    assert (
        _post(client, f"/api/v1/reporting/plans/{plan['id']}/actions", {"action": "approve"}).status_code
        == 403
    )
    client.force_login(province)
    response = _post(client, f"/api/v1/reporting/plans/{plan['id']}/actions", {"action": "return"})
    assert response.status_code == 422  # a reason is needed
    plan = _post(
        client,
        f"/api/v1/reporting/plans/{plan['id']}/actions",
        {"action": "approve", "version": plan["version"]},
    ).json()
    assert plan["state"] == "approved" and [e["action"] for e in plan["events"]] == [
        "create",
        "submit",
        "approve",
    ]
    assert [p["city"] for p in client.get("/api/v1/reporting/plans?year=2026").json()] == ["610100"]


def test_filing_through_the_api(client):
    small_world()
    client.force_login(city_officer("610100"))
    csv = "地区,区划代码,合计梯队企业（家）\n雁塔区,610113,5\n".encode()
    response = client.post(
        "/api/v1/reporting/filings", {"year": "2024", "file": SimpleUploadedFile("西安.csv", csv)}
    )
    assert response.status_code == 201, response.content
    filing = response.json()
    assert filing["differences"] == [
        {
            "code": "610113",
            "region": "雁塔区",
            "field": "enterprises",
            "label": "合计梯队企业",
            "filed": "5",
            "system": "2",
        }
    ]
    assert client.get(f"/api/v1/reporting/filings/{filing['id']}").json()["sha256"] == filing["sha256"]
    assert client.get("/api/v1/reporting/filings").json()[0]["difference_count"] == 1


def test_an_impossible_year_is_422_in_chinese(client):
    client.force_login(province_admin())
    response = client.get("/api/v1/reporting/annex3?year=0")
    assert response.status_code == 422 and "年度应在" in json.dumps(response.json(), ensure_ascii=False)
