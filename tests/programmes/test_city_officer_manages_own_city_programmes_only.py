"""A city officer (no city admin role exists: the city-level unit's officers) creates and manages
city- and county-level programmes owned by its own city-level unit, and nothing else; provincial
admins manage every programme; other bureau roles none."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.programmes import services
from smeplan.programmes.models import Programme
from tests.factories import UserFactory, city_officer, county_officer, province_admin, region

pytestmark = pytest.mark.django_db


def _data(**over):
    return {
        "code": "xian-innovation",
        "name": "西安市创新示范中小企业",
        "plan": "brand",
        "source": "市政府文件〔2024〕1号《示范企业认定办法》",
        "basis_clause": "第三条",
        "owner_level": "city",
        "subject_kind": "enterprise",
        "tiers": [["demo", "创新示范企业"]],
        **over,
    }


def test_a_city_officer_creates_a_programme_owned_by_its_city():
    programme = services.programme_create(actor=city_officer("610100"), data=_data())
    assert (programme.owner_level, programme.owner_region_id) == ("city", "610100")
    assert programme.average_area == "city"


def test_a_city_officer_cannot_create_a_provincial_programme_or_one_of_another_city():
    with pytest.raises(ValidationError) as refused:
        services.programme_create(actor=city_officer("610100"), data=_data(owner_level="province"))
    assert refused.value.message_dict["owner_level"] == [
        "市级工作人员只能建立和管理本市（区）的市级、县级认定项目"
    ]
    with pytest.raises(ValidationError) as refused:
        services.programme_create(actor=city_officer("610100"), data=_data(owner_region="610300"))
    assert refused.value.message_dict["owner_region"] == ["市级工作人员只能建立和管理西安市的认定项目"]
    assert not Programme.objects.filter(code="xian-innovation").exists()


def test_a_city_officer_manages_its_own_city_programmes_only():
    xian = services.programme_create(actor=city_officer("610100"), data=_data())
    baoji = services.programme_create(actor=city_officer("610300"), data=_data(code="baoji-innovation"))
    officer = city_officer("610100")
    assert services.may_manage_programme(officer, xian)
    assert not services.may_manage_programme(officer, baoji)
    assert not services.may_manage_programme(officer, Programme.objects.get(code="growth-city"))
    with pytest.raises(PermissionDenied):
        services.programme_close(actor=officer, programme=baoji)
    with pytest.raises(PermissionDenied):
        services.programme_update(
            actor=officer, programme=Programme.objects.get(code="growth-city"), data=_data()
        )
    services.programme_close(actor=officer, programme=xian)
    assert Programme.objects.get(code="xian-innovation").closed_at is not None
    assert services.may_manage_programme(province_admin(), baoji)


def test_other_bureau_roles_create_no_programme():
    for user in (
        county_officer("610113"),
        UserFactory(role="provincial_officer", region=region("610000")),
        UserFactory(role="viewer", region=region("610100")),
    ):
        assert not services.may_create_programme(user)
        with pytest.raises(PermissionDenied):
            services.programme_create(actor=user, data=_data())
