"""转型升级示范企业: 5 years' validity with a re-review every 3. The daily task announces the
re-review once; a passed re-review is confirmed (next one within the validity), a failed one
terminates with a ban; past its validity the certification expires."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import clock, services
from smeplan.recognition.models import Ban, CertificationState, Notification
from tests.recognition.make import certified_demonstration, move_time


@pytest.fixture
def demonstration(db, monkeypatch):
    return certified_demonstration(monkeypatch)


@pytest.mark.django_db
def test_validity_five_years_and_re_review_after_three(demonstration):
    certification, _ = demonstration
    assert certification.title == "陕西省中小企业转型升级示范企业"
    assert certification.valid_until == clock.add_years(certification.certified_on, 5)
    assert certification.next_review_on == clock.add_years(certification.certified_on, 3)


@pytest.mark.django_db
def test_re_review_is_announced_once_and_a_pass_sets_the_next_within_validity(demonstration, monkeypatch):
    certification, province = demonstration
    move_time(monkeypatch, (certification.next_review_on - dt.date.today()).days)
    assert services.certifications_due() == {"expired": 0, "review_due": 1}
    assert services.certifications_due() == {"expired": 0, "review_due": 0}
    assert Notification.objects.filter(user=province, kind="review_due").count() == 1
    services.certification_review(
        actor=province, certification=certification, passed=True, note="经营良好，予以确认"
    )
    certification.refresh_from_db()
    assert certification.state == CertificationState.ACTIVE
    assert certification.last_reviewed_on == clock.today()
    assert certification.next_review_on is None  # 3 more years would pass the 5-year validity


@pytest.mark.django_db
def test_failed_re_review_terminates_with_a_ban(demonstration):
    certification, province = demonstration
    with pytest.raises(ValidationError):
        services.certification_review(
            actor=province, certification=certification, passed=False, note="营业收入连续下滑"
        )
    services.certification_review(
        actor=province,
        certification=certification,
        passed=False,
        note="营业收入连续下滑",
        document_number="陕中小企发〔2029〕2号",
    )
    certification.refresh_from_db()
    assert certification.state == CertificationState.TERMINATED
    assert "复核不合格" in certification.termination_note
    assert Ban.objects.filter(certification=certification).exists()


@pytest.mark.django_db
def test_past_its_validity_the_certification_expires(demonstration, monkeypatch):
    certification, _ = demonstration
    move_time(monkeypatch, (certification.valid_until - dt.date.today()).days + 1)
    assert services.certifications_due()["expired"] == 1
    certification.refresh_from_db()
    assert certification.state == CertificationState.EXPIRED
