"""The API serves the JSON Schema of an application's form (the version it was filed on) and of a
programme's current form, and saves answers through the same checks as the page (422, the same
Chinese messages per field); uploads go to a form field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smeplan.recognition import services
from tests.factories import county_officer, tier_of
from tests.recognition.designed_form import designed
from tests.recognition.make import YEAR, applicant

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_schema_of_the_application_and_of_the_programme(api_as):
    version = designed()
    _org, user = applicant()
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    enterprise = api_as(user)
    response = enterprise.get(f"/recognition/applications/{application.pk}/form-schema")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["form_version"]["number"] == version.number and body["reference_year"] == YEAR
    assert body["schema"]["properties"]["rd_share"]["x-unit"] == "%"
    assert body["schema"]["x-attachments"][0]["field"] == "licence"
    programme = api_as(county_officer()).get("/programmes/growth-province/form-schema", {"year": YEAR})
    assert programme.status_code == 200 and programme.json()["form_version"]["id"] == version.pk
    missing = api_as(county_officer()).get("/programmes/growth-province/form-schema", {"year": 2001})
    assert missing.status_code == 404


def test_answers_are_checked_as_on_the_page(api_as):
    designed()
    _org, user = applicant()
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    enterprise = api_as(user)
    response = enterprise.put(
        f"/recognition/applications/{application.pk}/form",
        {
            "version": application.lock_version,
            "form": {
                "name": "甲",
                "rd_share": 150,
                "has_award": True,
                "products": [{"name": "车床", "sales": "很多"}],
            },
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert (
        "研发费用占营业收入比重不能大于100%（收到150%）" in text
        and "第1行销售收入应为数字（收到「很多」）" in text
    )
    response = enterprise.put(
        f"/recognition/applications/{application.pk}/form",
        {
            "version": application.lock_version,
            "form": {
                "name": "甲",
                "rd_share": 5,
                "has_award": False,
                "products": [{"name": "车床", "sales": 800}],
            },
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["form"]["rd_share"] == "0.05"
    upload = enterprise.upload(
        f"/recognition/applications/{application.pk}/attachments",
        {"file": SimpleUploadedFile("执照.pdf", PDF, content_type="application/pdf")},
        {"field": "licence"},
    )
    assert upload.status_code == 201 and upload.json()["field"] == "licence"
