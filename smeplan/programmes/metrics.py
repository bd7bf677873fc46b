"""The ONE registry of metrics a criterion can test (指标库). Knows figures, not plans.

A metric is evaluated for an enterprise in a year ``t``:

* ``figure`` — a yearly figure of ``t`` (万元, persons);
* ``growth`` — growth of a figure from ``t−1`` to ``t`` (``indicators.derived.growth``: missing when a
  year is absent, undefined when the base ≤ 0);
* ``ratio`` — a share of two figures of ``t`` (``indicators.derived.ratio``);
* ``category`` — a property compared with ``in`` / ``not_in`` (size class in ``t``, 四上 in ``t``,
  industry membership by GB/T 4754 code prefix);
* ``number`` — years since founding (``t`` − founding year);
* ``manual`` — checked by a reviewer (市场占有率, 信息化应用): listed, never decided by the system.

``averageable`` metrics (growths and ratios) may be compared with the same-industry average instead of
a fixed threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from smeplan.indicators.derived import GROWTH_FIELDS, RATIOS
from smeplan.indicators.models import FIGURE_FIELDS


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    kind: str  # figure | growth | ratio | category | number | manual
    unit: str = ""  # 万元 / 人 / % / 年 / ""
    figure: str = ""  # figure: the field; growth: the field
    numerator: str = ""  # ratio
    denominator: str = ""  # ratio
    choices: tuple[tuple[str, str], ...] = ()  # category: allowed values and labels

    @property
    def averageable(self) -> bool:
        return self.kind in ("growth", "ratio")

    @property
    def is_rate(self) -> bool:
        return self.kind in ("growth", "ratio")

    @property
    def figures(self) -> tuple[str, ...]:
        """The yearly figures the metric reads."""
        if self.kind in ("figure", "growth"):
            return (self.figure,)
        if self.kind == "ratio":
            return (self.numerator, self.denominator)
        return ()

    @property
    def years_back(self) -> int:
        """How many years before ``t`` it needs (growth: 1)."""
        return 1 if self.kind == "growth" else 0


SIZE_CHOICES = (("large", "大型"), ("medium", "中型"), ("small", "小型"), ("micro", "微型"), ("", "未划型"))
ABOVE_SCALE_CHOICES = (("true", "是四上企业"), ("false", "不是四上企业"), ("unknown", "无法判定"))


def _build() -> dict[str, Metric]:
    metrics: dict[str, Metric] = {}
    for field, label, unit in FIGURE_FIELDS:
        metrics[field] = Metric(field, label, "figure", unit, figure=field)
    for field, label in GROWTH_FIELDS.items():
        metrics[f"growth.{field}"] = Metric(f"growth.{field}", label, "growth", "%", figure=field)
    for code, (numerator, denominator, label) in RATIOS.items():
        metrics[f"ratio.{code}"] = Metric(
            f"ratio.{code}", label, "ratio", "%", numerator=numerator, denominator=denominator
        )
    # the main business (主营业务): its share of operating revenue and its growth (优质中小企业评价)
    metrics["growth.main_business_revenue"] = Metric(
        "growth.main_business_revenue", "主营业务收入增速", "growth", "%", figure="main_business_revenue"
    )
    metrics["ratio.main_business_share"] = Metric(
        "ratio.main_business_share",
        "主营业务收入占营业收入比重",
        "ratio",
        "%",
        numerator="main_business_revenue",
        denominator="operating_revenue",
    )
    metrics["size_class"] = Metric("size_class", "企业规模", "category", choices=SIZE_CHOICES)
    metrics["above_scale"] = Metric("above_scale", "四上企业", "category", choices=ABOVE_SCALE_CHOICES)
    metrics["industry"] = Metric("industry", "所属行业（GB/T 4754 代码前缀）", "category")
    metrics["years_since_founding"] = Metric("years_since_founding", "成立年限", "number", "年")
    metrics["manual.market_share"] = Metric("manual.market_share", "细分市场占有率", "manual")
    metrics["manual.it_use"] = Metric("manual.it_use", "信息化应用水平", "manual")
    metrics["manual.other"] = Metric("manual.other", "其他（由审核人员核实）", "manual")
    return metrics


METRICS: dict[str, Metric] = _build()


def metric(code: str) -> Metric:
    try:
        return METRICS[code]
    except KeyError:
        raise KeyError(f"unknown metric {code!r}") from None
