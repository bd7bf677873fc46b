"""进度研判 — how far a target is met, judged against a linear pace to its deadline.

Pure functions over plain values (no database), so every case is tested by hand:

* no value yet → ``no_value`` (未填报 / 暂无数据) — never a made-up number;
* value ≥ target → ``met`` (已完成);
* after the deadline and still short → ``missed`` (逾期未完成);
* otherwise compare with the pace: a cumulative count, share or amount should have covered
  (target − baseline) × elapsed / duration of the way from the baseline by now (the period runs
  from 1 January of its first year to the deadline); a count per year should have reached
  target × the elapsed share of the current year. At or above the pace → ``on_track`` (进度正常),
  below → ``behind`` (进度滞后). On the deadline day itself the pace is the full target.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

NO_VALUE = "no_value"
MET = "met"
MISSED = "missed"
ON_TRACK = "on_track"
BEHIND = "behind"

LABELS = {
    NO_VALUE: "未填报",
    MET: "已完成",
    MISSED: "逾期未完成",
    ON_TRACK: "进度正常",
    BEHIND: "进度滞后",
}


@dataclasses.dataclass(frozen=True)
class Judgement:
    state: str
    expected: Decimal | None  # the pace's value today (None: no pace applies)
    ratio: Decimal | None  # value / target, for the progress bar (None: no value)

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def percent(self) -> int | None:
        """The bar's width in percent (0–100; beyond 100 % the bar is full)."""
        if self.ratio is None:
            return None
        return max(0, min(100, int(self.ratio * 100)))


def _fraction(start: dt.date, end: dt.date, today: dt.date) -> Decimal:
    total = (end - start).days
    if total <= 0:
        return Decimal(1)
    done = min(max((today - start).days, 0), total)
    return Decimal(done) / Decimal(total)


def judge(
    *,
    kind: str,
    target: Decimal,
    value: Decimal | None,
    period_start: dt.date,
    deadline: dt.date,
    today: dt.date,
    baseline: Decimal | None = None,
) -> Judgement:
    """Judge ``value`` against ``target`` (see the module docstring). ``kind`` is a TargetKind."""
    target = Decimal(target)
    if value is None:
        return Judgement(NO_VALUE, None, None)
    value = Decimal(value)
    ratio = value / target if target else None
    if value >= target:
        return Judgement(MET, None, ratio)
    if today > deadline:
        return Judgement(MISSED, None, ratio)
    if kind == "per_year":
        year_start = dt.date(today.year, 1, 1)
        year_end = min(dt.date(today.year, 12, 31), deadline)
        expected = target * _fraction(year_start, year_end, today)
    else:
        base = Decimal(baseline) if baseline is not None else Decimal(0)
        expected = base + (target - base) * _fraction(period_start, deadline, today)
    state = ON_TRACK if value >= expected else BEHIND
    return Judgement(state, expected.quantize(Decimal("0.01")), ratio)
