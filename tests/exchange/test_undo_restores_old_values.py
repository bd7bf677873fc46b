"""Undo reverts every value, deletes rows and enterprises the import created, and is recorded."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.exchange.models import ImportStatus
from smeplan.exchange.services import import_commit, import_undo, import_validate
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.exchange.test_import_records_builder import rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_undo_puts_everything_back():
    org = OrganisationFactory()
    AnnualFiguresFactory(organisation=org, year=2023, operating_revenue=5000, total_assets=None)
    officer = county_officer()
    new_code = make_credit_code("610113", 9191)
    records = [
        rec(2, org.credit_code, 2023, operating_revenue=5200, total_assets=6100),
        rec(3, org.credit_code, 2024, operating_revenue=5600),
        rec(4, new_code, 2024, name="新登记有限公司", county="雁塔区", operating_revenue=10),
    ]
    batch = import_validate(actor=officer, file_name="x.xlsx", data_bytes=b"x", records=records)
    batch = import_commit(actor=officer, batch=batch, records=records)
    assert AnnualFigures.objects.count() == 3

    batch = import_undo(actor=officer, batch=batch)
    assert batch.status == ImportStatus.UNDONE and batch.undone_by == officer and batch.undone_at
    f2023 = AnnualFigures.objects.get(organisation=org, year=2023)
    assert f2023.operating_revenue == Decimal(5000) and f2023.total_assets is None
    assert not AnnualFigures.objects.filter(year=2024).exists()
    assert not Organisation.objects.filter(credit_code=new_code).exists()
    org.refresh_from_db()
    assert org.classified_year == 2023  # the cache follows the reverted figures
    reverts = FigureRevision.objects.filter(note=f"撤销导入#{batch.pk}", organisation=org)
    assert {(r.field, r.old_value, r.new_value) for r in reverts.filter(year=2023)} == {
        ("operating_revenue", Decimal(5200), Decimal(5000)),
        ("total_assets", Decimal(6100), None),
    }
    assert AuditEvent.objects.filter(event_type="import.undone").count() == 1
    assert AnnualFigures.objects.count() == 1

    with pytest.raises(ValidationError):
        import_undo(actor=officer, batch=batch)


def test_a_registered_enterprise_with_other_data_is_kept():
    officer = county_officer()
    code = make_credit_code("610113", 9292)
    records = [rec(2, code, 2024, name="保留有限公司", county="雁塔区", operating_revenue=10)]
    batch = import_validate(actor=officer, file_name="k.xlsx", data_bytes=b"k", records=records)
    batch = import_commit(actor=officer, batch=batch, records=records)
    org = Organisation.objects.get(credit_code=code)
    AnnualFiguresFactory(organisation=org, year=2023)  # entered by hand afterwards
    import_undo(actor=officer, batch=batch)
    assert Organisation.objects.filter(pk=org.pk).exists()
    assert list(AnnualFigures.objects.filter(organisation=org).values_list("year", flat=True)) == [2023]
