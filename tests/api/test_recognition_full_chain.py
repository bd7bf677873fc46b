"""The whole recognition chain through the API: the enterprise opens, fills, attaches and submits;
county and city recommend; the province selects and publishes the notice; after the notice (time
moved) the province certifies; the enterprise reads its certification and its notifications."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from smeplan.indicators.models import AnnualFigures
from smeplan.recognition.models import Application, State
from tests.factories import tier_of
from tests.recognition.make import DOCUMENT, YEAR, applicant, bureaus, move_time

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_enterprise_to_certificate_through_the_api(api_as, monkeypatch):
    officers = bureaus()
    org, user = applicant()
    enterprise = api_as(user)
    tier = tier_of("growth-province", "growth_star")

    response = enterprise.post("/recognition/applications", {"tier_id": tier.pk, "year": YEAR})
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["state"] == "draft" and draft["lock_version"] == 1
    assert [s["region"] for s in draft["chain"]] == ["610113", "610100", "610000"]
    assert {a["action"] for a in draft["actions"]} == {"submit", "withdraw"}
    pk = draft["id"]

    response = enterprise.put(
        f"/recognition/applications/{pk}/form",
        {
            "version": 1,
            "form": {"main_products": "工业阀门", "contact_person": "张三", "contact_phone": "029-88886666"},
            "figures": {str(YEAR): {"employees": 130}},
            "declare": True,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["form"]["main_products"] == "工业阀门" and body["declared_at"] and body["lock_version"] == 2
    assert AnnualFigures.objects.get(organisation=org, year=YEAR).employees == 130

    response = enterprise.upload(
        f"/recognition/applications/{pk}/attachments",
        {"file": SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf")},
        {"description": "营业执照"},
    )
    assert response.status_code == 201, response.content
    attachment = response.json()
    assert attachment["content_type"] == "application/pdf" and "file" not in attachment

    response = enterprise.post(f"/recognition/applications/{pk}/actions", {"action": "submit", "version": 2})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "county_review"
    assert response.json()["eligibility"]["items"]
    assert response.json()["attachments"][0]["name"] == "营业执照.pdf"

    for level, action in (("county", "recommend"), ("city", "recommend"), ("province", "select")):
        api = api_as(officers[level])
        queue = api.get("/recognition/queue").json()
        (row,) = queue["items"]
        assert row["id"] == pk
        detail = api.get(f"/recognition/applications/{pk}").json()
        assert action in {a["action"] for a in detail["actions"]}
        response = api.post(
            f"/recognition/applications/{pk}/actions", {"action": action, "version": row["lock_version"]}
        )
        assert response.status_code == 200, response.content
    assert Application.objects.get(pk=pk).state == State.SELECTED

    province = api_as(officers["province"])
    version = province.get(f"/recognition/applications/{pk}").json()["lock_version"]
    response = province.post(
        "/recognition/notices",
        {"title": "2026年省级成长梯队企业公示", "days": 7, "items": [{"id": pk, "version": version}]},
    )
    assert response.status_code == 201, response.content
    notice = response.json()
    assert notice["phase"] == "running" and [a["id"] for a in notice["applications"]] == [pk]

    version = province.get(f"/recognition/applications/{pk}").json()["lock_version"]
    early = province.post(
        "/recognition/certifications",
        {"document_number": DOCUMENT, "items": [{"id": pk, "version": version}]},
    )
    assert early.status_code == 422 and "公示期内不能认定" in early.content.decode()

    move_time(monkeypatch, 8)
    response = province.post(
        "/recognition/certifications",
        {"document_number": DOCUMENT, "items": [{"id": pk, "version": version}]},
    )
    assert response.status_code == 201, response.content
    (certification,) = response.json()["items"]
    assert certification["title"] == "陕西省成长之星企业" and certification["document_number"] == DOCUMENT

    mine = enterprise.get("/recognition/certifications").json()["items"]
    assert [c["id"] for c in mine] == [certification["id"]]
    detail = enterprise.get(f"/recognition/certifications/{certification['id']}").json()
    assert detail["state"] == "active" and [h["id"] for h in detail["history"]] == [certification["id"]]
    history = enterprise.get(f"/recognition/applications/{pk}").json()["history"]
    assert [e["action"] for e in history] == [
        "start", "submit", "recommend", "recommend", "select", "publish", "certify",
    ]  # fmt: skip

    notifications = enterprise.get("/recognition/notifications").json()
    assert notifications["unread"] >= 1
    assert any("已认定" in n["title"] for n in notifications["items"])
    assert enterprise.post("/recognition/notifications/read", {}).json()["marked"] == notifications["unread"]
    assert enterprise.get("/recognition/notifications").json()["unread"] == 0

    public = Client()
    listed = public.get("/api/v1/recognition/public/certified").json()["items"]
    assert [row["name"] for row in listed] == [org.name]
