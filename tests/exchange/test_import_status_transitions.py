"""The batch status follows the one declared table of transitions."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.exchange.models import TRANSITIONS, ImportBatch, ImportStatus, batch_transition
from smeplan.exchange.services import import_commit, import_validate
from tests.exchange.test_import_records_builder import rec
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_the_table_allows_only_the_documented_path():
    checked = {ImportStatus.VALIDATED, ImportStatus.FAILED}
    assert TRANSITIONS[ImportStatus.UPLOADED] == checked | {ImportStatus.DISCARDED}
    # checked again (another mapping) until written or given up
    assert TRANSITIONS[ImportStatus.VALIDATED] == checked | {ImportStatus.COMMITTED, ImportStatus.DISCARDED}
    assert TRANSITIONS[ImportStatus.FAILED] == checked | {ImportStatus.DISCARDED}
    assert TRANSITIONS[ImportStatus.COMMITTED] == {ImportStatus.UNDONE}
    assert not TRANSITIONS[ImportStatus.UNDONE] and not TRANSITIONS[ImportStatus.DISCARDED]


def test_a_committed_batch_cannot_be_committed_again_nor_jump_back():
    org = OrganisationFactory()
    officer = county_officer()
    records = [rec(2, org.credit_code, 2024, operating_revenue=1)]
    batch = import_validate(actor=officer, file_name="s.xlsx", data_bytes=b"s", records=records)
    batch = import_commit(actor=officer, batch=batch, records=records)
    with pytest.raises(ValidationError):
        import_commit(actor=officer, batch=batch, records=records)
    with pytest.raises(ValidationError, match="不能变为"):
        batch_transition(batch, ImportStatus.VALIDATED)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.COMMITTED


def test_a_failed_batch_cannot_be_committed():
    officer = county_officer()
    records = [rec(2, "bad", 2024, operating_revenue=1)]
    batch = import_validate(actor=officer, file_name="f.xlsx", data_bytes=b"f", records=records)
    assert batch.status == ImportStatus.FAILED
    with pytest.raises(ValidationError):
        import_commit(actor=officer, batch=batch, records=records)
