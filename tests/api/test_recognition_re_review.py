"""复核 through the API: the certifying bureau confirms; the answer shows the review."""

import pytest

from tests.recognition.make import certified_demonstration


@pytest.mark.django_db
def test_re_review_confirmed_through_the_api(api_as, monkeypatch):
    certification, province = certified_demonstration(monkeypatch)
    response = api_as(province).post(
        f"/recognition/certifications/{certification.pk}/review",
        {"passed": True, "note": "经营良好，予以确认"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["review_note"] == "经营良好，予以确认" and body["last_reviewed_on"]
    refused = api_as(province).post(
        f"/recognition/certifications/{certification.pk}/review", {"passed": False, "note": "下滑"}
    )
    assert refused.status_code == 422 and "文号" in refused.content.decode()
