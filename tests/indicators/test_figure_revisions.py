"""Every change of a yearly figure is kept as a revision; bad input changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from smeplan.audit.models import AuditEvent
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.indicators.services import figures_create, figures_update
from tests.factories import OrganisationFactory, county_officer, enterprise_user

pytestmark = pytest.mark.django_db


def test_create_records_one_revision_per_value_from_the_bureau():
    org = OrganisationFactory()
    officer = county_officer("610113")
    figures_create(
        actor=officer,
        organisation=org,
        data={"year": 2024, "operating_revenue": "2,500.5", "employees": "80", "total_profit": "-12"},
    )
    revs = {r.field: r for r in FigureRevision.objects.filter(organisation=org)}
    assert set(revs) == {"operating_revenue", "employees", "total_profit"}
    assert revs["operating_revenue"].new_value == Decimal("2500.50")
    assert revs["total_profit"].source == "bureau"
    assert AuditEvent.objects.filter(event_type="figures.created").count() == 1


def test_update_keeps_old_and_new_value_and_skips_unchanged():
    org = OrganisationFactory()
    user = enterprise_user(org)
    figures_create(
        actor=user, organisation=org, data={"year": 2023, "operating_revenue": 1000, "employees": 50}
    )
    FigureRevision.objects.all().delete()
    figures_update(
        actor=user, organisation=org, year=2023, data={"operating_revenue": "1200", "employees": 50}
    )
    rev = FigureRevision.objects.get()
    assert (rev.field, rev.old_value, rev.new_value, rev.source) == (
        "operating_revenue",
        Decimal(1000),
        Decimal(1200),
        "enterprise",
    )


def test_duplicate_year_is_refused():
    org = OrganisationFactory()
    officer = county_officer("610113")
    figures_create(actor=officer, organisation=org, data={"year": 2024, "operating_revenue": 1})
    with pytest.raises(ValidationError) as exc:
        figures_create(actor=officer, organisation=org, data={"year": 2024, "operating_revenue": 2})
    assert "已存在" in exc.value.message_dict["year"][0]
    assert AnnualFigures.objects.get().operating_revenue == 1


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("employees", "-3", "不能为负数"),
        ("operating_revenue", "abc", "应为数字"),
        ("employees", "12.5", "应为整数"),
        ("year", str(timezone.localdate().year + 1), "不能晚于当前年度"),
        ("year", "二〇二〇", "四位数字"),
    ],
)
def test_bad_input_gives_a_field_error_and_saves_nothing(field, value, fragment):
    org = OrganisationFactory()
    payload = {"year": 2024, "operating_revenue": 100} | {field: value}
    with pytest.raises(ValidationError) as exc:
        figures_create(actor=county_officer("610113"), organisation=org, data=payload)
    assert fragment in exc.value.message_dict[field][0]
    assert AnnualFigures.objects.count() == 0
    assert FigureRevision.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_other_county_cannot_write_figures():
    org = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        figures_create(actor=county_officer("610103"), organisation=org, data={"year": 2024})


def test_figures_refresh_cached_size_class():
    org = OrganisationFactory(industry_id="3311")
    figures_create(
        actor=county_officer("610113"),
        organisation=org,
        data={"year": 2024, "operating_revenue": 500, "main_business_revenue": 480, "employees": 30},
    )
    org.refresh_from_db()
    assert (org.size_class, org.above_scale, org.classified_year) == ("small", False, 2024)
