"""A bureau nominates from a screening result (in bulk, all or nothing); a certified lower-level
enterprise is promoted (晋级) to the next level keeping its history."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import services
from smeplan.recognition.models import Application, CertificationState, Channel, State
from smeplan.recognition.selectors import certification_history, queue_for
from tests.factories import county_officer, tier_of
from tests.recognition.make import YEAR, act, applicant, bureaus, certified, to_selected


@pytest.mark.django_db
def test_bulk_nomination_lands_in_the_nominating_bureaus_queue_with_eligibility():
    officer = county_officer()
    orgs = [applicant()[0] for _ in range(3)]
    made = services.applications_nominate(
        actor=officer,
        tier=tier_of("growth-province", "growth_star"),
        year=YEAR,
        organisation_ids=[o.pk for o in orgs],
    )
    assert {a.channel for a in made} == {Channel.NOMINATE}
    assert all(a.eligibility["items"] for a in made)
    assert set(queue_for(officer)) == set(made)


@pytest.mark.django_db
def test_nomination_outside_the_region_refuses_all():
    officer = county_officer()
    mine, foreign = applicant()[0], applicant("610302")[0]
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.applications_nominate(
            actor=officer,
            tier=tier_of("growth-province", "growth_star"),
            year=YEAR,
            organisation_ids=[mine.pk, foreign.pk],
        )
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_county_certified_enterprise_is_promoted_to_the_city_tier(monkeypatch):
    officers = bureaus()
    _, user = applicant()
    application = services.application_start(
        actor=user, tier=tier_of("growth-county", "growth_star"), year=YEAR
    )
    application = services.application_update(
        actor=user,
        application=application,
        expected_version=application.lock_version,
        form={"main_products": "阀门"},
        declare=True,
    )
    application = act(user, application, "submit")
    county_cert = certified(to_selected(application, officers), officers["county"], monkeypatch)
    assert county_cert.title == "雁塔区成长之星企业"
    promoted = services.certification_promote(actor=officers["county"], certification=county_cert, year=YEAR)
    assert (promoted.channel, promoted.state, promoted.waiting_region_id) == (
        Channel.PROMOTE,
        State.CITY_REVIEW,
        "610100",
    )
    city_cert = certified(to_selected(promoted, officers), officers["city"], monkeypatch)
    county_cert.refresh_from_db()
    assert county_cert.state == CertificationState.SUPERSEDED
    assert city_cert.title == "西安市成长之星企业"
    assert certification_history(city_cert) == [county_cert, city_cert]
