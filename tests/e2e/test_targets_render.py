"""The targets pages in Chromium: the dashboard (with its 梯队构成 section loaded after it), a target's
trend chart, the county map and the statistics charts render with ECharts and without a console error; the map holds every county and
colours the ones with tier enterprises."""

import pytest

from smeplan.targets.models import Target
from tests.e2e.session import signed_in_page
from tests.factories import province_admin
from tests.targets.make import certify, enterprise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _session(browser, live_server, user):
    return signed_in_page(browser, live_server, user)


def _chart_option(page, selector):
    """The option ECharts holds for the chart in ``selector`` once it has rendered (a canvas)."""
    page.wait_for_selector(f"{selector} canvas")
    return page.evaluate(
        "sel => { const c = echarts.getInstanceByDom(document.querySelector(sel)); return c && c.getOption(); }",
        selector,
    )


def test_dashboard_map_and_charts_render_without_console_errors(live_server, browser, reference_data):
    yanta = enterprise("610113", "西安雁塔星火科技有限公司")
    weibin = enterprise("610302", "宝鸡渭滨机床有限公司")
    certify(yanta, "growth-province", "growth_star", "2018-05-10")
    certify(weibin, "growth-province", "industry_star", "2019-04-02")
    certify(weibin, "transformation-demo", "demonstration", "2019-06-01")
    admin = province_admin(username="province_e2e")
    page = _session(browser, live_server, admin)

    page.goto(f"{live_server.url}/targets/")
    assert "目标进度 · 全省" in page.locator("h1").inner_text()
    row = page.locator("tr[data-code='growth-province-tier']")
    assert row.locator("td").nth(2).inner_text().strip() == "2"
    assert row.locator(".tag").inner_text() in {"进度滞后", "逾期未完成", "进度正常"}
    # 梯队构成 arrives after the page: the slot is replaced by the table (四上 status unknown: 0%)
    province_cell = page.locator(
        "#tier-composition tr[data-place='610000'] td[data-programme='growth-province']"
    )
    province_cell.wait_for()
    assert "0%" in province_cell.inner_text() and "未知 2" in province_cell.inner_text()

    target = Target.objects.get(code="growth-province-tier")
    page.goto(f"{live_server.url}/targets/{target.pk}/")
    trend = _chart_option(page, "[data-echarts='trend-option']")
    assert trend["series"][0]["data"][-1] == 2

    page.goto(f"{live_server.url}/targets/map/?metric=growth.province&year=2020")
    option = _chart_option(page, "#county-map")
    data = {d["name"]: d["value"] for d in option["series"][0]["data"]}
    assert len(data) == 107 and data["雁塔区"] == 1 and data["渭滨区"] == 1 and data["长安区"] == 0
    # the map geometry was registered: ECharts knows the county 雁塔区
    assert (
        page.evaluate(
            "() => !!echarts.getMap('shaanxi') && echarts.getMap('shaanxi').geoJSON.features.length"
        )
        == 107
    )

    page.goto(f"{live_server.url}/targets/charts/?year=2020")
    for chart in page.locator("[data-echarts]").all():
        chart.locator("canvas").wait_for()

    assert page.console_errors == []
