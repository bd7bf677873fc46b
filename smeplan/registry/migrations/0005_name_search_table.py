"""Names in pinyin order, and a search table kept in step with the registry (PostgreSQL only).

1. Two expression indexes sort the list by pinyin (``name COLLATE "zh-x-icu"``, ICU's CLDR pinyin
   order) — over the whole province and within a county — so the first page of the list is read
   from an index in order, as before with the code point order.

2. ``registry_organisation_namegram``: one row per organisation and two-character piece (bigram) of
   its name or of a former name, plus the name's last character alone (so that a one-character
   search is exact too), carrying the organisation's current name in pinyin order, its county, and
   whether the piece comes from a former name. Its only index ``(gram, name, organisation_id)
   INCLUDE (county_id, former)`` lists every holder of a piece already sorted as the list is: a
   search walks it and stops at the page it shows, whatever the piece's frequency or where its
   holders sit in the name order. The GIN bigram index it replaces could find a fragment's holders
   but not their order: "雁塔" (14,536 names, all sorting in one place) took 2.2–2.4 s at 10^6.

   Kept in step by triggers on ``registry_organisation``: after INSERT (per statement, from the
   transition table, so a ``COPY`` of 50,000 rows writes its pieces with one INSERT … SELECT),
   after an UPDATE that changes the name, former names or county (per row, only then: the imports'
   HOT updates of the size class skip it), after DELETE (per statement) and after TRUNCATE.

SQLite: the list's pinyin order is two expression indexes on ``pinyin_key(name)``, a deterministic
function registered on each connection (``registry.collation``); a search is ``LIKE``.
"""

import django.db.models.deletion
from django.db import migrations, models

GRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION registry_name_grams(name text, former_names text)
RETURNS TABLE (gram text, former boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT substr(t.text, i, 2), bool_or(t.former)
    FROM (
        SELECT name AS text, false AS former
        UNION ALL
        SELECT f, true FROM unnest(string_to_array(nullif(former_names, ''), '|')) f
    ) t
    CROSS JOIN LATERAL generate_series(1, char_length(t.text)) i
    WHERE t.text <> ''
    GROUP BY 1
$$
"""

TABLE = """
CREATE TABLE registry_organisation_namegram (
    gram text COLLATE "C" NOT NULL,
    name text COLLATE "zh-x-icu" NOT NULL,
    organisation_id bigint NOT NULL,
    county_id varchar(6) NOT NULL,
    former boolean NOT NULL
)
"""

FILL = """
INSERT INTO registry_organisation_namegram (gram, name, organisation_id, county_id, former)
SELECT g.gram, o.name, o.id, o.county_id, g.former
FROM registry_organisation o CROSS JOIN LATERAL registry_name_grams(o.name, o.former_names) g
"""

INDEXES = [
    "CREATE INDEX registry_namegram_walk ON registry_organisation_namegram "
    "(gram, county_id, name, organisation_id) INCLUDE (former)",
    'CREATE INDEX org_name_pinyin ON registry_organisation ((name COLLATE "zh-x-icu"), id)',
    'CREATE INDEX org_county_name_pinyin ON registry_organisation (county_id, (name COLLATE "zh-x-icu"), id)',
    "CREATE INDEX org_county_credit_code ON registry_organisation (county_id, credit_code)",
]

TRIGGERS = r"""
CREATE OR REPLACE FUNCTION registry_namegram_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO registry_organisation_namegram (gram, name, organisation_id, county_id, former)
    SELECT g.gram, n.name, n.id, n.county_id, g.former
    FROM registry_namegram_new n CROSS JOIN LATERAL registry_name_grams(n.name, n.former_names) g;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION registry_namegram_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM registry_organisation_namegram
    WHERE gram IN (SELECT g.gram FROM registry_name_grams(OLD.name, OLD.former_names) g)
      AND name = OLD.name::text COLLATE "zh-x-icu"
      AND organisation_id = OLD.id;
    INSERT INTO registry_organisation_namegram (gram, name, organisation_id, county_id, former)
    SELECT g.gram, NEW.name, NEW.id, NEW.county_id, g.former
    FROM registry_name_grams(NEW.name, NEW.former_names) g;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION registry_namegram_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM registry_organisation_namegram p
    USING (
        SELECT o.id, o.name, g.gram
        FROM registry_namegram_old o CROSS JOIN LATERAL registry_name_grams(o.name, o.former_names) g
    ) d
    WHERE p.gram = d.gram AND p.name = d.name::text COLLATE "zh-x-icu" AND p.organisation_id = d.id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION registry_namegram_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE registry_organisation_namegram;
    RETURN NULL;
END
$$;

CREATE TRIGGER registry_namegram_inserted AFTER INSERT ON registry_organisation
    REFERENCING NEW TABLE AS registry_namegram_new
    FOR EACH STATEMENT EXECUTE FUNCTION registry_namegram_inserted();

CREATE TRIGGER registry_namegram_updated AFTER UPDATE OF name, former_names, county_id
    ON registry_organisation FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name
          OR OLD.former_names IS DISTINCT FROM NEW.former_names
          OR OLD.county_id IS DISTINCT FROM NEW.county_id)
    EXECUTE FUNCTION registry_namegram_updated();

CREATE TRIGGER registry_namegram_deleted AFTER DELETE ON registry_organisation
    REFERENCING OLD TABLE AS registry_namegram_old
    FOR EACH STATEMENT EXECUTE FUNCTION registry_namegram_deleted();

CREATE TRIGGER registry_namegram_truncated AFTER TRUNCATE ON registry_organisation
    FOR EACH STATEMENT EXECUTE FUNCTION registry_namegram_truncated();
"""

DROP = """
DROP TRIGGER IF EXISTS registry_namegram_inserted ON registry_organisation;
DROP TRIGGER IF EXISTS registry_namegram_updated ON registry_organisation;
DROP TRIGGER IF EXISTS registry_namegram_deleted ON registry_organisation;
DROP TRIGGER IF EXISTS registry_namegram_truncated ON registry_organisation;
DROP FUNCTION IF EXISTS registry_namegram_inserted();
DROP FUNCTION IF EXISTS registry_namegram_updated();
DROP FUNCTION IF EXISTS registry_namegram_deleted();
DROP FUNCTION IF EXISTS registry_namegram_truncated();
DROP TABLE IF EXISTS registry_organisation_namegram;
DROP FUNCTION IF EXISTS registry_name_grams(text, text);
DROP INDEX IF EXISTS org_name_pinyin;
DROP INDEX IF EXISTS org_county_name_pinyin;
DROP INDEX IF EXISTS org_county_credit_code;
"""

# The GIN index of migration 0002, which this table replaces.
OLD_GIN_FUNCTION = r"""
CREATE OR REPLACE FUNCTION registry_search_bigrams(name text, former_names text)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    s text := name || '|' || former_names;
    grams text[] := '{}';
    g text;
BEGIN
    FOR i IN 1 .. char_length(s) - 1 LOOP
        g := substr(s, i, 2);
        IF strpos(g, '|') = 0 THEN
            grams := grams || g;
        END IF;
    END LOOP;
    RETURN grams;
END
$$
"""
OLD_GIN_INDEX = (
    "CREATE INDEX org_search_bigrams ON registry_organisation "
    "USING gin (registry_search_bigrams(name, former_names))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from smeplan.registry.collation import SQLITE_INDEXES

        for _name, ddl in SQLITE_INDEXES:
            schema_editor.execute(ddl)
        return
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'zh-x-icu'")
        if cursor.fetchone() is None:
            raise RuntimeError(
                'PostgreSQL lacks the ICU collation "zh-x-icu" (pinyin order): a server built with ICU '
                "is required (PostgreSQL 15 packages of Debian, Ubuntu and the official images have it)"
            )
    schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    schema_editor.execute(GRAMS_FUNCTION)
    schema_editor.execute(TABLE)
    schema_editor.execute("ALTER TABLE registry_organisation_namegram ALTER COLUMN gram SET STATISTICS 1000")
    schema_editor.execute(FILL)
    for statement in INDEXES:
        schema_editor.execute(statement)
    schema_editor.execute(TRIGGERS)
    schema_editor.execute("DROP INDEX IF EXISTS org_search_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS registry_search_bigrams(text, text)")
    schema_editor.execute("ANALYZE registry_organisation_namegram")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from smeplan.registry.collation import SQLITE_INDEXES

        for name, _ddl in SQLITE_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        return
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP)
    schema_editor.execute(OLD_GIN_FUNCTION)
    schema_editor.execute(OLD_GIN_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("registry", "0004_organisation_county_covering"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganisationNameGram",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "gram", "organisation", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("gram", models.TextField()),
                (
                    "organisation",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="name_grams",
                        to="registry.organisation",
                    ),
                ),
                ("name", models.TextField()),
                (
                    "county",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="regions.region",
                    ),
                ),
                ("former", models.BooleanField()),
            ],
            options={"db_table": "registry_organisation_namegram", "managed": False},
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
