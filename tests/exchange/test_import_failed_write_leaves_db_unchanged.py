"""A commit that fails after the set-based write (staging table, INSERT, UPDATE, revisions) leaves the
database as it was — figures, revisions, the batch — and the same batch can be committed again."""

import pytest

from smeplan.exchange import services
from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import AnnualFigures, FigureRevision
from tests.exchange.test_import_records_builder import figures_checksum, rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_a_failure_after_writing_rolls_everything_back(monkeypatch):
    a, b = OrganisationFactory.create_batch(2)
    AnnualFiguresFactory(organisation=a, year=2023)
    officer = county_officer()
    records = [
        rec(2, a.credit_code, 2023, operating_revenue=7000),  # an update with a revision
        rec(3, b.credit_code, 2024, employees=9),  # a new row carrying the batch
    ]
    batch = import_validate(actor=officer, file_name="f.xlsx", data_bytes=b"f", records=records)
    before = (figures_checksum(), AnnualFigures.objects.count(), FigureRevision.objects.count())

    def broken(ids):
        raise OSError("磁盘已满")

    with monkeypatch.context() as mp:
        mp.setattr(services, "organisations_reclassify", broken)
        with pytest.raises(OSError):
            import_commit(actor=officer, batch=batch, records=records)
    assert (figures_checksum(), AnnualFigures.objects.count(), FigureRevision.objects.count()) == before
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.VALIDATED

    batch = import_commit(actor=officer, batch=ImportBatch.objects.get(pk=batch.pk), records=records)
    assert (batch.new_count, batch.updated_count) == (1, 1)
    assert AnnualFigures.objects.get(organisation=b).import_batch_id == batch.pk
    assert FigureRevision.objects.get().new_value == 7000
