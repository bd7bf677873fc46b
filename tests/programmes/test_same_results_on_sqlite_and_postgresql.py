"""The suite runs on both databases; this fixture's results are pinned to hand-computed values, so
both give the same (the comparison is exact integer arithmetic, see engine.py)."""

import pytest

from tests.programmes.helpers import firm, spec, statuses

pytestmark = pytest.mark.django_db


def test_fixture_gives_the_hand_computed_results():
    # Σ2024/Σ2023 over C33 = (1/3·3 …) chosen so that the average is 1/3 (not a finite decimal)
    a = firm(
        y2023={"operating_revenue": "3.00", "rd_expense": "1"},
        y2024={"operating_revenue": "4.00", "rd_expense": "1"},
    )
    for _ in range(4):
        firm(y2023={"operating_revenue": "3.00"}, y2024={"operating_revenue": "4.00", "rd_expense": "0.30"})
    got = statuses(
        [
            spec("growth.operating_revenue", "gt", reference="industry_average"),
            spec("ratio.rd_ratio", "ge", reference="industry_average"),
        ],
        2024,
    )
    # growth 1/3 equals the average 1/3 → not above; rd ratio 1/4 ≥ Σ2.2/Σ20 = 0.11 → pass
    assert got[a.pk][1] == ["fail", "pass"]
