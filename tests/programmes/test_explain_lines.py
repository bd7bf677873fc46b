import pytest

from smeplan.programmes.averages import industry_averages_compute
from smeplan.programmes.engine import explain
from tests.factories import province_admin
from tests.programmes.helpers import firm, tier

pytestmark = pytest.mark.django_db


def test_explanation_names_the_average_group_and_missing_year():
    for _ in range(5):
        firm(y2023={"operating_revenue": 100}, y2024={"operating_revenue": 110})
    star = firm(y2023={"operating_revenue": 100}, y2024={"operating_revenue": 160})
    admin = province_admin()
    assert industry_averages_compute(actor=admin, year=2024, metrics=["growth.operating_revenue"]) > 0
    t = tier("transformation", "upgrade_library")
    e = explain(actor=admin, organisation=star, tier=t, year=2024)
    line = e.items[1].line
    assert "2024年 60.0%" in line and "✓" in line and e.items[1].status == "pass"
    gap = firm(y2024={"operating_revenue": 10})
    e2 = explain(actor=admin, organisation=gap, tier=t, year=2024)
    assert e2.items[1].status == "incomplete" and "2023年营业收入" in e2.items[1].line
    assert e2.outcome in ("incomplete", "fail")
