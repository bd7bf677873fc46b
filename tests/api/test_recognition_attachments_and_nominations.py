"""Attachments are checked by content and size and deleted by the applicant; a bureau nominates from
a screening run, all or nothing; lists filter by state, programme, tier and year."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smeplan.recognition import services
from smeplan.recognition.models import Application, Attachment
from tests.factories import OrganisationFactory, region, screening_run_make, tier_of
from tests.recognition.make import applicant, bureaus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def test_attachment_checked_by_content_and_size(api_as, settings):
    _, user = applicant()
    draft = services.application_start(actor=user, tier=tier_of("growth-province", "growth_star"), year=2024)
    api = api_as(user)
    url = f"/recognition/applications/{draft.pk}/attachments"

    response = api.upload(url, {"file": SimpleUploadedFile("假的.pdf", b"MZ\x90\x00 not a pdf")})
    assert response.status_code == 422
    assert "只接受 PDF、PNG、JPEG 文件" in response.json()["errors"]["file"][0]
    settings.SMEPLAN_ATTACHMENT_MAX_BYTES = 10
    response = api.upload(url, {"file": SimpleUploadedFile("大.pdf", PDF + b"x" * 100)})
    assert response.status_code == 422 and "超过" in response.json()["errors"]["file"][0]
    assert api.upload(url, {}).status_code == 422
    assert not Attachment.objects.exists()

    settings.SMEPLAN_ATTACHMENT_MAX_BYTES = 1024
    response = api.upload(url, {"file": SimpleUploadedFile("证明.pdf", PDF)})
    assert response.status_code == 201, response.content
    attachment_id = response.json()["id"]
    county = api_as(bureaus()["county"])
    assert county.upload(url, {"file": SimpleUploadedFile("证明.pdf", PDF)}).status_code == 403
    assert county.client.delete(f"/api/v1{url}/{attachment_id}").status_code == 403
    assert api.client.delete(f"/api/v1{url}/{attachment_id}").status_code == 204
    assert not Attachment.objects.exists()
    assert api.client.delete(f"/api/v1{url}/{attachment_id}").status_code == 404


def test_nominate_from_a_run_all_or_nothing_and_filter(api_as):
    officers = bureaus()
    county = officers["county"]
    first, second = OrganisationFactory(county=region("610113")), OrganisationFactory(county=region("610113"))
    foreign = OrganisationFactory(county=region("610302"))
    tier = tier_of("growth-county", "growth_star")
    run = screening_run_make(tier=tier, actor=county, results=[(first, "pass", "PP"), (second, "pass", "PP")])
    api = api_as(county)

    body = {"tier_id": tier.pk, "year": 2024, "organisation_ids": [first.pk, foreign.pk], "run_id": run.pk}
    response = api.post("/recognition/nominations", body)
    assert response.status_code == 422
    assert response.json()["errors"]["__all__"] == [f"单位 #{foreign.pk} 不存在或不在您的管辖范围内"]
    assert not Application.objects.exists()

    response = api.post("/recognition/nominations", {**body, "organisation_ids": [first.pk, second.pk]})
    assert response.status_code == 201, response.content
    made = response.json()["items"]
    assert {a["organisation"]["id"] for a in made} == {first.pk, second.pk}
    assert {a["state"] for a in made} == {"county_review"} and {a["channel"] for a in made} == {"nominate"}
    assert Application.objects.filter(screening_run=run).count() == 2

    listed = api.get(
        "/recognition/applications", {"state": "county_review", "programme": "growth-county", "year": 2024}
    )
    assert {a["id"] for a in listed.json()["items"]} == {a["id"] for a in made}
    assert api.get("/recognition/applications", {"year": 2023}).json()["items"] == []
    page = api.get("/recognition/applications", {"limit": 1}).json()
    assert len(page["items"]) == 1 and page["has_next"] is True

    items = [{"id": a["id"], "version": a["lock_version"]} for a in made]
    response = api.post("/recognition/actions", {"action": "select", "items": items})
    assert response.status_code == 200, response.content
    assert {a["state"] for a in response.json()["items"]} == {"selected"}
