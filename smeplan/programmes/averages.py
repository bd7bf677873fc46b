"""同行业平均 (same-industry averages), computed set-based per year and stored.

growth average of a figure in year t: Σ value(t) / Σ value(t−1) − 1 over every enterprise of the
area (candidates or not, large firms included) having the figure in both years with value(t−1) > 0;
ratio average: Σ numerator / Σ denominator over those having both with denominator > 0. Grouped by
GB/T 4754 division (2 digits) and by section, within the province (610000) and within every
city-level unit. Sums are exact integers (cents): each int64 is split into its high and low 32 bits,
summed with ``np.bincount`` per distinct (city-level unit, division, section) of the frame (chunks of
2^20 rows: both partial sums stay below 2^53, so the float64 weights are exact), added up per group
in int64 and recombined as Python ints. Operands, tables and group resolutions are computed once per
frame (``Frame.memo``); resolution decides once per distinct (area, division, section).

Which group an enterprise is compared with (:meth:`Averages.resolve`): its division in its area when
that has ≥ 5 enterprises, else its section in the same area when ≥ 5, else its section in the
province (flagged when < 5); none at all → 数据不全.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction

from smeplan.programmes.frame import Frame, dense_codes
from smeplan.programmes.metrics import METRICS
from smeplan.regions.models import PROVINCE_CODE

MIN_GROUP = 5
PROVINCE = int(PROVINCE_CODE)


def operands(frame: Frame, metric_code: str, year: int):
    """(numerator, denominator, both present, defined) arrays of a growth or ratio metric in
    ``year``: growth = value(t) / value(t−1), ratio = numerator / denominator (as fractions).
    Computed once per frame, metric and year (``frame.memo``); the arrays are read-only."""
    key = ("operands", metric_code, year)
    hit = frame.memo.get(key)
    if hit is not None:
        return hit
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
    out = (num, den, present, present & (den > 0))
    for arr in out[2:]:
        arr.flags.writeable = False
    frame.memo[key] = out
    return out


def combos(frame: Frame):
    """The distinct (city-level unit, division, section) of ``frame`` (a few thousand): per
    enterprise its combination's index, and per combination its city, division (-1 none) and
    section (0 none) — computed once per frame."""
    hit = frame.memo.get("combos")
    if hit is None:
        city_codes, city_idx = dense_codes(frame.city)
        key = (city_idx.reshape(-1).astype(np.int64) * 101 + (frame.division.astype(np.int64) + 1)) * 256 + (
            frame.section.astype(np.int64)
        )
        uniq, inv = dense_codes(key)
        section = uniq % 256
        division = (uniq // 256) % 101 - 1
        city = city_codes.astype(np.int64)[uniq // 256 // 101] if len(uniq) else np.zeros(0, np.int64)
        hit = frame.memo["combos"] = (inv, city, division, section)
    return hit


def _exact_sums(keys: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per key, the sums of the high and the low 32 bits of ``values`` as int64 (Σ = (high << 32) +
    low, formed with Python ints by the caller). Exact: summed by ``np.bincount`` in chunks of 2^20
    rows, where both partial sums stay below 2^53 (|value| < 2^54), so the float64 weights are exact."""
    shi = np.zeros(size, dtype=np.int64)
    slo = np.zeros(size, dtype=np.int64)
    step = 1 << 20
    for start in range(0, len(values), step):
        k, v = keys[start : start + step], values[start : start + step]
        shi += np.bincount(k, weights=(v >> 32).astype(np.float64), minlength=size).astype(np.int64)
        slo += np.bincount(k, weights=(v & 0xFFFFFFFF).astype(np.float64), minlength=size).astype(np.int64)
    return shi, slo


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

    def __post_init__(self):
        self.ordered = list(self.groups.values())

    def resolve(self, frame: Frame, area: str):
        """Per enterprise of ``frame``: index into ``self.ordered`` of the group it is compared with
        (-1: none), and whether that group is flagged (< 5 even at the province's section). Decided
        once per distinct (area, division, section) of the frame; kept in ``frame.memo``."""
        memo_key = ("resolve", id(self), area)
        hit = frame.memo.get(memo_key)
        if hit is not None and hit[0] is self:
            return hit[1], hit[2]
        self.ordered = list(self.groups.values())
        index = {k: i for i, k in enumerate(self.groups)}
        inv, c_city, c_division, c_section = combos(frame)
        pick = np.full(len(c_city), -1, dtype=np.int64)
        flag = np.zeros(len(c_city), dtype=bool)
        decided: dict = {}
        for j, (city, division, sec) in enumerate(
            zip(c_city.tolist(), c_division.tolist(), c_section.tolist(), strict=True)
        ):
            a = city if area == "city" else PROVINCE
            if (a, division, sec) in decided:
                pick[j], flag[j] = decided[(a, division, sec)]
                continue
            section = chr(sec) if sec else ""
            tries = []
            if division >= 0:
                tries.append((a, "division", f"{division:02d}"))
            if section:
                tries.append((a, "section", section))
                tries.append((PROVINCE, "section", section))
            found, flagged = -1, False
            for k in tries:
                g = self.groups.get(k)
                if g is not None and g.count >= MIN_GROUP:
                    found = index[k]
                    break
            if found < 0 and section:
                g = self.groups.get((PROVINCE, "section", section))
                if g is not None and g.count > 0:
                    found, flagged = index[(PROVINCE, "section", section)], True
            pick[j], flag[j] = found, flagged
            decided[(a, division, sec)] = (found, flagged)
        chosen, flagged = pick[inv], flag[inv]
        chosen.flags.writeable = False
        flagged.flags.writeable = False
        frame.memo[memo_key] = (self, chosen, flagged)
        return chosen, flagged


def table_compute(frame: Frame, metric_code: str, year: int) -> AverageTable:
    """The groups of ``metric_code`` in ``year`` over every enterprise of ``frame``, vectorised:
    exact sums per distinct (city-level unit, division, section) by ``np.bincount``, then added up
    per group (division or section, in the province and in each city-level unit). Computed once per
    frame, metric and year (``frame.memo``)."""
    memo_key = ("table", metric_code, year)
    hit = frame.memo.get(memo_key)
    if hit is not None:
        return hit
    num, den, _, ok = operands(frame, metric_code, year)
    inv, c_city, c_division, c_section = combos(frame)
    size = len(c_city)
    key = np.where(ok, inv, size)  # rows without a defined value go to a discarded bin
    counts = np.bincount(key, minlength=size + 1)[:size].astype(np.int64)
    nhi, nlo = _exact_sums(key, np.where(ok, num, 0), size + 1)
    dhi, dlo = _exact_sums(key, np.where(ok, den, 0), size + 1)
    sums = np.stack([counts, nhi[:size], nlo[:size], dhi[:size], dlo[:size]], axis=1)
    groups: dict = {}
    for area_of in (np.full(size, PROVINCE, dtype=np.int64), c_city):
        for kind, code_of, valid in (
            ("division", c_division, c_division >= 0),
            ("section", c_section, c_section > 0),
        ):
            sel = valid & (counts > 0)
            if not sel.any():
                continue
            gkey = area_of[sel] * 1000 + code_of[sel]
            uniq, ginv = np.unique(gkey, return_inverse=True)
            acc = np.zeros((len(uniq), 5), dtype=np.int64)
            np.add.at(acc, ginv.reshape(-1), sums[sel])  # int64: each column < 2^53 (see _exact_sums)
            for k, (cnt, a_hi, a_lo, b_hi, b_lo) in zip(uniq.tolist(), acc.tolist(), strict=True):
                a, c = divmod(k, 1000)
                code = f"{c:02d}" if kind == "division" else chr(c)
                groups[(a, kind, code)] = Group(a, kind, code, (a_hi << 32) + a_lo, (b_hi << 32) + b_lo, cnt)
    table = AverageTable(metric_code, year, groups)
    frame.memo[memo_key] = table
    return table


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


_STORED: dict = {}
_STORED_LOCK = threading.Lock()


def tables_stored_many(pairs) -> dict[tuple[str, int], AverageTable | None]:
    """:func:`tables_stored` of several (metric, year) pairs, kept in process while their stored
    rows are unchanged: one query reads each pair's row count, highest id, latest ``computed_at``
    and the sums of ``count``, ``numerator`` and ``denominator``, and only the pairs whose figures
    differ from the cached ones are read again. Every write changes them: :func:`tables_store`
    deletes and inserts (new ids), a model save sets ``computed_at``, a changed value changes a
    sum. The tables returned are shared: read-only, like every ``AverageTable``."""
    from django.db import connection

    from smeplan.programmes.models import IndustryAverage

    pairs = sorted(set(pairs))
    if not pairs:
        return {}
    table = IndustryAverage._meta.db_table
    where = " OR ".join(["(year = %s AND metric = %s)"] * len(pairs))
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT metric, year, count(*), max(id), max(computed_at), sum(count), sum(numerator), "  # noqa: S608 (table name from the model)
            f"sum(denominator) FROM {table} WHERE {where} GROUP BY metric, year",
            [v for metric, year in pairs for v in (int(year), metric)],
        )
        signatures = {(r[0], int(r[1])): tuple(str(v) for v in r[2:]) for r in cur.fetchall()}
    db = connection.settings_dict.get("NAME")
    out = {}
    for metric, year in pairs:
        signature = signatures.get((metric, int(year)))
        if signature is None:
            out[(metric, year)] = None
            continue
        key = (db, metric, int(year))
        with _STORED_LOCK:
            hit = _STORED.get(key)
        if hit is not None and hit[0] == signature:
            out[(metric, year)] = hit[1]
            continue
        loaded = tables_stored(year, metric)
        with _STORED_LOCK:
            _STORED[key] = (signature, loaded)
        out[(metric, year)] = loaded
    return out


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
    from smeplan.programmes.frame import frame_cached

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
    frame = frame_cached(year=year, years_back=1, fields=fields)
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
