"""The annex-3 layout (附件3 中小企业成长梯队情况汇总表), defined once: the .xlsx export (through the
export engine, one group row over the column headers) and the filing reader (备案) both use it.

Columns: 地区, 区划代码, then for each level (省级/市级/县级) its three tiers (行业之星/成长之星/
创业之星), then 合计 (梯队企业, 本年新增), then 营业收入 (本年合计 万元, 增速 %, 可比企业数).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smeplan.exchange.export import INTEGER, MONEY, PERCENT, TEXT, Column, Export
from smeplan.reporting.selectors import CELLS, LEVELS, TIER_LABELS, TIERS, Annex3, Annex3Row


@dataclass(frozen=True)
class Field:
    key: str  # "province:growth_star", "enterprises", "revenue", …
    group: str
    label: str
    kind: str
    unit: str | None = None

    @property
    def title(self) -> str:
        """ "省级行业之星": the group and the label, as a one-row header (CSV) spells it."""
        return f"{self.group}{self.label}"


FIELDS: list[Field] = [
    *[
        Field(f"{level}:{tier}", level_label, TIER_LABELS[tier], INTEGER, "家")
        for level, level_label in LEVELS
        for tier, _ in TIERS
    ],
    Field("enterprises", "合计", "梯队企业", INTEGER, "家"),
    Field("new_enterprises", "合计", "本年新增", INTEGER, "家"),
    Field("revenue", "营业收入", "本年合计", MONEY),
    Field("growth", "营业收入", "增速", PERCENT),
    Field("comparable", "营业收入", "可比企业数", INTEGER, "家"),
]
FIELD_BY_KEY = {f.key: f for f in FIELDS}
#: the values compared when a city files its own sheet (可比企业数 is a note, not a reported figure)
FILED_KEYS = [f.key for f in FIELDS if f.key != "comparable"]


def row_values(row: Annex3Row) -> dict:
    """The row's values by field key (counts as int, revenue Decimal or None, growth Decimal or None)."""
    values = {f"{level}:{tier}": row.counts[(level, tier)] for level, tier in CELLS}
    values.update(
        enterprises=row.enterprises,
        new_enterprises=row.new_enterprises,
        revenue=row.revenue,
        growth=row.growth,
        comparable=row.comparable,
    )
    return values


def annex3_export(*, user, result: Annex3, region_label: str) -> Export:
    columns = [Column("地区", TEXT, width=14), Column("区划代码", TEXT, width=9)]
    columns += [Column(f.label, f.kind, unit=f.unit, width=10) for f in FIELDS]
    groups: list[tuple[str, int]] = [("", 2)]
    for f in FIELDS:
        if groups[-1][0] == f.group:
            groups[-1] = (f.group, groups[-1][1] + 1)
        else:
            groups.append((f.group, 1))

    def rows():
        for row in result.rows:
            name = row.name if row.kind != "county" else f"　{row.name}"
            values = row_values(row)
            yield (name, row.code if row.kind != "province" else "", *[values[f.key] for f in FIELDS])

    return Export(
        title=f"{result.year}年中小企业成长梯队情况汇总表",
        actor=user,
        columns=columns,
        rows=rows(),
        groups=groups,
        filters=[("年度", str(result.year)), ("范围", region_label)],
        sheet_name="附件3汇总表",
        freeze_columns=2,
        notes=[
            (
                "梯队企业",
                "省级、市级、县级成长梯队认定在年末仍有效的企业（认定日期不晚于12月31日且未在年内终止）",
            ),
            ("本年新增", "认定日期在本年度内的梯队企业"),
            (
                "营业收入增速",
                "Σ本年营业收入 / Σ上年营业收入 − 1，只计两年营业收入都已填报的企业（可比企业数）",
            ),
            ("排列", "每个市级单位一行（所辖区县合计），其后为所辖各区县（缩进）"),
        ],
    )


_UNIT = re.compile(r"[（(][^）)]*[）)]\s*$")


def header_key(group: str, label: str) -> str | None:
    """The field key of a header cell: its group (carried over merged cells) and its label, the unit
    in brackets ignored; or the one-row form "省级行业之星（家）"."""
    label = _UNIT.sub("", str(label or "").strip()).replace(" ", "").replace("\u3000", "")
    group = str(group or "").strip().replace(" ", "")
    for f in FIELDS:
        if (group == f.group and label == f.label) or label == f.title:
            return f.key
    return None
