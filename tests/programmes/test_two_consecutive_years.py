import pytest

from tests.programmes.helpers import firm, spec, statuses

pytestmark = pytest.mark.django_db

TWO = [spec("growth.operating_revenue", "gt", threshold="0.1", years=2)]


def test_each_of_the_two_years_must_pass():
    both = firm(
        y2022={"operating_revenue": 100}, y2023={"operating_revenue": 120}, y2024={"operating_revenue": 150}
    )
    first_fails = firm(
        y2022={"operating_revenue": 100}, y2023={"operating_revenue": 105}, y2024={"operating_revenue": 150}
    )
    first_missing = firm(y2023={"operating_revenue": 100}, y2024={"operating_revenue": 150})
    missing_and_fail = firm(y2023={"operating_revenue": 100}, y2024={"operating_revenue": 101})
    got = statuses(TWO, 2024)
    assert got[both.pk][1] == ["pass"]
    assert got[first_fails.pk][1] == ["fail"]
    assert got[first_missing.pk][1] == ["incomplete"]
    assert got[missing_and_fail.pk][1] == ["fail"]
