"""Only the uploader or a provincial admin may undo an import."""

import pytest
from django.core.exceptions import PermissionDenied

from smeplan.exchange.models import ImportStatus
from smeplan.exchange.services import import_commit, import_undo, import_validate
from tests.exchange.test_import_records_builder import rec
from tests.factories import (
    AnnualFiguresFactory,
    OrganisationFactory,
    city_officer,
    county_officer,
    province_admin,
)

pytestmark = pytest.mark.django_db


def _committed(officer):
    org = OrganisationFactory()
    AnnualFiguresFactory(organisation=org, year=2024, operating_revenue=1)
    records = [rec(2, org.credit_code, 2024, operating_revenue=2)]
    batch = import_validate(actor=officer, file_name="p.xlsx", data_bytes=b"p", records=records)
    return import_commit(actor=officer, batch=batch, records=records)


def test_other_officers_may_not_undo():
    batch = _committed(county_officer())
    for other in (county_officer(), city_officer()):
        with pytest.raises(PermissionDenied):
            import_undo(actor=other, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED


def test_provincial_admin_may_undo():
    batch = _committed(county_officer())
    assert import_undo(actor=province_admin(), batch=batch).status == ImportStatus.UNDONE


def test_uploader_may_undo():
    officer = county_officer()
    assert import_undo(actor=officer, batch=_committed(officer)).status == ImportStatus.UNDONE
