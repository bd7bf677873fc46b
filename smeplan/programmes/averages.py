"""同行业平均 (same-industry averages), computed set-based per year and stored.

growth average of a figure in year t: Σ value(t) / Σ value(t−1) − 1 over every enterprise of the
area (candidates or not, large firms included) having the figure in both years with value(t−1) > 0;
ratio average: Σ numerator / Σ denominator over those having both with denominator > 0. Grouped by
GB/T 4754 division (2 digits) and by section, within the province (610000) and within every
city-level unit. Sums are exact integers (cents): each int64 is split into its high and low 32 bits,
summed per group with ``np.bincount`` (both partial sums stay below 2^53, so the float64 weights are
exact) and recombined as Python ints.

Which group an enterprise is compared with (:meth:`Averages.resolve`): its division in its area when
that has ≥ 5 enterprises, else its section in the same area when ≥ 5, else its section in the
province (flagged when < 5); none at all → 数据不全.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction

from smeplan.programmes.frame import Frame
from smeplan.programmes.metrics import METRICS
from smeplan.regions.models import PROVINCE_CODE

MIN_GROUP = 5
PROVINCE = int(PROVINCE_CODE)


def operands(frame: Frame, metric_code: str, year: int):
    """(numerator, denominator, both present, defined) arrays of a growth or ratio metric in
    ``year``: growth = value(t) / value(t−1), ratio = numerator / denominator (as fractions)."""
    m = METRICS[metric_code]
    if m.kind == "growth":
        if not frame.has_year(year - 1):
            raise ValueError(f"frame lacks {year - 1}")
        num, num_ok = frame.figure(m.figure, year)
        den, den_ok = frame.figure(m.figure, year - 1)
    else:
        num, num_ok = frame.figure(m.numerator, year)
        den, den_ok = frame.figure(m.denominator, year)
    present = num_ok & den_ok
    return num, den, present, present & (den > 0)


def _exact_sums(keys: np.ndarray, values: np.ndarray, size: int) -> list[int]:
    hi = (values >> 32).astype(np.float64)
    lo = (values & 0xFFFFFFFF).astype(np.float64)
    shi = np.bincount(keys, weights=hi, minlength=size)
    slo = np.bincount(keys, weights=lo, minlength=size)
    return [(int(a) << 32) + int(b) for a, b in zip(shi, slo, strict=True)]


@dataclass
class Group:
    area: int  # region code
    kind: str  # division | section
    code: str  # "34" | "C"
    numerator: int  # Σ, cents (or persons)
    denominator: int
    count: int

    @property
    def value(self) -> Decimal | None:
        if self.denominator <= 0:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)


@dataclass
class AverageTable:
    """The groups of one metric and year: {(area, kind, code): Group}."""

    metric: str
    year: int
    groups: dict[tuple[int, str, str], Group]

    def resolve(self, frame: Frame, area: str):
        """Per enterprise of ``frame``: index into ``self.ordered`` of the group it is compared with
        (-1: none), and whether that group is flagged (< 5 even at the province's section)."""
        self.ordered = list(self.groups.values())
        index = {k: i for i, k in enumerate(self.groups)}
        org_area = frame.city if area == "city" else np.full(frame.n, PROVINCE, dtype=np.int32)
        chosen = np.full(frame.n, -1, dtype=np.int64)
        flagged = np.zeros(frame.n, dtype=bool)
        # distinct (area, division, section) combinations: a few thousand at most
        combo = (
            org_area.astype(np.int64) * 1000 + (frame.division.astype(np.int64) + 1)
        ) * 256 + frame.section
        uniq, inv = np.unique(combo, return_inverse=True)
        pick = np.full(len(uniq), -1, dtype=np.int64)
        flag = np.zeros(len(uniq), dtype=bool)
        for j, c in enumerate(uniq.tolist()):
            section = chr(c % 256) if c % 256 else ""
            division = (c // 256) % 1000 - 1
            a = c // 256 // 1000
            tries = []
            if division >= 0:
                tries.append((a, "division", f"{division:02d}"))
            if section:
                tries.append((a, "section", section))
                tries.append((PROVINCE, "section", section))
            found = -1
            for k in tries:
                g = self.groups.get(k)
                if g is not None and g.count >= MIN_GROUP:
                    found = index[k]
                    break
            if found < 0 and section:
                g = self.groups.get((PROVINCE, "section", section))
                if g is not None and g.count > 0:
                    found, flag[j] = index[(PROVINCE, "section", section)], True
            pick[j] = found
        chosen = pick[inv]
        flagged = flag[inv]
        return chosen, flagged


def table_compute(frame: Frame, metric_code: str, year: int) -> AverageTable:
    """The groups of ``metric_code`` in ``year`` over every enterprise of ``frame``, vectorised."""
    num, den, _, ok = operands(frame, metric_code, year)
    groups: dict = {}
    areas = [("province", np.full(frame.n, PROVINCE, dtype=np.int64)), ("city", frame.city.astype(np.int64))]
    for _, area in areas:
        for kind, code_arr, valid in (
            ("division", frame.division.astype(np.int64), frame.division >= 0),
            ("section", frame.section.astype(np.int64), frame.section > 0),
        ):
            sel = ok & valid
            if not sel.any():
                continue
            key = area[sel] * 1000 + code_arr[sel]
            uniq, inv = np.unique(key, return_inverse=True)
            counts = np.bincount(inv, minlength=len(uniq))
            sn = _exact_sums(inv, num[sel], len(uniq))
            sd = _exact_sums(inv, den[sel], len(uniq))
            for j, k in enumerate(uniq.tolist()):
                a, c = divmod(k, 1000)
                code = f"{c:02d}" if kind == "division" else chr(c)
                groups[(a, kind, code)] = Group(a, kind, code, sn[j], sd[j], int(counts[j]))
    return AverageTable(metric_code, year, groups)


def tables_stored(year: int, metric_code: str) -> AverageTable | None:
    from smeplan.programmes.models import IndustryAverage

    rows = list(
        IndustryAverage.objects.filter(year=year, metric=metric_code).values_list(
            "area_id", "group_kind", "group_code", "numerator", "denominator", "count"
        )
    )
    if not rows:
        return None
    scale = _scale(metric_code)
    groups = {}
    for area, kind, code, n, d, count in rows:
        groups[(int(area), kind, code)] = Group(int(area), kind, code, int(n * scale), int(d * scale), count)
    return AverageTable(metric_code, year, groups)


def _scale(metric_code: str) -> int:
    from smeplan.programmes.frame import scale_of

    m = METRICS[metric_code]
    return scale_of(m.figure if m.kind == "growth" else m.numerator)


def averageable_metrics() -> list[str]:
    return [code for code, m in METRICS.items() if m.averageable]


def tables_store(tables: list[AverageTable]) -> int:
    """Replace the stored rows of each table's (year, metric) with its groups."""
    from smeplan.programmes.models import IndustryAverage

    rows = []
    for t in tables:
        IndustryAverage.objects.filter(year=t.year, metric=t.metric).delete()
        scale = Decimal(_scale(t.metric))
        growth = METRICS[t.metric].kind == "growth"
        for g in t.groups.values():
            v = g.value
            if v is not None:
                v = (v - 1 if growth else v).quantize(Decimal("1e-10"))
            rows.append(
                IndustryAverage(
                    year=t.year,
                    metric=t.metric,
                    area_id=str(g.area),
                    group_kind=g.kind,
                    group_code=g.code,
                    value=v,
                    numerator=Decimal(g.numerator) / scale,
                    denominator=Decimal(g.denominator) / scale,
                    count=g.count,
                )
            )
    IndustryAverage.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def industry_averages_compute(*, actor, year, metrics=None) -> int:
    """Recompute and store the same-industry averages of ``year`` for ``metrics`` (default: every
    averageable metric — growths and ratios) over the whole province and every city-level unit,
    replacing the stored rows of that year and metric; returns the number of rows stored. Bureau
    users only (the averages are province-wide reference data); one audit event."""
    from smeplan.accounts.scoping import require
    from smeplan.audit.services import audit_record
    from smeplan.programmes.frame import frame_load

    require(
        actor.is_authenticated and (actor.is_superuser or actor.is_bureau),
        "只有主管部门用户可以计算同行业平均",
    )
    year = int(year)
    metrics = list(metrics or averageable_metrics())
    for code in metrics:
        if code not in METRICS or not METRICS[code].averageable:
            raise ValueError(f"{code} 不是增速或比率指标")
    fields = tuple({f for c in metrics for f in METRICS[c].figures})
    frame = frame_load(year=year, years_back=1, fields=fields)
    tables = [table_compute(frame, code, year) for code in metrics]
    stored = tables_store(tables)
    from smeplan.regions.models import Region

    audit_record(
        actor=actor,
        event_type="industry_averages.computed",
        subject=Region.objects.get(pk=PROVINCE_CODE),
        payload={"year": year, "metrics": metrics, "rows": stored, "enterprises": frame.n},
    )
    return stored
