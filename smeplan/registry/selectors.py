"""Reads of the registry. Every one goes through :func:`smeplan.accounts.scoping.scope_filter`."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from smeplan.accounts.scoping import scope_filter, scope_for
from smeplan.regions.selectors import county_cities
from smeplan.registry import search
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


#: Filters that narrow by something other than the region.
NON_REGION_FILTERS = ("section", "division", "size_class", "above_scale", "kind")


def organisation_search(user, filters: OrganisationFilters) -> QuerySet[Organisation]:
    """Filtered, sorted organisations within the user's scope (not evaluated; one page with
    :func:`organisation_page`, counted with :func:`organisation_count`). Names sort by pinyin; a name
    fragment is searched as :mod:`smeplan.registry.search` describes."""
    return _search(user, filters).found.qs


def organisation_page(user, filters: OrganisationFilters, number, size: int = 20) -> "Page":
    """One page of :func:`organisation_search`. A name-sorted list over several counties (a city, or
    a search) is read county by county (:func:`search.merged_page_ids`), then its rows by id."""
    plan = _search(user, filters)
    number = _page_number(number)
    offset = (number - 1) * size
    found = plan.found
    if found.merge is None or offset + size + 1 > search.MERGE_WINDOW:
        return page_of(found.qs, number, size)
    ids = search.merged_page_ids(found, offset=offset, limit=size + 1, sort=plan.sort, using=plan.scoped.db)
    rows = plan.scoped.in_bulk(ids)
    items = [rows[i] for i in ids if i in rows]
    return Page(items=items[:size], number=number, size=size, has_next=len(items) > size)


def organisation_count(user, filters: OrganisationFilters) -> search.ListCount:
    """How many organisations :func:`organisation_search` finds: exact when few, else estimated."""
    found = _search(user, filters).found
    qs = found.count_qs if found.count_qs is not None else found.qs
    return search.list_count(qs, exact_below=found.exact_below, estimable=found.estimable)


@dataclass
class _Plan:
    found: search.Found
    scoped: QuerySet  # the user's organisations with the filters but not the name fragment
    sort: str


def _search(user, filters: OrganisationFilters) -> _Plan:
    base = Organisation.objects.select_related("county", "county__parent", "industry")
    if filters.division:
        base = base.filter(industry__division=filters.division)
    elif filters.section:
        base = base.filter(industry__section=filters.section)
    if filters.size_class:
        base = base.filter(size_class="" if filters.size_class == "unknown" else filters.size_class)
    if filters.above_scale in ("1", "0"):
        base = base.filter(above_scale=filters.above_scale == "1")
    elif filters.above_scale == "unknown":
        base = base.filter(above_scale__isnull=True)
    if filters.kind:
        base = base.filter(kind=filters.kind)

    scoped = scope_filter(user, base)
    scope = scope_for(user)
    counties = None if scope.everything else frozenset(scope.county_codes or ())
    if filters.county:
        scoped = scoped.filter(county_id=filters.county)
        chosen = frozenset({filters.county})
        counties = chosen & counties if counties is not None else chosen
    elif filters.city:
        scoped = scoped.filter(county__path__startswith=_city_path(filters.city))
        in_city = frozenset(c for c, city in county_cities().items() if city == filters.city)
        counties = in_city & counties if counties is not None else in_city
    sort = filters.sort if filters.sort in SORTS else "name"
    q = (filters.q or "").strip()
    qs = scoped
    if q:
        code = normalise_credit_code(q)
        if len(code) == 18 and code.isalnum():
            qs = scoped.filter(credit_code=code)
        elif len(q) >= 6 and code.isalnum() and code.upper() == code and any(c.isdigit() for c in code):
            qs = scoped.filter(credit_code__startswith=code)
        elif scope.nothing or scope.organisation_id is not None:  # one organisation or none
            qs = scoped.filter(Q(name__contains=q) | Q(former_names__contains=q))
            return _Plan(search.plain(qs, sort=sort, sorts=SORTS, counties=None), scoped, sort)
        else:
            found = search.name_search(
                base,
                scoped,
                q,
                sort=sort,
                sorts=SORTS,
                counties=counties,
                industry_filtered=bool(filters.division or filters.section),
                filtered=any(getattr(filters, key) for key in NON_REGION_FILTERS),
            )
            return _Plan(found, scoped, sort)
    return _Plan(search.plain(qs, sort=sort, sorts=SORTS, counties=counties), scoped, sort)


def _page_number(number, max_page: int = 5000) -> int:
    try:
        return max(1, min(int(number or 1), max_page))
    except (TypeError, ValueError):
        return 1


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
