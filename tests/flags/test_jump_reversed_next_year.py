"""A figure tripling one year and falling back to a third the next (or the other way round) is
flagged for the second year; just short of the factor on either side is not."""

import pytest

from smeplan.flags.models import FigureFlag, FlagKind
from tests.flags.make import YEAR, detect, evaluated, revenues


@pytest.mark.django_db
def test_a_spike_or_a_dip_at_the_factor_is_flagged():
    spike = evaluated(revenues(1000, 3000, 1000))
    dip = evaluated(revenues(3000, 1000, 3000))
    rise_short = evaluated(revenues(1000, "2999.99", 1000))
    fall_short = evaluated(revenues(1000, 3000, "1000.01"))
    lasting = evaluated(revenues(1000, 3000, 3200))
    missing_year = evaluated({YEAR - 1: {"operating_revenue": 3000}, YEAR: {"operating_revenue": 1000}})

    detect()

    flagged = set(
        FigureFlag.objects.filter(kind=FlagKind.REVERSED_JUMP).values_list("organisation_id", flat=True)
    )
    assert flagged == {spike.pk, dip.pk}
    assert not {rise_short.pk, fall_short.pk, lasting.pk, missing_year.pk} & flagged
    flag = FigureFlag.objects.get(organisation=spike, kind=FlagKind.REVERSED_JUMP)
    assert flag.message == (
        "营业收入2022年1000万元、2023年3000万元、2024年1000万元，先增至上年的3倍、次年又回落至0.33倍（阈值：3倍）"
    )
    assert flag.detail["items"] == [
        {"field": "operating_revenue", "values": ["1000.00", "3000.00", "1000.00"], "direction": "up"}
    ]
    assert FigureFlag.objects.get(organisation=dip).detail["items"][0]["direction"] == "down"
