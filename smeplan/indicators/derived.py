"""Derived values (派生指标) — the ONE definition used by the whole project.

growth (增速)         value(t) / value(t−1) − 1
profit_margin (营业收入利润率)   total_profit / operating_revenue
tax_ratio (税收占比)   tax_paid / operating_revenue
rd_ratio (研发强度)    rd_expense / operating_revenue
debt_ratio (资产负债率) total_liabilities / total_assets

A result is *missing* (数据不全) when an input value is absent, and *undefined* (无法计算) when the
base (previous year's value, or the denominator) is ≤ 0. The two are kept apart: screening reports
the first as 数据不全 and fails the second with its reason.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class DerivedStatus(StrEnum):
    OK = "ok"
    MISSING = "missing"
    UNDEFINED = "undefined"


@dataclass(frozen=True)
class Derived:
    value: Decimal | None
    status: DerivedStatus
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status == DerivedStatus.OK

    def as_percent(self, places: int = 1) -> str:
        """'12.3%' for a value, '数据不全' / '无法计算' otherwise."""
        if self.value is None:
            return "数据不全" if self.status == DerivedStatus.MISSING else "无法计算"
        return f"{self.value * 100:.{places}f}%"


def _dec(x) -> Decimal | None:
    if x is None:
        return None
    return x if isinstance(x, Decimal) else Decimal(str(x))


def growth(current, previous, *, label: str = "") -> Derived:
    """Year-on-year growth: missing if either value is absent; undefined if previous ≤ 0."""
    cur, prev = _dec(current), _dec(previous)
    if cur is None or prev is None:
        which = "本年" if cur is None else "上年"
        return Derived(None, DerivedStatus.MISSING, f"{which}{label}缺失")
    if prev <= 0:
        return Derived(None, DerivedStatus.UNDEFINED, f"上年{label}为{prev}（≤0），增速无法计算")
    return Derived(cur / prev - 1, DerivedStatus.OK)


def ratio(numerator, denominator, *, label: str = "") -> Derived:
    """A share numerator / denominator: missing if either absent; undefined if denominator ≤ 0."""
    num, den = _dec(numerator), _dec(denominator)
    if num is None or den is None:
        return Derived(None, DerivedStatus.MISSING, f"{label}所需数据缺失")
    if den <= 0:
        return Derived(None, DerivedStatus.UNDEFINED, f"{label}的分母为{den}（≤0），无法计算")
    return Derived(num / den, DerivedStatus.OK)


# name → (numerator field, denominator field, Chinese label)
RATIOS: dict[str, tuple[str, str, str]] = {
    "profit_margin": ("total_profit", "operating_revenue", "营业收入利润率"),
    "tax_ratio": ("tax_paid", "operating_revenue", "实缴税金占营业收入比重"),
    "rd_ratio": ("rd_expense", "operating_revenue", "研发强度"),
    "debt_ratio": ("total_liabilities", "total_assets", "资产负债率"),
}
GROWTH_FIELDS: dict[str, str] = {
    "operating_revenue": "营业收入增速",
    "total_profit": "利润总额增速",
    "tax_paid": "实缴税金增速",
    "rd_expense": "研发费用增速",
}


def year_derived(current, previous) -> dict[str, Derived]:
    """All derived values of one year (``current``) given the previous year's figures (or None).

    ``current``/``previous`` are objects or dicts carrying the figure fields.
    """

    def get(obj, field):
        if obj is None:
            return None
        return obj.get(field) if isinstance(obj, dict) else getattr(obj, field, None)

    out: dict[str, Derived] = {}
    for field, label in GROWTH_FIELDS.items():
        out[f"{field}_growth"] = growth(
            get(current, field), get(previous, field), label=label.removesuffix("增速")
        )
    for name, (num, den, label) in RATIOS.items():
        out[name] = ratio(get(current, num), get(current, den), label=label)
    return out
