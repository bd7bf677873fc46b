"""Termination with a reason and a document number bans the enterprise from the programme for the
programme's ban years (growth tiers: 2); the refusal says until which date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import clock, services
from smeplan.recognition.models import Ban, CertificationState
from tests.factories import tier_of
from tests.recognition.make import applicant, bureaus, certified, move_time, submitted, to_selected


@pytest.fixture
def certification(db, monkeypatch):
    officers = bureaus()
    _org, user = applicant()
    application = to_selected(submitted(user), officers)
    return certified(application, officers["province"], monkeypatch), user, officers["province"]


@pytest.mark.django_db
def test_termination_bans_for_two_years_and_the_new_application_says_until_when(certification, monkeypatch):
    cert, user, officer = certification
    services.certification_terminate(
        actor=officer, certification=cert, reason="false_information", document_number="陕中小企发〔2027〕3号"
    )
    cert.refresh_from_db()
    assert cert.state == CertificationState.TERMINATED
    ban = Ban.objects.get(organisation=cert.organisation)
    assert ban.until == clock.add_years(ban.starts_on, 2)
    with pytest.raises(ValidationError, match=f"{ban.until:%Y年%m月%d日} 前不再受理"):
        services.application_start(actor=user, tier=tier_of("growth-province", "industry_star"), year=2024)
    # the ban ends: the enterprise may apply again
    move_time(monkeypatch, (ban.until - dt.date.today()).days)
    later = ban.until.year - 1
    assert services.application_start(
        actor=user, tier=tier_of("growth-province", "industry_star"), year=later
    )


@pytest.mark.django_db
def test_termination_needs_a_known_reason_and_a_document_number(certification):
    cert, _, officer = certification
    with pytest.raises(ValidationError):
        services.certification_terminate(
            actor=officer, certification=cert, reason="because", document_number="x"
        )
    with pytest.raises(ValidationError):
        services.certification_terminate(
            actor=officer, certification=cert, reason="criteria", document_number=" "
        )
    cert.refresh_from_db()
    assert cert.state == CertificationState.ACTIVE
    assert not Ban.objects.exists()


@pytest.mark.django_db
def test_only_the_certifying_bureau_terminates(certification):
    from django.core.exceptions import PermissionDenied

    from tests.factories import city_officer

    cert, _, _ = certification
    with pytest.raises(PermissionDenied):
        services.certification_terminate(
            actor=city_officer(), certification=cert, reason="criteria", document_number="市发〔2027〕1号"
        )
