"""Name search (名称检索), pinyin order and counts of the enterprise list at provincial scale.

**SQLite** (the embedded default, thousands of rows): ``name LIKE '%q%' OR former_names LIKE '%q%'``,
sorted with the ``pinyin`` collation; counts are exact.

**PostgreSQL** (10^6 rows). Enterprise names begin with a region name (陕西…, 西安…, 雁塔…), so in
name order the holders of a region-name fragment sit together, and so do a city's enterprises: any
plan that walks one province-wide name index and filters reads, for "雁塔" or for a 榆林 officer, most
of the table before its first row (2.2–2.4 s for "雁塔" with the GIN index this replaces). Every
name-sorted page is therefore read **county by county**: each county's first rows, in order, from an
index that starts with the county, then the 107 (or a city's 13, or one county's) short runs merged
by the database — at most ``window`` rows per county, whatever the fragment or where its holders
sit in the name order.

* The search table ``registry_organisation_namegram`` (migration ``registry.0005_name_search_table``,
  kept in step by triggers) has one row per organisation and two-character piece of its name or a
  former name (and the name's last character alone), with the current name and county, indexed by
  (piece, county, name in pinyin order, id). A two-character fragment is its own piece (exact); a
  longer one takes its rarest piece (the table's most-common-values statistics) and tests the whole
  fragment on the row's own copy of the name, in the index (a former name on the organisation, for
  the rows that hold the piece in one). Without another filter a page is read from this index alone.
* The list without a fragment merges the counties' ``(county_id, name COLLATE "zh-x-icu", id)``
  runs; the whole province (no county condition) walks ``(name COLLATE "zh-x-icu", id)``.
* Filters without an index of their own (size, 四上, kind) are tested on each run's organisations.
  An industry filter estimated at ≤ ``FILTER_FIRST_BELOW`` organisations is read first through its
  index ("estimate first, then choose").
* Another sort (credit code, founding date, capital) or a one-character fragment: the holders are
  collected from the search table (an index-only range) and read by primary key, then sorted by an
  ``ORDER BY`` no index serves, when the planner estimates at most ``COLLECT_BELOW`` of them; more
  than that, the planner walks that sort's index (a fragment so common is met within the first rows,
  unless its holders cluster in that order too: see bench/README.md).

Counts (:func:`list_count`): exact on SQLite; on PostgreSQL exact up to ``EXACT_BELOW`` rows (a count
stopped there — of the search table's rows alone when the search is the only condition besides the
region) and otherwise the planner's estimate, shown as "约 N 家": never COUNT(*) of the table.
"""

import json
import time
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    FilteredRelation,
    Func,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate

from smeplan.registry.collation import POSTGRES_COLLATION, pinyin_ordered

#: Exact counts up to this many rows (a count that stops there); the planner's estimate above.
EXACT_BELOW = 10_000
#: The same for a count that must read each organisation (a join, or a condition on the table).
JOIN_EXACT_BELOW = 2_000
#: An industry filter estimated at no more organisations than this is read first, then searched.
FILTER_FIRST_BELOW = 20_000
#: Another sort than the name: holders estimated at no more than this are collected and sorted.
COLLECT_BELOW = 5_000
#: A one-character fragment: holders estimated at no more than this are collected and sorted.
COLLECT_ONE_CHARACTER_BELOW = 20_000
#: A name-sorted page merges the counties' runs while it reads at most this many rows per county
#: (the first 50 pages of 20); deeper pages sort every match.
MERGE_WINDOW = 1001
#: How long a process keeps the search table's piece statistics (they change only with ANALYZE).
STATS_SECONDS = 600

NAME_SORTS = ("name", "-name")


# --- a lookup the planner estimates sensibly ----------------------------------------------------------


class StrPos(Lookup):
    """``strpos(field, q) > 0``: the same test as ``LIKE '%q%'`` for a literal, without LIKE's
    histogram selectivity, which the planner multiplied into other estimates (a fragment found
    1,000 times estimated at 1 row, then joined badly)."""

    lookup_name = "strpos"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"strpos({lhs}, {rhs}) > 0", (*lhs_params, *rhs_params)


def _register_lookups() -> None:
    from smeplan.registry.models import Organisation, OrganisationNameGram

    for model, field in (
        (Organisation, "name"),
        (Organisation, "former_names"),
        (OrganisationNameGram, "name"),
    ):
        model._meta.get_field(field).register_lookup(StrPos)


_register_lookups()


# --- the list's order ---------------------------------------------------------------------------------


def ordering(sort: str, vendor: str, sorts: dict) -> list:
    """ORDER BY of the list for ``sort`` (a key of ``sorts``): names in pinyin order."""
    if sort in NAME_SORTS:
        name = pinyin_ordered("name", vendor)
        if sort == "-name":
            return [name.desc(), F("id").desc()]
        return [name.asc(), F("id").asc()]
    return list(sorts.get(sort, ()))


class _Unindexed(Func):
    """``expr`` plus nothing (``|| ''`` for text, ``+ 0`` for dates and amounts) for the ORDER BY of a
    collected set: the same order, but no index serves it (see the module docstring)."""

    def __init__(self, expression, *, output_field, text: bool):
        self.template = "(%(expressions)s || '')" if text else "(%(expressions)s + 0)"
        super().__init__(expression, output_field=output_field)


def _unindexed_ordering(sort: str, sorts: dict) -> list:
    """The list's ORDER BY for ``sort`` with no index able to serve it (a collected set is sorted)."""
    from smeplan.registry.models import Organisation

    items = (sort, sort.replace("name", "id")) if sort in NAME_SORTS else sorts.get(sort, ())
    out = []
    for item in items:
        name = item.lstrip("-")
        if name == "id":
            expression = F("id")
        elif name == "name":
            text = _Unindexed(F("name"), output_field=TextField(), text=True)
            expression = Collate(text, POSTGRES_COLLATION)
        else:
            field = Organisation._meta.get_field(name)
            expression = _Unindexed(F(name), output_field=field, text=isinstance(field, CharField))
        out.append(expression.desc() if item.startswith("-") else expression.asc())
    return out


# --- statistics -----------------------------------------------------------------------------------------


@dataclass
class _GramStats:
    read_at: float
    common: dict[str, float]  # most common pieces → estimated rows
    rest: float  # estimated rows of any other piece


_stats: dict[str, _GramStats] = {}


def _gram_stats(using: str) -> _GramStats:
    cached = _stats.get(using)
    if cached is not None and time.monotonic() - cached.read_at < STATS_SECONDS:
        return cached
    with connections[using].cursor() as cursor:
        cursor.execute(
            """
            SELECT c.reltuples, s.most_common_vals::text::text[], s.most_common_freqs, s.n_distinct
            FROM pg_class c
            LEFT JOIN pg_stats s ON s.tablename = c.relname AND s.attname = 'gram'
                 AND s.schemaname = current_schema()
            WHERE c.relname = 'registry_organisation_namegram'
              AND c.relnamespace = current_schema()::regnamespace
            """
        )
        row = cursor.fetchone()
    total, values, freqs, n_distinct = row if row else (0, None, None, None)
    total = max(float(total or 0), 0.0)
    common = {v: f * total for v, f in zip(values or (), freqs or (), strict=False)}
    distinct = float(n_distinct or 0)
    if distinct < 0:  # a fraction of the rows
        distinct = -distinct * total
    rest = max(total - sum(common.values()), 0.0) / max(distinct - len(common), 1.0)
    if common:
        rest = min(rest, min(common.values()))
    stats = _GramStats(time.monotonic(), common, rest)
    _stats[using] = stats
    return stats


def clear_stats() -> None:
    _stats.clear()


def pieces(q: str) -> list[str]:
    """The two-character pieces of ``q``."""
    return sorted({q[i : i + 2] for i in range(len(q) - 1)})


def rarest_piece(q: str, using: str) -> str:
    """The piece of ``q`` held by the fewest names (by the statistics; any piece is exact)."""
    stats = _gram_stats(using)
    return min(pieces(q), key=lambda g: (stats.common.get(g, stats.rest), g))


def estimated_rows(qs: QuerySet) -> int:
    """The planner's estimate of the rows of ``qs`` (one EXPLAIN, no execution; PostgreSQL)."""
    try:
        sql, params = qs.order_by().query.get_compiler(qs.db).as_sql()
    except EmptyResultSet:  # a queryset that cannot have rows (qs.none(), an empty IN list)
        return 0
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


# --- plans ---------------------------------------------------------------------------------------------


@dataclass
class Found:
    """A list's rows in order, and how to read a page and a count of them cheaply.

    ``merge``: a name-sorted list read county by county — a function of (county code as an
    ``OuterRef``) → the county's rows in order, as a queryset of (id, name) — and the counties;
    ``count_qs``: a query with as many rows, cheaper to count (the search table's rows), and the
    number of rows up to which counting is exact; ``estimable``: the planner's estimate of the rows
    is worth showing (a fragment of three or more characters is tested by ``strpos``, which the
    planner can only guess: above the exact count such a list says "more than N")."""

    qs: QuerySet
    count_qs: QuerySet | None = None
    exact_below: int = EXACT_BELOW
    merge: object = None  # Callable[[OuterRef], QuerySet] | None
    counties: tuple[str, ...] = ()
    estimable: bool = True


#: Sorts read county by county over several counties: each has an index starting with the county
#: (the name in pinyin order; the credit code, which itself embeds the registering county's code, so
#: a walk of the province-wide credit code index meets a late city's codes only after most others).
MERGED_SORTS = {
    "name": POSTGRES_COLLATION,
    "-name": POSTGRES_COLLATION,
    "credit_code": "C",
    "-credit_code": "C",
}


def plain(qs: QuerySet, *, sort: str, sorts: dict, counties: frozenset[str] | None) -> Found:
    """The list without a name fragment."""
    vendor = connections[qs.db].vendor
    order = ordering(sort, vendor, sorts)
    found = Found(qs.order_by(*order))
    if vendor == "postgresql" and sort in MERGED_SORTS and counties is not None and len(counties) > 1:
        key = "name" if sort in NAME_SORTS else "credit_code"
        found.merge = lambda county: qs.filter(county_id=county).order_by(*order).values_list("id", key)
        found.counties = tuple(sorted(counties))
    return found


def name_search(
    base: QuerySet,
    scoped: QuerySet,
    q: str,
    *,
    sort: str,
    sorts: dict,
    counties: frozenset[str] | None,
    industry_filtered: bool,
    filtered: bool,
) -> Found:
    """Organisations whose name or a former name contains ``q``, sorted by ``sort``.

    ``base``: the organisations with the non-region filters applied, not yet scoped; ``scoped``: the
    same narrowed by :func:`~smeplan.accounts.scoping.scope_filter` and the region filters;
    ``counties``: the counties the scope and the region filters allow (None: the whole province);
    ``industry_filtered``: an industry filter is set; ``filtered``: any non-region filter is set."""
    vendor = connections[scoped.db].vendor
    if vendor != "postgresql" or "|" in q or (counties is not None and not counties):
        # (no county left: a county filter outside the user's counties finds nothing anyway)
        contains = Q(name__contains=q) | Q(former_names__contains=q)
        return Found(scoped.filter(contains).order_by(*ordering(sort, vendor, sorts)))

    on_org = Q(name__strpos=q) | Q(former_names__strpos=q)
    if industry_filtered and estimated_rows(scoped) <= FILTER_FIRST_BELOW:
        return Found(
            scoped.filter(on_org).order_by(*ordering(sort, vendor, sorts)), exact_below=JOIN_EXACT_BELOW
        )
    if len(q) == 1:
        return _one_character(scoped, q, sort=sort, sorts=sorts, vendor=vendor, counties=counties)

    gram = rarest_piece(q, scoped.db)
    holders = _holders(scoped.db, q, gram, counties=counties)
    count_qs = None if filtered else holders
    matched = scoped.filter(_holders_array(q, gram, counties))
    exact_below = EXACT_BELOW if count_qs is not None and len(q) == 2 else JOIN_EXACT_BELOW
    if sort in NAME_SORTS:
        found = Found(matched.order_by(*ordering(sort, vendor, sorts)), count_qs, exact_below)
        found.counties = tuple(sorted(counties)) if counties is not None else _all_counties(scoped.db)
        found.merge = _search_run(base, q, gram, sort=sort, filtered=filtered)
    elif estimated_rows(holders) <= COLLECT_BELOW:
        found = Found(matched.order_by(*_unindexed_ordering(sort, sorts)), count_qs, exact_below)
    else:  # many holders: the planner walks the sort's index (see the module docstring for its limit)
        found = Found(matched.order_by(*ordering(sort, vendor, sorts)), count_qs, exact_below)
    found.estimable = len(q) == 2
    return found


def _search_run(base: QuerySet, q: str, gram: str, *, sort: str, filtered: bool):
    """One county's holders of ``q`` in name order: the search table's rows alone, or joined to the
    organisations when a filter must be tested on them."""
    from smeplan.registry.models import Organisation, OrganisationNameGram

    descending = sort == "-name"

    def rows_only(county):
        qs = OrganisationNameGram.objects.using(base.db).filter(gram=gram, county_id=county)
        if len(q) > 2:
            in_former = Exists(
                Organisation.objects.filter(pk=OuterRef("organisation_id"), former_names__strpos=q)
            )
            qs = qs.filter(Q(name__strpos=q) | (Q(former=True) & in_former))
        order = [F("name").desc(), F("organisation_id").desc()] if descending else ["name", "organisation_id"]
        return qs.order_by(*order).values_list("organisation_id", "name")

    def joined(county):
        condition = Q(hit__gram=gram, hit__county_id=county)
        if len(q) > 2:
            condition &= Q(hit__name__strpos=q) | Q(hit__former=True, former_names__strpos=q)
        # One filter() call: each call on a multi-valued relation would join the search table again.
        qs = base.annotate(hit=FilteredRelation("name_grams", condition=Q(name_grams__gram=gram))).filter(
            condition
        )
        order = (
            [F("hit__name").desc(), F("id").desc()] if descending else [F("hit__name").asc(), F("id").asc()]
        )
        return qs.order_by(*order).values_list("id", "hit__name")

    return joined if filtered else rows_only


def _holders(using: str, q: str, gram: str, *, counties: frozenset[str] | None) -> QuerySet:
    """The search table's rows of the organisations in ``counties`` holding ``q``, one per
    organisation: a search without other filters has as many rows."""
    from smeplan.registry.models import Organisation, OrganisationNameGram

    qs = OrganisationNameGram.objects.using(using).filter(gram=gram)
    if counties is not None:
        qs = qs.filter(county_id__in=sorted(counties))
    if len(q) > 2:
        in_former = Exists(
            Organisation.objects.filter(pk=OuterRef("organisation_id"), former_names__strpos=q)
        )
        qs = qs.filter(Q(name__strpos=q) | (Q(former=True) & in_former))
    return qs


def _holders_array(q: str, gram: str, counties: frozenset[str] | None, *, upper: str | None = None) -> RawSQL:
    """``id = ANY(ARRAY(SELECT organisation_id FROM the search table WHERE …))``: the holders collected
    once (an index-only range of the search table), then read by primary key — a plain ``IN
    (subquery)`` let the planner hash-join them against a sequential scan of the organisations. For a
    longer fragment the whole of it is tested afterwards, on the organisation."""
    from smeplan.registry.models import Organisation

    where = ["gram = %s"] if upper is None else ["gram >= %s AND gram < %s"]
    params: list = [gram] if upper is None else [gram, upper]
    if counties is not None:
        where.append("county_id = ANY(%s)")
        params.append(sorted(counties))
    table = f'"{Organisation._meta.db_table}"'
    sql = f"{table}.id = ANY(ARRAY(SELECT organisation_id FROM registry_organisation_namegram WHERE {' AND '.join(where)}))"  # noqa: S608 - constant names; values are parameters
    if len(q) > 2:
        sql += f" AND (strpos({table}.name, %s) > 0 OR strpos({table}.former_names, %s) > 0)"
        params += [q, q]
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 - see above


def _one_character(
    scoped: QuerySet, q: str, *, sort: str, sorts: dict, vendor: str, counties: frozenset[str] | None
) -> Found:
    """A single character is a piece's first half or a name's last character: its holders are the
    search table's rows from ``q`` up to the next character — in piece order, not name order — so
    they are collected and sorted when the planner estimates few; else the names are walked and
    tested (a character that common is met within the first rows), county by county when sorted by
    name over several counties."""
    from smeplan.registry.models import OrganisationNameGram

    upper = chr(ord(q) + 1)
    rows = OrganisationNameGram.objects.using(scoped.db).filter(gram__gte=q, gram__lt=upper)
    if counties is not None:
        rows = rows.filter(county_id__in=sorted(counties))
    if estimated_rows(rows) <= COLLECT_ONE_CHARACTER_BELOW:
        collected = scoped.filter(_holders_array(q, q, counties, upper=upper))
        return Found(collected.order_by(*_unindexed_ordering(sort, sorts)), exact_below=JOIN_EXACT_BELOW)
    matched = scoped.filter(Q(name__strpos=q) | Q(former_names__strpos=q))
    found = plain(matched, sort=sort, sorts=sorts, counties=counties)
    found.exact_below = JOIN_EXACT_BELOW
    return found


def _all_counties(using: str) -> tuple[str, ...]:
    from smeplan.regions.selectors import county_cities

    return tuple(sorted(county_cities()))


# --- reading a page county by county --------------------------------------------------------------------


def merged_page_ids(found: Found, *, offset: int, limit: int, sort: str, using: str) -> list[int]:
    """The ids of rows ``offset`` … ``offset + limit`` of a list sorted by name or credit code, read
    county by county, in one statement: each county's first ``offset + limit`` rows as one array of
    "id<US>sort key" (an index range per county), unnested, sorted and cut to the page."""
    from django.contrib.postgres.expressions import ArraySubquery

    from smeplan.regions.models import Region

    window = offset + limit
    if not found.counties:
        return []
    arrays = (
        Region.objects.using(using)
        .filter(code__in=found.counties)
        .annotate(rows=ArraySubquery(_pairs(found.merge(OuterRef("code")))[:window]))
        .values_list("rows", flat=True)
    )
    sql, params = arrays.query.sql_with_params()
    collation = MERGED_SORTS[sort]
    direction = "DESC" if sort.startswith("-") else "ASC"
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT s.id FROM (SELECT split_part(t.pair, chr(31), 1)::bigint AS id,"  # noqa: S608 - Django's own SQL; constant collation and direction
            " substr(t.pair, strpos(t.pair, chr(31)) + 1) AS key"
            f" FROM ({sql}) AS r(rows) CROSS JOIN LATERAL unnest(r.rows) AS t(pair)) AS s"
            f' ORDER BY s.key COLLATE "{collation}" {direction}, s.id {direction} LIMIT %s OFFSET %s',
            [*params, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]


def _pairs(values_qs: QuerySet) -> QuerySet:
    """A ``values_list`` queryset of (id, sort key) as one text column "id<US>key" in the same order
    (the id first: digits only, so the first unit separator ends it whatever the key holds)."""
    from django.db.models import Value
    from django.db.models.functions import Cast, Concat

    id_field, key_field = values_qs._fields
    pair = Concat(Cast(F(id_field), TextField()), Value("\x1f"), F(key_field), output_field=TextField())
    return values_qs.annotate(pair=pair).values_list("pair", flat=True)


# --- counts --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListCount:
    """How many rows a list has: ``exact``; or the planner's estimate (shown as 约 N); or, with
    ``at_least``, more than ``value`` (counted that far; shown as "超过 N")."""

    value: int
    exact: bool
    at_least: bool = False

    @property
    def shown(self) -> int:
        """The number shown: exact, or the estimate to three significant digits."""
        if self.exact or self.at_least or self.value < 1000:
            return self.value
        digits = len(str(self.value)) - 3
        return round(self.value, -digits)


def list_count(qs: QuerySet, *, exact_below: int = EXACT_BELOW, estimable: bool = True) -> ListCount:
    """The number of rows of ``qs`` without counting a big table: see the module docstring."""
    if connections[qs.db].vendor != "postgresql":
        return ListCount(qs.order_by().count(), True)
    estimate = estimated_rows(qs)
    if estimate == 0 and qs.query.is_empty():
        return ListCount(0, True)
    if estimate <= exact_below * 4 or not estimable:
        n = qs.order_by()[: exact_below + 1].count()
        if n <= exact_below:
            return ListCount(n, True)
        if not estimable or estimate <= exact_below:
            return ListCount(exact_below, False, at_least=True)
    return ListCount(estimate, False)


__all__ = [
    "EXACT_BELOW",
    "Found",
    "ListCount",
    "estimated_rows",
    "list_count",
    "merged_page_ids",
    "name_search",
    "ordering",
    "plain",
    "rarest_piece",
]
