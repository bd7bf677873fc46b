import pytest

from tests.programmes.helpers import firm, spec, statuses

pytestmark = pytest.mark.django_db


def test_ge_passes_at_the_threshold_and_gt_does_not():
    at = firm(y2024={"operating_revenue": "10000.00"})
    below = firm(y2024={"operating_revenue": "9999.99"})
    ge = statuses([spec("operating_revenue", "ge", threshold="10000")], 2024)
    gt = statuses([spec("operating_revenue", "gt", threshold="10000")], 2024)
    assert ge[at.pk][1] == ["pass"] and gt[at.pk][1] == ["fail"]
    assert ge[below.pk][1] == ["fail"]


def test_between_includes_low_and_excludes_high():
    low = firm(y2024={"operating_revenue": "2000"})
    high = firm(y2024={"operating_revenue": "10000"})
    inside = firm(y2024={"operating_revenue": "9999.99"})
    got = statuses([spec("operating_revenue", "between", threshold="2000", threshold_high="10000")], 2024)
    assert got[low.pk][1] == ["pass"]
    assert got[high.pk][1] == ["fail"]
    assert got[inside.pk][1] == ["pass"]


def test_growth_exactly_twenty_percent_is_not_above_twenty_percent():
    exact = firm(y2023={"operating_revenue": "3"}, y2024={"operating_revenue": "3.6"})  # +20% exactly
    more = firm(y2023={"operating_revenue": "3"}, y2024={"operating_revenue": "3.61"})
    got = statuses([spec("growth.operating_revenue", "gt", threshold="0.20")], 2024)
    assert got[exact.pk][1] == ["fail"]
    assert got[more.pk][1] == ["pass"]
    ge = statuses([spec("growth.operating_revenue", "ge", threshold="0.2")], 2024)
    assert ge[exact.pk][1] == ["pass"]
