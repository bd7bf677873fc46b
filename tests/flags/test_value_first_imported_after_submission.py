"""A figure missing when the application was submitted and first written by an import afterwards
(a created row: no revision, its batch is its history) has no submitted value to disagree with: a
later change of it is not "changed after submission". One that existed at submission still is."""

import pytest

from smeplan.exchange.services import import_commit, import_validate
from smeplan.flags.models import FigureFlag, FlagKind
from smeplan.indicators.models import AnnualFigures
from smeplan.indicators.services import figures_update
from tests.exchange.test_import_records_builder import rec
from tests.factories import county_officer
from tests.flags.make import YEAR, certify, detect
from tests.recognition.make import applicant, submitted

MISMATCH = FigureFlag.objects.filter(kind=FlagKind.APPLICATION_MISMATCH)


def _import(officer, org, revenue):
    records = [rec(2, org.credit_code, YEAR - 1, operating_revenue=revenue)]
    batch = import_validate(actor=officer, file_name="s.xlsx", data_bytes=b"s", records=records)
    return import_commit(actor=officer, batch=batch, records=records, confirm_warnings=True)


@pytest.mark.django_db
def test_only_a_value_present_at_submission_can_disagree_with_it():
    officer = county_officer()
    missing, user = applicant()
    AnnualFigures.objects.filter(organisation=missing, year=YEAR - 1).delete()
    submitted(user)
    certify(missing)
    present, other = applicant()
    submitted(other)
    certify(present)

    batch = _import(officer, missing, 5000)  # creates the row: no revision
    assert AnnualFigures.objects.get(organisation=missing, year=YEAR - 1).import_batch_id == batch.pk
    figures_update(actor=officer, organisation=missing, year=YEAR - 1, data={"operating_revenue": "6000"})
    figures_update(actor=officer, organisation=present, year=YEAR - 1, data={"operating_revenue": "6000"})

    detect()

    assert list(MISMATCH.values_list("organisation_id", flat=True)) == [present.pk]
