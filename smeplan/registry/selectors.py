"""Reads of the registry. Every one goes through :func:`smeplan.accounts.scoping.scope_filter`."""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from smeplan.accounts.scoping import scope_filter
from smeplan.registry.credit_code import normalise_credit_code
from smeplan.registry.models import Organisation

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "credit_code": ("credit_code",),
    "-credit_code": ("-credit_code",),
    "founded_on": ("founded_on", "id"),
    "-founded_on": ("-founded_on", "-id"),
    "registered_capital": ("registered_capital", "id"),
    "-registered_capital": ("-registered_capital", "-id"),
}


@dataclass
class OrganisationFilters:
    """The list's filters (page query string and API parameters share it)."""

    q: str = ""
    city: str = ""
    county: str = ""
    section: str = ""
    division: str = ""
    size_class: str = ""
    above_scale: str = ""  # "1" / "0" / "unknown" / ""
    kind: str = ""
    sort: str = "name"
    extra: dict = field(default_factory=dict)


def organisations_visible_to(user) -> QuerySet[Organisation]:
    return scope_filter(user, Organisation.objects.all())


def organisation_get(user, pk) -> Organisation:
    """One organisation the user may see, else 404 (the same answer whether it exists or not)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("单位不存在") from None
    obj = (
        organisations_visible_to(user)
        .select_related("county", "county__parent", "industry")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise Http404("单位不存在或不在您的管辖范围内")
    return obj


def organisation_search(user, filters: OrganisationFilters) -> QuerySet[Organisation]:
    """Filtered, sorted organisations within the user's scope (not evaluated; paginate with
    :func:`page_of`)."""
    qs = organisations_visible_to(user).select_related("county", "industry")
    q = (filters.q or "").strip()
    if q:
        code = normalise_credit_code(q)
        if len(code) == 18 and code.isalnum():
            qs = qs.filter(credit_code=code)
        elif len(q) >= 6 and code.isalnum() and code.upper() == code and any(c.isdigit() for c in code):
            qs = qs.filter(credit_code__startswith=code)
        else:
            qs = _name_contains(qs, q)
    if filters.county:
        qs = qs.filter(county_id=filters.county)
    elif filters.city:
        qs = qs.filter(county__path__startswith=_city_path(filters.city))
    if filters.division:
        qs = qs.filter(industry__division=filters.division)
    elif filters.section:
        qs = qs.filter(industry__section=filters.section)
    if filters.size_class:
        qs = qs.filter(size_class="" if filters.size_class == "unknown" else filters.size_class)
    if filters.above_scale in ("1", "0"):
        qs = qs.filter(above_scale=filters.above_scale == "1")
    elif filters.above_scale == "unknown":
        qs = qs.filter(above_scale__isnull=True)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def _name_contains(qs: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """Name or a former name contains ``q``.

    SQLite (and one-character queries): ``name LIKE '%q%' OR former_names LIKE '%q%'``.

    PostgreSQL: the GIN index ``org_search_bigrams`` on ``registry_search_bigrams(name,
    former_names)`` — the two-character substrings of the name and of each former name (migration
    ``registry.0002_search_bigrams``) — narrows the rows to those holding bigrams that cover ``q``
    (non-overlapping ones plus the last), then ``strpos(name, q) > 0 OR strpos(former_names, q) > 0``
    is the exact test. strpos rather than LIKE: the same test for a literal, but the planner does
    not multiply the LIKE's own (tiny, histogram-based) selectivity into the bigram estimate — with
    both, a fragment found 1,000 times was estimated at 1 row and joined badly — and it is the cheap
    filter evaluated first when the planner walks the name index instead.
    """
    connection = connections[qs.db]
    if len(q) < 2 or "|" in q or connection.vendor != "postgresql":
        return qs.filter(Q(name__contains=q) | Q(former_names__contains=q))
    table = connection.ops.quote_name(Organisation._meta.db_table)
    bigrams = sorted({q[i : i + 2] for i in (*range(0, len(q) - 1, 2), len(q) - 2)})
    return qs.filter(
        RawSQL(  # noqa: S611 - only the quoted table name is interpolated; values are parameters
            f"registry_search_bigrams({table}.name, {table}.former_names) @> %s::text[]"
            f" AND (strpos({table}.name, %s) > 0 OR strpos({table}.former_names, %s) > 0)",
            (bigrams, q, q),
            output_field=BooleanField(),
        )
    )


def _city_path(code: str) -> str:
    from smeplan.regions.models import Region

    path = Region.objects.filter(pk=code).values_list("path", flat=True).first()
    return path or "-none-"


@dataclass
class Page:
    """One page of results without counting the whole table: fetch size+1 rows to know if there is
    a next page."""

    items: list
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.items)


def page_of(qs: QuerySet, number, size: int = 20, max_page: int = 5000) -> Page:
    try:
        number = max(1, min(int(number or 1), max_page))
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * size
    rows = list(qs[offset : offset + size + 1])
    return Page(items=rows[:size], number=number, size=size, has_next=len(rows) > size)


def name_changes_of(user, organisation) -> list:
    """更名记录 of one organisation the user may see, newest first."""
    from smeplan.registry.models import OrganisationNameChange

    qs = scope_filter(user, OrganisationNameChange.objects.all(), organisation="organisation")
    return list(qs.filter(organisation_id=organisation.pk).select_related("recorded_by"))


def organisation_breakdown(user, county_codes=None) -> list[dict]:
    """Counts of the organisations in the user's scope (optionally within ``county_codes``),
    grouped by (county, size class, industry section, 四上) in ONE GROUP BY query; callers roll the
    rows up by region path in Python. Rows: {county_id, size_class, industry__section, above_scale, n}."""
    from django.db.models import Count

    qs = organisations_visible_to(user)
    if county_codes is not None:
        qs = qs.filter(county_id__in=sorted(county_codes))
    return list(
        qs.order_by()
        .values("county_id", "size_class", "industry__section", "above_scale")
        .annotate(n=Count("id"))
    )
