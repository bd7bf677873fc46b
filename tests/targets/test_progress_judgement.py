"""进度研判 by hand: a linear pace from 1 January of the period's first year to the deadline (from
the baseline when there is one); a yearly count paced within the current year; no value is 未填报,
never a made-up number; met is met whenever it happens; after the deadline short is 逾期未完成.

The 十三五 period runs 2016-01-01 → 2020-12-31 = 1826 days; 2018-07-02 is day 913, exactly half."""

import datetime as dt
from decimal import Decimal

import pytest

from smeplan.targets.progress import judge

START = dt.date(2016, 1, 1)
DEADLINE = dt.date(2020, 12, 31)
HALFWAY = dt.date(2018, 7, 2)


def _judge(kind="cumulative", target="1000", value=None, today=HALFWAY, baseline=None, deadline=DEADLINE):
    return judge(
        kind=kind,
        target=Decimal(target),
        value=None if value is None else Decimal(value),
        period_start=START,
        deadline=deadline,
        today=today,
        baseline=None if baseline is None else Decimal(baseline),
    )


def test_halfway_a_cumulative_target_should_be_half_done():
    on_pace = _judge(value="500")
    assert (on_pace.state, on_pace.label, on_pace.expected) == ("on_track", "进度正常", Decimal("500.00"))
    assert on_pace.ratio == Decimal("0.5") and on_pace.percent == 50
    short = _judge(value="499")
    assert (short.state, short.label, short.expected) == ("behind", "进度滞后", Decimal("500.00"))
    assert short.percent == 49


def test_a_baseline_moves_the_pace_start_not_the_bar():
    # 招聘平台线上注册企业: from 12,000 to 100,000 → halfway 12,000 + 88,000 / 2 = 56,000
    on_pace = _judge(target="100000", baseline="12000", value="56000")
    assert (on_pace.state, on_pace.expected) == ("on_track", Decimal("56000.00"))
    assert on_pace.percent == 56  # the bar is value / target
    short = _judge(target="100000", baseline="12000", value="55999")
    assert (short.state, short.expected) == ("behind", Decimal("56000.00"))
    # without the baseline the same 55,999 is ahead of a 50,000 pace
    assert _judge(target="100000", value="55999").state == "on_track"


def test_before_the_period_starts_nothing_is_expected_yet():
    early = _judge(value="0", today=dt.date(2015, 6, 1))
    assert (early.state, early.expected) == ("on_track", Decimal("0.00"))
    with_base = _judge(target="100000", baseline="12000", value="12000", today=dt.date(2015, 6, 1))
    assert (with_base.state, with_base.expected) == ("on_track", Decimal("12000.00"))


def test_a_quarter_of_the_way_and_a_day_before_the_deadline():
    # 2017-04-02 is day 457 of 1826: 1000 × 457 / 1826 = 250.27…
    quarter = _judge(value="250", today=dt.date(2017, 4, 2))
    assert (quarter.state, quarter.expected) == ("behind", Decimal("250.27"))
    assert _judge(value="251", today=dt.date(2017, 4, 2)).state == "on_track"
    # the day before the deadline: 1000 × 1825 / 1826 = 999.45…
    eve = _judge(value="999", today=dt.date(2020, 12, 30))
    assert (eve.state, eve.expected) == ("behind", Decimal("999.45"))


def test_on_the_deadline_the_pace_is_the_whole_target():
    short = _judge(value="999", today=DEADLINE)
    assert (short.state, short.label, short.expected) == ("behind", "进度滞后", Decimal("1000.00"))
    done = _judge(value="1000", today=DEADLINE)
    assert (done.state, done.label) == ("met", "已完成")


def test_after_the_deadline_short_is_missed_and_reached_is_met():
    late = _judge(value="999", today=dt.date(2021, 1, 1))
    assert (late.state, late.label, late.expected) == ("missed", "逾期未完成", None)
    assert late.ratio == Decimal("0.999") and late.percent == 99
    assert _judge(value="1000", today=dt.date(2021, 1, 1)).state == "met"
    assert _judge(value="0", today=dt.date(2025, 1, 1)).state == "missed"


def test_met_before_the_deadline_is_met_whatever_the_pace():
    early = _judge(value="1000", today=dt.date(2016, 2, 1))
    assert (early.state, early.label, early.expected) == ("met", "已完成", None)
    beyond = _judge(value="1500", today=dt.date(2017, 1, 1))
    assert beyond.state == "met" and beyond.ratio == Decimal("1.5")
    assert beyond.percent == 100  # the bar is full, not 150 % wide


def test_a_yearly_count_is_paced_within_the_current_year():
    # 2018-07-02 is day 182 of the 364 days from 1 January to 31 December 2018: half of 200
    on_pace = _judge(kind="per_year", target="200", value="100")
    assert (on_pace.state, on_pace.expected) == ("on_track", Decimal("100.00"))
    short = _judge(kind="per_year", target="200", value="99")
    assert (short.state, short.expected) == ("behind", Decimal("100.00"))
    # early in a later year the pace starts again from 0, however far the period has run
    january = _judge(kind="per_year", target="200", value="1", today=dt.date(2019, 1, 1))
    assert (january.state, january.expected) == ("on_track", Decimal("0.00"))
    # on 31 December the whole yearly number is due
    assert _judge(kind="per_year", target="200", value="199", today=dt.date(2019, 12, 31)).state == "behind"
    assert _judge(kind="per_year", target="200", value="200", today=dt.date(2019, 12, 31)).state == "met"
    assert _judge(kind="per_year", target="200", value="150", today=dt.date(2021, 3, 1)).state == "missed"


def test_a_share_is_paced_from_its_baseline_in_percentage_points():
    # 高新技术产业增加值比重 30 %, from 20 %: halfway 25 %
    on_pace = _judge(kind="share", target="30", baseline="20", value="25")
    assert (on_pace.state, on_pace.expected) == ("on_track", Decimal("25.00"))
    short = _judge(kind="share", target="30", baseline="20", value="24.9")
    assert (short.state, short.expected) == ("behind", Decimal("25.00"))
    assert short.ratio == Decimal("0.83") and short.percent == 83
    assert _judge(kind="share", target="30", value="30.5").state == "met"


@pytest.mark.parametrize("kind", ["cumulative", "per_year", "share", "amount"])
@pytest.mark.parametrize("today", [dt.date(2016, 3, 1), DEADLINE, dt.date(2022, 1, 1)])
def test_no_value_is_never_judged_as_a_number(kind, today):
    j = _judge(kind=kind, value=None, today=today, baseline="100")
    assert (j.state, j.label) == ("no_value", "未填报")
    assert (j.expected, j.ratio, j.percent) == (None, None, None)


def test_a_value_of_zero_is_a_value_not_a_missing_one():
    zero = _judge(value="0")
    assert (zero.state, zero.ratio, zero.percent) == ("behind", Decimal("0"), 0)


def test_the_bar_percent_is_truncated_and_capped():
    assert _judge(value="456.7", today=dt.date(2016, 1, 2)).percent == 45
    assert _judge(value="999.99", today=dt.date(2016, 1, 2)).percent == 99  # not rounded up to full
    assert _judge(value="2000", today=dt.date(2016, 1, 2)).percent == 100
