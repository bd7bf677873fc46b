"""A figure of the year at ×5 of the year before (the flags' threshold) is flagged; just under it
is not; a base ≤ 0 (growth undefined) is never flagged."""

import pytest

from smeplan.flags.models import FigureFlag, FlagKind, FlagState
from tests.flags.make import YEAR, detect, evaluated, revenues


@pytest.mark.django_db
def test_growth_at_the_factor_is_flagged_and_just_under_is_not():
    at = evaluated(revenues(1000, 5000))
    past = evaluated(revenues(1000, "5000.01"))
    under = evaluated(revenues(1000, "4999.99"))
    zero_base = evaluated(revenues(0, 9000))
    profit = evaluated({YEAR - 1: {"operating_revenue": 1000, "total_profit": 10},
                        YEAR: {"operating_revenue": 1100, "total_profit": 60}})  # fmt: skip

    counts = detect()

    flagged = set(FigureFlag.objects.filter(kind=FlagKind.GROWTH).values_list("organisation_id", flat=True))
    assert flagged == {at.pk, past.pk, profit.pk}
    assert not {under.pk, zero_base.pk} & flagged
    assert counts["created"] == 3
    flag = FigureFlag.objects.get(organisation=at, kind=FlagKind.GROWTH)
    assert flag.state == FlagState.OPEN and flag.year == YEAR
    assert flag.message == "营业收入由2023年的1000万元增至2024年的5000万元，为上年的5倍（阈值：5倍及以上）"
    assert flag.detail["items"] == [
        {"field": "operating_revenue", "previous": "1000.00", "current": "5000.00", "times": "5"}
    ]
    assert flag.detail["threshold"] == "5"
    assert (
        "利润总额由2023年的10万元增至2024年的60万元，为上年的6倍"
        in FigureFlag.objects.get(organisation=profit).message
    )


def test_the_threshold_is_the_flags_own_data():
    """The flag's ×5 is its own versioned rule (``flags/data/thresholds.csv``), not the data entry's
    plausibility warning (增长超过300%, ``indicators.plausibility``), which asks the person typing."""
    from smeplan.flags.thresholds import thresholds_for

    assert thresholds_for(YEAR).growth_factor == 5
