"""PostgreSQL only: a covering index (id) INCLUDE (county_id) on the organisations.

Counts by county of rows that point at an organisation (certifications for the targets dashboard
and the county map, tier enterprises for annex 3) join each row to its organisation just for the
county. Through the primary key every lookup also reads a heap page of a 10^6-row table; this
index answers id → county_id from the index alone (an index-only scan), a few MB that stay cached.
SQLite needs nothing here.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_org_id_county ON registry_organisation (id) INCLUDE (county_id)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registry_org_id_county")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_organisation_hot_classification")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
