"""The 综合测评表 (annex 2) fits a 1,400 px window: every column — the score and the flags
included — is on screen without scrolling sideways, also with long enterprise names; the page shows
the bottom share as a percentage and the time taken in 秒. A screenshot is kept as
``var/e2e/evaluation-table-1400.png`` (git-ignored) to look at."""

from pathlib import Path

import pytest

from smeplan.evaluation.services import evaluation_run
from tests.e2e.session import signed_in_page
from tests.evaluation.make import YEAR
from tests.evaluation.test_proposals import tier_of_21
from tests.factories import province_admin

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e"


@pytest.fixture
def programmes_data(reference_data):
    """Programmes come from a data migration too: a transactional flush removed them; load them again."""
    from smeplan.programmes.frame import frame_cache_clear
    from smeplan.programmes.loading import load_programmes
    from smeplan.programmes.models import CriteriaVersion, Criterion, Programme, Tier

    if not Programme.objects.exists():
        load_programmes(Programme, Tier, CriteriaVersion, Criterion)
    frame_cache_clear()
    yield
    frame_cache_clear()


def test_table_fits_at_1400_px(browser, live_server, programmes_data):
    admin = province_admin()
    growth, certs = tier_of_21(admin)
    for i, c in enumerate(certs):  # names as long as real ones
        c.organisation.name = f"陕西秦川高端智能装备制造第{i}分公司股份有限公司"
        c.organisation.save(update_fields=["name"])
    run = evaluation_run(actor=admin, tier=growth, year=YEAR)

    page = signed_in_page(browser, live_server, admin, viewport={"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/evaluation/runs/{run.pk}/")
    page.wait_for_selector("#results")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "evaluation-table-1400.png"), full_page=True)
    sizes = page.evaluate(
        """() => {
            const table = document.querySelector('#results');
            const last = [...table.querySelectorAll('tbody tr:first-child td')].at(-1);
            const score = table.querySelector('tbody tr:first-child td.score');
            return {
                viewport: document.documentElement.clientWidth,
                page: document.documentElement.scrollWidth,
                table: table.getBoundingClientRect().right,
                score: score.getBoundingClientRect().right,
                flags: last.getBoundingClientRect().right,
            };
        }"""
    )
    assert sizes["page"] <= sizes["viewport"], sizes  # nothing to scroll sideways
    assert sizes["table"] <= sizes["viewport"] and sizes["score"] <= sizes["viewport"], sizes
    assert sizes["flags"] <= sizes["viewport"], sizes
    note = page.inner_text("#run-note")
    assert "末位比例：5%" in note and " s" not in note and "秒" in note
    assert page.console_errors == []
    page.context.close()
