"""Targets count what the plan counts: a target in 户/家 counts distinct enterprises (a firm holding a
county and a provincial title is one of 各级梯队企业), one in 项/个 counts titles; the target says
which (按企业计 / 按称号计); a certification past its validity is not counted even while its state
still says 有效 (the daily job has not run); a computed target in another unit is refused."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import clock
from smeplan.targets import metrics, selectors
from smeplan.targets.metrics import ENTERPRISES, METRICS, TITLES
from smeplan.targets.services import target_update
from tests.factories import province_admin
from tests.targets.make import certify, enterprise, period_13th, target

pytestmark = pytest.mark.django_db

ALL_LEVELS = METRICS["growth.all_levels"]


@pytest.fixture
def two_titles_one_firm():
    """甲 holds a county 创业之星 and a provincial 成长之星; 乙 a city 行业之星 only (雁塔区)."""
    jia = enterprise("610113", "甲企业")
    certify(jia, "growth-county", "startup_star", "2017-03-01")
    certify(jia, "growth-province", "growth_star", "2018-05-01")
    certify(enterprise("610113", "乙企业"), "growth-city", "industry_star", "2018-06-01")


def test_a_firm_with_two_levels_is_one_enterprise_and_two_titles(two_titles_one_firm):
    counts = metrics.counts(province_admin(), today=dt.date(2019, 7, 2))
    assert [counts.value(ALL_LEVELS, y) for y in (2017, 2018)] == [1, 2]
    assert [counts.value(ALL_LEVELS, y, basis=TITLES) for y in (2017, 2018)] == [1, 3]
    assert counts.value(ALL_LEVELS, 2018, city="610100", basis=ENTERPRISES) == 2
    assert counts.by_county(ALL_LEVELS, 2018) == {"610113": 2}
    assert counts.by_county(ALL_LEVELS, 2018, basis=TITLES) == {"610113": 3}
    assert counts.by_city(ALL_LEVELS, 2018) == {"610100": 2}


def _row(admin, code, today):
    (row,) = selectors.dashboard(
        user=admin,
        period=period_13th(),
        area=selectors.Area("province", "610000", "全省"),
        today=today,
        target_ids={target(code).pk},
    )
    return row


def _line(page: str, code: str) -> str:
    return re.search(rf'<tr data-code="{code}">(.*?)</tr>', page, re.S).group(1)


def test_the_dashboard_counts_by_the_targets_unit_and_says_which(two_titles_one_firm, client, monkeypatch):
    today = dt.date(2019, 7, 2)
    monkeypatch.setattr(clock, "today", lambda: today)
    admin = province_admin()
    row = _row(admin, "growth-all-levels", today)  # 20000户
    assert (row.value, row.basis_label) == (2, "按企业计")
    tier = target("growth-all-levels")
    data = {f: getattr(tier, f) for f in ("code", "plan", "name", "description", "value", "kind")}
    data.update(deadline="2020-12-31", scope="province", source="computed", metric="growth.all_levels")
    target_update(actor=admin, target=tier, data={**data, "unit": "项"})
    row = _row(admin, "growth-all-levels", today)
    assert (row.value, row.basis_label) == (3, "按称号计")
    client.force_login(admin)
    page = client.get("/targets/").content.decode()
    assert "按称号计" in _line(page, "growth-all-levels")
    assert "按企业计" in _line(page, "growth-province-tier")
    assert "按称号计" in client.get(f"/targets/{tier.pk}/").content.decode()


def test_a_computed_target_in_another_unit_is_refused():
    tier = target("growth-all-levels")
    data = {f: getattr(tier, f) for f in ("code", "plan", "name", "description", "value", "kind")}
    data.update(deadline="2020-12-31", scope="province", source="computed", metric="growth.all_levels")
    with pytest.raises(ValidationError) as refused:
        target_update(actor=province_admin(), target=tier, data={**data, "unit": "人次"})
    assert refused.value.message_dict["unit"] == [
        "系统统计的目标按认定计数，单位应为户、家（按企业计）或 项、个（按称号计），收到“人次”"
    ]


def test_a_title_past_its_validity_is_not_counted_before_the_daily_job(monkeypatch):
    lapsing = certify(enterprise("610113", "甲企业"), "growth-province", "growth_star", "2016-05-01")
    lapsing.valid_until = dt.date(2019, 4, 30)  # state still 有效: the daily job has not run
    lapsing.save(update_fields=["valid_until"])
    last_day = certify(enterprise("610113", "乙企业"), "growth-province", "growth_star", "2016-05-01")
    last_day.valid_until = dt.date(2018, 12, 31)  # valid through the year's last day
    last_day.save(update_fields=["valid_until"])
    province = METRICS["growth.province"]
    counts = metrics.counts(province_admin(), today=dt.date(2019, 7, 2))
    assert [counts.value(province, y) for y in (2017, 2018, 2019)] == [2, 2, 0]
    assert metrics.counts(province_admin(), today=dt.date(2019, 4, 30)).value(province, 2019) == 1
    # the list behind the number says the same
    monkeypatch.setattr(clock, "today", lambda: dt.date(2019, 7, 2))
    assert "on=2019-07-02" in province.list_url(year=2019)
