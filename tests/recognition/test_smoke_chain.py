import datetime as dt

import pytest

from smeplan.recognition import clock, services
from smeplan.recognition.models import State
from tests.factories import AnnualFiguresFactory, OrganisationFactory, UserFactory, region, tier_of


@pytest.mark.django_db
def test_smoke(monkeypatch):
    from smeplan.accounts.models import Role

    org = OrganisationFactory(county=region("610113"))
    for y in (2022, 2023, 2024):
        AnnualFiguresFactory(organisation=org, year=y)
    ent = UserFactory(role=Role.ENTERPRISE_USER, organisation=org)
    county = UserFactory(role=Role.COUNTY_OFFICER, region=region("610113"))
    city = UserFactory(role=Role.CITY_OFFICER, region=region("610100"))
    prov = UserFactory(role=Role.PROVINCIAL_ADMIN, region=region("610000"))
    tier = tier_of("growth-province", "growth_star")
    a = services.application_start(actor=ent, tier=tier, year=2024)
    a = services.application_update(actor=ent, application=a, expected_version=a.lock_version, form={"main_products": "阀门"}, declare=True)
    a = services.application_act(actor=ent, application=a, action="submit", expected_version=a.lock_version)
    assert a.state == State.COUNTY_REVIEW, a.eligibility
    print(a.eligibility)
    a = services.application_act(actor=county, application=a, action="recommend", expected_version=a.lock_version)
    a = services.application_act(actor=city, application=a, action="recommend", expected_version=a.lock_version)
    a = services.application_act(actor=prov, application=a, action="select", expected_version=a.lock_version)
    notice = services.notice_publish(actor=prov, items=[(a.pk, a.lock_version)], title="公示")
    a.refresh_from_db()
    assert a.state == State.ON_NOTICE
    monkeypatch.setattr(clock, "today", lambda: dt.date.today() + dt.timedelta(days=8))
    certs = services.applications_certify(actor=prov, items=[(a.pk, a.lock_version)], document_number="陕中小企发〔2026〕1号")
    assert certs[0].title == "陕西省成长之星企业"
