"""Values equal to the stored ones are not rewritten: no revision, no updated_at change."""

import pytest

from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import AnnualFigures, FigureRevision
from tests.exchange.test_import_records_builder import rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_same_values_leave_the_row_alone():
    org = OrganisationFactory()
    fig = AnnualFiguresFactory(organisation=org, year=2024, operating_revenue=5000, employees=120)
    before = AnnualFigures.objects.get(pk=fig.pk).updated_at
    revisions = FigureRevision.objects.count()
    officer = county_officer()
    records = [rec(2, org.credit_code, 2024, operating_revenue="5000.00", employees=120, total_profit=300)]
    batch = import_validate(actor=officer, file_name="u.xlsx", data_bytes=b"u", records=records)
    batch = import_commit(actor=officer, batch=batch, records=records)
    assert (batch.new_count, batch.updated_count, batch.unchanged_count) == (0, 0, 1)
    assert AnnualFigures.objects.get(pk=fig.pk).updated_at == before
    assert FigureRevision.objects.count() == revisions
