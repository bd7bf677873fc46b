"""与上次筛选比较: after the figures change and the tier is screened again, the compare page lists who
entered and who left since the previous run of the same tier, year and area."""

import pytest

from smeplan.indicators.models import AnnualFigures
from smeplan.programmes.screening import screening_run
from tests.factories import county_officer, tier_of
from tests.programmes.helpers import firm

pytestmark = pytest.mark.django_db


def _grows(after, name):
    figures = {"employees": 50, "total_assets": 100}
    org = firm(
        y2023={"operating_revenue": 100, **figures},
        y2024={"operating_revenue": after, **figures},
    )
    org.name = name
    org.save(update_fields=["name"])
    return org


def test_entered_and_left(client):
    officer = county_officer("610113")
    tier = tier_of("transformation", "upgrade_library")
    stays = _grows(130, "一直符合有限公司")
    leaves = _grows(140, "后来退出有限公司")
    enters = _grows(110, "后来进入有限公司")
    first = screening_run(actor=officer, tier=tier, year=2024)
    AnnualFigures.objects.filter(organisation=leaves, year=2024).update(operating_revenue=101)
    AnnualFigures.objects.filter(organisation=enters, year=2024).update(operating_revenue=150)
    from smeplan.programmes.frame import frame_cache_clear

    frame_cache_clear()
    second = screening_run(actor=officer, tier=tier, year=2024)
    client.force_login(officer)

    run_page = client.get(f"/programmes/runs/{second.pk}/").content.decode()
    body = client.get(f"/programmes/runs/{second.pk}/compare/").content.decode()

    assert f"/programmes/runs/{second.pk}/compare/" in run_page
    entered = body.split('id="entered"', 1)[1].split("</section>", 1)[0]
    left = body.split('id="left"', 1)[1].split("</section>", 1)[0]
    assert "新进入（1 家）" in entered and "后来进入有限公司" in entered
    assert "退出（1 家）" in left and "后来退出有限公司" in left
    assert stays.name not in entered + left
    assert f"筛选#{first.pk}" in body


def test_the_first_run_has_nothing_to_compare_with(client):
    officer = county_officer("610113")
    run = screening_run(actor=officer, tier=tier_of("transformation", "upgrade_library"), year=2024)
    client.force_login(officer)

    body = client.get(f"/programmes/runs/{run.pk}/compare/").content.decode()

    assert "没有更早的筛选" in body
