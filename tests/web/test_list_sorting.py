import datetime as dt

import pytest

from tests.factories import OrganisationFactory, region
from tests.web.helpers import row_names, text


@pytest.mark.django_db
def test_columns_sort_ascending_and_descending(client, yanta_officer):
    county = region("610113")
    OrganisationFactory(name="乙公司", county=county, founded_on=dt.date(2001, 1, 1))
    OrganisationFactory(name="甲公司", county=county, founded_on=dt.date(2010, 1, 1))
    OrganisationFactory(name="丙公司", county=county, founded_on=dt.date(1995, 1, 1))
    client.force_login(yanta_officer)

    by_founding = row_names(client.get("/organisations/", {"sort": "founded_on"}))
    assert by_founding == ["丙公司", "乙公司", "甲公司"]
    assert row_names(client.get("/organisations/", {"sort": "-founded_on"})) == ["甲公司", "乙公司", "丙公司"]
    names = row_names(client.get("/organisations/", {"sort": "name"}))
    assert row_names(client.get("/organisations/", {"sort": "-name"})) == names[::-1]


@pytest.mark.django_db
def test_a_sorted_columns_header_link_reverses_the_order_and_keeps_the_filters(client, yanta_officer):
    OrganisationFactory(name="甲公司", county=region("610113"))
    client.force_login(yanta_officer)

    body = text(client.get("/organisations/", {"q": "公司", "sort": "founded_on"}))

    assert 'href="?q=%E5%85%AC%E5%8F%B8&sort=-founded_on"' in body
