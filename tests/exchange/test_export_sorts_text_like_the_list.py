"""The enterprise exports list enterprises exactly as the list page does: names in the list's pinyin
collation; other text columns (the credit code) with COLLATE "C" only where that is the database's
own order (C / POSIX / C.UTF-8: code point order); elsewhere (SQLite, another collation) the queryset
is left alone."""

import pytest
from django.db import connection
from django.http import QueryDict

from smeplan.exchange import export as engine
from smeplan.registry.selectors import organisation_search
from smeplan.web.views.export import codepoint_ordered
from smeplan.web.views.organisations import filters_from
from tests.factories import OrganisationFactory, province_admin, region

pytestmark = pytest.mark.django_db

NAMES = ["西安b公司", "西安B公司", "Zeta", "alpha", "安康公司", "雁塔公司", "𠀀公司", "Ä公司"]


@pytest.mark.parametrize("sort", ["name", "-name", "credit_code", "-founded_on"])
def test_export_order_is_the_list_order(sort):
    for name in NAMES:
        OrganisationFactory(name=name, county=region("610113"))
    qs = organisation_search(province_admin(), filters_from(QueryDict(f"sort={sort}")))

    fast = codepoint_ordered(qs)

    assert list(fast.values_list("id", flat=True)) == list(qs.values_list("id", flat=True))
    sql = str(fast.query)
    if sort in ("name", "-name"):
        assert 'COLLATE "C"' not in sql
    elif engine.sorts_by_codepoint():
        assert 'COLLATE "C"' in sql or sort == "-founded_on"
    else:
        assert 'COLLATE "C"' not in sql


def test_only_a_code_point_collation_counts():
    expected = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            expected = cursor.fetchone()[0].lower() in ("c", "posix", "c.utf-8", "c.utf8")
    assert engine.sorts_by_codepoint() is expected
