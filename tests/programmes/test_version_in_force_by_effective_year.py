"""The criteria used for screening year Y are the newest version effective by Y: a version taking
effect next year changes nothing for this year; a second version for the same year replaces the first."""

import pytest
from django.http import Http404

from smeplan.programmes.selectors import specs_of, version_for
from smeplan.programmes.services import criteria_version_create
from tests.factories import province_admin, tier_of

pytestmark = pytest.mark.django_db

SME = {"metric": "size_class", "operator": "in", "choices": ["medium", "small", "micro"]}


def _version(tier, year, threshold):
    return criteria_version_create(
        actor=province_admin(),
        tier=tier,
        effective_year=year,
        criteria=[SME, {"metric": "growth.operating_revenue", "operator": "gt", "threshold": threshold}],
    )


def _threshold(tier, year):
    return str(specs_of(version_for(tier, year))[1].threshold.normalize())


def test_versions_take_effect_from_their_year():
    tier = tier_of("transformation", "upgrade_library")
    assert version_for(tier, 2024).number == 1 and _threshold(tier, 2024) == "0.2"

    v2 = _version(tier, 2026, "25%")
    assert version_for(tier, 2025).number == 1  # not yet in force
    assert version_for(tier, 2026) == v2 and _threshold(tier, 2030) == "0.25"

    v3 = _version(tier, 2026, "0.22")  # a correction for the same year: the newer one wins
    assert version_for(tier, 2026) == v3 and _threshold(tier, 2026) == "0.22"
    assert version_for(tier, 2017).number == 1


def test_no_version_before_the_first_one():
    with pytest.raises(Http404):
        version_for(tier_of("transformation", "upgrade_library"), 2016)
