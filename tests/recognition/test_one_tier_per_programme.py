"""One firm holds one tier of a programme at a time: a certified 行业之星 cannot apply for, be
nominated to or be certified as 成长之星 of the same programme — the refusal names the title it
holds and points to the tier move (梯队调整) instead; nothing is written. Another programme (a
county-level tier beside a provincial one) is not affected, and a lapsed title no longer blocks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import services
from smeplan.recognition.models import Application, Certification, State
from tests.factories import tier_of
from tests.recognition.make import DOCUMENT, YEAR, applicant, bureaus, move_time, submitted, to_selected
from tests.targets.make import certify

pytestmark = pytest.mark.django_db


def _messages(exc) -> str:
    return "；".join(exc.value.messages)


def test_applying_for_a_second_tier_is_refused_with_the_tier_move_named():
    org, user = applicant()
    held = certify(org, "growth-province", "industry_star", "2023-05-01")
    before = Application.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.application_start(actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR)
    text = _messages(exc)
    assert held.document_number in text and held.title in text
    assert "同一认定项目同时只能持有一个梯队" in text and "梯队调整" in text and "成长之星" in text
    assert Application.objects.count() == before


def test_another_programme_is_not_a_second_tier():
    org, user = applicant()
    certify(org, "growth-county", "industry_star", "2023-05-01")
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    assert application.state == State.DRAFT


def test_a_title_past_its_validity_no_longer_blocks_another_tier():
    org, user = applicant()
    lapsed = certify(org, "growth-province", "industry_star", "2020-05-01")
    lapsed.valid_until = dt.date(2023, 5, 1)  # still 有效 until the daily job runs
    lapsed.save(update_fields=["valid_until"])
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    assert application.state == State.DRAFT


def test_certifying_a_second_tier_is_refused_and_changes_nothing(monkeypatch):
    officers = bureaus()
    org, user = applicant()
    application = to_selected(submitted(user, tier="growth_star"), officers)
    notice = services.notice_publish(
        actor=officers["province"],
        items=[(application.pk, application.lock_version)],
        title="省级成长梯队企业公示",
        days=7,
    )
    move_time(monkeypatch, (notice.ends_on - dt.date.today()).days + 1)
    # meanwhile the firm was certified 行业之星 of the same programme (another year's application)
    held = certify(org, "growth-province", "industry_star", dt.date.today().isoformat())
    application.refresh_from_db()
    state, version = application.state, application.lock_version
    with pytest.raises(ValidationError) as exc:
        services.applications_certify(
            actor=officers["province"],
            items=[(application.pk, application.lock_version)],
            document_number=DOCUMENT,
        )
    text = _messages(exc)
    assert org.name in text and held.title in text and "梯队调整" in text
    application.refresh_from_db()
    assert (application.state, application.lock_version) == (state, version)
    assert list(Certification.objects.filter(organisation=org).values_list("pk", flat=True)) == [held.pk]
