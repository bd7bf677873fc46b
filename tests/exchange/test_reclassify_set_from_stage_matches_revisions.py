"""``figures_upsert`` (PostgreSQL and SQLite) works out the organisations to reclassify from its staging
table; that set equals what ``organisations_to_reclassify`` derives from what the batch wrote — its
revisions and the rows it created (new rows, changed values, changes only to years before the
cached one, unchanged and empty rows)."""

import pytest
from django.db import connection

from smeplan.exchange import services, writing
from smeplan.exchange.models import ImportBatch
from smeplan.exchange.services import import_commit, import_validate
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.exchange.test_import_records_builder import rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor not in writing.SQL_VENDORS, reason="no staging table here")
def test_stage_derived_set_equals_revision_derived_set(monkeypatch):
    a, b, c, d, e = OrganisationFactory.create_batch(5)
    for org in (a, b, c, d):
        AnnualFiguresFactory(organisation=org, year=2023)
        AnnualFiguresFactory(organisation=org, year=2022)
    Organisation.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk]).update(classified_year=2023)
    records = [
        rec(2, a.credit_code, 2023, operating_revenue=7777),  # latest year changed → yes
        rec(3, b.credit_code, 2022, operating_revenue=7777),  # only an earlier year → no
        rec(4, c.credit_code, 2023, operating_revenue=5000),  # unchanged (factory value) → no
        rec(5, d.credit_code, 2024),  # empty row → no
        rec(6, e.credit_code, 2021, employees=5),  # never classified → yes
        rec(7, make_credit_code("610113", 4712), 2024, name="新登记有限公司", county="雁塔区", employees=3),
    ]
    seen = {}

    def capture(ids):
        seen["from_stage"] = sorted(ids)
        seen["from_revisions"] = writing.organisations_to_reclassify(ImportBatch.objects.get(pk=batch.pk))
        return writing.organisations_reclassify(ids)

    monkeypatch.setattr(services, "organisations_reclassify", capture)
    officer = county_officer()
    batch = import_validate(actor=officer, file_name="r.xlsx", data_bytes=b"r", records=records)
    import_commit(actor=officer, batch=batch, records=records, confirm_warnings=True)
    new = Organisation.objects.get(credit_code=records[-1].credit_code)
    assert seen["from_stage"] == seen["from_revisions"] == sorted([a.pk, e.pk, new.pk])
