"""The data of many organisations for years [t−k … t] as numpy arrays (筛选数据帧).

One :class:`Frame` holds, per organisation (sorted by id): county, city-level unit, GB/T 4754 code,
division and section, founding year, and the size class and 四上 status *in the screening year t*
(the cached ``Organisation`` value when ``classified_year == t``, else computed with the rules of
``registry.classification`` for t — vectorised per size-class group / 四上 rule, see
:func:`_classify`). Yearly figures are kept as exact integers (money in cents of 万元, employees in
persons) in ``values[field]`` of shape (years, n), with ``present[field]`` telling NULL apart
(a NULL is 0 in ``values`` and False in ``present``).

Loading: on PostgreSQL two ``COPY (SELECT …) TO STDOUT (FORMAT binary)`` of fixed-width int8
columns (NULLs coalesced to 0 plus one bit per figure in a null mask column), parsed with
``numpy.frombuffer``; elsewhere the ORM's values (Decimals) converted exactly.

The frame always covers the whole province (the averages need every enterprise of the area); the
screened enterprises are a mask of it (:func:`scope_mask`, from ``accounts.scoping.scope_for``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection

from smeplan.indicators.models import AnnualFigures
from smeplan.regions.models import PROVINCE_CODE, Region
from smeplan.registry.classification import (
    CONSTRUCTION_QUALIFICATIONS,
    _above_rule,
    _size_rows,
    load_above_scale_rules,
    load_sections,
    load_size_class_table,
)
from smeplan.registry.models import Organisation, OrganisationKind

#: size class codes in the frame (0 = 未划型/undecidable)
SIZE_CODES = {"": 0, "micro": 1, "small": 2, "medium": 3, "large": 4}
SIZE_NAMES = {v: k for k, v in SIZE_CODES.items()}
#: 四上 codes: 0 false, 1 true, 2 unknown
ABOVE_CODES = {False: 0, True: 1, None: 2}
ABOVE_NAMES = {0: "false", 1: "true", 2: "unknown"}
QUALIFICATION_CODES = {"": 0, **{q: i + 1 for i, q in enumerate(CONSTRUCTION_QUALIFICATIONS)}}
#: fields the classification for year t needs
CLASSIFICATION_FIELDS = ("employees", "operating_revenue", "total_assets", "main_business_revenue")
MONEY_SCALE = 100  # money is held in cents of 万元


def scale_of(field_name: str) -> int:
    return 1 if field_name == "employees" else MONEY_SCALE


@dataclass
class Frame:
    year: int  # the screening year t
    first_year: int  # t − k
    ids: np.ndarray  # int64, sorted
    county: np.ndarray  # int32 county code
    city: np.ndarray  # int32 city-level unit code
    industry: np.ndarray  # int32 index into industry_codes (-1: none)
    industry_codes: list[str]
    division: np.ndarray  # int16 (-1: none)
    section: np.ndarray  # uint8 letter (0: none)
    size: np.ndarray  # int8, SIZE_CODES
    above: np.ndarray  # int8, ABOVE_CODES
    founded: np.ndarray  # int16 founding year (0: unknown)
    values: dict[str, np.ndarray] = field(default_factory=dict)  # (years, n) int64
    present: dict[str, np.ndarray] = field(default_factory=dict)  # (years, n) bool

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.year + 1))

    def has_year(self, year: int) -> bool:
        return self.first_year <= year <= self.year

    def figure(self, name: str, year: int) -> tuple[np.ndarray, np.ndarray]:
        """(values, present) of ``name`` in ``year`` (int64 in cents / persons, bool)."""
        i = year - self.first_year
        return self.values[name][i], self.present[name][i]

    def subset(self, mask: np.ndarray) -> Frame:
        keep = np.flatnonzero(mask)
        return Frame(
            year=self.year,
            first_year=self.first_year,
            ids=self.ids[keep],
            county=self.county[keep],
            city=self.city[keep],
            industry=self.industry[keep],
            industry_codes=self.industry_codes,
            division=self.division[keep],
            section=self.section[keep],
            size=self.size[keep],
            above=self.above[keep],
            founded=self.founded[keep],
            values={k: v[:, keep] for k, v in self.values.items()},
            present={k: v[:, keep] for k, v in self.present.items()},
        )


# --- regions ------------------------------------------------------------------------------------


def city_of_counties() -> dict[str, str]:
    """county code → its city-level unit code (``Region.city_level_unit_code``: 杨陵区 → 619900,
    韩城市 → 610581)."""
    out = {}
    for code, path in Region.objects.filter(is_county=True).values_list("code", "path"):
        parts = path.strip("/").split("/")
        out[code] = parts[1] if len(parts) > 1 else PROVINCE_CODE
    return out


def scope_mask(frame: Frame, actor) -> np.ndarray:
    """The enterprises of ``frame`` that ``actor`` may screen (``accounts.scoping.scope_for``)."""
    from smeplan.accounts.scoping import scope_for

    scope = scope_for(actor)
    if scope.everything:
        return np.ones(frame.n, dtype=bool)
    if scope.county_codes:
        return np.isin(frame.county, np.array(sorted(int(c) for c in scope.county_codes), dtype=np.int32))
    if scope.organisation_id is not None:
        return frame.ids == scope.organisation_id
    return np.zeros(frame.n, dtype=bool)


# --- loading ------------------------------------------------------------------------------------


def frame_load(
    *,
    year: int,
    years_back: int = 2,
    fields: tuple[str, ...] = (),
    kind: str = OrganisationKind.ENTERPRISE,
    organisation_ids: list[int] | None = None,
) -> Frame:
    """Load organisations of ``kind`` (all of the province, or ``organisation_ids``) with ``fields``
    for years ``year − years_back`` … ``year``."""
    fields = tuple(dict.fromkeys((*fields, *CLASSIFICATION_FIELDS)))
    first = year - years_back
    postgres = connection.vendor == "postgresql"
    orgs = _orgs_pg(kind, organisation_ids) if postgres else _orgs_orm(kind, organisation_ids)
    (ids, county, industry_idx, industry_codes, qualification, size_cached, above_cached, cyear, founded) = (
        orgs
    )
    n = len(ids)
    ny = years_back + 1
    values = {f: np.zeros((ny, n), dtype=np.int64) for f in fields}
    present = {f: np.zeros((ny, n), dtype=bool) for f in fields}
    if n:
        if postgres:
            org_id, fyear, cols, nulls = _figures_pg(fields, first, year, kind, organisation_ids)
        else:
            org_id, fyear, cols, nulls = _figures_orm(fields, first, year, kind, organisation_ids)
        pos = np.searchsorted(ids, org_id)
        ok = (pos < n) & (ids[np.minimum(pos, n - 1)] == org_id) if len(org_id) else np.zeros(0, bool)
        pos, yi = pos[ok], (fyear[ok] - first).astype(np.intp)
        for j, f in enumerate(fields):
            values[f][yi, pos] = cols[j][ok]
            present[f][yi, pos] = ~nulls[j][ok]
    city_map = city_of_counties()
    county_city = {int(c): int(p) for c, p in city_map.items()}
    uniq_county, inv = np.unique(county, return_inverse=True)
    city = np.array([county_city.get(int(c), int(PROVINCE_CODE)) for c in uniq_county], dtype=np.int32)[inv]
    divisions = load_sections()
    code_division = np.array(
        [int(c[:2]) if c[:2].isdigit() else -1 for c in industry_codes] + [-1], dtype=np.int16
    )
    code_section = np.array(
        [
            ord(divisions.get(c[:2], "\0")) if c[:2].isdigit() else (ord(c[0]) if c else 0)
            for c in industry_codes
        ]
        + [0],
        dtype=np.uint8,
    )
    frame = Frame(
        year=year,
        first_year=first,
        ids=ids,
        county=county,
        city=city,
        industry=industry_idx,
        industry_codes=industry_codes,
        division=code_division[industry_idx],  # -1 indexes the appended "none"
        section=code_section[industry_idx],
        size=size_cached,
        above=above_cached,
        founded=founded,
        values=values,
        present=present,
    )
    stale = cyear != year
    if stale.any():
        size, above = _classify(frame, qualification, stale)
        frame.size = np.where(stale, size, size_cached).astype(np.int8)
        frame.above = np.where(stale, above, above_cached).astype(np.int8)
    return frame


def _where(kind, organisation_ids, alias="o"):
    sql = f"{alias}.kind = %s"
    params: list = [kind]
    if organisation_ids is not None:
        sql += f" AND {alias}.id = ANY(%s)"
        params.append(list(organisation_ids))
    return sql, params


def _parallel() -> bool:
    """Fetch years on separate connections (threads) — only outside a transaction, where other
    connections see the same data (never inside a test's or a service's transaction)."""
    return not connection.in_atomic_block


def _columns(sql: str, params: list, kinds: tuple[str, ...], *, using=None) -> list:
    """One row of ``string_agg(…::text, ',')`` columns → numpy arrays, parsed in C by
    ``np.fromstring(sep=',')``: "i" int64; "m" money (万元 with 2 decimals, NULL written as 'nan') →
    (int64 cents, present); "n" a count (persons) → (int64, present). Each column comes as one
    value instead of one COPY message per row (psycopg iterates COPY per row: ≈5 µs each in
    Python, 20 s for 3.6 million rows)."""
    conn = connection if using is None else using
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    out = []
    for text, kind in zip(row, kinds, strict=True):
        text = text or ""
        if kind == "i":
            out.append(np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64))
            continue
        floats = np.fromstring(text, dtype=np.float64, sep=",") if text else np.zeros(0)
        present = ~np.isnan(floats)
        scaled = np.where(present, floats, 0.0) * (MONEY_SCALE if kind == "m" else 1)
        if len(scaled) and np.abs(scaled).max() >= 2**52:
            raise ValueError("figure too large for the exact float path")  # numeric(16,2) < 2^52 cents
        # a decimal with ≤ 2 places read as the nearest double, times 100, is within 1e-3 of its
        # integer number of cents for |cents| < 2^52: rounding recovers it exactly
        out.append((np.rint(scaled).astype(np.int64), present))
    return out


def _orgs_pg(kind, organisation_ids):
    where, params = _where(kind, organisation_ids)
    sizes = " ".join(f"WHEN '{k}' THEN {v}" for k, v in SIZE_CODES.items() if k)
    quals = " ".join(f"WHEN '{k}' THEN {v}" for k, v in QUALIFICATION_CODES.items() if k)
    # the industry code as a number: digits → length·10^4 + value ("3311" → 43311), a letter → its
    # code point, none → 0; decoded after np.unique
    exprs = [
        "o.id",
        "o.county_id",
        "(CASE WHEN o.industry_id IS NULL OR o.industry_id = '' THEN 0 "
        "WHEN o.industry_id ~ '^[0-9]+$' THEN length(o.industry_id) * 10000 + o.industry_id::int "
        "ELSE ascii(o.industry_id) END)",
        f"(CASE o.construction_qualification {quals} ELSE 0 END)",
        f"(CASE o.size_class {sizes} ELSE 0 END)",
        "(CASE WHEN o.above_scale THEN 1 WHEN NOT o.above_scale THEN 0 ELSE 2 END)",
        "coalesce(o.classified_year, 0)",
        "coalesce(extract(year FROM o.founded_on)::int, 0)",
    ]
    sql = (
        "SELECT "  # noqa: S608 (table/column names from the models)
        + ", ".join(f"string_agg(({e})::text, ',')" for e in exprs)
        + f" FROM {Organisation._meta.db_table} o WHERE {where}"
    )
    cols = _columns(sql, params, ("i",) * len(exprs))
    order = np.argsort(cols[0], kind="stable")
    data = [c[order] for c in cols]
    uniq, inv = np.unique(data[2], return_inverse=True)
    industries = [_industry_decode(int(u)) for u in uniq]
    index = np.arange(len(uniq), dtype=np.int32)
    if len(uniq) and uniq[0] == 0:  # "no industry" → -1
        industries = industries[1:]
        index = index - 1
    return (
        data[0],
        data[1].astype(np.int32),
        index[inv].astype(np.int32),
        industries,
        data[3].astype(np.int8),
        data[4].astype(np.int8),
        data[5].astype(np.int8),
        data[6].astype(np.int16),
        data[7].astype(np.int16),
    )


def _industry_decode(number: int) -> str:
    if number >= 10000:
        length, value = divmod(number, 10000)
        return str(value).zfill(length)
    return chr(number) if number else ""


def _orgs_orm(kind, organisation_ids):
    qs = Organisation.objects.filter(kind=kind).order_by("id")
    if organisation_ids is not None:
        qs = qs.filter(pk__in=list(organisation_ids))
    rows = list(
        qs.values_list(
            "id",
            "county_id",
            "industry_id",
            "construction_qualification",
            "size_class",
            "above_scale",
            "classified_year",
            "founded_on",
        )
    )
    industries = sorted({r[2] for r in rows if r[2]})
    index = {c: i for i, c in enumerate(industries)}
    return (
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([int(r[1]) for r in rows], dtype=np.int32),
        np.array([index.get(r[2], -1) for r in rows], dtype=np.int32),
        industries,
        np.array([QUALIFICATION_CODES.get(r[3] or "", 0) for r in rows], dtype=np.int8),
        np.array([SIZE_CODES.get(r[4] or "", 0) for r in rows], dtype=np.int8),
        np.array([ABOVE_CODES[r[5]] for r in rows], dtype=np.int8),
        np.array([r[6] or 0 for r in rows], dtype=np.int16),
        np.array([r[7].year if r[7] else 0 for r in rows], dtype=np.int16),
    )


def _figures_pg(fields, first, last, kind, organisation_ids):
    """Figure rows of years first…last: one query per year (on parallel connections outside a
    transaction), each one row of comma-joined columns. Organisations of another kind are dropped
    when the rows are matched to the frame's ids."""
    cols = ", ".join(f"string_agg(coalesce(f.{f}::text, 'nan'), ',')" for f in fields)
    where = ""
    extra: list = []
    if organisation_ids is not None:
        where = " AND f.organisation_id = ANY(%s)"
        extra = [list(organisation_ids)]
    sql = (
        f"SELECT string_agg(f.organisation_id::text, ','), {cols} "  # noqa: S608 (table/column names from the models)
        f"FROM {AnnualFigures._meta.db_table} f WHERE f.year = %s{where}"
    )
    kinds = ("i", *(("m" if scale_of(f) != 1 else "n") for f in fields))

    def one(y, using=None):
        return y, _columns(sql, [y, *extra], kinds, using=using)

    years = list(range(first, last + 1))
    if _parallel() and len(years) > 1 and organisation_ids is None:
        from concurrent.futures import ThreadPoolExecutor

        from django.db import connections

        def threaded(y):
            try:
                return one(y, using=connections["default"])
            finally:
                connections["default"].close()

        with ThreadPoolExecutor(len(years)) as pool:
            parts = list(pool.map(threaded, years))
    else:
        parts = [one(y) for y in years]
    org_id = np.concatenate([p[1][0] for p in parts])
    fyear = np.concatenate([np.full(len(p[1][0]), p[0], dtype=np.int64) for p in parts])
    values = [np.concatenate([p[1][1 + j][0] for p in parts]) for j in range(len(fields))]
    nulls = [~np.concatenate([p[1][1 + j][1] for p in parts]) for j in range(len(fields))]
    return org_id, fyear, values, nulls


def _exact_int(value, scale: int) -> int:
    scaled = Decimal(value) * scale
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more decimals than the frame keeps")
    return int(scaled)


def _figures_orm(fields, first, last, kind, organisation_ids):
    qs = AnnualFigures.objects.filter(year__gte=first, year__lte=last, organisation__kind=kind).order_by()
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    rows = list(qs.values_list("organisation_id", "year", *fields))
    org_id = np.array([r[0] for r in rows], dtype=np.int64)
    fyear = np.array([r[1] for r in rows], dtype=np.int64)
    cols, nulls = [], []
    for j, f in enumerate(fields):
        s = scale_of(f)
        cols.append(
            np.array([0 if r[2 + j] is None else _exact_int(r[2 + j], s) for r in rows], dtype=np.int64)
        )
        nulls.append(np.array([r[2 + j] is None for r in rows], dtype=bool))
    return org_id, fyear, cols, nulls


# --- classification in year t, vectorised ------------------------------------------------------


def _ceil_scaled(bound: Decimal, scale: int) -> int:
    """Smallest integer v (in units of 1/scale) with v ≥ bound·scale: v/scale ≥ bound ⇔ v ≥ this."""
    scaled = Decimal(bound) * scale
    integral = int(scaled.to_integral_value(rounding="ROUND_CEILING"))
    return integral


_METRIC_FIELD = {"employees": "employees", "revenue": "operating_revenue", "assets": "total_assets"}


def _classify(frame: Frame, qualification: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Size class and 四上 codes for year t of the organisations in ``which`` — the rules of
    ``classification.size_class_value`` / ``above_scale_value``, resolved once per distinct
    industry code (a few hundred) and applied to arrays per size-class group / 四上 rule."""
    t = frame.year
    table, rules = load_size_class_table(), load_above_scale_rules()
    size = np.zeros(frame.n, dtype=np.int8)
    above = np.full(frame.n, 2, dtype=np.int8)
    codes = frame.industry_codes
    # per distinct industry code: its size rows and its 四上 (fixed value, rule)
    row_keys: dict = {}
    code_rows = np.full(len(codes) + 1, -1, dtype=np.int32)
    rule_keys: dict = {}
    code_rule = np.full(len(codes) + 1, -1, dtype=np.int32)
    code_fixed = np.full(len(codes) + 1, 2, dtype=np.int8)
    for i, c in enumerate(codes):
        rows = _size_rows(c, t, table)
        if rows is not None:
            code_rows[i] = row_keys.setdefault(rows, len(row_keys))
        fixed, rule = _above_rule(c, t, rules)
        if rule is None:
            code_fixed[i] = ABOVE_CODES[fixed]
        else:
            code_rule[i] = rule_keys.setdefault(rule, len(rule_keys))
    ind = frame.industry  # -1 → the appended "none" slot
    org_rows = code_rows[ind]
    i_t = t - frame.first_year
    val = {f: frame.values[f][i_t] for f in CLASSIFICATION_FIELDS}
    pres = {f: frame.present[f][i_t] for f in CLASSIFICATION_FIELDS}
    for rows, k in row_keys.items():
        sel = which & (org_rows == k)
        if not sel.any():
            continue
        idx = np.flatnonzero(sel)

        def meets(attr, missing_as, idx=idx, rows=rows):
            ok = np.ones(len(idx), dtype=bool)
            for r in rows:
                f = _METRIC_FIELD[r.metric]
                bound = _ceil_scaled(getattr(r, attr), scale_of(f))
                ok &= np.where(pres[f][idx], val[f][idx] >= bound, missing_as)
            return ok

        def level(missing_as, idx=idx):
            out = np.full(len(idx), SIZE_CODES["micro"], dtype=np.int8)
            out[meets("small_min", missing_as)] = SIZE_CODES["small"]
            out[meets("medium_min", missing_as)] = SIZE_CODES["medium"]
            out[meets("sme_upper", missing_as)] = SIZE_CODES["large"]
            return out

        low, high = level(False), level(True)
        size[idx] = np.where(low == high, low, 0)
    above[which] = code_fixed[ind][which]
    org_rule = code_rule[ind]
    for rule, k in rule_keys.items():
        sel = which & (org_rule == k)
        if not sel.any():
            continue
        idx = np.flatnonzero(sel)
        if rule.basis == "qualification":
            q = qualification[idx]
            above[idx] = np.where(q == 0, 2, np.where(q == QUALIFICATION_CODES["none"], 0, 1))
            continue
        other = "operating_revenue" if rule.basis == "main_business_revenue" else "main_business_revenue"
        amount = np.where(pres[rule.basis][idx], val[rule.basis][idx], val[other][idx])
        known = pres[rule.basis][idx] | pres[other][idx]
        bound = _ceil_scaled(rule.threshold_wan, MONEY_SCALE)
        above[idx] = np.where(known, (amount >= bound).astype(np.int8), 2)
    return size, above


# --- the process cache (live preview) ------------------------------------------------------------

_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()


def data_version(year: int, years_back: int) -> tuple:
    """What changes when the data a frame of ``year`` depends on changes: the latest update and the
    number of figure rows of those years, and the latest organisation update."""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT max(updated_at), count(*) FROM {AnnualFigures._meta.db_table} WHERE year BETWEEN %s AND %s",  # noqa: S608 (table/column names from the models)
            [year - years_back, year],
        )
        figures = cur.fetchone()
        cur.execute(f"SELECT max(updated_at), count(*) FROM {Organisation._meta.db_table}")  # noqa: S608 (table/column names from the models)
        orgs = cur.fetchone()
    return (str(figures[0]), figures[1], str(orgs[0]), orgs[1])


def frame_cached(*, year: int, years_back: int = 2, fields: tuple[str, ...] = ()) -> Frame:
    """The province frame from the process cache when the data has not changed since it was loaded
    (keyed by database, year, years and :func:`data_version`); missing fields are loaded anew."""
    version = data_version(year, years_back)
    key = (connection.settings_dict.get("NAME"), year, years_back)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == version and all(f in hit[1].values for f in fields):
            return hit[1]
        wanted = tuple(dict.fromkeys((*(hit[1].values if hit and hit[0] == version else ()), *fields)))
        frame = frame_load(year=year, years_back=years_back, fields=wanted)
        _CACHE.clear()  # one province frame at a time (≈ 200 MB at 10^6)
        _CACHE[key] = (version, frame)
        return frame


def frame_cache_clear() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()
