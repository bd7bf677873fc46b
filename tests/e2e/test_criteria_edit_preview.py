"""A provincial admin edits a tier's criteria in the browser: the live preview counts the enterprises
that would pass as the threshold changes (nothing saved), then the edit is saved as a new version."""

from decimal import Decimal

import pytest

from smeplan.programmes.models import CriteriaVersion
from tests.factories import province_admin, tier_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


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


def _firms():
    from tests.programmes.helpers import firm

    figures = {"employees": 50, "total_assets": 100}
    for county, after in (("610113", 130), ("610113", 125), ("610302", 150), ("610302", 105)):
        firm(
            county=county,
            y2023={"operating_revenue": 100, **figures},
            y2024={"operating_revenue": after, **figures},
        )


def test_preview_follows_the_threshold_then_save(live_server, page, programmes_data):
    admin = province_admin(username="sheng_admin")
    _firms()
    tier = tier_of("transformation", "upgrade_library")  # size class; revenue growth > 20%

    problems = []  # console errors, except the 422 of the deliberately wrong value and a favicon

    def expected(message) -> bool:
        url = message.location.get("url", "")
        return url.endswith("/favicon.ico") or (url.endswith("/preview/") and "422" in message.text)

    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and not expected(m) else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", "pw-test-123")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.click("nav >> text=认定条件与筛选")
    page.click(f"#tier-{tier.pk} >> text=修改条件")
    page.wait_for_selector("#criteria-form")
    page.select_option("#id_preview_year", "2024")

    preview = page.locator("#preview-text")
    page.wait_for_function("document.querySelector('#preview-text').textContent.includes('符合 3，不符合 1')")
    assert preview.inner_text().startswith("按此条件，全省 4 家参评：符合 3，不符合 1，数据不全 0（用时")
    threshold = page.locator("input[name='c-1-threshold']")
    assert threshold.input_value() == "20"
    assert page.locator("#criteria-rows tr:nth-child(2) .c-unit").inner_text() == "%"

    threshold.fill("28")  # +30% and +50% still pass
    page.wait_for_function("document.querySelector('#preview-text').textContent.includes('符合 2，不符合 2')")
    threshold.fill("二十")  # a wrong value shows the message instead
    page.wait_for_function("document.querySelector('#preview-errors').textContent.includes('不是数字')")
    threshold.fill("40")
    page.wait_for_function("document.querySelector('#preview-text').textContent.includes('符合 1，不符合 3')")
    assert CriteriaVersion.objects.filter(tier=tier).count() == 1  # previewing saves nothing

    page.click("#add-criterion")  # a third row, removed again
    assert page.locator("#criteria-rows .criterion-row").count() == 3
    page.locator("#criteria-rows .criterion-row").nth(2).locator(".c-remove").click()
    assert page.locator("#criteria-rows .criterion-row").count() == 2

    page.fill("#id_effective_year", "2024")
    page.fill("#id_note", "示范门槛提高到 40%")
    page.click("#save-criteria")
    page.wait_for_url(f"{live_server.url}/programmes/#tier-{tier.pk}")
    assert "第 2 版（2024 年起生效）" in page.locator(".messages").inner_text()
    version = CriteriaVersion.objects.get(tier=tier, number=2)
    assert version.note == "示范门槛提高到 40%" and version.created_by == admin
    assert version.criteria.get(position=1).threshold == Decimal("0.4")
    assert not problems
