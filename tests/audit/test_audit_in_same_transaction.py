import pytest
from django.db import transaction

from smeplan.audit.models import AuditEvent
from smeplan.audit.services import audit_record
from smeplan.registry.services import organisation_rename
from tests.factories import OrganisationFactory, province_admin

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_audit_record_refuses_to_run_outside_a_transaction(reference_data):
    # reference_data: a browser journey before this test may have flushed the regions
    org = OrganisationFactory()
    assert transaction.get_autocommit()
    with pytest.raises(RuntimeError):
        audit_record(actor=None, event_type="x", subject=org)


def test_failed_service_leaves_no_event():
    org = OrganisationFactory()
    with pytest.raises(Exception):  # noqa: B017 - any error must roll back the event too
        organisation_rename(actor=province_admin(), organisation=org, new_name="")
    assert AuditEvent.objects.count() == 0
