import pytest
from django.core.exceptions import PermissionDenied

from smeplan.programmes.models import ScreeningResult
from smeplan.programmes.screening import runs_compare, screening_preview, screening_run
from tests.factories import city_officer, county_officer, enterprise_user, province_admin
from tests.programmes.helpers import firm, tier

pytestmark = pytest.mark.django_db


def _up(county, growth_to):
    return firm(
        county=county,
        y2023={"operating_revenue": 100, "employees": 50, "total_assets": 100},
        y2024={"operating_revenue": growth_to, "employees": 50, "total_assets": 100},
    )


def test_city_officer_screens_only_its_counties_and_runs_compare():
    xian = _up("610113", 150)
    other_xian = _up("610102", 110)
    baoji = _up("610302", 150)
    t = tier("transformation", "upgrade_library")
    run = screening_run(actor=city_officer("610100"), tier=t, year=2024)
    assert run.evaluated == 2 and run.passed == 1 and run.failed == 1
    stored = dict(ScreeningResult.objects.filter(run=run).values_list("organisation_id", "outcome"))
    assert stored == {xian.pk: "pass"}
    assert baoji.pk not in stored and other_xian.pk not in stored
    assert run.breakdown["county"] == {"610113": [1, 0, 0], "610102": [0, 1, 0]}
    province = screening_run(actor=province_admin(), tier=t, year=2024)
    assert province.evaluated == 3 and province.passed == 2
    diff = runs_compare(actor=province_admin(), run_a=run, run_b=province)
    assert diff == {"entered": [baoji.pk], "left": []}
    with pytest.raises(PermissionDenied):
        runs_compare(actor=county_officer("610302"), run_a=run, run_b=province)


def test_preview_counts_without_writing_and_enterprise_users_are_refused():
    org = _up("610113", 150)
    t = tier("transformation", "upgrade_library")
    from smeplan.programmes.selectors import specs_of, version_for

    specs = specs_of(version_for(t, 2024))
    got = screening_preview(actor=county_officer("610113"), tier=t, year=2024, specs=specs)
    assert {k: got[k] for k in ("evaluated", "passed", "failed", "incomplete")} == {
        "evaluated": 1,
        "passed": 1,
        "failed": 0,
        "incomplete": 0,
    }
    assert ScreeningResult.objects.count() == 0
    with pytest.raises(PermissionDenied):
        screening_preview(actor=enterprise_user(org), tier=t, year=2024, specs=specs)
