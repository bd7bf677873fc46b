import pytest

from smeplan.regions.models import Region
from smeplan.regions.selectors import city_level_units, counties

pytestmark = pytest.mark.django_db


def test_all_divisions_are_loaded():
    assert Region.objects.filter(level="province").count() == 1
    assert counties().count() == 107


def test_twelve_city_level_units_report_to_the_province():
    units = {r.name for r in city_level_units()}
    assert len(units) == 12
    assert {"西安市", "杨凌示范区", "韩城市"} <= units
    assert all(r.parent_id == "610000" for r in city_level_units())


def test_yangling_bureau_owns_yangling_district():
    yangling_district = Region.objects.get(pk="610403")
    assert yangling_district.parent.name == "杨凌示范区"
    assert yangling_district.admin_parent_code == "610400"  # the code table still says 咸阳
    assert not yangling_district.path.startswith("610000/610400/")


def test_hancheng_is_city_level_and_its_own_county():
    hancheng = Region.objects.get(pk="610581")
    assert hancheng.level == "city" and hancheng.is_county
    assert hancheng.parent_id == "610000"
    assert hancheng.admin_parent_code == "610500"


def test_weinan_no_longer_contains_hancheng():
    weinan_counties = counties().filter(path__startswith="610000/610500/")
    assert "610581" not in set(weinan_counties.values_list("code", flat=True))
    assert weinan_counties.count() == 10
