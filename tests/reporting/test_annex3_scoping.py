"""附件3 scoping: the province sees every city and county; a city its own row and its counties; a
county itself; enterprise users are refused."""

import pytest
from django.core.exceptions import PermissionDenied

from smeplan.reporting.selectors import annex3
from tests.factories import city_officer, county_officer, enterprise_user
from tests.reporting.make import small_world

pytestmark = pytest.mark.django_db


def test_a_city_sees_its_own_row_and_its_counties_only():
    small_world()
    result = annex3(user=city_officer("610100"), year=2024)
    codes = {r.code for r in result.rows}
    assert "610100" in codes and "610113" in codes and "610116" in codes
    assert not any(c.startswith("6103") for c in codes)  # nothing of 宝鸡
    assert all(r.kind != "province" for r in result.rows)
    assert result.total.enterprises == 3  # 宝鸡's E is not counted


def test_a_county_sees_itself():
    small_world()
    result = annex3(user=county_officer("610113"), year=2024)
    assert [r.code for r in result.rows] == ["610113"]
    assert result.total.enterprises == 2


def test_enterprise_users_are_refused():
    orgs = small_world()
    with pytest.raises(PermissionDenied):
        annex3(user=enterprise_user(orgs["a"]), year=2024)
