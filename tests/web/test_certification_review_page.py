"""复核 on the certification page: only where the programme has re-reviews, for the certifying bureau."""

import pytest

from smeplan.recognition.models import Certification, CertificationState
from tests.recognition.make import certified_demonstration
from tests.web.helpers import text


@pytest.fixture
def demonstration(db, monkeypatch):
    return certified_demonstration(monkeypatch)


@pytest.mark.django_db
def test_certifying_bureau_confirms_a_re_review_on_the_page(client, demonstration):
    certification, province = demonstration
    client.force_login(province)
    page = text(client.get(f"/recognition/certifications/{certification.pk}/"))
    assert "复核" in page and "下次复核" in page
    response = client.post(
        f"/recognition/certifications/{certification.pk}/review/",
        {"passed": "1", "note": "经营良好"},
        follow=True,
    )
    assert "复核通过" in text(response)
    certification = Certification.objects.get(pk=certification.pk)
    assert certification.review_note == "经营良好" and certification.state == CertificationState.ACTIVE


@pytest.mark.django_db
def test_a_failed_re_review_without_a_document_number_is_explained_and_changes_nothing(client, demonstration):
    certification, province = demonstration
    client.force_login(province)
    response = client.post(
        f"/recognition/certifications/{certification.pk}/review/",
        {"passed": "0", "note": "下滑"},
        follow=True,
    )
    assert "文号" in text(response)
    assert Certification.objects.get(pk=certification.pk).state == CertificationState.ACTIVE
