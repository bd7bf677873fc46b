"""form_version_for: the newest version whose effective year is not after the year asked for."""

import pytest

from smeplan.programmes import formdesign
from smeplan.programmes.models import FormVersion, Programme
from tests.programmes.form_designs import design_with

pytestmark = pytest.mark.django_db


def make(programme, number, year, purpose="application"):
    return FormVersion.objects.create(
        programme=programme,
        purpose=purpose,
        number=number,
        effective_year=year,
        title=f"表{number}",
        design=design_with({"code": "a", "label": "甲", "type": "text"}),
    )


def test_newest_effective_year_not_after_the_year():
    programme = Programme.objects.get(code="transformation-demo")
    FormVersion.objects.filter(programme=programme).delete()
    v1, v2, v3 = make(programme, 1, 2017), make(programme, 2, 2020), make(programme, 3, 2020)
    report = make(programme, 1, 2017, purpose="annual_report")
    assert formdesign.form_version_for(programme, "application", 2016) is None
    assert formdesign.form_version_for(programme, "application", 2019) == v1
    assert formdesign.form_version_for(programme, "application", 2020) == v3
    assert formdesign.form_version_for(programme, "application", 2030) == v3
    assert formdesign.form_version_for(programme, "annual_report", 2030) == report
    assert v2 != v3
