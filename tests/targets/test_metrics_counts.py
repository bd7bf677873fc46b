"""统计口径 on a small hand-computed fixture: every computed metric at the end of 2016, 2017 and 2018
(ACTIVE: certified by 31 December and not ended by then; NEW: certified in the year), per county and
per city-level unit, and within a city officer's scope.

雁塔区 610113 (西安 610100):
  甲 省级行业之星 2016-05-01, terminated 2018-06-30
  乙 省级成长之星 2017-03-01
  丙 市级创业之星 2016-01-10, promoted (superseded) to 省级创业之星 on 2018-03-01
  丁 县级成长之星 2017-12-31, ended 2018-12-31 (on the year's last day: not in force at its end)
  戊 转型升级企业库 2017-04-01;  己 示范推荐库 2018-02-01
  庚 转型升级示范企业 2017-09-01;  辛 转型升级示范企业 2018-09-01
  癸 县级创业之星 2019-01-02 (after the years looked at)
杨陵区 610403 (杨凌示范区 619900): 壬 县级成长之星 2017-06-01
韩城市 610581 (itself a city-level unit): 子 市级行业之星 2018-01-05
渭滨区 610302 (宝鸡 610300): 丑 省级成长之星 2017-02-01; 寅 转型升级示范企业 2018-03-03
"""

import pytest

from smeplan.targets import metrics
from smeplan.targets.metrics import METRICS
from tests.factories import city_officer, county_officer, province_admin
from tests.targets.make import certify, enterprise, promote

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    jia = enterprise("610113", "甲企业")
    certify(jia, "growth-province", "industry_star", "2016-05-01", ended_on="2018-06-30", state="terminated")
    certify(enterprise("610113", "乙企业"), "growth-province", "growth_star", "2017-03-01")
    bing = certify(enterprise("610113", "丙企业"), "growth-city", "startup_star", "2016-01-10")
    promote(bing, "growth-province", "startup_star", "2018-03-01")
    ding = enterprise("610113", "丁企业")
    certify(ding, "growth-county", "growth_star", "2017-12-31", ended_on="2018-12-31", state="expired")
    certify(enterprise("610113", "戊企业"), "transformation", "upgrade_library", "2017-04-01")
    certify(enterprise("610113", "己企业"), "transformation", "demo_recommend", "2018-02-01")
    certify(enterprise("610113", "庚企业"), "transformation-demo", "demonstration", "2017-09-01")
    certify(enterprise("610113", "辛企业"), "transformation-demo", "demonstration", "2018-09-01")
    certify(enterprise("610113", "癸企业"), "growth-county", "startup_star", "2019-01-02")
    certify(enterprise("610403", "壬企业"), "growth-county", "growth_star", "2017-06-01")
    certify(enterprise("610581", "子企业"), "growth-city", "industry_star", "2018-01-05")
    certify(enterprise("610302", "丑企业"), "growth-province", "growth_star", "2017-02-01")
    certify(enterprise("610302", "寅企业"), "transformation-demo", "demonstration", "2018-03-03")


def _series(counts, code, **where):
    return [counts.value(METRICS[code], year, **where) for year in (2016, 2017, 2018)]


# metric → values at the end of 2016, 2017, 2018 for the province
PROVINCE = {
    "growth.province": [1, 3, 3],  # 甲 | 甲 乙 丑 | 乙 丑 丙(省级) — 甲 terminated mid-2018
    "growth.province.industry_star": [1, 1, 0],
    "growth.province.growth_star": [0, 2, 2],
    "growth.province.startup_star": [0, 0, 1],  # 丙 from 2018-03-01
    "growth.city": [1, 1, 1],  # 丙(市级) | 丙 | 子 — the superseded 市级 one no longer counts in 2018
    "growth.county": [0, 2, 1],  # 丁 壬 | 壬 — 丁 ended on 2018-12-31
    "growth.all_levels": [2, 6, 5],
    "transformation.library": [0, 1, 2],  # 戊 | 戊 己 (both tiers of the library)
    "transformation.recommend_pool": [0, 0, 1],
    "transformation.demonstration": [0, 1, 3],
    "transformation.demonstration.per_year": [0, 1, 2],  # 庚 | 辛 寅
}


def test_each_metric_for_the_province_at_each_year_end(world):
    counts = metrics.counts(province_admin())
    assert {code: _series(counts, code) for code in PROVINCE} == PROVINCE
    assert set(PROVINCE) == set(METRICS)  # every registered metric is checked here


def test_a_promotion_counts_once_at_the_new_level_from_its_day():
    bing = certify(enterprise("610113", "丙企业"), "growth-city", "startup_star", "2016-01-10")
    promote(bing, "growth-province", "startup_star", "2018-03-01")
    counts = metrics.counts(province_admin())
    assert _series(counts, "growth.city") == [1, 1, 0]
    assert _series(counts, "growth.province") == [0, 0, 1]
    assert _series(counts, "growth.all_levels") == [1, 1, 1]  # never twice


def test_in_force_on_the_last_day_of_the_year_is_decided_by_the_end_date():
    org = enterprise("610113", "甲企业")
    certify(org, "growth-county", "growth_star", "2017-12-31", ended_on="2018-12-31", state="terminated")
    other = enterprise("610113", "乙企业")
    certify(other, "growth-county", "growth_star", "2017-12-31", ended_on="2019-01-01", state="terminated")
    counts = metrics.counts(province_admin())
    # certified on 31 Dec 2017: counted at the end of 2017; ended on 31 Dec 2018: not at the end of 2018
    assert _series(counts, "growth.county") == [0, 2, 1]
    assert counts.value(METRICS["growth.county"], 2019) == 0


def test_per_city_level_unit_and_per_county(world):
    counts = metrics.counts(province_admin())
    all_levels = METRICS["growth.all_levels"]
    assert counts.value(all_levels, 2018, city="610100") == 2  # 乙 丙
    assert counts.value(all_levels, 2018, city="619900") == 1  # 杨陵区's 壬 under 杨凌示范区
    assert counts.value(all_levels, 2018, county="610403") == 1
    assert counts.value(all_levels, 2018, city="610400") == 0  # 咸阳 does not get 杨陵区
    assert counts.value(all_levels, 2018, city="610581") == 1  # 韩城市 under itself
    assert counts.value(all_levels, 2018, county="610581") == 1
    assert counts.value(all_levels, 2018, city="610500") == 0  # 渭南 does not get 韩城市
    assert counts.value(all_levels, 2018, city="610300") == 1
    by_city = {k: v for k, v in counts.by_city(all_levels, 2018).items() if v}
    assert by_city == {"610100": 2, "619900": 1, "610581": 1, "610300": 1}
    by_county = {k: v for k, v in counts.by_county(all_levels, 2018).items() if v}
    assert by_county == {"610113": 2, "610403": 1, "610581": 1, "610302": 1}
    assert sum(by_county.values()) == counts.value(all_levels, 2018) == 5
    demo = METRICS["transformation.demonstration.per_year"]
    assert {k: v for k, v in counts.by_city(demo, 2018).items() if v} == {"610100": 1, "610300": 1}


def test_a_city_officer_counts_only_its_own_counties(world):
    xian = metrics.counts(city_officer("610100"))
    assert _series(xian, "growth.all_levels") == [2, 4, 2]  # 甲 丙 | 甲 乙 丙 丁 | 乙 丙
    assert _series(xian, "transformation.demonstration") == [0, 1, 2]  # not 宝鸡's 寅
    assert xian.value(METRICS["growth.all_levels"], 2018, city="610300") == 0
    assert {k for k, v in xian.by_city(METRICS["growth.all_levels"], 2018).items() if v} == {"610100"}
    baoji = metrics.counts(city_officer("610300"))
    assert _series(baoji, "growth.all_levels") == [0, 1, 1]
    assert _series(baoji, "transformation.demonstration.per_year") == [0, 0, 1]
    yangling = metrics.counts(city_officer("619900"))
    assert _series(yangling, "growth.all_levels") == [0, 1, 1]
    county = metrics.counts(county_officer("610302"))
    assert _series(county, "growth.province") == [0, 1, 1]


def test_a_certification_made_a_moment_ago_is_counted_on_the_next_read(world):
    user = province_admin()
    assert metrics.counts(user).value(METRICS["growth.county"], 2018) == 1
    certify(enterprise("610116", "新企业"), "growth-county", "industry_star", "2018-11-11")
    assert metrics.counts(user).value(METRICS["growth.county"], 2018) == 2


def test_counts_for_some_programmes_only(world):
    counts = metrics.counts(province_admin(), programmes=["transformation-demo"])
    assert counts.value(METRICS["transformation.demonstration"], 2018) == 3
    assert counts.value(METRICS["growth.all_levels"], 2018) == 0  # not read
