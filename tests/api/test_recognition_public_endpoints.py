"""The public notice and the certified list need no login and show name, county and tier only —
never a credit code."""

import pytest
from django.test import Client

from tests.recognition.make import applicant, bureaus, certified, on_notice, submitted, to_selected

pytestmark = pytest.mark.django_db

BASE = "/api/v1/recognition/public"


def test_public_notice_without_login_shows_name_county_tier_only():
    org, user = applicant()
    officers = bureaus()
    application, notice = on_notice(to_selected(submitted(user), officers), officers["province"])
    client = Client()

    listed = client.get(f"{BASE}/notices")
    assert listed.status_code == 200, listed.content
    (row,) = listed.json()["items"]
    assert row["id"] == notice.pk and row["phase"] == "running" and row["count"] == 1

    detail = client.get(f"{BASE}/notices/{notice.pk}")
    assert detail.status_code == 200
    assert detail.json()["rows"] == [
        {"id": application.pk, "name": org.name, "county": "雁塔区", "tier": "成长之星"}
    ]
    assert org.credit_code not in detail.content.decode() + listed.content.decode()
    assert client.get(f"{BASE}/notices/999999").status_code == 404
    # the bureau side of the same notice is not public
    assert client.get(f"/api/v1/recognition/notices/{notice.pk}").status_code == 401


def test_public_certified_list_without_login(monkeypatch):
    org, user = applicant()
    officers = bureaus()
    certification = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)
    response = Client().get(f"{BASE}/certified", {"programme": "growth-province"})
    assert response.status_code == 200
    (row,) = response.json()["items"]
    assert row["name"] == org.name and row["title"] == certification.title
    assert row["document_number"] == certification.document_number
    assert org.credit_code not in response.content.decode()
    assert Client().get(f"{BASE}/certified", {"programme": "growth-city"}).json()["items"] == []


def test_an_objection_without_login_is_filed():
    _, user = applicant()
    officers = bureaus()
    application, notice = on_notice(to_selected(submitted(user), officers), officers["province"])
    response = Client().post(
        f"{BASE}/notices/{notice.pk}/objections",
        {
            "application_id": application.pk,
            "name": "王五",
            "phone": "13800000000",
            "text": "该企业营业收入数据与实际不符。",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    objection = application.objections.get()
    assert objection.name == "王五" and objection.client  # the address, hashed
    assert objection.client != "127.0.0.1"

    response = Client().post(
        f"{BASE}/notices/{notice.pk}/objections",
        {"application_id": application.pk, "name": "", "phone": "x", "text": "短"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "phone", "text"}
