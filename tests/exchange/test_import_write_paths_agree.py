"""The set-based write path (``writing._upsert_sql``: COPY on PostgreSQL, executemany on SQLite) gives
exactly what the plain ORM path (``writing._upsert_orm``) does — counts, figures, the rows the batch
created, revisions, the history the enterprise page shows, the organisations to reclassify — and
both give the SAME literal result on either engine (the suite runs on SQLite and on PostgreSQL)."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from smeplan.exchange import writing
from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures, FigureRevision
from smeplan.indicators.selectors import revisions_of
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.exchange.test_import_records_builder import rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _run(officer, records, path):
    """Import ``records`` through ``path`` in a transaction rolled back afterwards; what it wrote."""
    snapshot = {}
    try:
        with transaction.atomic():
            batch = import_validate(actor=officer, file_name="e.xlsx", data_bytes=b"e", records=records)
            original = writing.figures_upsert
            to_reclassify = []

            def upsert(**kw):
                assert connection.vendor in writing.SQL_VENDORS
                if path == "orm":
                    writing.organisations_lock({kw["organisation_ids"][r.credit_code] for r in kw["rows"]})
                    counts = writing._upsert_orm(**kw)
                else:
                    counts = original(**kw)
                to_reclassify.extend(writing.organisations_to_reclassify(kw["batch"]))
                return counts

            with pytest.MonkeyPatch.context() as mp:
                mp.setattr("smeplan.exchange.services.figures_upsert", upsert)
                batch = import_commit(actor=officer, batch=batch, records=records, confirm_warnings=True)
            code = dict(Organisation.objects.values_list("id", "credit_code"))
            snapshot["counts"] = (batch.new_count, batch.updated_count, batch.unchanged_count)
            snapshot["figures"] = sorted(
                (code[r[0]], r[1], r[2] == batch.pk, *r[3:])
                for r in AnnualFigures.objects.values_list(
                    "organisation_id", "year", "import_batch_id", *FIGURE_NAMES
                )
            )
            snapshot["revisions"] = sorted(
                (code[r[0]], *r[1:-1], r[-1].replace(f"#{batch.pk}", "#N"))
                for r in FigureRevision.objects.filter(import_batch=batch).values_list(
                    "organisation_id", "year", "field", "old_value", "new_value", "source", "note"
                )
            )
            snapshot["history"] = {
                code[org.pk]: sorted(
                    (
                        r.year,
                        r.field,
                        r.old_value,
                        r.new_value,
                        r.note.replace(f"#{batch.pk}", "#N"),
                        r.actor_id,
                    )
                    for r in revisions_of(officer, org)
                )
                for org in Organisation.objects.all()
            }
            snapshot["reclassify"] = sorted(code[pk] for pk in to_reclassify)
            raise _Rollback
    except _Rollback:
        pass
    return snapshot


def test_set_based_and_orm_paths_agree_on_this_engine():
    a, b, c = OrganisationFactory.create_batch(3)
    AnnualFiguresFactory(organisation=a, year=2023)
    AnnualFiguresFactory(organisation=b, year=2023, employees=None, total_assets=None)
    AnnualFiguresFactory(organisation=c, year=2023, operating_revenue=Decimal("1234.56"))
    Organisation.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(classified_year=2023)
    new_code = make_credit_code("610113", 4711)
    officer = county_officer()
    records = [
        rec(2, a.credit_code, 2023, operating_revenue=5000, employees=121, total_profit=None),  # 1 change
        rec(
            3, b.credit_code, 2023, operating_revenue=5000, employees=10, total_assets=7000.5
        ),  # 2 × NULL → v
        rec(4, c.credit_code, 2023, operating_revenue=Decimal("1234.560")),  # same value, other scale
        rec(5, a.credit_code, 2024, operating_revenue=6000, total_profit=-3, employees=0),  # new row
        rec(6, b.credit_code, 2024),  # no values: nothing
        rec(7, c.credit_code, 2022, total_liabilities=Decimal("0.01")),  # new row, an earlier year
        rec(8, new_code, 2024, name="新有限公司", county="雁塔区", employees=3),  # new enterprise
    ]
    orm = _run(officer, records, "orm")
    sql = _run(officer, records, "sql")
    assert sql == orm

    # the same literal result on every engine
    assert sql["counts"] == (3, 2, 2)
    empty = (None,) * len(FIGURE_NAMES)

    def figures(**values):
        return tuple(values.get(f) for f in FIGURE_NAMES)

    factory = figures(
        operating_revenue=Decimal(5000),
        main_business_revenue=Decimal(4800),
        total_profit=Decimal(300),
        tax_paid=Decimal(150),
        rd_expense=Decimal(120),
        employees=120,
        total_assets=Decimal(6000),
        total_liabilities=Decimal(2500),
    )
    assert empty != factory
    created = {row[:2]: row[3:] for row in sql["figures"] if row[2]}
    assert created == {
        (a.credit_code, 2024): figures(
            operating_revenue=Decimal(6000), total_profit=Decimal(-3), employees=0
        ),
        (c.credit_code, 2022): figures(total_liabilities=Decimal("0.01")),
        (new_code, 2024): figures(employees=3),
    }
    assert {row[:2] for row in sql["figures"] if not row[2]} == {
        (a.credit_code, 2023),
        (b.credit_code, 2023),
        (c.credit_code, 2023),
    }
    source, n = "statistics_import", "导入#N"
    assert sql["revisions"] == sorted(
        [
            (a.credit_code, 2023, "employees", Decimal(120), Decimal(121), source, n),
            (b.credit_code, 2023, "employees", None, Decimal(10), source, n),
            (b.credit_code, 2023, "total_assets", None, Decimal("7000.50"), source, n),
        ]
    )
    first = "导入#N（新增）"
    assert sql["history"][a.credit_code] == sorted(
        [
            (2023, "employees", Decimal(120), Decimal(121), n, officer.pk),
            (2024, "operating_revenue", None, Decimal(6000), first, officer.pk),
            (2024, "total_profit", None, Decimal(-3), first, officer.pk),
            (2024, "employees", None, Decimal(0), first, officer.pk),
        ]
    )
    assert sql["history"][new_code] == [(2024, "employees", None, Decimal(3), first, officer.pk)]
    assert sql["reclassify"] == sorted([a.credit_code, b.credit_code, new_code])  # not c: 2022 < 2023
