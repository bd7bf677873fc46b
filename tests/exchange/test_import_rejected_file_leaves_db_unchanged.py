"""A rejected file changes nothing: same row counts and the same checksum of the figures table."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.exchange.test_import_records_builder import figures_checksum, rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def _state():
    return (
        Organisation.objects.count(),
        AnnualFigures.objects.count(),
        FigureRevision.objects.count(),
        AuditEvent.objects.count(),
        figures_checksum(),
    )


def _records(orgs):
    good = [rec(2 + i, o.credit_code, 2024, operating_revenue=999, employees=1) for i, o in enumerate(orgs)]
    new = rec(
        10,
        make_credit_code("610113", 31337),
        2024,
        name="新企业有限公司",
        county="雁塔区",
        operating_revenue=5,
    )
    bad = rec(11, orgs[0].credit_code, 2023, employees=-1)
    return [*good, new, bad]


def test_a_file_with_one_bad_row_writes_nothing():
    orgs = OrganisationFactory.create_batch(3)
    for o in orgs:
        AnnualFiguresFactory(organisation=o, year=2024)
    before = _state()
    batch = import_validate(
        actor=county_officer(), file_name="bad.xlsx", data_bytes=b"bad", records=_records(orgs)
    )
    assert batch.status == ImportStatus.FAILED
    assert _state() == before
    assert ImportBatch.objects.count() == 1  # only the record of the refusal


def test_records_that_went_bad_since_validation_are_refused_at_commit():
    orgs = OrganisationFactory.create_batch(2)
    officer = county_officer()
    records = _records(orgs)[:-1]
    batch = import_validate(actor=officer, file_name="ok.xlsx", data_bytes=b"ok", records=records)
    assert batch.status == ImportStatus.VALIDATED
    before = _state()
    with pytest.raises(ValidationError):
        import_commit(actor=officer, batch=batch, records=_records(orgs))
    assert _state() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED


def test_a_failure_in_the_middle_of_writing_rolls_everything_back(monkeypatch):
    orgs = OrganisationFactory.create_batch(2)
    officer = county_officer()
    records = _records(orgs)[:-1]
    batch = import_validate(actor=officer, file_name="ok.xlsx", data_bytes=b"ok2", records=records)
    before = _state()

    def boom(ids):
        raise RuntimeError("disk full")

    monkeypatch.setattr("smeplan.exchange.services.organisations_reclassify", boom)
    with pytest.raises(RuntimeError):
        import_commit(actor=officer, batch=batch, records=records)
    assert _state() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED
