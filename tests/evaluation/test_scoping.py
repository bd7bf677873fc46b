"""Scoping: a city's run covers its counties' certified enterprises only; on a province run a city
sees its counties' results only; a county does not see another city's runs."""

import pytest
from django.http import Http404

from smeplan.evaluation import selectors
from smeplan.evaluation.services import evaluation_run
from tests.evaluation.make import YEAR, certify, enterprise
from tests.factories import city_officer, county_officer, province_admin, tier_of

pytestmark = pytest.mark.django_db


def test_city_sees_its_counties_only():
    growth = tier_of("growth-province", "growth_star")
    xian = certify(enterprise(county="610113"))
    baoji = certify(enterprise(county="610302"))
    city = city_officer("610100")
    run = evaluation_run(actor=city, tier=growth, year=YEAR)
    assert run.evaluated == 1 and run.region_id == "610100"
    assert [r.certification_id for r in selectors.results_of(city, run)] == [xian.pk]
    province_run = evaluation_run(actor=province_admin(), tier=growth, year=YEAR)
    assert province_run.evaluated == 2
    assert [r.certification_id for r in selectors.results_of(city, province_run)] == [xian.pk]
    baoji_county = county_officer("610302")
    assert [r.certification_id for r in selectors.results_of(baoji_county, province_run)] == [baoji.pk]
    with pytest.raises(Http404):
        selectors.run_get(baoji_county, run.pk)
