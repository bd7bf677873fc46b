"""Undo of the rows an import created: they carry the batch and have no revisions of their own, so
the undo tells the batch's values from later ones by the revisions written after the batch."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.exchange.services import import_commit, import_undo, import_validate
from smeplan.indicators.models import AnnualFigures, FigureRevision, FigureSource
from smeplan.indicators.services import figures_update
from tests.exchange.test_import_records_builder import figures_checksum, rec
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def _import(officer, records):
    batch = import_validate(actor=officer, file_name="n.xlsx", data_bytes=b"n", records=records)
    return import_commit(actor=officer, batch=batch, records=records, confirm_warnings=True)


def test_a_created_value_changed_later_blocks_the_undo():
    org = OrganisationFactory(name="西安新创科技有限公司")
    officer = county_officer(display_name="李四")
    batch = _import(officer, [rec(2, org.credit_code, 2024, operating_revenue=800, employees=12)])
    figures_update(actor=officer, organisation=org, year=2024, data={"employees": "13"})
    checksum = figures_checksum()

    with pytest.raises(ValidationError) as exc:
        import_undo(actor=officer, batch=batch)
    today = timezone.localdate().isoformat()
    assert exc.value.messages == [
        f"西安新创科技有限公司 2024 年从业人员在本次导入后已被修改（{today} 李四），无法撤销"
    ]
    assert figures_checksum() == checksum
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.COMMITTED


def test_a_created_row_given_other_values_since_keeps_them():
    org = OrganisationFactory()
    officer = county_officer()
    batch = _import(officer, [rec(2, org.credit_code, 2024, operating_revenue=800, employees=12)])
    figures_update(actor=officer, organisation=org, year=2024, data={"total_assets": "900"})  # by hand

    import_undo(actor=officer, batch=batch)
    row = AnnualFigures.objects.get(organisation=org, year=2024)
    assert (row.operating_revenue, row.employees, row.total_assets) == (None, None, Decimal(900))
    reverts = FigureRevision.objects.filter(note=f"撤销导入#{batch.pk}")
    assert {(r.field, r.old_value, r.new_value) for r in reverts} == {
        ("operating_revenue", Decimal(800), None),
        ("employees", Decimal(12), None),
    }


def test_created_rows_nobody_touched_are_deleted_without_revisions():
    a, b = OrganisationFactory.create_batch(2)
    officer = county_officer()
    batch = _import(
        officer,
        [rec(2, a.credit_code, 2023, operating_revenue=1), rec(3, b.credit_code, 2024, employees=4)],
    )
    other = _import(officer, [rec(2, b.credit_code, 2023, employees=5)])  # a later import, other rows

    batch = import_undo(actor=officer, batch=batch)
    assert batch.status == ImportStatus.UNDONE
    assert list(AnnualFigures.objects.values_list("organisation_id", "year", "import_batch_id")) == [
        (b.pk, 2023, other.pk)
    ]
    assert not FigureRevision.objects.exists()


def test_a_batch_from_before_rows_carried_their_batch_is_still_undone():
    """Such a batch wrote a revision per first value (note 导入#<id>（新增）) and kept no mark."""
    org = OrganisationFactory()
    officer = county_officer()
    batch = _import(officer, [rec(2, org.credit_code, 2024, operating_revenue=800, employees=12)])
    row = AnnualFigures.objects.get(organisation=org, year=2024)
    AnnualFigures.objects.filter(pk=row.pk).update(import_batch=None)
    ImportBatch.objects.filter(pk=batch.pk).update(revision_mark=None)
    FigureRevision.objects.bulk_create(
        FigureRevision(
            organisation=org,
            year=2024,
            field=f,
            old_value=None,
            new_value=v,
            source=FigureSource.STATISTICS_IMPORT,
            note=f"导入#{batch.pk}（新增）",
            actor=officer,
            import_batch=batch,
        )
        for f, v in (("operating_revenue", Decimal(800)), ("employees", Decimal(12)))
    )

    import_undo(actor=officer, batch=ImportBatch.objects.get(pk=batch.pk))
    assert not AnnualFigures.objects.exists()
