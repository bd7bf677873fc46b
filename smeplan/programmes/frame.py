"""The data of many organisations for years [t−k … t] as numpy arrays (筛选数据帧).

One :class:`Frame` holds, per organisation (sorted by id): county, city-level unit, GB/T 4754 code,
division and section, founding year, and the size class and 四上 status *in the screening year t*
(the cached ``Organisation`` value when ``classified_year == t``, else computed with the rules of
``registry.classification`` for t — vectorised per size-class group / 四上 rule, see
:func:`_classify`). Yearly figures are kept as exact integers (money in cents of 万元, employees in
persons) in ``values[field]`` of shape (years, n), with ``present[field]`` telling NULL apart
(a NULL is 0 in ``values`` and False in ``present``).

Loading, PostgreSQL: each column comes as ONE value — ``string_agg(int8send(…), '')``, a bytea of
big-endian int8 (money ``(x * 100)::int8``, NULL → ``NULL_INT8``) — in the single row of a
``COPY (SELECT …) TO STDOUT (FORMAT binary)``, read with ``numpy.frombuffer``: no Python work per
row (psycopg costs ≈ 2.5 µs per COPY row message, 7 s for 2.7 M rows), and no text conversion on
the server. Figure rows carry ``organisation_id · 64 + year offset``. Outside a transaction the
figure table is read in ``ctid`` ranges on parallel connections while this connection reads the
organisations, all in one exported REPEATABLE READ snapshot. A list of organisations (the
evaluation's certified enterprises, an explanation's one) is read by index probes from one array
literal (few ids) or ``= ANY`` (many), the figures on a second connection when outside a
transaction (:func:`_load_pg_ids`). The figures of the size-class / 四上
rules are read for year t only and only for the organisations whose cached classification is of
another year; ``since`` skips the years a figure is not needed for. Elsewhere (SQLite) the ORM's
Decimals are converted exactly. Both paths give the same frame
(``tests/programmes/test_frame_loading_and_vectorised_averages.py``).

Province frames for screenings, previews and charts come from :func:`frame_cached`: assembled
(:func:`frame_from_store` → :func:`frame_assemble`, the same tail as :func:`frame_load`) from the
columnar store of ``frame_store`` — kept in the database, shared by every process, patched from a
trigger-filled change log — instead of reading the tables (at 10^6: ≈ 0.2 s of stored columns
against 3–5 s of the direct load; see ``bench/screening.py``). :func:`frame_load` stays the direct
path: for a list of organisations (evaluation, explanation) and as the reference the store is
tested against.

``memo`` keeps what is derived from the frame (group keys, averages, criterion arrays: see
``averages.py`` and ``engine.py``), so the cached province frame answers repeated screenings and
live previews without recomputing them.

The frame always covers the whole province (the averages need every enterprise of the area); the
screened enterprises are a mask of it (:func:`scope_mask`, from ``accounts.scoping.scope_for``).
"""

from __future__ import annotations

import itertools
import os
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection, transaction

from smeplan.indicators.models import AnnualFigures
from smeplan.regions.models import PROVINCE_CODE
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
    #: per field, (years, n) int64 — a 2-D array, or a list of per-year rows (the store's arrays)
    values: dict[str, np.ndarray | list] = field(default_factory=dict)
    present: dict[str, np.ndarray | list] = field(default_factory=dict)  # the same, bool
    #: first year loaded per field when later than ``first_year`` (earlier years are not loaded:
    #: :meth:`figure` refuses them rather than reporting them missing)
    since: dict[str, int] = field(default_factory=dict)
    #: derived arrays computed once per frame (group keys, averages, criterion statuses); the
    #: frame's arrays are never modified after loading, so they stay valid
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    #: what the data it was read from includes (``frame_store``: a ``pg_current_snapshot()`` text, or
    #: the last logged change on SQLite; the direct parallel read: its snapshot; else "")
    seen: str = ""

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
        if year < self.since.get(name, self.first_year):
            raise ValueError(f"{name} of {year} was not loaded in this frame")
        i = year - self.first_year
        return self.values[name][i], self.present[name][i]

    def loaded_since(self, name: str) -> int | None:
        """First year of ``name`` in the frame (None: not loaded)."""
        return self.since.get(name, self.first_year) if name in self.values else None

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
            values={k: [row[keep] for row in v] for k, v in self.values.items()},
            present={k: [row[keep] for row in v] for k, v in self.present.items()},
            since=dict(self.since),
            seen=self.seen,
        )


# --- regions ------------------------------------------------------------------------------------


def city_of_counties() -> dict[str, str]:
    """county code → its city-level unit code (``regions.selectors.county_cities``: 杨陵区 → 619900,
    韩城市 → 610581)."""
    from smeplan.regions.selectors import county_cities

    return county_cities()


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
    since: dict[str, int] | None = None,
) -> Frame:
    """Load organisations of ``kind`` (all of the province, or ``organisation_ids``) with ``fields``
    for years ``year − years_back`` … ``year``; ``since`` may name, per field, a later first year
    (fewer values read: :meth:`Frame.figure` then refuses the earlier years). The figures of the
    size-class/四上 rules are read for year t only, and only for the organisations whose cached
    classification is not of t; they are not part of ``values`` unless asked for in ``fields``."""
    fields = tuple(dict.fromkeys(fields))
    first = year - years_back
    if years_back + 1 > YEAR_SLOTS:
        raise ValueError(f"at most {YEAR_SLOTS} years in a frame")
    since = {f: min(int(y), year) for f, y in (since or {}).items() if f in fields and int(y) > first}
    postgres = connection.vendor == "postgresql"
    if postgres:
        orgs, (key, cols), classing, seen = _load_pg(kind, organisation_ids, fields, since, first, year)
    else:
        orgs = _orgs_orm(kind, organisation_ids)
        key, cols, classing, seen = None, None, None, ""
    ids = orgs[0]
    n = len(ids)
    ny = years_back + 1
    values = {f: np.zeros((ny, n), dtype=np.int64) for f in fields}
    present = {f: np.zeros((ny, n), dtype=bool) for f in fields}
    if not postgres and n:
        every = tuple(dict.fromkeys((*fields, *CLASSIFICATION_FIELDS)))
        org_id, fyear, orm_cols, nulls = _figures_orm(every, first, year, kind, organisation_ids)
        key = org_id * YEAR_SLOTS + (fyear - first)
        cols = {f: np.where(nulls[j], NULL_INT8, orm_cols[j]) for j, f in enumerate(every)}
        at_t = fyear == year
        classing = (org_id[at_t], {f: cols[f][at_t] for f in CLASSIFICATION_FIELDS})
    if n and key is not None and len(key):
        pos, yi, ok = _positions(ids, key)
        flat = yi * n + pos
        if np.bincount(flat, minlength=ny * n).max(initial=0) > 1:
            raise RuntimeError("an organisation-year was read twice")
        every = bool(ok.all())
        for f in fields:
            col = cols[f] if every else cols[f][ok]
            given = col != NULL_INT8
            values[f].ravel()[flat] = col
            values[f].ravel()[flat[~given]] = 0  # NULL is 0 in values, False in present
            present[f].ravel()[flat] = given
    # the classification figures of year t (only the stale organisations' are used)
    cls_val = {f: np.zeros(n, dtype=np.int64) for f in CLASSIFICATION_FIELDS}
    cls_pres = {f: np.zeros(n, dtype=bool) for f in CLASSIFICATION_FIELDS}
    if n and classing is not None and len(classing[0]):
        c_ids, c_cols = classing
        pos, _, ok = _positions(ids, c_ids * YEAR_SLOTS)
        for f in CLASSIFICATION_FIELDS:
            col = c_cols[f][ok]
            given = col != NULL_INT8
            cls_val[f][pos] = np.where(given, col, 0)
            cls_pres[f][pos] = given
    return frame_assemble(
        year=year,
        first=first,
        orgs=orgs,
        values=values,
        present=present,
        since=since,
        classification=(cls_val, cls_pres),
        seen=seen,
    )


def frame_assemble(
    *, year, first, orgs, values, present, since, classification, seen="", memo: dict | None = None
) -> Frame:
    """The :class:`Frame` from the organisations' arrays (the tuple of ``_orgs_finish``), the
    figures per field as (years, n) arrays or per-year rows and the year-t classification figures
    ({field: values}, {field: present}; only the organisations classified for another year are
    read): regions, industry divisions and sections, and the size class / 四上 of year t. Both the
    direct load (:func:`frame_load`) and the columnar store (``frame_store``) end here; ``memo``
    (the store's) keeps the places and the classification of each year for its next frames."""
    (ids, county, industry_idx, industry_codes, qualification, size_cached, above_cached, cyear, founded) = (
        orgs
    )
    memo = {} if memo is None else memo
    if ("places",) not in memo:
        memo[("places",)] = _places(county, industry_idx, industry_codes)
    city, division, section = memo[("places",)]
    frame = Frame(
        year=year,
        first_year=first,
        ids=ids,
        county=county,
        city=city,
        industry=industry_idx,
        industry_codes=industry_codes,
        division=division,
        section=section,
        size=size_cached,
        above=above_cached,
        founded=founded,
        values=values,
        present=present,
        since=since,
        seen=seen,
    )
    stale = cyear != year
    if stale.any():
        if ("class", year) not in memo:
            cls_val, cls_pres = classification
            size, above = _classify(frame, qualification, stale, cls_val, cls_pres)
            memo[("class", year)] = (
                np.where(stale, size, size_cached).astype(np.int8),
                np.where(stale, above, above_cached).astype(np.int8),
            )
        frame.size, frame.above = memo[("class", year)]
    return frame


def _places(county, industry_idx, industry_codes):
    """(city-level unit, GB/T 4754 division, section letter) per organisation."""
    city_map = city_of_counties()
    county_city = {int(c): int(p) for c, p in city_map.items()}
    uniq_county, inv = dense_codes(county)
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
    # -1 indexes the appended "none"
    return city, code_division[industry_idx], code_section[industry_idx]


#: NULL of a figure as read (a numeric(16,2) in cents never reaches it)
NULL_INT8 = -(2**63)
#: years of a frame packed with the organisation id into one int8 (id · slots + year offset)
YEAR_SLOTS = 64


def dense_codes(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, return_inverse=True)`` for non-negative integer keys — by a presence table
    (no sort) when their range is below 2^24."""
    key = np.asarray(key)
    if len(key) and key.min() >= 0 and key.max() < 1 << 24:
        seen = np.bincount(key, minlength=1) > 0
        uniq = np.flatnonzero(seen)
        rank = np.cumsum(seen) - 1
        return uniq.astype(key.dtype), rank[key]
    uniq, inv = np.unique(key, return_inverse=True)
    return uniq, inv.reshape(-1)


def _positions(ids: np.ndarray, key: np.ndarray):
    """(position in ``ids``, year offset, matched) of packed keys; unmatched keys (organisations of
    another kind or not asked for) are dropped from the positions."""
    org_id, yi = key // YEAR_SLOTS, key % YEAR_SLOTS
    n = len(ids)
    if n and int(ids[-1]) - int(ids[0]) == n - 1:  # consecutive ids (sorted, unique): no search
        pos = org_id - int(ids[0])
        ok = (pos >= 0) & (pos < n)
    else:
        pos = np.searchsorted(ids, org_id)
        ok = (pos < n) & (ids[np.minimum(pos, n - 1)] == org_id)
    return pos[ok], yi[ok].astype(np.intp), ok


def _parallel() -> bool:
    """Read on separate connections (threads) sharing one exported snapshot — only outside a
    transaction (never inside a test's or a service's transaction, whose rows others cannot see)."""
    return not connection.in_atomic_block


def _copy_row(cur, sql: str, params: list) -> list:
    """The single row of ``sql`` (bytea columns) through ``COPY (…) TO STDOUT (FORMAT binary)``:
    one CopyData message, so no Python work per organisation. Returns each column's bytes
    (b"" for NULL)."""
    with cur.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT binary)", params) as copy:
        data = bytearray()
        for block in copy:
            data += block
    view = memoryview(data)
    pos = 11 + 4  # signature, flags
    pos += 4 + int.from_bytes(view[pos : pos + 4], "big")  # header extension
    count = int.from_bytes(view[pos : pos + 2], "big", signed=True)
    pos += 2
    out = []
    for _ in range(count):
        length = int.from_bytes(view[pos : pos + 4], "big", signed=True)
        pos += 4
        if length < 0:
            out.append(b"")
            continue
        out.append(view[pos : pos + length])
        pos += length
    return out


def _ints(raw, width: int = 8) -> np.ndarray:
    return np.frombuffer(raw, dtype=f">i{width}").astype(np.int64)


def _figure_expr(f: str, since: dict[str, int]) -> str:
    """One figure as big-endian int8 (cents / persons, NULL → ``NULL_INT8``) for every row read —
    or, with a later first year in ``since``, only for the rows of those years (``FILTER``: the
    aggregate sees the rows in the same order as the key column, so the parser can align them)."""
    expr = f"f.{f}::int8" if scale_of(f) == 1 else f"(f.{f} * {MONEY_SCALE})::int8"
    out = f"string_agg(int8send(coalesce({expr}, {NULL_INT8})), '')"
    if f in since:
        out += f" FILTER (WHERE f.year >= {int(since[f])})"
    return out


def _figures_sql(fields, since, first, last, where: str, source: str | None = None) -> str:
    """The figure rows of years ``first`` … ``last`` in one row; ``source``: a FROM item aliased
    ``f`` that selects the rows itself (then ``where`` must be empty)."""
    cols = "".join(f", {_figure_expr(f, since)}" for f in fields)
    if source is None:
        source = f"{AnnualFigures._meta.db_table} f WHERE f.year BETWEEN {int(first)} AND {int(last)}{where}"
    return (
        f"SELECT string_agg(int8send(f.organisation_id * {YEAR_SLOTS} + (f.year - {int(first)})), ''){cols} "  # noqa: S608 (table/column names from the models)
        f"FROM {source}"
    )


def _figures_parse(row, fields, since, first):
    key = _ints(row[0])
    cols = {}
    for j, f in enumerate(fields):
        col = _ints(row[1 + j])
        if f in since:  # only the rows of years ≥ since: spread back over all rows
            rows = key % YEAR_SLOTS >= since[f] - first
            if int(rows.sum()) != len(col):
                raise RuntimeError(f"{f}: {len(col)} values for {int(rows.sum())} rows")
            full = np.full(len(key), NULL_INT8, dtype=np.int64)
            full[rows] = col
            col = full
        cols[f] = col
    return key, cols


def _orgs_sql(kind, organisation_ids, source: str | None = None, extra: tuple[str, ...] = ()):
    """The organisations' columns in one row; ``organisation_ids``: a list, or an array literal;
    ``source``: a FROM item aliased ``o`` that selects the organisations itself (no WHERE);
    ``extra``: more int8 expressions, aggregated after the three of ``_orgs_raw``."""
    if source is None:
        where, params = _where(kind, organisation_ids)
        source = f"{Organisation._meta.db_table} o WHERE {where}"
    else:
        params = []
    sizes = " ".join(f"WHEN '{k}' THEN {v}" for k, v in SIZE_CODES.items() if k)
    quals = " ".join(f"WHEN '{k}' THEN {v}" for k, v in QUALIFICATION_CODES.items() if k)
    # the industry code as a number: digits → length·10^4 + value ("3311" → 43311), a section
    # letter → its code point, none → 0; decoded after np.unique
    industry = (
        "(CASE WHEN o.industry_id IS NULL OR o.industry_id = '' THEN 0 "
        "WHEN ascii(o.industry_id) >= 65 THEN ascii(o.industry_id) "
        "ELSE length(o.industry_id) * 10000 + o.industry_id::int END)"
    )
    codes = (
        f"((CASE o.construction_qualification {quals} ELSE 0 END) * 100 "
        f"+ (CASE o.size_class {sizes} ELSE 0 END) * 10 "
        "+ (CASE WHEN o.above_scale THEN 1 WHEN NOT o.above_scale THEN 0 ELSE 2 END))"
    )
    years = (
        "(coalesce(o.classified_year::int, 0) * 10000 + coalesce(date_part('year', o.founded_on)::int, 0))"
    )
    # three aggregates (the cost is per aggregated value): id; county · 2^32 + industry;
    # (qualification · 100 + size · 10 + 四上) · 2^32 + classified year · 10^4 + founding year
    exprs = [
        "int8send(o.id)",
        f"int8send(o.county_id::int8 * 4294967296 + {industry})",
        f"int8send({codes}::int8 * 4294967296 + {years})",
        *(f"int8send(({e})::int8)" for e in extra),
    ]
    sql = (
        "SELECT "  # noqa: S608 (table/column names from the models)
        + ", ".join(f"string_agg({e}, '')" for e in exprs)
        + f" FROM {source}"
    )
    return sql, params


def _orgs_raw(row) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(ids, {attribute: array}) of the organisations in ``_orgs_sql``'s row, sorted by id: county,
    industry (the code as a number, see ``_orgs_sql``), qualification, cached size class and 四上,
    classified year, founding year."""
    ids = _ints(row[0])
    place, status = _ints(row[1]), _ints(row[2])
    county, industry = place >> 32, place & 0xFFFFFFFF
    codes, years = status >> 32, status & 0xFFFFFFFF
    if len(ids) > 1 and not (np.diff(ids) > 0).all():
        order = np.argsort(ids, kind="stable")
        ids, county, industry, codes, years = (a[order] for a in (ids, county, industry, codes, years))
    return ids, {
        "county": county.astype(np.int32),
        "industry": industry.astype(np.int32),
        "qualification": (codes // 100).astype(np.int8),
        "size": (codes // 10 % 10).astype(np.int8),
        "above": (codes % 10).astype(np.int8),
        "cyear": (years // 10000).astype(np.int16),
        "founded": (years % 10000).astype(np.int16),
    }


#: the attributes of :func:`_orgs_raw`, in order, with their types
ORG_ATTRIBUTES = {
    "county": np.int32,
    "industry": np.int32,
    "qualification": np.int8,
    "size": np.int8,
    "above": np.int8,
    "cyear": np.int16,
    "founded": np.int16,
}


def _orgs_finish(ids: np.ndarray, raw: dict[str, np.ndarray]):
    """The organisations' tuple the frame is assembled from: the industry numbers become indexes
    into the list of distinct codes (-1: none)."""
    uniq, inv = dense_codes(raw["industry"])
    industries = [_industry_decode(int(u)) for u in uniq]
    index = np.arange(len(uniq), dtype=np.int32)
    if len(uniq) and uniq[0] == 0:  # "no industry" → -1
        industries = industries[1:]
        index = index - 1
    return (
        ids,
        raw["county"],
        index[inv].astype(np.int32),
        industries,
        raw["qualification"],
        raw["size"],
        raw["above"],
        raw["cyear"],
        raw["founded"],
    )


def _orgs_parse(row):
    return _orgs_finish(*_orgs_raw(row))


def _classing_sql(year: int, ids: list[int] | None) -> tuple[str, list]:
    """The year's classification figures: of every organisation (``ids`` None), or of ``ids``
    probed one by one through the (organisation, year) index from ``unnest`` of one array literal
    (binding a list of 10^4+ ints costs ≈ 4 µs each; ``= ANY`` or a plain join let the planner
    filter the whole year instead)."""
    cols = "".join(f", {_figure_expr(f, {})}" for f in CLASSIFICATION_FIELDS)
    table = AnnualFigures._meta.db_table
    if ids is None:
        source, params = f"{table} f WHERE f.year = {int(year)}", []
    else:
        # LIMIT 1 (the pair is unique) keeps the subquery apart: one index probe per id
        source = (
            f"unnest(%s::int8[]) AS s(id) CROSS JOIN LATERAL (SELECT * FROM {table} f1 "  # noqa: S608 (table/column names from the models)
            f"WHERE f1.organisation_id = s.id AND f1.year = {int(year)} LIMIT 1) f"
        )
        params = ["{" + ",".join(map(str, ids)) + "}"]
    sql = f"SELECT string_agg(int8send(f.organisation_id), ''){cols} FROM {source}"  # noqa: S608 (table/column names from the models)
    return sql, params


def _classing_fetch(cur, orgs, year):
    """Year-t figures of the size-class/四上 rules for the organisations classified for another year."""
    ids, cyear = orgs[0], orgs[7]
    stale = ids[cyear != year]
    if not len(stale):
        return None
    # few: by id through the (organisation, year) index; many (a new year): the whole year
    sql, params = _classing_sql(year, stale.tolist() if len(stale) * 4 < len(ids) else None)
    row = _copy_row(cur, sql, params)
    return _ints(row[0]), {f: _ints(row[1 + j]) for j, f in enumerate(CLASSIFICATION_FIELDS)}


_SNAPSHOT = re.compile(r"^[0-9A-Fa-f-]+$")


def _load_pg(kind, organisation_ids, fields, since, first, last, *, raw=False):
    """Organisations, figures and the classification figures from PostgreSQL. Outside a
    transaction the figures are read in ``ctid`` ranges of the table on parallel connections while
    this one reads the organisations — all in one REPEATABLE READ snapshot (``pg_export_snapshot``),
    so no row can be seen twice or missed; inside a transaction everything runs here. ``raw``: the
    organisations as ``_orgs_raw`` gives them and no classification figures (the columnar store)."""
    if organisation_ids is not None:
        return _load_pg_ids(kind, organisation_ids, fields, since, first, last, raw=raw)
    parse = _orgs_raw if raw else _orgs_parse

    def classing_of(cur, orgs):
        return None if raw else _classing_fetch(cur, orgs, last)

    orgs_sql, orgs_params = _orgs_sql(kind, organisation_ids)
    if not _parallel():
        where, extra = "", []
        with connection.cursor() as cur:
            orgs = parse(_copy_row(cur, orgs_sql, orgs_params))
            figures = _figures_parse(
                _copy_row(cur, _figures_sql(fields, since, first, last, where), extra), fields, since, first
            )
            classing = classing_of(cur, orgs)
        return orgs, figures, classing, ""
    from concurrent.futures import ThreadPoolExecutor

    table = AnnualFigures._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cur.execute("SET LOCAL jit = off")
        cur.execute(
            "SELECT pg_export_snapshot(), pg_relation_size(%s) / current_setting('block_size')::int", [table]
        )
        snapshot, pages = cur.fetchone()
        cur.execute("SELECT pg_current_snapshot()::text")
        seen = cur.fetchone()[0]
        if not _SNAPSHOT.match(snapshot):
            raise RuntimeError(f"unexpected snapshot id {snapshot!r}")
        parts = max(1, min(4, os.cpu_count() or 1))
        bounds = [pages * i // parts for i in range(parts)] + [None]
        sqls = []
        for lo, hi in itertools.pairwise(bounds):
            where = f" AND f.ctid >= '({int(lo)},0)'::tid"
            if hi is not None:
                where += f" AND f.ctid < '({int(hi)},0)'::tid"
            sqls.append(_figures_sql(fields, since, first, last, where))

        def read(sql):
            from django.db import connections

            conn = connections["default"]
            try:
                with transaction.atomic(), conn.cursor() as c:
                    c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    c.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                    c.execute("SET LOCAL jit = off")
                    return _figures_parse(_copy_row(c, sql, []), fields, since, first)
            finally:
                conn.close()

        with ThreadPoolExecutor(len(sqls)) as pool:
            futures = [pool.submit(read, sql) for sql in sqls]
            orgs = parse(_copy_row(cur, orgs_sql, orgs_params))
            classing = classing_of(cur, orgs)
            pieces = [f.result() for f in futures]
    key = np.concatenate([p[0] for p in pieces])
    cols = {f: np.concatenate([p[1][f] for p in pieces]) for f in fields}
    return orgs, (key, cols), classing, seen


#: organisation columns the frame reads (``_orgs_sql``)
_ORG_COLUMNS = (
    "id",
    "county_id",
    "industry_id",
    "construction_qualification",
    "size_class",
    "above_scale",
    "classified_year",
    "founded_on",
)


def _probe(table: str, alias: str, columns, condition: str) -> str:
    """A FROM item reading the rows of ``table`` that match ``condition`` (on ``s.id``) for each id
    of the array parameter, in the array's order, through the index: a LATERAL subquery kept
    apart by ``OFFSET 0`` (the planner would otherwise join the ids to a sequential scan of the
    whole table — 0.25 s for the figures of 20,000 of 10^6 organisations, against ≈ 0.1 s of index
    probes). The ids go as ONE array literal (binding a list of 10^4+ ints costs ≈ 4 µs each)."""
    cols = ", ".join(f"{alias}1.{c}" for c in columns)
    return (
        f"unnest(%s::int8[]) AS s(id) CROSS JOIN LATERAL "  # noqa: S608 (table/column names from the models)
        f"(SELECT {cols} FROM {table} {alias}1 WHERE {condition} OFFSET 0) {alias}"
    )


def _ids_literal(ids: list[int]) -> str:
    from smeplan.indicators.integrity import id_array

    return id_array(ids)


#: probe by id (``_probe``) when the ids are at most this share of the table's organisations;
#: above it one scan of the tables is cheaper
PROBE_SHARE = 0.05


def _use_probes(count: int, reltuples: float) -> bool:
    """Probe ``count`` ids one by one (≤ :data:`PROBE_SHARE` of the organisations, or a table never
    analysed: ``reltuples`` −1) rather than scan."""
    return reltuples < 0 or count <= PROBE_SHARE * reltuples


def _load_pg_ids(kind, organisation_ids, fields, since, first, last, *, raw=False):
    """``_load_pg`` for a list of organisations, in one transaction, JIT off (the probe plans'
    estimated cost passes ``jit_above_cost``: ≈ 10 ms of compiling per query for nothing); outside
    a transaction and from :data:`PARALLEL_IDS` ids, the figures on a second connection in the same
    exported REPEATABLE READ snapshot while this one reads the organisations. Few ids (≤ :data:`PROBE_SHARE` of the organisations): index probes from the
    sorted ids; many: ``= ANY`` over the table, as the planner chooses."""
    ids = sorted({int(i) for i in organisation_ids})
    org_table, fig_table = Organisation._meta.db_table, AnnualFigures._meta.db_table
    parse = _orgs_raw if raw else _orgs_parse

    def classing_of(cur, orgs):
        return None if raw else _classing_fetch(cur, orgs, last)

    parallel = len(ids) >= PARALLEL_IDS and _parallel()
    with transaction.atomic(), connection.cursor() as cur:
        if parallel:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cur.execute(
            "SELECT current_setting('jit'), set_config('jit', 'off', true), reltuples FROM pg_class "
            "WHERE oid = %s::regclass",
            [org_table],
        )
        jit, _, reltuples = cur.fetchone()
        probe = _use_probes(len(ids), float(reltuples))
        literal = _ids_literal(ids)
        if probe:
            source = _probe(org_table, "o", _ORG_COLUMNS, "o1.id = s.id AND o1.kind = %s")
            orgs_sql, orgs_params = _orgs_sql(kind, None, source=source)[0], [literal, kind]
            source = _probe(
                fig_table,
                "f",
                ("organisation_id", "year", *fields),
                f"f1.organisation_id = s.id AND f1.year BETWEEN {int(first)} AND {int(last)}",
            )
            figures_sql, figures_params = (
                _figures_sql(fields, since, first, last, "", source=source),
                [literal],
            )
        else:
            orgs_sql, orgs_params = _orgs_sql(kind, literal)
            figures_sql = _figures_sql(fields, since, first, last, " AND f.organisation_id = ANY(%s::int8[])")
            figures_params = [literal]
        if parallel:
            from concurrent.futures import ThreadPoolExecutor

            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            if not _SNAPSHOT.match(snapshot):
                raise RuntimeError(f"unexpected snapshot id {snapshot!r}")

            def read(part):
                row = _copy_row_in_snapshot(snapshot, figures_sql, [_ids_literal(part)])
                return _figures_parse(row, fields, since, first)

            step = -(-len(ids) // FIGURE_PARTS)
            parts = [ids[i : i + step] for i in range(0, len(ids), step)]
            with ThreadPoolExecutor(len(parts)) as pool:
                futures = [pool.submit(read, part) for part in parts]
                orgs = parse(_copy_row(cur, orgs_sql, orgs_params))
                classing = classing_of(cur, orgs)
                pieces = [f.result() for f in futures]
            figures = (
                np.concatenate([p[0] for p in pieces]),
                {f: np.concatenate([p[1][f] for p in pieces]) for f in fields},
            )
        else:
            orgs = parse(_copy_row(cur, orgs_sql, orgs_params))
            figures = _figures_parse(_copy_row(cur, figures_sql, figures_params), fields, since, first)
            classing = classing_of(cur, orgs)
        cur.execute("SELECT set_config('jit', %s, true)", [jit])
    return orgs, figures, classing, ""


#: from this many ids (and outside a transaction) the figures are read on a second connection
#: while this one reads the organisations
PARALLEL_IDS = 5000
#: the figures of that many id ranges are read on as many connections at once
FIGURE_PARTS = 2


def _copy_row_in_snapshot(snapshot: str, sql: str, params: list) -> list:
    """:func:`_copy_row` on a new connection of this thread, in the exported REPEATABLE READ
    ``snapshot`` (closed afterwards)."""
    from django.db import connections

    conn = connections["default"]
    try:
        with transaction.atomic(), conn.cursor() as c:
            c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            c.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            c.execute("SET LOCAL jit = off")
            return _copy_row(c, sql, params)
    finally:
        conn.close()


def _where(kind, organisation_ids, alias="o"):
    sql = f"{alias}.kind = %s"
    params: list = [kind]
    if organisation_ids is not None:
        sql += f" AND {alias}.id = ANY(%s::int8[])"
        params.append(organisation_ids if isinstance(organisation_ids, str) else list(organisation_ids))
    return sql, params


def _industry_decode(number: int) -> str:
    if number >= 10000:
        length, value = divmod(number, 10000)
        return str(value).zfill(length)
    return chr(number) if number else ""


def _orgs_orm(kind, organisation_ids):
    qs = Organisation.objects.filter(kind=kind).order_by("id")
    if organisation_ids is not None:
        qs = qs.filter(pk__in=list(organisation_ids))
    rows = list(qs.values_list(*_ORG_COLUMNS))
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


def _classify(
    frame: Frame, qualification: np.ndarray, which: np.ndarray, val: dict, pres: dict
) -> tuple[np.ndarray, np.ndarray]:
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


# --- frames from the columnar store (screenings, live preview, charts) ------------------------------

_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()
#: assembled frames kept per database (one per (year, years back), its memo with it)
CACHED_FRAMES = 3


def store_columns(year: int, years_back: int, fields, since: dict[str, int]) -> set[tuple[str, int]]:
    """The figure columns a frame of ``year`` needs: each field from its first year, and the
    figures of the size-class / 四上 rules of year t (for the organisations classified for another
    year)."""
    first = year - years_back
    columns = {(f, y) for f in fields for y in range(since.get(f, first), year + 1)}
    return columns | {(f, year) for f in CLASSIFICATION_FIELDS}


def frame_from_store(store, *, year: int, years_back: int, fields, since: dict[str, int]) -> Frame:
    """The frame of ``year`` assembled from a ``frame_store.Store``: its figures are the store's own
    arrays (per-year rows, shared, never written), its places and classification computed once per
    store; no database access but the region and industry look-ups of the first frame."""
    first = year - years_back
    n = store.n
    if ("orgs",) not in store.memo:
        store.memo[("orgs",)] = _orgs_finish(store.ids, store.attrs)
    if ("none",) not in store.memo:  # the years a field was not loaded for (refused by figure())
        store.memo[("none",)] = (np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool))
    zero, absent = store.memo[("none",)]
    values, present = {}, {}
    for f in fields:
        rows = [
            store.columns[(f, y)] if y >= since.get(f, first) else (zero, absent)
            for y in range(first, year + 1)
        ]
        values[f] = [r[0] for r in rows]
        present[f] = [r[1] for r in rows]
    cls = {f: store.columns[(f, year)] for f in CLASSIFICATION_FIELDS}
    return frame_assemble(
        year=year,
        first=first,
        orgs=store.memo[("orgs",)],
        values=values,
        present=present,
        since=dict(since),
        classification=({f: v for f, (v, _) in cls.items()}, {f: p for f, (_, p) in cls.items()}),
        seen=store.seen,
        memo=store.memo,
    )


def frame_cached(
    *, year: int, years_back: int = 2, fields: tuple[str, ...] = (), since: dict[str, int] | None = None
) -> Frame:
    """The province frame of the enterprises for ``year`` from the columnar store
    (``frame_store.store_get``: this process's copy while nothing was written, else the stored one
    patched with what changed — shared by every process and kept across restarts). The frame is
    kept in the process per (year, years back) with its memo (averages, criterion arrays) for as
    long as the store does not change; a request for other fields assembles one with the union."""
    from smeplan.programmes import frame_store

    first = year - years_back
    if years_back + 1 > YEAR_SLOTS:
        raise ValueError(f"at most {YEAR_SLOTS} years in a frame")
    wanted = {f: (since or {}).get(f, first) for f in dict.fromkeys(fields)}
    wanted = {f: min(max(int(y), first), year) for f, y in wanted.items()}
    key = (connection.settings_dict.get("NAME"), year, years_back)

    def holds(frame: Frame) -> bool:
        return all((frame.loaded_since(f) or year + 1) <= y for f, y in wanted.items())

    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            for f in hit[1].values:  # ask for the union: the kept frame grows, its memo stays valid
                y = hit[1].loaded_since(f)
                wanted[f] = min(y, wanted.get(f, y))
    store = frame_store.store_get(store_columns(year, years_back, wanted, wanted))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == store.token and holds(hit[1]):
            _CACHE[key] = _CACHE.pop(key)  # most recently used last
            return hit[1]
        since_of = {f: y for f, y in wanted.items() if y > first}
        frame = frame_from_store(
            store, year=year, years_back=years_back, fields=tuple(wanted), since=since_of
        )
        # kept under the store's token: a store read inside a transaction that is rolled back is
        # never handed out again, nor are the frames made from it
        _CACHE.pop(key, None)
        _CACHE[key] = (store.token, frame)
        while len(_CACHE) > CACHED_FRAMES:
            _CACHE.pop(next(iter(_CACHE)))
        return frame


def frame_cache_clear() -> None:
    """Forget this process's frames and its copy of the store (the stored state stays)."""
    from smeplan.programmes import frame_store

    with _CACHE_LOCK:
        _CACHE.clear()
    frame_store.store_clear()
