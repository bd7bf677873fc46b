"""The columnar snapshot of the screening frame (``programmes.frame_store``) and the triggers that log
every write to the organisations and their yearly figures into ``programmes_framechange``.

PostgreSQL: statement-level triggers — one log row per writing statement (a 10^6-row import adds a
handful) whose own ``xmin`` is the (sub)transaction id stamped on the rows the statement wrote, so
those rows are found later by their ``xmin``; one row per DELETE statement carrying the removed
organisation ids or figure rows (organisation id · 10^4 + year; transition table); one per TRUNCATE; a row-level trigger only when an UPDATE
moves a figure row to another organisation or year (``WHEN`` is checked in C, so ordinary updates
never call it). SQLite has row triggers only: one log row per changed row (≈ 3 µs each), no index.

The stored arrays are kept out of line and uncompressed (``STORAGE EXTERNAL``): pglz would cost
more time than the bytes it saves.
"""

import django.db.models.deletion
from django.db import migrations, models

ORGS = "registry_organisation"
FIGURES = "indicators_annualfigures"
LOG = "programmes_framechange"

PG_FORWARDS = f"""
CREATE OR REPLACE FUNCTION programmes_frame_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- the log row's own xmin is the (sub)transaction id stamped on the rows this statement wrote
  INSERT INTO {LOG} (xid, everything) VALUES (pg_current_xact_id()::text::bigint, false);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION programmes_frame_deleted_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {LOG} (xid, everything, deleted_rows)
  SELECT pg_current_xact_id()::text::bigint, false, string_agg(int8send(organisation_id * 10000 + year), '')
  FROM old_rows HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION programmes_frame_deleted_organisations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {LOG} (xid, everything, deleted)
  SELECT pg_current_xact_id()::text::bigint, false, string_agg(int8send(id), '')
  FROM old_rows HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION programmes_frame_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {LOG} (xid, everything, deleted_rows)
  VALUES (pg_current_xact_id()::text::bigint, false, int8send(OLD.organisation_id * 10000 + OLD.year));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION programmes_frame_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {LOG} (xid, everything) VALUES (pg_current_xact_id()::text::bigint, true);
  RETURN NULL;
END $$;

CREATE TRIGGER programmes_frame_written AFTER INSERT OR UPDATE ON {FIGURES}
  FOR EACH STATEMENT EXECUTE FUNCTION programmes_frame_written();
CREATE TRIGGER programmes_frame_written AFTER INSERT OR UPDATE ON {ORGS}
  FOR EACH STATEMENT EXECUTE FUNCTION programmes_frame_written();
CREATE TRIGGER programmes_frame_deleted AFTER DELETE ON {FIGURES}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION programmes_frame_deleted_figures();
CREATE TRIGGER programmes_frame_deleted AFTER DELETE ON {ORGS}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION programmes_frame_deleted_organisations();
CREATE TRIGGER programmes_frame_moved AFTER UPDATE OF organisation_id, year ON {FIGURES}
  FOR EACH ROW WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id OR OLD.year IS DISTINCT FROM NEW.year)
  EXECUTE FUNCTION programmes_frame_moved();
CREATE TRIGGER programmes_frame_truncated AFTER TRUNCATE ON {FIGURES}
  FOR EACH STATEMENT EXECUTE FUNCTION programmes_frame_truncated();
CREATE TRIGGER programmes_frame_truncated AFTER TRUNCATE ON {ORGS}
  FOR EACH STATEMENT EXECUTE FUNCTION programmes_frame_truncated();

ALTER TABLE programmes_framecolumn ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX programmes_framechange_xid ON {LOG} (xid);
"""

PG_BACKWARDS = f"""
DROP TRIGGER IF EXISTS programmes_frame_written ON {FIGURES};
DROP TRIGGER IF EXISTS programmes_frame_written ON {ORGS};
DROP TRIGGER IF EXISTS programmes_frame_deleted ON {FIGURES};
DROP TRIGGER IF EXISTS programmes_frame_deleted ON {ORGS};
DROP TRIGGER IF EXISTS programmes_frame_moved ON {FIGURES};
DROP TRIGGER IF EXISTS programmes_frame_truncated ON {FIGURES};
DROP TRIGGER IF EXISTS programmes_frame_truncated ON {ORGS};
DROP FUNCTION IF EXISTS programmes_frame_written();
DROP FUNCTION IF EXISTS programmes_frame_deleted_figures();
DROP FUNCTION IF EXISTS programmes_frame_deleted_organisations();
DROP FUNCTION IF EXISTS programmes_frame_moved();
DROP FUNCTION IF EXISTS programmes_frame_truncated();
DROP INDEX IF EXISTS programmes_framechange_xid;
"""


def _sqlite_log(key: str, when: str = "") -> str:
    return f"INSERT INTO {LOG} (organisation_id, everything) SELECT {key}, 0{when};"


SQLITE_TRIGGERS = {
    "programmes_frame_figures_insert": f"AFTER INSERT ON {FIGURES} BEGIN {_sqlite_log('NEW.organisation_id')} END",
    "programmes_frame_figures_update": (
        f"AFTER UPDATE ON {FIGURES} BEGIN {_sqlite_log('NEW.organisation_id')} "
        f"{_sqlite_log('OLD.organisation_id', ' WHERE OLD.organisation_id IS NOT NEW.organisation_id')} END"
    ),
    "programmes_frame_figures_delete": f"AFTER DELETE ON {FIGURES} BEGIN {_sqlite_log('OLD.organisation_id')} END",
    "programmes_frame_organisations_insert": f"AFTER INSERT ON {ORGS} BEGIN {_sqlite_log('NEW.id')} END",
    "programmes_frame_organisations_update": f"AFTER UPDATE ON {ORGS} BEGIN {_sqlite_log('NEW.id')} END",
    "programmes_frame_organisations_delete": f"AFTER DELETE ON {ORGS} BEGIN {_sqlite_log('OLD.id')} END",
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARDS)
    elif vendor == "sqlite":
        for name, body in SQLITE_TRIGGERS.items():
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")
    else:
        raise NotImplementedError(f"no frame change triggers for {vendor}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARDS)
    else:
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_programme_basis_per_document"),
        ("registry", "0004_organisation_county_covering"),
        ("indicators", "0005_annualfigures_import_batch"),
    ]

    operations = [
        migrations.CreateModel(
            name="FrameChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("xid", models.BigIntegerField(null=True)),
                ("organisation_id", models.BigIntegerField(null=True)),
                ("everything", models.BooleanField(default=False)),
                ("deleted", models.BinaryField(null=True)),
                ("deleted_rows", models.BinaryField(null=True)),
            ],
            options={"verbose_name": "筛选数据变更", "verbose_name_plural": "筛选数据变更"},
        ),
        migrations.CreateModel(
            name="FrameState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("format", models.PositiveSmallIntegerField()),
                ("seen", models.TextField()),
                ("horizon", models.BigIntegerField()),
                ("enterprises", models.PositiveIntegerField()),
            ],
            options={"verbose_name": "筛选数据快照", "verbose_name_plural": "筛选数据快照"},
        ),
        migrations.CreateModel(
            name="FrameColumn",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64)),
                ("dtype", models.CharField(max_length=8)),
                ("data", models.BinaryField()),
                (
                    "state",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="columns",
                        to="programmes.framestate",
                    ),
                ),
            ],
            options={
                "verbose_name": "筛选数据快照列",
                "verbose_name_plural": "筛选数据快照列",
                "constraints": [
                    models.UniqueConstraint(fields=("state", "name"), name="frame_column_unique")
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
