"""The screening run's 分布 tables sit side by side without blank gaps: a short table (by city) keeps
its rows together beside a long one (by county) instead of being stretched to the same height, and
every cell — the corner heading included — holds a name or a number."""

import pytest

from smeplan.programmes.frame import frame_cache_clear
from smeplan.programmes.screening import screening_run
from tests.e2e.session import signed_in_page
from tests.factories import province_admin, tier_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: two city-level units, many counties (the county table is long, the city table short)
COUNTIES = ["610102", "610103", "610104", "610111", "610112", "610113", "610114", "610115", "610116"]
COUNTIES += ["610117", "610118", "610122", "610124", "610302", "610303", "610304", "610305", "610323"]


@pytest.fixture
def run(reference_data):
    from smeplan.programmes.loading import load_programmes
    from smeplan.programmes.models import CriteriaVersion, Criterion, Programme, Tier
    from tests.programmes.helpers import firm

    if not Programme.objects.exists():
        load_programmes(Programme, Tier, CriteriaVersion, Criterion)
    frame_cache_clear()
    figures = {"employees": 50, "total_assets": 100}
    for n, county in enumerate(COUNTIES):
        firm(
            county=county,
            y2023={"operating_revenue": 100, **figures},
            y2024={"operating_revenue": 100 + 10 * n, **figures},
        )
    admin = province_admin(username="sheng_fenbu")
    yield admin, screening_run(actor=admin, tier=tier_of("transformation", "upgrade_library"), year=2024)
    frame_cache_clear()


def test_short_distribution_tables_keep_their_rows_together(live_server, browser, run):
    admin, screening = run
    page = signed_in_page(browser, live_server, admin)

    page.goto(f"{live_server.url}/programmes/runs/{screening.pk}/")

    city_rows = page.locator("#breakdown-city tbody tr")
    assert city_rows.count() == 2
    heights = [city_rows.nth(i).bounding_box()["height"] for i in range(2)]
    assert max(heights) < 60, heights  # stretched to the county table's height they were hundreds
    assert page.locator("#breakdown-county tbody tr").count() == len(COUNTIES)
    cells = page.locator(".breakdown th, .breakdown td").all_inner_texts()
    assert cells and all(text.strip() for text in cells), cells
    assert page.locator("#breakdown-city thead th").first.inner_text() == "市级单位"
    assert page.console_errors == []
