"""On PostgreSQL the set-based write path (COPY + ON CONFLICT) gives exactly what the generic one does."""

import pytest
from django.db import connection, transaction

from smeplan.exchange import writing
from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures, FigureRevision
from smeplan.registry.credit_code import make_credit_code
from tests.exchange.test_import_records_builder import rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _run(officer, records, engine):
    snapshot = {}
    try:
        with transaction.atomic():
            batch = import_validate(actor=officer, file_name="e.xlsx", data_bytes=b"e", records=records)
            original = writing.figures_upsert

            def upsert(**kw):
                if engine == "generic":
                    return writing._upsert_generic(**kw)
                assert connection.vendor == "postgresql"
                return original(**kw)

            with pytest.MonkeyPatch.context() as mp:
                mp.setattr("smeplan.exchange.services.figures_upsert", upsert)
                batch = import_commit(actor=officer, batch=batch, records=records, confirm_warnings=True)
            snapshot["counts"] = (batch.new_count, batch.updated_count, batch.unchanged_count)
            snapshot["figures"] = sorted(
                AnnualFigures.objects.values_list("organisation__credit_code", "year", *FIGURE_NAMES)
            )
            snapshot["revisions"] = sorted(
                (*r[:-1], r[-1].replace(f"#{batch.pk}", "#N"))
                for r in FigureRevision.objects.filter(import_batch=batch).values_list(
                    "organisation__credit_code", "year", "field", "old_value", "new_value", "source", "note"
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return snapshot


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based path is PostgreSQL's")
def test_postgres_and_generic_paths_agree():
    a, b = OrganisationFactory.create_batch(2)
    AnnualFiguresFactory(organisation=a, year=2023)
    AnnualFiguresFactory(organisation=b, year=2023, employees=None)
    officer = county_officer()
    records = [
        rec(2, a.credit_code, 2023, operating_revenue=5000, employees=121, total_profit=None),  # 1 change
        rec(3, b.credit_code, 2023, operating_revenue=5000, employees=10),  # NULL → 10
        rec(4, a.credit_code, 2024, operating_revenue=6000, total_profit=-3),  # new row
        rec(5, b.credit_code, 2024),  # no values: nothing
        rec(6, make_credit_code("610113", 4711), 2024, name="新有限公司", county="雁塔区", employees=3),
    ]
    fast = _run(officer, records, "postgres")
    slow = _run(officer, records, "generic")
    assert fast == slow
    assert fast["counts"] == (2, 2, 1)
