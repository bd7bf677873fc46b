import pytest

from tests.programmes.helpers import firm, spec, statuses

pytestmark = pytest.mark.django_db


def test_missing_year_is_incomplete_and_base_zero_or_negative_fails():
    no_prev = firm(y2024={"operating_revenue": "100"})
    null_prev = firm(y2023={"operating_revenue": None}, y2024={"operating_revenue": "100"})
    zero = firm(y2023={"operating_revenue": "0"}, y2024={"operating_revenue": "100"})
    negative = firm(y2023={"operating_revenue": "-5"}, y2024={"operating_revenue": "100"})
    got = statuses([spec("growth.operating_revenue", "gt", threshold="0.2")], 2024)
    assert got[no_prev.pk] == ("incomplete", ["incomplete"])
    assert got[null_prev.pk] == ("incomplete", ["incomplete"])
    assert got[zero.pk] == ("fail", ["undefined"])
    assert got[negative.pk] == ("fail", ["undefined"])


def test_a_fail_outweighs_a_missing_figure_in_the_tier_outcome():
    org = firm(y2024={"operating_revenue": "100"})  # revenue < 500 fails; growth missing
    got = statuses(
        [
            spec("operating_revenue", "ge", threshold="500"),
            spec("growth.operating_revenue", "gt", threshold="0"),
        ],
        2024,
    )
    assert got[org.pk] == ("fail", ["fail", "incomplete"])
