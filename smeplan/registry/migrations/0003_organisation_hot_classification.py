"""Refreshing the cached classification becomes a HOT update: no index on ``size_class`` (the
``org_size_name`` index goes) and, on PostgreSQL, ``registry_organisation`` with fillfactor 50.

An import reclassifies every organisation whose latest year changed — 200,000 rows for a
200,000-enterprise file — setting ``size_class``, ``above_scale`` and ``classified_year``. A
non-HOT update inserts a new entry into every one of the table's 15 indexes (≈ 250 MB at 200,000
rows, more than ``shared_buffers``): 28–36 s for 200,000 rows, nearly all of it index pages read
and written back (the GIN bigram index is a small part: 32 s without it). A HOT update touches no
index (measured: 1.4 s for the same 200,000 rows). PostgreSQL makes one when no indexed column
changes — ``above_scale`` and ``classified_year`` were in no index, ``size_class`` was in
``org_size_name`` — and the new row version fits on the same page. All rows of a page may be
updated in one transaction, so a page needs room for as many new versions as it holds rows: half
of it. A table whose every row is rewritten by each yearly import occupies about twice its rows'
size anyway (the dead versions of the last update), so this costs little space in the steady state.

The size-class filter of the list (a handful of values, the rarest ≈ 0.7% of the rows) walks the
name index (or the county's) instead: measured on 10^6 organisations, first page 4.4 → 6 ms warm
(0.3 s cold), a page 100 deep 0.2 → 0.57 s.

Only the table's storage parameter changes (no rewrite: instant on 10^6 rows); rows already stored
move to pages with room the first time they are updated, later updates are HOT.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE registry_organisation SET (fillfactor = 50)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE registry_organisation RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search_bigrams")]

    operations = [
        migrations.RemoveIndex(model_name="organisation", name="org_size_name"),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
