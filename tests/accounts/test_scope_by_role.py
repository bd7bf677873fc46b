"""What each role may see, decided by the one scoping function."""

import pytest

from smeplan.accounts.models import Role
from smeplan.accounts.scoping import scope_filter, scope_for
from smeplan.registry.models import Organisation
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    city_officer,
    county_officer,
    enterprise_user,
    province_admin,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return {
        "yanta": OrganisationFactory(county=region("610113")),  # 西安 雁塔区
        "beilin": OrganisationFactory(county=region("610103")),  # 西安 碑林区
        "weibin": OrganisationFactory(county=region("610302")),  # 宝鸡 渭滨区
        "yangling": OrganisationFactory(county=region("610403")),  # 杨凌 杨陵区
        "hancheng": OrganisationFactory(county=region("610581")),  # 韩城
        "linwei": OrganisationFactory(county=region("610502")),  # 渭南 临渭区
    }


def visible(user):
    return set(scope_filter(user, Organisation.objects.all()).values_list("county_id", flat=True))


def test_province_sees_everything(orgs):
    assert visible(province_admin()) == {o.county_id for o in orgs.values()}


def test_city_sees_its_counties_only(orgs):
    assert visible(city_officer("610100")) == {"610113", "610103"}


def test_county_sees_its_county_only(orgs):
    assert visible(county_officer("610113")) == {"610113"}


def test_yangling_bureau_sees_yangling_district(orgs):
    assert visible(city_officer("619900")) == {"610403"}


def test_xianyang_no_longer_sees_yangling(orgs):
    assert "610403" not in visible(city_officer("610400"))


def test_hancheng_sees_itself_and_weinan_does_not(orgs):
    assert visible(city_officer("610581")) == {"610581"}
    assert visible(city_officer("610500")) == {"610502"}


def test_enterprise_user_sees_only_its_organisation(orgs):
    user = enterprise_user(orgs["beilin"])
    assert list(scope_filter(user, Organisation.objects.all())) == [orgs["beilin"]]


def test_expert_and_unbound_users_see_nothing(orgs):
    assert visible(UserFactory(role=Role.EXPERT, region=None)) == set()
    assert visible(UserFactory(role=Role.COUNTY_OFFICER, region=None)) == set()
    assert scope_for(UserFactory(role=Role.EXPERT, region=None)).nothing


def test_inactive_user_sees_nothing(orgs):
    user = county_officer("610113", is_active=False)
    assert visible(user) == set()


def test_viewer_of_a_city_is_scoped_like_the_city(orgs):
    assert visible(UserFactory(role=Role.VIEWER, region=region("610300"))) == {"610302"}
