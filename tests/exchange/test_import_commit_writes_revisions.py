"""A commit upserts by (credit code, year), registers new enterprises, and records every change: a
revision per value it changed, and on each row it created the batch itself (no revision per first
value; ``indicators.history`` shows them from the batch)."""

from decimal import Decimal

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.exchange.models import ImportedOrganisation, ImportStatus
from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.exchange.test_import_records_builder import rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_commit_writes_values_revisions_and_one_audit_event():
    org = OrganisationFactory(industry_id="3311")
    AnnualFiguresFactory(organisation=org, year=2023, operating_revenue=5000, employees=120)
    officer = county_officer()
    new_code = make_credit_code("610113", 8080)
    records = [
        rec(2, org.credit_code, 2023, operating_revenue=5200, employees=120, total_profit=None),
        rec(3, org.credit_code, 2024, operating_revenue=5600, employees=130, total_assets=7000),
        rec(
            4, new_code, 2024, name="雁塔新企业有限公司", county="雁塔区", operating_revenue=300, employees=9
        ),
    ]
    batch = import_validate(actor=officer, file_name="c.xlsx", data_bytes=b"c", records=records)
    audit_before = AuditEvent.objects.count()
    batch = import_commit(actor=officer, batch=batch, records=records)

    assert batch.status == ImportStatus.COMMITTED and batch.committed_at
    assert (batch.rows, batch.new_count, batch.updated_count, batch.unchanged_count) == (3, 2, 1, 0)
    assert batch.new_organisations == 1

    f2023 = AnnualFigures.objects.get(organisation=org, year=2023)
    assert f2023.operating_revenue == Decimal(5200)
    assert f2023.total_profit == Decimal(300)  # empty cell: the stored value stays
    new_org = Organisation.objects.get(credit_code=new_code)
    assert new_org.county_id == "610113"
    assert ImportedOrganisation.objects.filter(batch=batch, organisation=new_org).exists()

    revs = FigureRevision.objects.filter(import_batch=batch)
    assert {r.source for r in revs} == {"statistics_import"}
    assert {r.actor_id for r in revs} == {officer.pk}
    changed = revs.get(organisation=org, year=2023)
    assert (changed.field, changed.old_value, changed.new_value) == ("operating_revenue", 5000, 5200)
    assert revs.count() == 1  # the rows it created have no revisions: they carry the batch
    assert set(AnnualFigures.objects.filter(import_batch=batch).values_list("organisation_id", "year")) == {
        (org.pk, 2024),
        (new_org.pk, 2024),
    }
    assert f2023.import_batch_id is None
    batch.refresh_from_db()
    assert batch.committed_by == officer and batch.revision_mark == 0

    events = AuditEvent.objects.all()[: AuditEvent.objects.count() - audit_before]
    assert [e.event_type for e in events] == ["import.committed"]
    assert events[0].payload["new_organisations"] == 1 and events[0].payload["updated"] == 1

    org.refresh_from_db()
    assert org.classified_year == 2024 and org.size_class  # cache refreshed
