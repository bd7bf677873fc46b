"""Plausibility warnings on yearly figures (数据核实提示) — the ONE place that decides them.

A warning is not an error: the value may well be true (a firm paying back taxes, a loss-making
start-up spending more on R&D than it sells), so it is shown on its field or cell and the person
entering it confirms it (确认无误) before anything is saved. Every entry point asks this module:

* the figures form and the admin (``indicators.services.figures_create`` / ``figures_update``,
  ``confirm_warnings``),
* the API (``POST/PATCH /organisations/{id}/figures``, ``confirm_warnings``),
* the recognition application form (``recognition.services.application_update``),
* imports (``exchange.validation``: page, API, ``manage.py import_figures``).

The rules, with their thresholds as the constants below:

``above_revenue``  实缴税金 or 研发费用 above the same year's 营业收入.
``year_on_year``   营业收入 growing by more than 300% (to over 4× the year before), or the reverse — falling
                   by more than 75% (to under 1/4) — (both years > 0);
                   a figure that may be negative (利润总额) changing sign between two consecutive
                   years — from profit to loss or back: its growth rate is undefined
                   (``indicators.derived.growth``), so the change is flagged rather than computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from smeplan.indicators.models import FIGURE_FIELDS, FIGURE_LABELS

#: Operating revenue growing by more than this (300%: to over 4× the year before), or falling to under
#: 1 / (1 + this) of it (a fall of more than 75%), from one year to the next (issue 16: 增长超过300%).
REVENUE_GROWTH_LIMIT = Decimal(3)
REVENUE_JUMP_FACTOR = 1 + REVENUE_GROWTH_LIMIT
#: Figures that should not exceed operating revenue of the same year.
NOT_ABOVE_REVENUE = ("tax_paid", "rd_expense")
#: Figures that may be negative; a change of sign between two years is a warning.
SIGNED_FIELDS = ("total_profit",)
#: The fields whose values the checks read (a partial update touching none of them needs no check).
CHECKED_FIELDS = frozenset({"operating_revenue", *NOT_ABOVE_REVENUE, *SIGNED_FIELDS})

_UNITS = {f: unit for f, _, unit in FIGURE_FIELDS}


@dataclass(frozen=True)
class FigureWarning:
    """One warning: on ``field`` of ``year``; ``fields`` are all the fields the rule read."""

    field: str
    year: int
    message: str
    fields: tuple[str, ...] = ()


def fmt(value) -> str:
    """1000 → "1000", Decimal("12.50") → "12.50", Decimal("-900.00") → "-900"."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return str(value)


def _amount(field: str, value) -> str:
    return f"{fmt(value)}{_UNITS.get(field, '万元')}"


def above_revenue(year: int, values: Mapping, revenue) -> list[FigureWarning]:
    """实缴税金 / 研发费用 of ``values`` above ``revenue`` (the same year's 营业收入)."""
    if revenue is None:
        return []
    out = []
    for field in NOT_ABOVE_REVENUE:
        value = values.get(field)
        if value is not None and value > revenue:
            out.append(
                FigureWarning(
                    field,
                    year,
                    f"{FIGURE_LABELS[field]}（{_amount(field, value)}）高于同年营业收入"
                    f"（{_amount('operating_revenue', revenue)}），请核实；确认无误后可照常保存",
                    (field, "operating_revenue"),
                )
            )
    return out


def revenue_jump(previous_year: int, previous, year: int, current) -> FigureWarning | None:
    if (
        previous is None
        or current is None
        or previous <= 0
        or current <= 0
        or not (current > previous * REVENUE_JUMP_FACTOR or current * REVENUE_JUMP_FACTOR < previous)
    ):
        return None
    if current > previous:
        change = f"增长超过{fmt(REVENUE_GROWTH_LIMIT * 100)}%"
    else:
        change = f"下降超过{fmt((1 - 1 / REVENUE_JUMP_FACTOR) * 100)}%"
    return FigureWarning(
        "operating_revenue",
        year,
        f"营业收入由{previous_year}年的{fmt(previous)}万元变为{year}年的{fmt(current)}万元（{change}），请核实",
        ("operating_revenue",),
    )


def sign_flip(field: str, previous_year: int, previous, year: int, current) -> FigureWarning | None:
    if previous is None or current is None or not (previous < 0 < current or current < 0 < previous):
        return None
    turn = "由盈转亏" if current < 0 else "由亏转盈"
    label = FIGURE_LABELS[field]
    return FigureWarning(
        field,
        year,
        f"{label}由{previous_year}年的{_amount(field, previous)}变为{year}年的{_amount(field, current)}"
        f"（{turn}，正负号改变，增长率无法计算），请核实",
        (field,),
    )


def year_on_year(previous_year: int, previous: Mapping, year: int, current: Mapping) -> list[FigureWarning]:
    """The warnings between two consecutive years' values (each a mapping field → value or None)."""
    out = []
    jump = revenue_jump(
        previous_year, previous.get("operating_revenue"), year, current.get("operating_revenue")
    )
    if jump is not None:
        out.append(jump)
    for field in SIGNED_FIELDS:
        flip = sign_flip(field, previous_year, previous.get(field), year, current.get(field))
        if flip is not None:
            out.append(flip)
    return out


def figures_warnings(
    *, year: int, values: Mapping, stored: Mapping[int, Mapping], changed: Iterable[str] | None = None
) -> list[FigureWarning]:
    """The warnings for one organisation's figures of ``year`` as they will be after a save.

    ``values``: the year's values after the save (stored ones merged with the change);
    ``stored``: the organisation's other years (year → values); ``changed``: the fields the save
    changes (None: all) — a rule that reads none of them says nothing, so a value confirmed
    earlier is not questioned again by an unrelated edit."""
    changed = set(values) if changed is None else set(changed)
    if not changed & CHECKED_FIELDS:
        return []
    out = above_revenue(year, values, values.get("operating_revenue"))
    if year - 1 in stored:
        out.extend(year_on_year(year - 1, stored[year - 1], year, values))
    if year + 1 in stored:
        out.extend(year_on_year(year, values, year + 1, stored[year + 1]))
    return [w for w in out if changed.intersection(w.fields)]
