"""The demo's lists of past years (demo_targets) are lists a bureau would have made (issue 14):
only enterprises meeting the year's criteria are certified, the tier lists are a few percent of
the registry and at least half 规模以下/限额以下, most certified enterprises still qualify, no
county is over-represented, and nothing past its validity is written as active."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command

from smeplan.accounts.models import User
from smeplan.evaluation.services import evaluation_runs
from smeplan.programmes.engine import (
    OUTCOME_PASS,
    Averages,
    evaluate,
    explanation_compute,
    fields_of,
    outcome,
    years_back_of,
)
from smeplan.programmes.frame import frame_load
from smeplan.programmes.models import Programme
from smeplan.programmes.selectors import specs_of, version_for
from smeplan.recognition import clock
from smeplan.recognition.models import Ban, Certification, CertificationState
from smeplan.recognition.services import certifications_due
from smeplan.regions.selectors import county_cities
from smeplan.registry.models import Organisation
from smeplan.targets.demo import MARK

N = 3000
FIRST, LAST = 2017, 2024  # lists of 2020–2024
GROWTH = ("growth-province", "growth-city", "growth-county")


def _load(today=None):
    out = io.StringIO()
    call_command(
        "demo_province", enterprises=N, first_year=FIRST, last_year=LAST, password="pw-demo-1", stdout=out
    )
    call_command("demo_recognition", stdout=out)
    if today is None:
        call_command("demo_targets", stdout=out)
    else:
        with clock.pretend_today(today):
            call_command("demo_targets", stdout=out)
    return out.getvalue()


def _history():
    return Certification.objects.filter(document_number__endswith=MARK).select_related(
        "programme", "tier", "organisation"
    )


@pytest.mark.django_db
def test_only_enterprises_meeting_the_years_criteria_are_certified():
    _load()
    history = list(_history())
    assert {c.certified_on.year for c in history} == set(range(FIRST + 3, LAST + 1))
    # certified in year C on the figures of C − 1 (a tier move too: it is a new certification),
    # checked by the screening engine as the screening page and the application form check them
    by_year: dict[int, list] = {}
    for cert in history:
        by_year.setdefault(cert.certified_on.year - 1, []).append(cert)
    for year, certs in by_year.items():
        for tier in {c.tier for c in certs}:
            specs = specs_of(version_for(tier, year))
            frame = frame_load(year=year, years_back=max(2, years_back_of(specs)), fields=fields_of(specs))
            results = evaluate(frame, specs, averages=Averages(frame=frame), area=tier.programme.average_area)
            passed = set(frame.ids[outcome(results, frame.n) == OUTCOME_PASS].tolist())
            for cert in certs:
                if cert.tier == tier:
                    assert cert.organisation_id in passed, (
                        cert.organisation.name,
                        tier.name,
                        cert.certified_on,
                    )
    # and the form's own check agrees for one of them
    cert = history[0]
    explanation = explanation_compute(
        organisation=cert.organisation, tier=cert.tier, year=cert.certified_on.year - 1
    )
    assert explanation.outcome == "pass"


@pytest.mark.django_db
def test_tier_lists_are_a_few_percent_of_firms_and_mostly_below_scale():
    _load()
    active = Certification.objects.filter(state=CertificationState.ACTIVE, programme__code__in=GROWTH)
    firms = set(active.values_list("organisation_id", flat=True))
    assert 0.005 * N <= len(firms) <= 0.06 * N  # a realistic few percent, not 20 %
    below = Organisation.objects.filter(pk__in=firms, above_scale=False).count()
    assert below >= 0.5 * len(firms)  # the seed's rule (梯队 三(二))
    tiers = Counter(active.values_list("tier__code", flat=True))
    assert tiers["startup_star"] > tiers["growth_star"] >= tiers["industry_star"]
    # one tier of one programme per enterprise at a time
    held = Counter(active.values_list("organisation_id", "programme_id"))
    assert max(held.values()) == 1


@pytest.mark.django_db
def test_certifications_follow_the_eligible_firms_not_one_quota_per_county():
    _load()
    city_of = county_cities()
    firms = Counter(city_of[c] for c in Organisation.objects.values_list("county_id", flat=True))
    certified = Counter(
        city_of[c]
        for c in _history()
        .filter(programme__code__in=GROWTH)
        .values_list("organisation__county_id", flat=True)
    )
    for city, n in firms.items():
        assert certified[city] <= 0.10 * n, city  # 杨凌 had 37 % of its firms certified
    assert certified["610100"] == max(certified.values())  # 西安 has the most eligible firms


@pytest.mark.django_db
def test_most_certified_enterprises_still_meet_their_criteria():
    _load()
    officer = User.objects.get(username="prov_officer")
    evaluated = flagged = 0
    for code in GROWTH:
        for run in evaluation_runs(actor=officer, programme=Programme.objects.get(code=code), year=LAST):
            results = run.results.all()
            evaluated += results.count()
            flagged += results.filter(fails_criteria=True).count()
    assert evaluated and flagged <= 0.4 * evaluated  # 69 of 71 行业之星 were flagged before


@pytest.mark.django_db
def test_no_certification_past_its_validity_is_written_as_active():
    today = dt.date(LAST + 6, 6, 30)  # the 5-year demonstration certifications of 2020–2021 have lapsed
    _load(today=today)
    lapsed = _history().filter(valid_until__lt=today)
    assert lapsed.exists()
    assert not lapsed.filter(state=CertificationState.ACTIVE).exists()
    for cert in lapsed.filter(state=CertificationState.EXPIRED):
        assert cert.ended_on == cert.valid_until
    # the daily job finds nothing left to expire
    assert certifications_due(today=today)["expired"] == 0
    # terminated ones carry their reason, document and ban, as the termination service leaves them
    for cert in _history().filter(state=CertificationState.TERMINATED):
        assert cert.termination_reason and cert.termination_document.endswith(MARK) and cert.ended_on
        if cert.programme.ban_years:
            assert Ban.objects.filter(certification=cert, starts_on=cert.ended_on).exists()
