"""附件3: the counts, new enterprises, revenue and growth against hand-computed figures."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smeplan.reporting.selectors import annex3
from tests.factories import province_admin
from tests.reporting.make import small_world

pytestmark = pytest.mark.django_db


def test_counts_revenue_and_growth_per_county_city_and_province():
    small_world()
    result = annex3(user=province_admin(), year=2024)
    rows = result.by_code()
    yanta, changan, xian, weibin, baoji = (
        rows[c] for c in ("610113", "610116", "610100", "610302", "610300")
    )

    assert yanta.counts[("province", "growth_star")] == 1 and yanta.new[("province", "growth_star")] == 1
    assert yanta.counts[("county", "startup_star")] == 1 and yanta.new[("county", "startup_star")] == 0
    assert sum(yanta.cell_list()) == 2  # C ended in 2024, F certified in 2025, G not a growth tier
    assert (yanta.enterprises, yanta.new_enterprises) == (2, 1)
    assert yanta.revenue == Decimal("200") and yanta.revenue_reported == 2
    assert yanta.comparable == 1 and yanta.growth == Decimal("0.5")  # only A has both years

    assert changan.counts[("county", "growth_star")] == 1
    assert changan.growth == Decimal("180") / Decimal("200") - 1

    assert xian.kind == "city" and xian.enterprises == 3 and xian.new_enterprises == 1
    assert xian.revenue == Decimal("380")
    assert (xian.comparable_current, xian.comparable_previous, xian.comparable) == (330, 300, 2)
    assert xian.growth == Decimal("0.1")
    assert xian.level_total("county") == 2 and xian.level_total("province") == 1

    assert baoji.enterprises == weibin.enterprises == 1 and baoji.growth == Decimal("0.2")

    total = result.rows[-1]
    assert total.kind == "province" and total is result.total
    assert (total.enterprises, total.new_enterprises) == (4, 2)
    assert total.revenue == Decimal("1580")
    assert total.growth == Decimal("1530") / Decimal("1300") - 1
    assert total.comparable == 3


def test_rows_are_each_city_followed_by_its_counties_and_hancheng_once():
    result = annex3(user=province_admin(), year=2024)
    codes = [r.code for r in result.rows]
    assert codes[0] == "610100" and codes[1].startswith("6101")
    assert codes.index("610300") > codes.index("610100")
    assert codes.count("610581") == 1  # 韩城市: a city-level unit that is its own county
    assert result.by_code()["619900"].kind == "city"
    assert len({r.code for r in result.rows if r.kind == "city"}) == 12


def test_a_year_before_any_certification_is_all_zero_and_no_growth():
    small_world()
    total = annex3(user=province_admin(), year=2021).total
    assert total.enterprises == 0 and total.revenue is None and total.growth is None


def test_a_fixed_number_of_queries_whatever_the_number_of_regions():
    small_world()
    user = province_admin()
    annex3(user=user, year=2024)  # warm the scoping caches
    with CaptureQueriesContext(connection) as queries:
        annex3(user=user, year=2024)
    assert len(queries) <= 6
