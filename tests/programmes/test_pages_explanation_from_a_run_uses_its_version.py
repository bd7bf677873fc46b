"""An explanation opened from a run uses the criteria that run used, even after a newer version of
the tier's criteria took effect for the same year; opened on its own, the version in force."""

import pytest

from smeplan.programmes.screening import screening_run
from smeplan.programmes.services import criteria_version_create
from tests.factories import county_officer, province_admin, tier_of
from tests.programmes.helpers import firm

pytestmark = pytest.mark.django_db


def test_run_link_explains_with_the_runs_version(client):
    org = firm(
        y2023={"operating_revenue": 100, "employees": 50, "total_assets": 100},
        y2024={"operating_revenue": 125, "employees": 50, "total_assets": 100},
    )  # growth 25%: passes > 20% (version 1), fails > 30% (version 2)
    officer = county_officer("610113")
    tier = tier_of("transformation", "upgrade_library")
    run = screening_run(actor=officer, tier=tier, year=2024)
    assert run.passed == 1
    criteria_version_create(
        actor=province_admin(),
        tier=tier,
        effective_year=2024,
        note="提高门槛",
        criteria=[
            {"metric": "size_class", "operator": "in", "choices": ["medium", "small", "micro"]},
            {"metric": "growth.operating_revenue", "operator": "gt", "threshold": "30%"},
        ],
    )
    client.force_login(officer)
    base = f"/programmes/tiers/{tier.pk}/explain/{org.pk}/?year=2024"

    from_run = client.get(f"{base}&run={run.pk}").content.decode()
    outcome = from_run.split('id="outcome"', 1)[1].split("</section>", 1)[0]
    assert "按第 1 版条件" in outcome and 'outcome-pass">符合<' in outcome

    today = client.get(base).content.decode()
    outcome = today.split('id="outcome"', 1)[1].split("</section>", 1)[0]
    assert "按第 2 版条件" in outcome and 'outcome-fail">不符合<' in outcome

    run_page = client.get(f"/programmes/runs/{run.pk}/").content.decode()
    assert f"explain/{org.pk}/?year=2024&amp;run={run.pk}" in run_page
