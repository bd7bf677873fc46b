"""The province frame's data as columns kept in the database (筛选数据帧的列式快照), shared by every
process and kept current by patching what changed instead of reading 10^6 organisations again.

A :class:`Store` holds the enterprises (sorted ids), their attributes (``frame.ORG_ATTRIBUTES``: the
raw values the frame is assembled from) and figure columns, one per (field, year) asked for so far
(a pair: int64 in cents / persons with 0 for NULL, and present). :func:`store_get` returns one
holding the columns asked for and current for the caller's connection:

* **this process's copy** (``_STORES``) when no write has been logged since it was read — one
  indexed query on ``programmes_framechange`` (``FrameChange``), which database triggers fill on
  every write to the organisations and their figures, whatever the write path;
* else **the stored state** (``FrameState`` + ``FrameColumn``: one row per array, read with one
  binary ``COPY … TO STDOUT``, ≈ 0.2 s at 10^6 instead of 3–5 s for the tables) when this process
  has none or an older one — after a restart, or in a worker started after an import;
* **patched** with what changed since (:func:`_changes`, :func:`_patch`), in one REPEATABLE READ
  snapshot: on PostgreSQL the organisation and figure rows whose ``xmin`` is a logged statement's,
  read in one scan of each table with their values (the figures in two halves on two
  connections), and the enterprises that were deleted, left or joined the enterprises read again
  whole; on SQLite the logged organisations read again. Arrays are changed copy-on-write and only
  where a value differs; enterprises coming or going splice the arrays; above
  :data:`REBUILD_SHARE` of them everything is read again;
* **stored again** for the other processes when it holds new columns or drifted
  :data:`STORE_SHARE` from the stored state — only the arrays that changed are written, the others
  move to the new state — and by :func:`store_refresh` right after a large import (its job).

Validity on PostgreSQL is by transaction ids: a store read in snapshot S is current while every
logged statement visible to the reader belongs to a transaction visible in S
(``pg_visible_in_snapshot``) — exact, and the reader's own uncommitted writes count as changes.
Inside a transaction (``connection.in_atomic_block``) a store may be read and patched but is only
kept for that transaction and its open savepoints (it may hold writes that are rolled back) and
never stored. The log is pruned below the stored state's snapshot (``horizon``); a process holding
an older copy reads the stored one instead.

``frame.frame_cached`` assembles frames from the store (``frame.frame_from_store`` →
``frame.frame_assemble``, as the direct load does);
``tests/programmes/test_frame_store_matches_direct_load.py`` checks that they agree with
``frame_load`` after inserts, updates, deletes, enterprises leaving and joining, attribute changes,
writes in raw SQL, rolled-back writes and new columns, on PostgreSQL and SQLite.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction

from smeplan.indicators.models import AnnualFigures
from smeplan.programmes.models import FrameChange, FrameColumn, FrameState
from smeplan.registry.models import Organisation, OrganisationKind

logger = logging.getLogger(__name__)

#: version of what a stored state holds; another version is ignored (and replaced)
FORMAT = 1
KIND = OrganisationKind.ENTERPRISE
#: read everything again instead of patching when more than this share of the enterprises changed
REBUILD_SHARE = 0.25
#: store a patched copy for the other processes when this share of the enterprises changed since
#: the stored one (smaller changes are patched by each process on its own, cheaply)
STORE_SHARE = 0.05
#: a patch reads the changed organisations by id in chunks of this many (SQLite's variable limit)
ID_CHUNK = 500
NULL32 = -(2**31)

Column = tuple[str, int]  # (figure field, year)


@dataclass(eq=False)
class Store:
    ids: np.ndarray  # int64, sorted
    attrs: dict[str, np.ndarray]  # frame.ORG_ATTRIBUTES
    columns: dict[Column, tuple[np.ndarray, np.ndarray]]  # (int64 values, 0 for NULL; bool present)
    seen: str  # PostgreSQL: pg_snapshot text; SQLite: the last FrameChange id included
    #: identifies this content (frames assembled from it are cached under it)
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    #: the FrameState row holding exactly this content (None: only in memory)
    state_id: int | None = None
    #: organisations patched since the stored state it descends from
    drift: int = 0
    #: the stored state whose arrays this one shares, and the names of those it changed since
    #: (None: all) — a write moves the others to the new state instead of writing them again
    base_state: int | None = None
    dirty: frozenset | None = None
    #: read inside a transaction: kept for that transaction only
    ephemeral: bool = False
    #: what frames derive from it alike (organisations' tuple, places, classification per year):
    #: the arrays are never modified, so it stays valid
    memo: dict = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.ids)


_LOCK = threading.RLock()
#: this process's copy per database (read outside a transaction: committed data only)
_STORES: dict[str, Store] = {}
#: per database: the copy read inside the open transaction, with what identifies it (``_tx_key``)
_TX: dict[str, tuple] = {}


def store_clear() -> None:
    """Forget this process's copies (the stored state stays)."""
    with _LOCK:
        _STORES.clear()
        _TX.clear()


def _db() -> str:
    return str(connection.settings_dict.get("NAME"))


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# --- change detection ---------------------------------------------------------------------------
#
# ``seen`` on PostgreSQL: the pg_snapshot text the data was read in; read inside a transaction that
# has written, ``"<snapshot>|<own xid>|<last log id>"``: the transaction's own writes logged after
# that id are changes too (a snapshot taken inside a transaction counts it as visible).


def _parts(seen: str) -> tuple[str, int, int]:
    snap, _, own = seen.partition("|")
    if not own:
        return snap, -1, 0
    xid, last = own.split("|")
    return snap, int(xid), int(last)


def _xmin(seen: str) -> int:
    return int(_parts(seen)[0].split(":")[0])


def _order(seen: str) -> int:
    """How far a state's snapshot reaches (larger: later)."""
    return int(_parts(seen)[0].split(":")[1]) if _postgres() else int(seen)


def _usable(seen: str, horizon: int) -> bool:
    """The log still holds every change a state read at ``seen`` has not seen."""
    return (_xmin(seen) if _postgres() else int(seen)) >= horizon


def _log_where(seen: str) -> tuple[str, list]:
    """The log rows of the writes a state read at ``seen`` does not include (as visible to this
    connection: committed ones and its own)."""
    if not _postgres():
        return "id > %s", [int(seen)]
    snap, own, last = _parts(seen)
    return (
        "xid >= %s AND ((xid <> %s AND NOT pg_visible_in_snapshot(xid::text::xid8, %s::pg_snapshot)) "
        "OR (xid = %s AND id > %s))",
        [_xmin(seen), own, snap, own, last],
    )


def _changed(seen: str) -> bool:
    """Has any write visible to this connection been logged that ``seen`` does not include?"""
    where, params = _log_where(seen)
    with connection.cursor() as cur:
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {FrameChange._meta.db_table} WHERE {where})", params)  # noqa: S608 (table name from the model)
        return bool(cur.fetchone()[0])


def _latest():
    """(id, format, seen, horizon) of the newest stored state, or None."""
    return FrameState.objects.order_by("-id").values_list("id", "format", "seen", "horizon").first()


def _current_seen(cur) -> str:
    """What the data read next in this transaction includes (read before the data)."""
    log = FrameChange._meta.db_table
    if not _postgres():
        cur.execute(f"SELECT coalesce(max(id), 0) FROM {log}")  # noqa: S608 (table name from the model)
        return str(cur.fetchone()[0])
    cur.execute(
        f"SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned()::text, "  # noqa: S608 (table name from the model)
        f"(SELECT coalesce(max(id), 0) FROM {log})"
    )
    snap, own, last = cur.fetchone()
    return snap if own is None else f"{snap}|{own}|{last}"


@dataclass
class Changes:
    """What was written since a store was read: organisations to read again whole (no longer or
    newly enterprises; SQLite: every logged one), organisations deleted, figure rows deleted (or
    moved: organisation id · 10^4 + year), enterprises whose own row changed (their attributes,
    ``frame._orgs_raw``), and the figure rows written (``key`` = organisation id · YEAR_SLOTS + year −
    ``first``, values as ``frame._figures_parse`` gives them)."""

    reload: np.ndarray
    removed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    gone: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    org_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    org_attrs: dict = field(default_factory=dict)
    key: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    cols: dict = field(default_factory=dict)
    first: int = 0
    _touched: int | None = None

    def touched(self) -> int:
        """How many organisations changed."""
        from smeplan.programmes.frame import YEAR_SLOTS

        if self._touched is None:
            parts = (self.reload, self.removed, self.gone // 10000, self.org_ids, self.key // YEAR_SLOTS)
            self._touched = len(np.unique(np.concatenate(parts)))
        return self._touched


def _changes(cur, store: Store, *, parallel: bool = False) -> Changes | None:
    """What was written since ``store`` was read (None: a table was truncated), in ``cur``'s
    transaction. PostgreSQL: the organisation and figure rows whose ``xmin`` is one of the logged
    statements' (one scan each, values read for those rows only; ``parallel``: ``cur`` is in a
    REPEATABLE READ transaction of its own, and the second half of the figures is read on another
    connection in its exported snapshot meanwhile), the ids the DELETE triggers logged."""
    from smeplan.programmes.frame import (
        _SNAPSHOT,
        _copy_row,
        _copy_row_in_snapshot,
        _figures_parse,
        _figures_sql,
    )

    log = FrameChange._meta.db_table
    where, params = _log_where(store.seen)
    if not _postgres():
        cur.execute(f"SELECT organisation_id FROM {log} WHERE {where}", params)  # noqa: S608 (table name from the model)
        return Changes(reload=np.unique(np.array([r[0] for r in cur.fetchall()], dtype=np.int64)))
    cur.execute(f"SELECT xmin::text, everything, deleted, deleted_rows FROM {log} WHERE {where}", params)  # noqa: S608 (table name from the model)
    xids, removed, gone = set(), [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for xmin, everything, orgs, rows in cur.fetchall():
        if everything:
            return None
        if orgs is not None:
            removed.append(np.frombuffer(bytes(orgs), dtype=">i8").astype(np.int64))
        elif rows is not None:
            gone.append(np.frombuffer(bytes(rows), dtype=">i8").astype(np.int64))
        else:
            xids.add(int(xmin))
    changes = Changes(
        reload=np.zeros(0, dtype=np.int64),
        removed=_within(np.unique(np.concatenate(removed)), store.ids),
        gone=np.unique(np.concatenate(gone)),
    )
    if not xids:
        return changes
    literal = "{" + ",".join(str(x) for x in sorted(xids)) + "}"
    if not store.columns:
        _organisation_changes(cur, literal, store, changes)
        return changes
    fields, since, first, last = _span(store.columns)
    where = " AND f.xmin = ANY(%s::xid[])"
    if parallel:
        from concurrent.futures import ThreadPoolExecutor

        cur.execute(
            "SELECT pg_export_snapshot(), pg_relation_size(%s) / current_setting('block_size')::int",
            [AnnualFigures._meta.db_table],
        )
        snapshot, pages = cur.fetchone()
        if not _SNAPSHOT.match(snapshot):
            raise RuntimeError(f"unexpected snapshot id {snapshot!r}")
        half = f"'({int(pages) // 2},0)'::tid"
        with ThreadPoolExecutor(1) as pool:
            other = _figures_sql(fields, since, first, last, f"{where} AND f.ctid >= {half}")
            future = pool.submit(_copy_row_in_snapshot, snapshot, other, [literal])
            _organisation_changes(cur, literal, store, changes)
            mine = _figures_sql(fields, since, first, last, f"{where} AND f.ctid < {half}")
            rows = [_copy_row(cur, mine, [literal]), future.result()]
    else:
        _organisation_changes(cur, literal, store, changes)
        rows = [_copy_row(cur, _figures_sql(fields, since, first, last, where), [literal])]
    parts = [_figures_parse(row, fields, since, first) for row in rows]
    changes.key = np.concatenate([p[0] for p in parts])
    changes.cols = {f: np.concatenate([p[1][f] for p in parts]) for f in fields}
    changes.first = first
    return changes


def _member(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in the sorted ``ids`` (a binary search each: no pass over ``ids``)."""
    if not len(ids):
        return np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(ids, values), len(ids) - 1)
    return ids[pos] == values


def _within(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    return values[_member(values, ids)]


def _organisation_changes(cur, literal: str, store: Store, changes: Changes) -> None:
    """The organisations the logged statements wrote (a frozen row keeps its xmin), enterprises or
    not: their attributes, or — no longer an enterprise, or one new to the store — read again whole."""
    from smeplan.programmes.frame import _copy_row, _ints, _orgs_raw, _orgs_sql

    source = f"{Organisation._meta.db_table} o WHERE o.xmin = ANY(%s::xid[])"
    sql, _ = _orgs_sql(KIND, None, source=source, extra=(f"(o.kind = '{KIND}')::int",))
    row = _copy_row(cur, sql, [literal])
    raw_ids = _ints(row[0])
    flag = _ints(row[3]) == 1
    ids, attrs = _orgs_raw(row[:3])
    if len(raw_ids) > 1 and not (np.diff(raw_ids) > 0).all():
        flag = flag[np.argsort(raw_ids, kind="stable")]
    known = _member(ids, store.ids)
    changes.reload = np.union1d(changes.reload, ids[known != flag])
    keep = known & flag
    changes.org_ids = ids[keep]
    changes.org_attrs = {k: v[keep] for k, v in attrs.items()}


def _patch(store: Store, changes: Changes) -> Store:
    """``store`` with ``changes`` applied: spliced when enterprises come or go, else changed in
    place — new arrays only where a value differs (frames already made from ``store`` keep theirs,
    and a write stores only those). Deleted figure rows go first: a row deleted and written again
    is among the rows written."""
    from smeplan.programmes.frame import NULL_INT8, ORG_ATTRIBUTES, _positions

    out = store
    edit = _Edit(store)
    if len(changes.reload) or len(changes.removed):
        if len(changes.reload):
            ids, attrs, cols, _ = _read_rows(set(store.columns), ids=changes.reload.tolist())
        else:
            ids = np.zeros(0, dtype=np.int64)
            attrs = {k: np.zeros(0, dtype=t) for k, t in ORG_ATTRIBUTES.items()}
            cols = {c: (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)) for c in store.columns}
        same = not len(changes.removed) and len(ids) == len(changes.reload) and _member(ids, store.ids).all()
        if same:  # the same enterprises: their values only
            pos = np.searchsorted(store.ids, ids)
            for k, v in attrs.items():
                edit.attr(k, pos, v)
            for c, pair in cols.items():
                edit.column(c, pos, *pair)
        else:
            out = _splice(store, np.union1d(changes.reload, changes.removed), ids, attrs, cols)
            edit = _Edit(out, moved=True)
    if len(changes.gone):
        org, year = changes.gone // 10000, changes.gone % 10000
        pos = np.searchsorted(out.ids, org)
        ok = (pos < out.n) & (out.ids[np.minimum(pos, max(out.n - 1, 0))] == org)
        for f, y in out.columns:
            rows = ok & (year == y)
            if rows.any():
                at = pos[rows]
                edit.column((f, y), at, np.zeros(len(at), dtype=np.int64), np.zeros(len(at), dtype=bool))
    if len(changes.org_ids):
        pos = np.searchsorted(out.ids, changes.org_ids)
        ok = (pos < out.n) & (out.ids[np.minimum(pos, max(out.n - 1, 0))] == changes.org_ids)
        for k, v in changes.org_attrs.items():
            edit.attr(k, pos[ok], v[ok])
    if len(changes.key):
        pos, yi, ok = _positions(out.ids, changes.key)
        for f, y in out.columns:
            rows = yi == y - changes.first
            if rows.any():
                given = changes.cols[f][ok][rows]
                edit.column((f, y), pos[rows], np.where(given == NULL_INT8, 0, given), given != NULL_INT8)
    return Store(
        ids=out.ids,
        attrs=edit.attrs,
        columns=edit.columns,
        seen=store.seen,
        drift=store.drift + changes.touched(),
        base_state=store.base_state,
        dirty=None if edit.dirty is None else frozenset(edit.dirty),
        memo=_memo_kept(store, edit) if out is store else {},
    )


def _memo_kept(store: Store, edit: _Edit) -> dict:
    """What of ``store``'s memo (``frame.frame_from_store``) still holds after ``edit`` in place: the
    organisations' tuple and places while no attribute changed, a year's classification while its
    figures did not either."""
    from smeplan.programmes.frame import CLASSIFICATION_FIELDS

    if any(name.startswith("a:") for name in edit.changed):
        return {}
    kept = {}
    for key, value in store.memo.items():
        if key[0] == "class" and any(_name((f, key[1])) in edit.changed for f in CLASSIFICATION_FIELDS):
            continue
        kept[key] = value
    return kept


class _Edit:
    """Copy-on-write changes to a store's arrays, with the names of those that changed."""

    def __init__(self, store: Store, *, moved: bool = False):
        self.attrs, self.columns = dict(store.attrs), dict(store.columns)
        # None: every array counts as changed (positions moved, or nothing stored to share)
        self.dirty = None if moved or store.dirty is None else set(store.dirty)
        self.copied: set = set()
        self.changed: set[str] = set()  # by this edit

    def _mark(self, name: str) -> None:
        self.changed.add(name)
        if self.dirty is not None:
            self.dirty.add(name)

    def attr(self, k: str, pos: np.ndarray, values: np.ndarray) -> None:
        if np.array_equal(self.attrs[k][pos], values):
            return  # e.g. a name or contact changed: not what the frame holds
        if ("a", k) not in self.copied:
            self.attrs[k] = self.attrs[k].copy()
            self.copied.add(("a", k))
        self.attrs[k][pos] = values
        self._mark(f"a:{k}")

    def column(self, c: Column, pos: np.ndarray, values: np.ndarray, present: np.ndarray) -> None:
        old = self.columns[c]
        if np.array_equal(old[0][pos], values) and np.array_equal(old[1][pos], present):
            return  # rows written again with the values they had (a re-import)
        if ("f", c) not in self.copied:
            self.columns[c] = (old[0].copy(), old[1].copy())
            self.copied.add(("f", c))
        self.columns[c][0][pos] = values
        self.columns[c][1][pos] = present
        self._mark(_name(c))


# --- reading the tables -------------------------------------------------------------------------


def _span(columns) -> tuple[tuple[str, ...], dict[str, int], int, int]:
    """fields, per-field first year (when later than the first), first and last year of ``columns``."""
    fields = tuple(sorted({f for f, _ in columns}))
    first = min(y for _, y in columns)
    last = max(y for _, y in columns)
    since = {}
    for f in fields:
        y = min(y for g, y in columns if g == f)
        if y > first:
            since[f] = y
    return fields, since, first, last


def _scatter(ids: np.ndarray, key, cols, columns, first: int) -> dict[Column, np.ndarray]:
    """Columns over ``ids`` from figure rows (``key`` = organisation id · YEAR_SLOTS + year − first)."""
    from smeplan.programmes.frame import NULL_INT8, _positions

    n = len(ids)
    out = {c: (np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)) for c in columns}
    if key is None or not len(key) or not n:
        return out
    pos, yi, ok = _positions(ids, key)
    for f, y in columns:
        rows = yi == y - first
        col = cols[f][ok][rows]
        values, present = out[(f, y)]
        given = col != NULL_INT8
        values[pos[rows]] = np.where(given, col, 0)
        present[pos[rows]] = given
    return out


def _industry_encode(code: str | None) -> int:
    """The industry code as ``frame._orgs_sql`` numbers it (digits: length · 10^4 + value)."""
    if not code:
        return 0
    if ord(code[0]) >= 65:
        return ord(code[0])
    return len(code) * 10000 + int(code)


def _orgs_orm_raw(ids=None):
    """``frame._orgs_raw`` through the ORM (SQLite), of every enterprise or of ``ids``."""
    from smeplan.programmes.frame import (
        _ORG_COLUMNS,
        ABOVE_CODES,
        ORG_ATTRIBUTES,
        QUALIFICATION_CODES,
        SIZE_CODES,
    )

    rows = []
    qs = Organisation.objects.filter(kind=KIND).order_by("id")
    if ids is None:
        rows = list(qs.values_list(*_ORG_COLUMNS))
    else:
        ids = [int(i) for i in ids]
        for i in range(0, len(ids), ID_CHUNK):
            rows += list(qs.filter(pk__in=ids[i : i + ID_CHUNK]).values_list(*_ORG_COLUMNS))
        rows.sort()
    values = {
        "county": [int(r[1]) for r in rows],
        "industry": [_industry_encode(r[2]) for r in rows],
        "qualification": [QUALIFICATION_CODES.get(r[3] or "", 0) for r in rows],
        "size": [SIZE_CODES.get(r[4] or "", 0) for r in rows],
        "above": [ABOVE_CODES[r[5]] for r in rows],
        "cyear": [r[6] or 0 for r in rows],
        "founded": [r[7].year if r[7] else 0 for r in rows],
    }
    return (
        np.array([r[0] for r in rows], dtype=np.int64),
        {k: np.array(values[k], dtype=t) for k, t in ORG_ATTRIBUTES.items()},
    )


def _figures_orm_rows(fields, first, last, ids=None):
    """(key, {field: int64 with NULL_INT8}) of the enterprises' figure rows through the ORM."""
    from smeplan.programmes.frame import NULL_INT8, YEAR_SLOTS, _figures_orm

    if ids is None:
        parts = [_figures_orm(fields, first, last, KIND, None)]
    else:
        ids = [int(i) for i in ids]
        parts = [
            _figures_orm(fields, first, last, KIND, ids[i : i + ID_CHUNK])
            for i in range(0, len(ids), ID_CHUNK)
        ]
    org_id = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    fyear = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    cols = {}
    for j, f in enumerate(fields):
        values = np.concatenate([p[2][j] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        nulls = np.concatenate([p[3][j] for p in parts]) if parts else np.zeros(0, dtype=bool)
        cols[f] = np.where(nulls, NULL_INT8, values)
    return org_id * YEAR_SLOTS + (fyear - first), cols


def _read_rows(columns, ids=None):
    """(ids, attributes, {column: array}) of every enterprise (``ids`` None) or of ``ids`` — in the
    caller's transaction; PostgreSQL outside a transaction: ``frame._load_pg``'s parallel read, and
    its snapshot."""
    from smeplan.programmes.frame import _load_pg

    seen = ""
    if columns:
        fields, since, first, last = _span(columns)
    else:
        fields, since, first, last = (), {}, 2000, 2000
    if _postgres():
        raw, (key, cols), _, seen = _load_pg(KIND, ids, fields, since, first, last, raw=True)
        org_ids, attrs = raw
    else:
        org_ids, attrs = _orgs_orm_raw(ids)
        key, cols = _figures_orm_rows(fields, first, last, ids) if fields else (None, None)
    return org_ids, attrs, _scatter(org_ids, key, cols, columns, first), seen


def _build(columns: set[Column]) -> Store:
    """Everything read anew: on PostgreSQL outside a transaction in one snapshot (the parallel
    read's); else what is seen is taken before the data, so that whatever commits meanwhile is
    patched in again later."""
    if _postgres() and not connection.in_atomic_block:
        ids, attrs, cols, seen = _read_rows(columns)
    else:
        with connection.cursor() as cur:
            seen = _current_seen(cur)
        ids, attrs, cols, _ = _read_rows(columns)
    return Store(ids=ids, attrs=attrs, columns=cols, seen=seen, drift=len(ids))


def _splice(store: Store, changed: np.ndarray, ids, attrs, cols) -> Store:
    """``store`` with the organisations ``changed`` replaced by (``ids``, ``attrs``, ``cols``) — the
    ones of them that are still enterprises."""
    keep = ~np.isin(store.ids, changed, assume_unique=True)
    merged = np.concatenate([store.ids[keep], ids])
    order = np.argsort(merged, kind="stable")
    return Store(
        ids=merged[order],
        attrs={k: np.concatenate([v[keep], attrs[k]])[order] for k, v in store.attrs.items()},
        columns={
            c: tuple(np.concatenate([part[keep], new])[order] for part, new in zip(v, cols[c], strict=True))
            for c, v in store.columns.items()
        },
        seen=store.seen,
        state_id=None,
        drift=store.drift + len(changed),
        base_state=store.base_state,
        dirty=None,
    )


def _refresh(base: Store | None, columns: set[Column]) -> Store:
    """``base`` brought up to date and given ``columns`` (or everything read anew) — in one
    REPEATABLE READ transaction on PostgreSQL (the caller's transaction when inside one)."""
    wanted = set(columns) | (set(base.columns) if base is not None else set())
    if base is None:
        return _build(wanted)
    inside = connection.in_atomic_block
    with transaction.atomic(savepoint=False), connection.cursor() as cur:
        jit = None
        if _postgres():
            if not inside:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cur.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
            jit = cur.fetchone()[0]
        seen = _current_seen(cur)
        changes = _changes(cur, base, parallel=_postgres() and not inside)
        if changes is None or len(changes.reload) + len(changes.removed) > REBUILD_SHARE * max(base.n, 1):
            store = None
        elif not changes.touched() and wanted <= set(base.columns):
            store = Store(
                ids=base.ids,
                attrs=base.attrs,
                columns=base.columns,
                seen=seen,
                token=base.token,
                state_id=base.state_id,
                drift=base.drift,
                base_state=base.base_state,
                dirty=base.dirty,
                memo=base.memo,
            )
        else:
            store = _patch(base, changes) if changes.touched() else base
            missing = wanted - set(store.columns)
            store = Store(
                ids=store.ids,
                attrs=store.attrs,
                columns={**store.columns, **(_columns(cur, store.ids, missing) if missing else {})},
                seen=seen,
                drift=store.drift,
                base_state=store.base_state,
                dirty=None if store.dirty is None else store.dirty | {_name(c) for c in missing},
                memo=store.memo,  # still valid: _patch kept what holds, new columns change nothing in it
            )
        if jit is not None:
            cur.execute("SELECT set_config('jit', %s, true)", [jit])
    return _build(wanted) if store is None else store


def _columns(cur, ids: np.ndarray, columns: set[Column]) -> dict[Column, np.ndarray]:
    """Figure columns of the organisations ``ids``, read in the caller's transaction."""
    from smeplan.programmes.frame import _copy_row, _figures_parse, _figures_sql

    fields, since, first, last = _span(columns)
    if _postgres():
        row = _copy_row(cur, _figures_sql(fields, since, first, last, ""), [])
        key, cols = _figures_parse(row, fields, since, first)
    else:
        key, cols = _figures_orm_rows(fields, first, last)
    return _scatter(ids, key, cols, columns, first)


# --- the stored state -----------------------------------------------------------------------------


def _name(column: Column) -> str:
    return f"f:{column[0]}:{column[1]}"


def _encode(values: np.ndarray, present: np.ndarray) -> tuple[str, bytes]:
    """A figure column as little-endian int32 when every value fits (NULL: int32 min), else int64
    (NULL: ``frame.NULL_INT8``); ``null`` when it has no value at all."""
    from smeplan.programmes.frame import NULL_INT8

    if not present.any():
        return "null", b""
    given = values[present]
    if given.min() > NULL32 and given.max() < 2**31:
        return "<i4", np.where(present, values, NULL32).astype("<i4").tobytes()
    return "<i8", np.where(present, values, NULL_INT8).astype("<i8").tobytes()


def _decode(dtype: str, data, n: int) -> tuple[np.ndarray, np.ndarray]:
    from smeplan.programmes.frame import NULL_INT8

    if dtype == "null":
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    raw = np.frombuffer(data, dtype=dtype)
    present = raw != (NULL32 if dtype == "<i4" else NULL_INT8)
    values = np.where(present, raw, 0).astype(np.int64, copy=False)
    return values, present


def _write(store: Store) -> int:
    """Store ``store`` as the current state; older states and the log rows it includes go. The
    arrays it shares unchanged with the stored state it descends from are moved to the new state
    (their values are not written again)."""
    from smeplan.programmes.frame import ORG_ATTRIBUTES

    horizon = _xmin(store.seen) if _postgres() else int(store.seen)
    arrays = {"ids": lambda: ("<i8", store.ids.astype("<i8").tobytes())}
    for k, t in ORG_ATTRIBUTES.items():
        dtype = np.dtype(t).newbyteorder("<")
        arrays[f"a:{k}"] = lambda k=k, dtype=dtype: (dtype.str, store.attrs[k].astype(dtype).tobytes())
    for column, pair in store.columns.items():
        arrays[_name(column)] = lambda pair=pair: _encode(*pair)
    with transaction.atomic():
        state = FrameState.objects.create(
            format=FORMAT, seen=store.seen, horizon=horizon, enterprises=store.n
        )
        moved = set()
        if store.base_state is not None and store.dirty is not None and "ids" not in store.dirty:
            same = [name for name in arrays if name not in store.dirty]
            FrameColumn.objects.filter(state_id=store.base_state, name__in=same).update(state=state)
            moved = set(FrameColumn.objects.filter(state=state).values_list("name", flat=True))
        rows = [(name, *make()) for name, make in arrays.items() if name not in moved]
        if _postgres():  # binary COPY: the bytes as they are (no hex escaping of 8 MB values)
            table = FrameColumn._meta.db_table
            with (
                connection.cursor() as cur,
                cur.cursor.copy(
                    f"COPY {table} (state_id, name, dtype, data) FROM STDIN (FORMAT binary)"
                ) as copy,
            ):
                copy.set_types(["int8", "text", "text", "bytea"])
                for name, dtype, data in rows:
                    copy.write_row((state.pk, name, dtype, data))
        else:
            for name, dtype, data in rows:
                FrameColumn.objects.create(state=state, name=name, dtype=dtype, data=data)
        FrameColumn.objects.filter(state__lt=state.pk).delete()
        FrameState.objects.filter(pk__lt=state.pk).delete()
        if _postgres():
            FrameChange.objects.filter(xid__lt=horizon).delete()
        else:
            FrameChange.objects.filter(pk__lte=horizon).delete()
    store.base_state, store.dirty = state.pk, frozenset()
    return state.pk


def _read_state(state_id: int, seen: str) -> Store | None:
    """The stored state's arrays (one binary COPY on PostgreSQL)."""
    from smeplan.programmes.frame import ORG_ATTRIBUTES

    table = FrameColumn._meta.db_table
    if _postgres():
        with connection.cursor() as cur:
            sql = f"SELECT name, dtype, data FROM {table} WHERE state_id = %s"  # noqa: S608 (table name from the model)
            rows = _copy_rows(cur, sql, [state_id])
        rows = [(bytes(a).decode(), bytes(b).decode(), c) for a, b, c in rows]
    else:
        rows = list(FrameColumn.objects.filter(state_id=state_id).values_list("name", "dtype", "data"))
    named = {name: (dtype, data) for name, dtype, data in rows}
    if "ids" not in named:
        return None
    ids = np.frombuffer(named.pop("ids")[1], dtype="<i8").astype(np.int64)
    attrs = {}
    for k, t in ORG_ATTRIBUTES.items():
        dtype, data = named.pop(f"a:{k}")
        attrs[k] = np.frombuffer(data, dtype=dtype).astype(t)
    columns = {}
    for name, (dtype, data) in named.items():
        _, f, y = name.split(":")
        columns[(f, int(y))] = _decode(dtype, data, len(ids))
    return Store(
        ids=ids,
        attrs=attrs,
        columns=columns,
        seen=seen,
        state_id=state_id,
        base_state=state_id,
        dirty=frozenset(),
    )


def _copy_rows(cur, sql: str, params: list) -> list[list]:
    """Every row of ``sql`` through ``COPY (…) TO STDOUT (FORMAT binary)`` (a few rows of large
    values: no per-value conversion by the driver)."""
    with cur.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT binary)", params) as copy:
        data = bytearray()
        for block in copy:
            data += block
    view = memoryview(data)
    pos = 11 + 4
    pos += 4 + int.from_bytes(view[pos : pos + 4], "big")
    out = []
    while True:
        count = int.from_bytes(view[pos : pos + 2], "big", signed=True)
        pos += 2
        if count < 0:  # trailer
            return out
        row = []
        for _ in range(count):
            length = int.from_bytes(view[pos : pos + 4], "big", signed=True)
            pos += 4
            if length < 0:
                row.append(None)
                continue
            row.append(view[pos : pos + length])
            pos += length
        out.append(row)


# --- the entry points ---------------------------------------------------------------------------------


def _tx_key():
    """What identifies the caller's transaction and savepoints (a store read inside it is valid
    only while they are all still open: a savepoint rolled back may have taken writes it saw)."""
    blocks = connection.atomic_blocks
    return (blocks[0], tuple(connection.savepoint_ids)) if blocks else None


def _tx_store(db: str) -> Store | None:
    held = _TX.get(db)
    key = _tx_key()
    if held is None or key is None:
        return None
    (outer, savepoints), store = held
    if outer is not key[0] or key[1][: len(savepoints)] != savepoints:
        _TX.pop(db, None)
        return None
    return store


def store_get(columns: set[Column], *, keep: bool = True, store: bool = False) -> Store:
    """A store of the enterprises holding ``columns``, current for this connection: this process's
    copy when nothing was written since (one indexed query), else the stored state, patched with
    what changed since it was read (or everything read anew). Outside a transaction the result is
    kept in the process (``keep``) and stored for the other processes when it holds new columns,
    drifted :data:`STORE_SHARE` from the stored one, or ``store`` asks for it. Inside one it is
    kept for that transaction only (it may hold writes that are rolled back)."""
    columns = set(columns)
    inside = connection.in_atomic_block
    with _LOCK:
        db = _db()
        mine = _STORES.get(db)
        latest = _latest()
        horizon = latest[3] if latest is not None else 0
        if mine is not None and not _usable(mine.seen, horizon):
            mine = None
        if inside:
            held = _tx_store(db)
            if held is not None and columns <= set(held.columns) and not _changed(held.seen):
                return held
            mine = held or mine
        fresh = mine is not None and columns <= set(mine.columns) and not _changed(mine.seen)
        if fresh and (inside or not store or (latest is not None and mine.state_id == latest[0])):
            return mine
        base = mine
        current = latest is not None and latest[1] == FORMAT
        # the stored state when this process has none, or an older one
        if current and (
            base is None or (latest[0] != base.state_id and _order(latest[2]) > _order(base.seen))
        ):
            base = _read_state(latest[0], latest[2]) or base
        result = _refresh(base, columns)
        if inside:
            result.ephemeral = True
            _TX[db] = (_tx_key(), result)
            return result
        if not current or result.state_id != latest[0]:
            stored = _state_columns(latest[0]) if current else set()
            if (
                store
                or not current
                or set(result.columns) - stored
                or result.drift >= max(1, STORE_SHARE * result.n)
            ):
                result.state_id = _write(result)
                result.drift = 0
        if keep:
            _STORES[db] = result
        return result


def _state_columns(state_id: int) -> set[Column]:
    columns = set()
    for name in FrameColumn.objects.filter(state_id=state_id, name__startswith="f:").values_list(
        "name", flat=True
    ):
        _, f, y = name.split(":")
        columns.add((f, int(y)))
    return columns


def store_refresh() -> bool:
    """After a large write (an import): bring the stored state up to date for every process, when
    there is one (nothing is built if no screening ever needed it). Never raises."""
    try:
        if connection.in_atomic_block:
            return False
        latest = FrameState.objects.order_by("-id").values_list("id", flat=True).first()
        if latest is None:
            return False
        store_get(_state_columns(latest), keep=False, store=True)
        return True
    except Exception:  # the import is done; a stale stored state is patched by the next reader
        logger.exception("refreshing the stored screening frame failed")
        return False
