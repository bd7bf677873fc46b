"""PostgreSQL only: a GIN index on the character bigrams of name + former names.

A search by a name fragment is ``name LIKE '%科技%' OR former_names LIKE '%科技%'``; a B-tree cannot
serve a leading wildcard and pg_trgm cannot serve a two-character fragment (no complete trigram),
so at 10^6 organisations it was a sequential scan. ``registry_search_bigrams(name, former_names)``
returns every two-character substring of each name (substrings spanning the '|' separators of the
former names are left out); the expression index is maintained by PostgreSQL on every insert and
update. ``organisation_search`` adds ``registry_search_bigrams(name, former_names) @> ARRAY[bigrams
of the query]`` and keeps the LIKE as the exact test. SQLite keeps the plain LIKE (nothing here).
"""

from django.db import migrations

FUNCTION = r"""
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
INDEX = (
    "CREATE INDEX org_search_bigrams ON registry_organisation "
    "USING gin (registry_search_bigrams(name, former_names))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS org_search_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS registry_search_bigrams(text, text)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
