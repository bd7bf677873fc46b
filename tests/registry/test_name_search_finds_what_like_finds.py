"""Whatever plan the name search takes (SQLite: LIKE; PostgreSQL: the search table read county by
county, collected holders, the walk of a sort's index), a user finds exactly the organisations of
their scope whose name or a former name contains the fragment — every page, in the list's order,
for fragments of one to four characters, as province, city and county user, with and without
filters and in every sort."""

import datetime as dt
import random

import pytest

from smeplan.registry.search import list_count
from smeplan.registry.selectors import (
    OrganisationFilters,
    organisation_count,
    organisation_page,
    organisation_search,
)
from smeplan.registry.services import organisation_rename
from tests.factories import (
    OrganisationFactory,
    city_officer,
    county_officer,
    province_admin,
    region,
)

pytestmark = pytest.mark.django_db

COUNTIES = ("610113", "610112", "610402", "610802")  # 雁塔, 未央 (西安); 秦都 (咸阳); 榆阳 (榆林)
PREFIXES = ("陕西", "西安", "雁塔", "未央", "咸阳", "榆林", "宝鸡")
TRADE = ("秦川", "鼎盛", "航锦", "华阳", "西部", "塔林", "安康", "恒通")
TRADE_2 = ("科技", "机械", "食品", "物流", "软件", "建材")
SUFFIX = ("有限公司", "有限责任公司", "股份有限公司", "厂")


@pytest.fixture(params=["few", "many"])
def plans(request, monkeypatch):
    """ "few": the thresholds as shipped (the test's holders are few: collected and sorted); "many":
    every threshold at zero, so each search takes the plan it takes at 10^6 for frequent fragments
    (the sort's index walked, the name walked, deep pages sorted instead of merged)."""
    if request.param == "many":
        from smeplan.registry import search

        for name in ("COLLECT_BELOW", "COLLECT_ONE_CHARACTER_BELOW", "FILTER_FIRST_BELOW", "MERGE_WINDOW"):
            monkeypatch.setattr(search, name, 0)
    return request.param


@pytest.fixture
def registry(plans):
    rng = random.Random(14)
    orgs = []
    for i in range(90):
        county = COUNTIES[i % len(COUNTIES)]
        name = (
            rng.choice(PREFIXES) + rng.choice(TRADE) + rng.choice(TRADE_2) + f"{i:02d}" + rng.choice(SUFFIX)
        )
        orgs.append(
            OrganisationFactory(
                name=name,
                county=region(county),
                founded_on=dt.date(1990 + i % 30, 1 + i % 12, 1 + i % 28),
                size_class=("small", "micro", "medium")[i % 3],
            )
        )
    admin = province_admin()
    for org in orgs[::9]:  # some renamed: their former names are searched too
        organisation_rename(
            actor=admin, organisation=org, new_name="更名" + org.name[2:], changed_on=dt.date(2020, 1, 1)
        )
    return admin


def expected(user_counties, q, size_class=""):
    from smeplan.registry.models import Organisation

    qs = Organisation.objects.all()
    if user_counties is not None:
        qs = qs.filter(county_id__in=user_counties)
    if size_class:
        qs = qs.filter(size_class=size_class)
    return {o.pk for o in qs if q in o.name or any(q in n for n in o.former_names.split("|") if n)}


def all_pages(user, filters, size=7):
    ids, number = [], 1
    while True:
        page = organisation_page(user, filters, number, size=size)
        ids += [o.pk for o in page.items]
        if not page.has_next:
            return ids
        number += 1


USERS = {
    "province": (province_admin, None),
    "city": (lambda: city_officer("610100"), ("610113", "610112")),
    "county": (lambda: county_officer("610113"), ("610113",)),
}
FRAGMENTS = [
    "雁",
    "司",
    "西安",
    "雁塔",
    "塔林",
    "宝鸡",
    "无此",
    "秦川科",
    "西安西部",
    "更名",
    "有限责任",
    "塔",
]


@pytest.mark.parametrize("who", sorted(USERS))
@pytest.mark.parametrize("q", FRAGMENTS)
def test_every_page_holds_exactly_the_matches_in_the_list_order(registry, who, q):
    make, counties = USERS[who]
    user = make()
    for sort in ("name", "-name", "credit_code", "-founded_on"):
        filters = OrganisationFilters(q=q, sort=sort)
        paged = all_pages(user, filters)
        ordered = list(organisation_search(user, filters).values_list("id", flat=True))

        assert set(paged) == expected(counties, q), (who, q, sort)
        assert paged == ordered, (who, q, sort)  # the pages and the export agree on the order
        count = organisation_count(user, filters)
        assert count.exact and count.value == len(paged)


@pytest.mark.parametrize("q", ["西安", "雁塔", "秦川科", "塔"])
def test_filters_narrow_the_search_the_same_way(registry, q):
    user = province_admin()
    for filters, counties, size in [
        (OrganisationFilters(q=q, county="610402"), ("610402",), ""),
        (OrganisationFilters(q=q, city="610100"), ("610113", "610112"), ""),
        (OrganisationFilters(q=q, size_class="micro"), None, "micro"),
        (OrganisationFilters(q=q, city="610100", size_class="small"), ("610113", "610112"), "small"),
    ]:
        paged = all_pages(user, filters)
        assert set(paged) == expected(counties, q, size), filters
        assert paged == list(organisation_search(user, filters).values_list("id", flat=True))
        assert organisation_count(user, filters).value == len(paged)


def test_a_county_officer_never_finds_another_countys_organisations(registry):
    officer = county_officer("610402")
    for q in ("西安", "雁塔", "咸阳", "秦川"):
        found = all_pages(officer, OrganisationFilters(q=q))
        assert set(found) == expected(("610402",), q)
        # even when asking for another county explicitly
        assert all_pages(officer, OrganisationFilters(q=q, county="610113")) == []


def test_an_estimated_count_is_marked_as_such(registry):
    qs = organisation_search(province_admin(), OrganisationFilters())
    count = list_count(qs, exact_below=5)
    from django.db import connection

    unguessable = list_count(qs, exact_below=5, estimable=False)
    if connection.vendor == "postgresql":  # the planner's estimate: never an exact COUNT(*) here
        assert not count.exact and count.value > 5
        # where the planner can only guess, counted that far and said so ("超过 5 家")
        assert unguessable.at_least and unguessable.value == 5
    else:  # the embedded database counts exactly
        assert count.exact and count.value == qs.count()
        assert unguessable.exact and unguessable.value == qs.count()
