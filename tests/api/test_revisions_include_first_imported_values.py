"""The API's revision list shows the first values of a row an import created (they have no revision
of their own): no revision id, the batch that wrote them."""

import pytest

from smeplan.exchange.services import import_commit, import_validate
from tests.exchange.test_import_records_builder import rec
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_the_api_lists_first_values_without_a_revision_id(api_as):
    org = OrganisationFactory()
    officer = county_officer()
    records = [rec(2, org.credit_code, 2024, operating_revenue=800, employees=12)]
    batch = import_validate(actor=officer, file_name="h.xlsx", data_bytes=b"h", records=records)
    batch = import_commit(actor=officer, batch=batch, records=records)
    body = api_as(officer).get(f"/organisations/{org.pk}/revisions?year=2024").json()
    assert [
        (r["id"], r["import_batch"], r["field"], r["old_value"], r["new_value"], r["note"]) for r in body
    ] == [
        (None, batch.pk, "operating_revenue", None, "800.00", f"导入#{batch.pk}（新增）"),
        (None, batch.pk, "employees", None, "12", f"导入#{batch.pk}（新增）"),
    ]
    assert api_as(officer).get(f"/organisations/{org.pk}/revisions?year=2023").json() == []
