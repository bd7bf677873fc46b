"""The review chain derives from the applicant's county and the programme's level; 杨凌示范区 and
韩城市 act as city-level units (韩城 is also its own county: one step for both)."""

import pytest

from smeplan.accounts.models import Role
from smeplan.recognition.models import State
from smeplan.recognition.workflow import chain_for
from tests.factories import UserFactory, region
from tests.recognition.make import act, applicant, submitted


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("county", "level", "chain"),
    [
        ("610113", "county", [["county", "610113"]]),
        ("610113", "city", [["county", "610113"], ["city", "610100"]]),
        ("610113", "province", [["county", "610113"], ["city", "610100"], ["province", "610000"]]),
        ("610403", "city", [["county", "610403"], ["city", "619900"]]),  # 杨陵区 under 杨凌示范区
        ("610403", "province", [["county", "610403"], ["city", "619900"], ["province", "610000"]]),
        ("610581", "county", [["county", "610581"]]),  # 韩城市: its own county …
        ("610581", "city", [["city", "610581"]]),  # … and its own city-level unit
        ("610581", "province", [["city", "610581"], ["province", "610000"]]),
    ],
)
def test_chain_for_each_level(county, level, chain):
    assert chain_for(county=region(county), owner_level=level) == chain


@pytest.mark.django_db
def test_county_level_tier_ends_at_the_county():
    _, user = applicant("610113")
    county = UserFactory(role=Role.COUNTY_OFFICER, region=region("610113"))
    application = submitted(user, programme="growth-county", tier="startup_star")
    application = act(county, application, "select")
    assert application.state == State.SELECTED
    assert application.waiting_region_id == "610113"  # the county puts it on notice and certifies


@pytest.mark.django_db
def test_city_level_tier_ends_at_the_city():
    _, user = applicant("610113")
    county = UserFactory(role=Role.COUNTY_OFFICER, region=region("610113"))
    city = UserFactory(role=Role.CITY_OFFICER, region=region("610100"))
    application = submitted(user, programme="growth-city", tier="growth_star")
    application = act(county, application, "recommend")
    assert (application.state, application.waiting_region_id) == (State.CITY_REVIEW, "610100")
    application = act(city, application, "select")
    assert (application.state, application.waiting_region_id) == (State.SELECTED, "610100")


@pytest.mark.django_db
def test_hancheng_enterprise_is_reviewed_by_hancheng_as_city_then_by_the_province():
    _, user = applicant("610581")
    hancheng = UserFactory(role=Role.CITY_OFFICER, region=region("610581"))
    weinan = UserFactory(role=Role.CITY_OFFICER, region=region("610500"))
    province = UserFactory(role=Role.PROVINCIAL_OFFICER, region=region("610000"))
    application = submitted(user)
    assert (application.state, application.waiting_region_id) == (State.CITY_REVIEW, "610581")
    with pytest.raises(Exception, match="等待韩城市处理"):
        act(weinan, application, "recommend")  # 渭南 is not 韩城's city-level unit
    application = act(hancheng, application, "recommend")
    assert (application.state, application.waiting_region_id) == (State.PROVINCE_REVIEW, "610000")
    assert act(province, application, "select").state == State.SELECTED


@pytest.mark.django_db
def test_yangling_enterprise_goes_through_yangling_not_xianyang():
    _, user = applicant("610403")
    county = UserFactory(role=Role.COUNTY_OFFICER, region=region("610403"))
    yangling = UserFactory(role=Role.CITY_OFFICER, region=region("619900"))
    xianyang = UserFactory(role=Role.CITY_OFFICER, region=region("610400"))
    application = act(county, submitted(user), "recommend")
    assert (application.state, application.waiting_region_id) == (State.CITY_REVIEW, "619900")
    with pytest.raises(Exception, match="无权"):
        act(xianyang, application, "recommend")
    assert act(yangling, application, "recommend").waiting_region_id == "610000"
