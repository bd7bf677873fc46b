"""Refreshing the cached classification must stay a HOT update on PostgreSQL (registry migration
0003): no index may cover ``size_class``, ``above_scale`` or ``classified_year``, and the table
keeps room on its pages (fillfactor 50). A non-HOT update of 200,000 organisations inserted into all
15 indexes: 28–36 s; HOT: 1.4 s."""

import pytest
from django.db import connection

from smeplan.exchange.writing import organisations_reclassify
from smeplan.registry.models import Organisation
from tests.factories import AnnualFiguresFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TABLE = Organisation._meta.db_table
#: set by every reclassification; an index on any would make each such update non-HOT
UNINDEXED = ("size_class", "above_scale", "classified_year")


def index_definitions() -> list[str]:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass", [TABLE]
            )
        else:
            cur.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [TABLE])
        return [row[0] or "" for row in cur.fetchall()]


def test_no_index_covers_the_classification_cache():
    definitions = index_definitions()
    assert definitions
    for definition in definitions:
        for column in UNINDEXED:
            assert column not in definition, definition
    for name, info in connection.introspection.get_constraints(connection.cursor(), TABLE).items():
        if info["index"] or info["unique"] or info["primary_key"]:
            assert not set(info["columns"] or []) & set(UNINDEXED), name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL storage parameter")
def test_fillfactor_leaves_room_for_a_new_version_of_every_row():
    with connection.cursor() as cur:
        cur.execute("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [TABLE])
        assert "fillfactor=50" in cur.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL statistics")
def test_reclassification_with_the_same_size_class_is_a_hot_update():
    org = OrganisationFactory()
    AnnualFiguresFactory(organisation=org, year=2024)
    assert organisations_reclassify([org.pk]) == 1
    org.refresh_from_db()
    size, scale = org.size_class, org.above_scale
    assert org.classified_year == 2024 and size

    def counts() -> tuple[int, int]:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_stat_get_xact_tuples_updated(%s::regclass), "
                "pg_stat_get_xact_tuples_hot_updated(%s::regclass)",
                [TABLE, TABLE],
            )
            return cur.fetchone()

    AnnualFiguresFactory(organisation=org, year=2025)  # same figures: only the year moves
    updated, hot = counts()
    assert organisations_reclassify([org.pk]) == 1
    org.refresh_from_db()
    assert (org.size_class, org.above_scale, org.classified_year) == (size, scale, 2025)
    assert counts() == (updated + 1, hot + 1)

    # a changed size class too
    AnnualFiguresFactory(
        organisation=org, year=2026, employees=5000, operating_revenue=900_000, total_assets=900_000
    )
    assert organisations_reclassify([org.pk]) == 1
    org.refresh_from_db()
    assert org.classified_year == 2026 and org.size_class != size
    assert counts() == (updated + 2, hot + 2)
