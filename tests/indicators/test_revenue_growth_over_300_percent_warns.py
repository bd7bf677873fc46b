"""营业收入 growing by more than 300% (or falling by more than 75%) from one year to the next is a
warning to confirm (issue 16: 增长超过300%); exactly 300% is not."""

from decimal import Decimal

import pytest

from smeplan.indicators.plausibility import revenue_jump


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        (1000, 4001, "（增长超过300%）"),
        (1000, 249, "（下降超过75%）"),
        (1000, 4000, None),
        (1000, 250, None),
        (1000, 3500, None),
    ],
)
def test_growth_beyond_300_percent_is_a_warning(before, after, message):
    warning = revenue_jump(2024, Decimal(before), 2025, Decimal(after))
    if message is None:
        assert warning is None
    else:
        assert warning.field == "operating_revenue"
        assert f"由2024年的{before}万元变为2025年的{after}万元{message}" in warning.message
