"""``AnnualFigures.organisation`` has no database constraint (a 10^6-row import would check each row
at COMMIT): the write path checks all its organisations at once instead. An organisation deleted
between validation and commit makes the whole commit fail, writing nothing."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.exchange import services
from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.integrity import organisations_lock
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.registry.models import Organisation
from tests.exchange.test_import_records_builder import rec
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_an_organisation_gone_before_the_commit_fails_it_and_nothing_is_written(monkeypatch):
    a, b = OrganisationFactory.create_batch(2)
    records = [rec(2, a.credit_code, 2023, operating_revenue=100), rec(3, b.credit_code, 2023, employees=7)]
    officer = county_officer()
    batch = import_validate(actor=officer, file_name="x.xlsx", data_bytes=b"x", records=records)
    assert batch.status == ImportStatus.VALIDATED
    gone = b.pk
    original = services.figures_upsert

    def upsert_after_a_delete(**kw):
        Organisation.objects.filter(pk=gone).delete()  # deleted meanwhile (ids still in the result)
        return original(**kw)

    monkeypatch.setattr(services, "figures_upsert", upsert_after_a_delete)
    with pytest.raises(ValidationError, match="已被删除"):
        import_commit(actor=officer, batch=batch, records=records)
    assert not AnnualFigures.objects.exists() and not FigureRevision.objects.exists()
    assert Organisation.objects.filter(pk=gone).exists()  # rolled back with the rest
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.VALIDATED


def test_organisations_lock_accepts_existing_ones_and_names_a_missing_one():
    a, b = OrganisationFactory.create_batch(2)
    organisations_lock([a.pk, b.pk, a.pk])
    organisations_lock([])
    with pytest.raises(ValidationError, match=f"ID {b.pk + 1000}"):
        organisations_lock([a.pk, b.pk + 1000])
