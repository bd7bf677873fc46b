"""The write path of a figures import: set-based, inside the caller's transaction.

``figures_upsert`` writes the validated rows. A row the batch CREATES carries the batch
(``AnnualFigures.import_batch``) and no FigureRevision: its first values' history is the batch
(who, when, which file; ``indicators.history`` shows them). A value the batch CHANGES in a row
that existed gets one FigureRevision (old → new), as every other write path does.

PostgreSQL and SQLite run the same statements (``_upsert_sql``): load the rows into a TEMP staging
table (PostgreSQL: COPY; SQLite: one executemany), snapshot the old values of the rows that exist,
``INSERT`` the new enterprise-years with one INSERT … SELECT, ``UPDATE … FROM`` the existing ones
where a value differs (an unchanged row is not even rewritten), and INSERT the revisions of the
changed values with one INSERT … SELECT over the snapshot (one candidate per given field). No
model instance, no statement per row: a 200,000-row file on SQLite spent 96 of its 120 s of commit
building Django model instances and their INSERT statements. ``_upsert_orm`` is the same in plain
Django ORM: the path of any other database, and the reference the tests compare both with.

Both first lock every organisation written for (``indicators.integrity.organisations_lock``): the
figures table has no database foreign key (see the ``FigureRevision`` docstring).

An empty value (None) never overwrites a stored one; a new enterprise-year without any value is not
created.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Max

# The SQL below is built from model metadata and the FIGURE_NAMES constants only (no user input);
# values are always passed as parameters.
# ruff: noqa: S608
from django.utils import timezone

from smeplan.indicators.integrity import id_array, organisations_lock
from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures, FigureRevision, FigureSource
from smeplan.registry.classification import (
    above_scale_value,
    load_above_scale_rules,
    load_size_class_table,
    size_class_value,
)
from smeplan.registry.models import Organisation

CHUNK = 5_000
INTEGER_FIELDS = {"employees"}
#: the engines whose write path is ``_upsert_sql``
SQL_VENDORS = ("postgresql", "sqlite")


def note_for(batch, *, created: bool = False) -> str:
    """The note of a revision an import writes. ``created``: the note of the revisions imports
    wrote for the first values of rows they created before those rows carried their batch (undo
    still recognises them)."""
    return f"导入#{batch.pk}（新增）" if created else f"导入#{batch.pk}"


def undo_note(batch) -> str:
    return f"撤销导入#{batch.pk}"


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def revision_mark() -> int:
    """The highest FigureRevision id now (0 when there is none): what ``ImportBatch.revision_mark``
    keeps, taken before a commit writes anything. One step down the primary key's index."""
    return FigureRevision.objects.aggregate(m=Max("id"))["m"] or 0


def figures_upsert(*, batch, actor, rows: Iterable, organisation_ids: dict[str, int]) -> dict[str, int]:
    """Write ``rows`` (validation.CleanRow); return counts {new, updated, unchanged}.

    Every organisation written for is locked first, all at once
    (``indicators.integrity.organisations_lock``: the check of the foreign key that the figures
    table does not have). Leaves on ``batch`` the organisations whose cached size class may have
    changed (see ``organisations_to_reclassify``)."""
    rows = rows if isinstance(rows, list) else list(rows)
    organisations_lock({organisation_ids[r.credit_code] for r in rows})
    if connection.vendor in SQL_VENDORS:
        return _upsert_sql(batch=batch, actor=actor, rows=rows, organisation_ids=organisation_ids)
    return _upsert_orm(batch=batch, actor=actor, rows=rows, organisation_ids=organisation_ids)


def _upsert_orm(*, batch, actor, rows, organisation_ids) -> dict[str, int]:
    """``figures_upsert`` in plain Django ORM (any database; the tests' reference)."""
    now = timezone.now()
    keyed = {(organisation_ids[r.credit_code], r.year): r.values for r in rows}
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    org_ids = sorted({k[0] for k in keyed})
    existing: dict[tuple[int, int], AnnualFigures] = {}
    classified: dict[int, int | None] = {}
    for chunk in _chunks(org_ids):
        for fig in AnnualFigures.objects.filter(organisation_id__in=chunk):
            existing[(fig.organisation_id, fig.year)] = fig
        classified.update(Organisation.objects.filter(pk__in=chunk).values_list("id", "classified_year"))
    creates, updates, revisions = [], [], []
    written: dict[int, int] = {}  # organisation → latest year written
    source = FigureSource.STATISTICS_IMPORT
    note = note_for(batch)
    actor_id = actor.pk if actor is not None else None
    for (org_id, year), values in keyed.items():
        fig = existing.get((org_id, year))
        if fig is None:
            if not values:
                counts["unchanged"] += 1
                continue
            creates.append(
                AnnualFigures(organisation_id=org_id, year=year, import_batch_id=batch.pk, **values)
            )
            written[org_id] = max(year, written.get(org_id, year))
            counts["new"] += 1
            continue
        changed = {f: v for f, v in values.items() if getattr(fig, f) != v}
        if not changed:
            counts["unchanged"] += 1
            continue
        revisions.extend(
            FigureRevision(
                organisation_id=org_id,
                year=year,
                field=f,
                old_value=getattr(fig, f),
                new_value=v,
                source=source,
                note=note,
                actor_id=actor_id,
                import_batch=batch,
            )
            for f, v in changed.items()
        )
        for f, v in changed.items():
            setattr(fig, f, v)
        fig.updated_at = now
        updates.append(fig)
        written[org_id] = max(year, written.get(org_id, year))
        counts["updated"] += 1
    AnnualFigures.objects.bulk_create(creates, batch_size=2_000)
    AnnualFigures.objects.bulk_update(updates, [*FIGURE_NAMES, "updated_at"], batch_size=500)
    FigureRevision.objects.bulk_create(revisions, batch_size=2_000)
    batch._to_reclassify = (
        batch.pk,
        [pk for pk, y in written.items() if classified.get(pk) is None or y >= classified[pk]],
    )
    return counts


def _upsert_sql(*, batch, actor, rows, organisation_ids) -> dict[str, int]:
    """``figures_upsert`` as a few set-based statements, the same on PostgreSQL and SQLite."""
    postgres = connection.vendor == "postgresql"
    figures = AnnualFigures._meta.db_table
    revisions = FigureRevision._meta.db_table
    # Only the figures some row gives: a file with 3 of the 10 columns stages 3, and the revision
    # statement unfolds 3 candidate values per row instead of 10.
    given: set[str] = set()
    for r in rows:
        if not given.issuperset(r.values):
            given.update(r.values)
    names = [f for f in FIGURE_NAMES if f in given]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    counts = {"new": 0, "updated": 0, "unchanged": len(rows)}
    batch._to_reclassify = (batch.pk, [])
    if not names:  # nothing to write: every row is empty
        return counts
    cols = ", ".join(names)
    if postgres:
        types = {"money": "numeric(16,2)", "int": "integer", "id": "bigint", "year": "smallint"}
        temp, distinct = "ON COMMIT DROP", "IS DISTINCT FROM"
    else:  # the affinities of Django's own SQLite columns: values compare as they are stored
        types = {"money": "NUMERIC", "int": "INTEGER", "id": "INTEGER", "year": "INTEGER"}
        temp, distinct = "", "IS NOT"
    col_types = ", ".join(f"{f} {types['int' if f in INTEGER_FIELDS else 'money']}" for f in names)
    any_value = " OR ".join(f"s.{f} IS NOT NULL" for f in names)
    changed = " OR ".join(f"(s.{f} IS NOT NULL AND s.{f} {distinct} o.{f})" for f in names)
    with connection.cursor() as dj:
        if postgres:
            # hash joins of 10^6 staged rows in memory rather than in batches on disk; LOCAL:
            # until the end of the import's transaction only
            dj.execute("SET LOCAL work_mem = '256MB'")
        dj.execute("DROP TABLE IF EXISTS import_stage")
        dj.execute("DROP TABLE IF EXISTS import_old")
        dj.execute(
            f"CREATE TEMP TABLE import_stage (organisation_id {types['id']}, year {types['year']}, "
            f"{col_types}) {temp}"
        )
        if postgres:
            with (
                connection.connection.cursor() as cur,
                cur.copy(f"COPY import_stage (organisation_id, year, {cols}) FROM STDIN") as copy,
            ):
                _stage(copy.write_row, rows, names, organisation_ids)
        else:
            staged: list[tuple] = []
            _stage(staged.append, rows, names, organisation_ids)
            dj.executemany(
                f"INSERT INTO import_stage (organisation_id, year, {cols}) "
                f"VALUES (%s, %s, {', '.join(['%s'] * len(names))})",
                staged,
            )
            del staged
        if postgres:
            dj.execute("ANALYZE import_stage")
        dj.execute(
            f"CREATE TEMP TABLE import_old {temp} AS "
            f"SELECT f.id, f.organisation_id, f.year, {', '.join('f.' + f for f in names)} "
            f"FROM {figures} f JOIN import_stage s "
            f"ON f.organisation_id = s.organisation_id AND f.year = s.year"
        )
        if postgres:
            dj.execute("ANALYZE import_old")
        else:  # SQLite looks each staged row up in the snapshot
            dj.execute("CREATE INDEX import_old_key ON import_old (organisation_id, year)")
        join = "import_stage s LEFT JOIN import_old o ON o.organisation_id = s.organisation_id AND o.year = s.year"
        dj.execute(
            f"SELECT count(*), coalesce(sum(CASE WHEN o.id IS NULL AND ({any_value}) THEN 1 ELSE 0 END), 0), "
            f"coalesce(sum(CASE WHEN o.id IS NOT NULL AND ({changed}) THEN 1 ELSE 0 END), 0) FROM {join}"
        )
        total, new, updated = (int(n) for n in dj.fetchone())
        # what organisations_to_reclassify would find from what was just written, from the stage
        dj.execute(
            f"SELECT s.organisation_id FROM {join} JOIN {Organisation._meta.db_table} g "
            f"ON g.id = s.organisation_id "
            f"WHERE (o.id IS NULL AND ({any_value})) OR (o.id IS NOT NULL AND ({changed})) "
            f"GROUP BY s.organisation_id, g.classified_year "
            f"HAVING g.classified_year IS NULL OR max(s.year) >= g.classified_year"
        )
        batch._to_reclassify = (batch.pk, [pk for (pk,) in dj.fetchall()])
        # the figure rows first (the revisions read only the stage and the snapshot of the old
        # values): new enterprise-years by a plain INSERT (no speculative insertion, ≈ 25% cheaper
        # than ON CONFLICT; a row inserted meanwhile by someone else makes the whole import fail on
        # the unique constraint instead of being overwritten without a revision), in key order
        # (each index is then filled left to right), carrying the batch instead of a revision per
        # value; changed ones by an UPDATE that compares with the row as it is now
        dj.execute(
            f"INSERT INTO {figures} (organisation_id, year, {cols}, updated_at, import_batch_id) "
            f"SELECT s.organisation_id, s.year, {', '.join('s.' + f for f in names)}, %s, %s "
            f"FROM {join} WHERE o.id IS NULL AND ({any_value})"
            + ("" if postgres else " ORDER BY s.organisation_id, s.year"),
            [now, batch.pk],
        )
        if updated:
            sets = ", ".join(f"{f} = COALESCE(s.{f}, {figures}.{f})" for f in names)
            differs = " OR ".join(f"(s.{f} IS NOT NULL AND s.{f} {distinct} {figures}.{f})" for f in names)
            dj.execute(
                f"UPDATE {figures} SET {sets}, updated_at = %s FROM {join} "
                f"WHERE {figures}.id = o.id AND ({differs})",
                [now],
            )
            # one candidate per (changed row, given field), kept when the new value is given and
            # differs from the old one
            fields = " UNION ALL ".join(f"SELECT '{f}' AS field" for f in names)
            old = " ".join(f"WHEN '{f}' THEN o.{f}" for f in names)
            new_value = " ".join(f"WHEN '{f}' THEN s.{f}" for f in names)
            dj.execute(
                f"INSERT INTO {revisions} (organisation_id, year, field, old_value, new_value, source, "
                f"note, actor_id, created_at, import_batch_id) "
                f"SELECT organisation_id, year, field, was, now_is, %s, %s, %s, %s, %s FROM ("
                f"SELECT s.organisation_id, s.year, v.field, CASE v.field {old} END AS was, "
                f"CASE v.field {new_value} END AS now_is "
                f"FROM import_stage s JOIN import_old o "
                f"ON o.organisation_id = s.organisation_id AND o.year = s.year "
                f"CROSS JOIN ({fields}) v) c WHERE now_is IS NOT NULL AND now_is {distinct} was",
                [
                    FigureSource.STATISTICS_IMPORT.value,
                    note_for(batch),
                    actor.pk if actor is not None else None,
                    now,
                    batch.pk,
                ],
            )
        dj.execute("DROP TABLE import_stage")
        dj.execute("DROP TABLE import_old")
    return {"new": new, "updated": updated, "unchanged": total - new - updated}


def _stage(write, rows, names: list[str], organisation_ids: dict[str, int]) -> None:
    """``write((organisation id, year, *values of names))`` for every row."""
    if len(names) == 1:
        (only,) = names
        for r in rows:
            write((organisation_ids[r.credit_code], r.year, r.values.get(only)))
    else:
        for r in rows:
            v = r.values
            write((organisation_ids[r.credit_code], r.year, *[v.get(f) for f in names]))


def organisations_to_reclassify(batch) -> list[int]:
    """After a commit: organisations whose latest year may have changed — those with a row created
    or a value changed in a year at or after their cached ``classified_year`` (a commit never
    deletes rows, so changes only to earlier years leave the latest year, and thus the size
    class, as it was).

    ``figures_upsert`` has already worked this out while writing and left it on the very batch
    instance it was given (never stored, never shared between requests); otherwise it is derived
    from what the batch wrote: its revisions and the rows it created."""
    known = getattr(batch, "_to_reclassify", None)
    if known is not None and known[0] == batch.pk:
        return sorted(known[1])
    max_year: dict[int, int] = {}
    for source in (
        FigureRevision.objects.filter(import_batch=batch),
        AnnualFigures.objects.filter(import_batch=batch),
    ):
        for pk, y in (
            source.order_by()
            .values_list("organisation_id")
            .annotate(y=Max("year"))
            .values_list("organisation_id", "y")
        ):
            max_year[pk] = max(y, max_year.get(pk, y))
    ids = sorted(max_year)
    out = []
    for chunk in _chunks(ids):
        for pk, classified in Organisation.objects.filter(pk__in=chunk).values_list("id", "classified_year"):
            if classified is None or max_year[pk] >= classified:
                out.append(pk)
    return sorted(out)


def _latest_figures(ids: list[int]):
    """(id, industry, qualification, size_class, above_scale, classified_year, year, employees,
    revenue, assets, main revenue) per organisation of ``ids``; the figure columns are those of its
    latest year with a row (all None without one)."""
    if connection.vendor == "postgresql":
        # one statement for all: the latest row per organisation by a backward walk of the
        # (organisation, year) unique index
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT o.id, o.industry_id, o.construction_qualification, o.size_class, o.above_scale, "
                f"o.classified_year, f.year, f.employees, f.operating_revenue, f.total_assets, "
                f"f.main_business_revenue FROM {Organisation._meta.db_table} o "
                f"LEFT JOIN LATERAL (SELECT year, employees, operating_revenue, total_assets, "
                f"main_business_revenue FROM {AnnualFigures._meta.db_table} a "
                f"WHERE a.organisation_id = o.id ORDER BY a.year DESC LIMIT 1) f ON true "
                f"WHERE o.id = ANY(%s::bigint[])",
                [id_array(ids)],
            )
            yield from cur.fetchall()
        return
    for chunk in _chunks(ids):
        latest: dict[int, tuple] = {}
        for row in (
            AnnualFigures.objects.filter(organisation_id__in=chunk)
            .order_by("organisation_id", "-year")
            .values_list(
                "organisation_id",
                "year",
                "employees",
                "operating_revenue",
                "total_assets",
                "main_business_revenue",
            )
        ):
            latest.setdefault(row[0], row[1:])
        for org in Organisation.objects.filter(pk__in=chunk).values_list(
            "id", "industry_id", "construction_qualification", "size_class", "above_scale", "classified_year"
        ):
            yield (*org, *latest.get(org[0], (None, None, None, None, None)))


def organisations_reclassify(organisation_ids: Iterable[int]) -> int:
    """Refresh the cached size class / 四上 of many organisations at once (same rule as
    ``indicators.services.organisation_reclassify``: the latest year with figures). One query for
    all (PostgreSQL; two per 5,000 elsewhere), the value-only forms of the rule functions
    (``classification.size_class_value`` / ``above_scale_value``, resolved once per industry and
    year), then one UPDATE per distinct (size, 四上, year) among the changed ones (a handful)."""
    changed: dict[tuple, list[int]] = defaultdict(list)
    ids = sorted(set(organisation_ids))
    if not ids:
        return 0
    size_table, scale_rules = load_size_class_table(), load_above_scale_rules()
    for (
        pk,
        industry,
        qualification,
        cached_size,
        cached_scale,
        cached_year,
        year,
        employees,
        revenue,
        assets,
        main_revenue,
    ) in _latest_figures(ids):
        if year is None:
            size, scale = "", None
        else:
            size = (
                size_class_value(
                    industry_code=industry,
                    employees=employees,
                    operating_revenue=revenue,
                    total_assets=assets,
                    year=year,
                    table=size_table,
                )
                or ""
            )
            scale = above_scale_value(
                industry_code=industry,
                main_business_revenue=main_revenue,
                operating_revenue=revenue,
                construction_qualification=qualification or None,
                year=year,
                rules=scale_rules,
            )
        if (cached_size, cached_scale, cached_year) != (size, scale, year):
            changed[(size, scale, year)].append(pk)
    for (size, scale, year), pks in changed.items():
        if connection.vendor == "postgresql":  # one array parameter, not one %s per id
            with connection.cursor() as cur:
                cur.execute(
                    f"UPDATE {Organisation._meta.db_table} SET size_class = %s, above_scale = %s, "
                    "classified_year = %s WHERE id = ANY(%s::bigint[])",
                    [size, scale, year, id_array(pks)],
                )
            continue
        for chunk in _chunks(pks):
            Organisation.objects.filter(pk__in=chunk).update(
                size_class=size, above_scale=scale, classified_year=year
            )
    return sum(len(pks) for pks in changed.values())
