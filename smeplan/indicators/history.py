"""The history of yearly figures: the stored revisions and the first values of imported rows.

An import does not write a FigureRevision for each first value of a row it creates (a 10^6-row file
would write 3·10^6 of them); the row carries the batch instead (``AnnualFigures.import_batch``),
and the batch says who imported which file when. :func:`first_imports` turns such rows back into
the entries those revisions were — year, field, — → value, 统计数据导入, who confirmed the
import and when, note ``导入#<id>（新增）`` — unsaved ``FigureRevision`` instances (``pk`` None), so
the enterprise page, the API and the flags read one history.

The value a row was created with is its value now, unless a revision after the batch (id above the
batch's ``revision_mark``) changed it: then it is that first revision's old value. A field the
batch left empty was filled later: its first later revision's old value is empty, and it is no
first import.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures, FigureRevision, FigureSource

CHUNK = 5_000
CENT = Decimal("0.01")


def first_import_note(batch_id: int) -> str:
    return f"导入#{batch_id}（新增）"


def first_imports(figures: QuerySet[AnnualFigures]) -> list[FigureRevision]:
    """The first values of the rows of ``figures`` that an import created, one unsaved revision per
    value, oldest row first (organisation, year, then the FIGURE_NAMES order)."""
    rows = list(
        figures.filter(import_batch__isnull=False)
        .select_related("import_batch", "import_batch__committed_by")
        .order_by("organisation_id", "year")
    )
    if not rows:
        return []
    later: dict[tuple[int, int, str], object] = {}  # first revision after the batch: old value
    by_key = {(r.organisation_id, r.year): r for r in rows}
    org_ids = sorted({r.organisation_id for r in rows})
    years = sorted({r.year for r in rows})
    for i in range(0, len(org_ids), CHUNK):
        for org_id, year, field, old, rid in (
            FigureRevision.objects.filter(organisation_id__in=org_ids[i : i + CHUNK], year__in=years)
            .order_by("id")
            .values_list("organisation_id", "year", "field", "old_value", "id")
        ):
            row = by_key.get((org_id, year))
            if row is not None and rid > (row.import_batch.revision_mark or 0):
                later.setdefault((org_id, year, field), old)
    out = []
    for row in rows:
        batch = row.import_batch
        for field in FIGURE_NAMES:
            key = (row.organisation_id, row.year, field)
            value = later[key] if key in later else getattr(row, field)
            if value is None:
                continue
            if type(value) is int:  # persons: as a revision (a 2-place decimal column) holds them
                value = Decimal(value).quantize(CENT)
            out.append(
                FigureRevision(
                    organisation_id=row.organisation_id,
                    year=row.year,
                    field=field,
                    old_value=None,
                    new_value=value,
                    source=FigureSource.STATISTICS_IMPORT,
                    note=first_import_note(batch.pk),
                    actor=batch.committed_by,
                    created_at=batch.committed_at,
                    import_batch=batch,
                )
            )
    return out


def newest_first(revisions: Iterable[FigureRevision]) -> list[FigureRevision]:
    """Stored and first-import entries in one order: newest first, then by id (a stable sort: the
    first-import entries of one batch keep their order)."""
    return sorted(revisions, key=lambda r: (r.created_at, r.pk or 0), reverse=True)
