"""Extraction and validation pause Python's cyclic collector and then freeze what they made (so the
collector never traverses 10^6 records); the import's end gives it all back to the collector."""

import gc

import pytest

from smeplan.exchange.services import import_commit, import_validate
from smeplan.exchange.understanding import pause_cyclic_gc
from tests.exchange.test_import_records_builder import rec
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_pause_freezes_and_the_commit_releases():
    assert gc.isenabled()
    org = OrganisationFactory()
    records = [rec(2, org.credit_code, 2023, operating_revenue=100)]
    officer = county_officer()
    with pause_cyclic_gc():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    batch = import_validate(actor=officer, file_name="g.xlsx", data_bytes=b"g", records=records)
    import_commit(actor=officer, batch=batch, records=records)
    assert gc.isenabled() and gc.get_freeze_count() == 0
