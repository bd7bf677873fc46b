import pytest

from smeplan.industries.models import Industry

pytestmark = pytest.mark.django_db


def test_whole_classification_is_loaded():
    counts = {
        lvl: Industry.objects.filter(level=lvl).count() for lvl in ("section", "division", "group", "class")
    }
    assert counts == {"section": 20, "division": 97, "group": 274, "class": 1381}


def test_class_derives_division_and_section():
    cls = Industry.objects.get(pk="3311")
    assert (cls.division, cls.section) == ("33", "C")
    assert cls.parent.code == "331"
    assert cls.parent.parent.code == "33"
    assert cls.parent.parent.parent.code == "C"


def test_single_class_group_hangs_under_its_division():
    ic_design = Industry.objects.get(pk="6520")
    assert ic_design.division == "65" and ic_design.section == "I"
    assert ic_design.parent.code in ("652", "65")


def test_coarse_codes_still_carry_their_section():
    assert Industry.objects.get(pk="13").section == "C"
    assert Industry.objects.get(pk="C").division == ""
