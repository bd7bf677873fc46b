"""Write services of imports: validate (writes only the batch record), commit (all or nothing), undo.

Flow: ``import_validate`` → the user reads the issues → ``import_commit(confirm_warnings=…)``; a
committed batch may be reverted with ``import_undo``. The records themselves are not stored on the
batch: commit and the command pass them again (re-read from the file), and commit validates them
again against the database as it is then.

A batch of kind ``organisations`` (企业名录) also creates, updates and renames organisations
(``registry_import``): validated and written in the same transaction as its figures, undone with them.

Undo and the organisations a batch registered: such an organisation is deleted by the undo when,
after the revert, it has no yearly figures left and nothing else refers to it (no user account, no
name change, application, certification, flag …: ``registry_import.unreferenced``); otherwise it
stays (and the undo's audit event lists how many were kept). Attributes and names a 企业名录 batch
changed are restored — unless one was changed again since, which refuses the undo.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, Sum, When
from django.utils import timezone

from smeplan.accounts.models import REGION_ROLES, User
from smeplan.audit.services import audit_record
from smeplan.exchange.models import (
    ISSUES_STORED_MAX,
    ImportBatch,
    ImportedOrganisation,
    ImportKind,
    ImportStatus,
    batch_transition,
    require_may_act_on,
)
from smeplan.exchange.parsed import Issue, IssueLevel, ParsedRecord
from smeplan.exchange.registry_import import (
    registry_undo,
    registry_undo_blocks,
    registry_write,
    unreferenced,
    validate_organisations,
)
from smeplan.exchange.understanding import release_frozen_objects
from smeplan.exchange.validation import Validation, validate_records
from smeplan.exchange.writing import (
    figures_upsert,
    organisations_reclassify,
    organisations_to_reclassify,
    revision_mark,
    undo_note,
)
from smeplan.indicators.models import FIGURE_LABELS, FIGURE_NAMES, AnnualFigures, FigureRevision, FigureSource
from smeplan.registry.models import Organisation

#: How many blocking changes an undo refusal lists by name.
UNDO_BLOCKS_LISTED = 20


def file_checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _validate(*, actor, batch: ImportBatch, records, sheet_issues) -> Validation:
    """validate_records (a 企业名录 batch: validate_organisations) + the batch-level check: the same
    file already imported (a warning)."""
    if batch.kind == ImportKind.ORGANISATIONS:
        result = validate_organisations(actor=actor, records=records, sheet_issues=sheet_issues)
    else:
        result = validate_records(actor=actor, records=records, sheet_issues=sheet_issues)
    prior = (
        ImportBatch.objects.filter(kind=batch.kind, checksum=batch.checksum, status=ImportStatus.COMMITTED)
        .exclude(pk=batch.pk)
        .select_related("uploaded_by")
        .order_by("-committed_at")
        .first()
    )
    if prior is not None:
        when = timezone.localtime(prior.committed_at).strftime("%Y-%m-%d %H:%M")
        who = f"，{prior.uploaded_by}" if prior.uploaded_by else ""
        result.issues.insert(
            0,
            Issue(
                level=IssueLevel.WARNING,
                sheet="",
                row=None,
                column=None,
                value=batch.file_name,
                message=f"该文件已于{when}导入（导入#{prior.pk}{who}）；再次导入只会写入有变化的数据",
            ),
        )
    return result


def _summary_fields(result: Validation) -> dict:
    issues = result.issues
    plan = result.registry
    return {
        "rows": result.record_count,
        "new_count": result.new_figure_rows,
        "new_organisations": len(result.new_organisations) + (len(plan.creates) if plan else 0),
        "updated_organisations": plan.updated if plan else 0,
        "renamed_organisations": plan.renamed if plan else 0,
        "error_count": result.error_count,
        "warning_count": result.warning_count,
        "issues": [i.to_dict() for i in issues[:ISSUES_STORED_MAX]],
        "issues_omitted": max(0, len(issues) - ISSUES_STORED_MAX),
    }


def _errors_message(result: Validation) -> str:
    errors = result.errors
    if len(errors) == 1 and errors[0].row is None:  # the file as a whole (only a header, no sheet…)
        return f"{errors[0].message}；未导入任何数据"
    return f"文件中有{result.error_count}处错误，未导入任何数据；请按问题清单修改后重新上传"


@transaction.atomic
def import_validate(
    *,
    actor,
    file_name: str,
    records: Iterable[ParsedRecord],
    sheet_issues: Iterable[Issue] = (),
    layout: dict | None = None,
    data_bytes: bytes | None = None,
    checksum: str | None = None,
    file_size: int | None = None,
    kind: str = ImportKind.FIGURES,
    options: dict | None = None,
    mapping_template=None,
) -> ImportBatch:
    """Record an uploaded file as a batch and validate its records. Writes nothing else.

    ``options`` (as ``ImportBatch.options``) and ``mapping_template`` record how the file was read
    (e.g. the command's ``--map`` corrections and ``--template``).

    Give the file's bytes (``data_bytes``) or its SHA-256 ``checksum`` (and ``file_size``). The batch
    ends ``validated`` (no errors; warnings possible) or ``failed`` (errors: see ``batch.issues``).
    """
    if checksum is None:
        if data_bytes is None:
            raise ValueError("import_validate needs data_bytes or checksum")
        checksum = file_checksum(data_bytes)
    if data_bytes is not None:
        file_size = len(data_bytes)
    batch = ImportBatch.objects.create(
        kind=kind,
        file_name=str(file_name)[:255],
        checksum=checksum,
        file_size=file_size,
        uploaded_by=actor,
        region_id=actor.region_id if actor.role in REGION_ROLES else None,
        layout=layout or {},
        options=options or {},
        mapping_template=mapping_template,
    )
    records = records if isinstance(records, list) else list(records)
    result = _validate(actor=actor, batch=batch, records=records, sheet_issues=sheet_issues)
    # Kept on this instance only (never shared between processes or requests): import_commit called
    # with this very instance and the very same list of records, right after, skips re-validating.
    batch._validated = (records, result)
    fields = _summary_fields(result)
    if result.error_count:
        return batch_transition(batch, ImportStatus.FAILED, error_message=_errors_message(result), **fields)
    return batch_transition(batch, ImportStatus.VALIDATED, **fields)


def import_commit(
    *,
    actor,
    batch: ImportBatch,
    records: Iterable[ParsedRecord],
    sheet_issues: Iterable[Issue] = (),
    confirm_warnings: bool = False,
) -> ImportBatch:
    """Write a validated batch: all or nothing, in one transaction.

    Refuses (ValidationError) when the records now have errors (the batch becomes ``failed``) or
    have warnings and ``confirm_warnings`` is false (the batch stays ``validated``).
    """
    try:
        return _import_commit(
            actor=actor,
            batch=batch,
            records=records,
            sheet_issues=sheet_issues,
            confirm_warnings=confirm_warnings,
        )
    finally:
        # what extraction and validation froze (understanding.pause_cyclic_gc) is the cyclic
        # collector's again once the import is over
        release_frozen_objects()


def _import_commit(*, actor, batch, records, sheet_issues, confirm_warnings) -> ImportBatch:
    require_may_act_on(actor, batch, "确认导入")
    if batch.status != ImportStatus.VALIDATED:
        raise ValidationError(f"导入#{batch.pk}当前状态为“{batch.get_status_display()}”，不能导入")
    previous = getattr(batch, "_validated", None)
    if previous is not None and previous[0] is records:
        result = previous[1]
    else:
        result = _validate(actor=actor, batch=batch, records=records, sheet_issues=sheet_issues)
    if result.error_count:
        with transaction.atomic():
            batch_transition(
                batch, ImportStatus.FAILED, error_message=_errors_message(result), **_summary_fields(result)
            )
        raise ValidationError(_errors_message(result))
    if result.warning_count and not confirm_warnings:
        raise ValidationError(f"本次导入有{result.warning_count}条警告，请核实并确认后再导入")
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.VALIDATED:
            raise ValidationError(f"导入#{batch.pk}当前状态为“{locked.get_status_display()}”，不能导入")
        mark = revision_mark()  # before anything is written: see ImportBatch.revision_mark

        org_ids = dict(result.organisation_ids)
        registry_reclassify: list[int] = []
        if result.registry is not None:  # 企业名录: organisations first, then their figures
            written, registry_reclassify = registry_write(batch=locked, actor=actor, plan=result.registry)
            org_ids.update(written)
        if result.new_organisations:
            created = Organisation.objects.bulk_create(
                [
                    Organisation(credit_code=n.credit_code, name=n.name, county=n.county)
                    for n in result.new_organisations.values()
                ],
                batch_size=2_000,
            )
            codes = [n.credit_code for n in result.new_organisations.values()]
            if any(o.pk is None for o in created):
                for i in range(0, len(codes), 5_000):
                    org_ids.update(
                        Organisation.objects.filter(credit_code__in=codes[i : i + 5_000]).values_list(
                            "credit_code", "id"
                        )
                    )
            else:
                org_ids.update((o.credit_code, o.pk) for o in created)
            ImportedOrganisation.objects.bulk_create(
                [ImportedOrganisation(batch=locked, organisation_id=org_ids[c]) for c in codes],
                batch_size=5_000,
            )
        if result.rows:
            counts = figures_upsert(batch=locked, actor=actor, rows=result.rows, organisation_ids=org_ids)
            to_reclassify = organisations_to_reclassify(locked)
        else:  # a 企业名录 without figures
            counts, to_reclassify = {"new": 0, "updated": 0, "unchanged": 0}, []
        reclassified = organisations_reclassify([*to_reclassify, *registry_reclassify])
        fields = _summary_fields(result)
        fields.update(
            new_count=counts["new"],
            updated_count=counts["updated"],
            unchanged_count=counts["unchanged"],
            warnings_confirmed=bool(result.warning_count),
            revision_mark=mark,
            committed_by=actor,
        )
        batch_transition(locked, ImportStatus.COMMITTED, **fields)
        audit_record(
            actor=actor,
            event_type="import.committed",
            subject=locked,
            payload={
                "file_name": locked.file_name,
                "checksum": locked.checksum,
                "rows": locked.rows,
                "new": counts["new"],
                "updated": counts["updated"],
                "unchanged": counts["unchanged"],
                "new_organisations": locked.new_organisations,
                "updated_organisations": locked.updated_organisations,
                "renamed_organisations": locked.renamed_organisations,
                "warnings": result.warning_count,
                "warnings_confirmed": locked.warnings_confirmed,
                "reclassified": reclassified,
            },
        )
    return locked


def _who(user) -> str:
    return str(user) if user is not None else "未知用户"


def _chunks(items: list, size: int = 5_000):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _count_values(figures) -> int:
    """How many values (not empty) the figure rows of the queryset ``figures`` hold."""
    totals = figures.aggregate(
        **{f: Sum(Case(When(**{f"{f}__isnull": False}, then=1), default=0)) for f in FIGURE_NAMES}
    )
    return sum(v or 0 for v in totals.values())


@transaction.atomic
def import_undo(*, actor, batch: ImportBatch) -> ImportBatch:
    """撤销导入: revert every value the batch changed, delete the rows (and organisations) it created.

    What the batch changed in rows that existed is in its revisions (old → new). The rows it
    created carry the batch (``AnnualFigures.import_batch``) and have no revisions of their own: a
    value of such a row changed afterwards shows as a revision after the batch's
    ``revision_mark`` whose old value is not empty. (Batches committed before rows carried their
    batch wrote a revision per first value, noted ``导入#<id>（新增）``; they are undone from those.)

    Refused with a message naming enterprise, year and field when a value the batch wrote was
    changed after it by anything else. A created row that was given other values since keeps
    them (the batch's values are emptied, each with a revision); otherwise it is deleted. Only the
    uploader or a provincial admin may undo.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    require_may_act_on(actor, batch, "撤销该导入")
    if batch.status != ImportStatus.COMMITTED:
        raise ValidationError(
            f"只能撤销已导入的批次；导入#{batch.pk}当前状态为“{batch.get_status_display()}”"
        )

    # (org, year, field) → (revision id, old, new, row created by the batch: the older notes)
    changes: dict[tuple[int, int, str], tuple[int, object, object, bool]] = {}
    for rid, org_id, year, fname, old, new, note in FigureRevision.objects.filter(
        import_batch=batch
    ).values_list("id", "organisation_id", "year", "field", "old_value", "new_value", "note"):
        changes[(org_id, year, fname)] = (rid, old, new, note.endswith("（新增）"))
    # (org, year) → id of the rows the batch created
    created: dict[tuple[int, int], int] = {
        (org_id, year): pk
        for pk, org_id, year in AnnualFigures.objects.filter(import_batch=batch).values_list(
            "id", "organisation_id", "year"
        )
    }
    mark = batch.revision_mark
    if mark is None:  # committed before batches kept their mark: its first revision
        mark = min((v[0] for v in changes.values()), default=1) - 1
    org_ids = sorted({k[0] for k in changes} | {k[0] for k in created})

    # every revision after the batch, by anything else, of the rows it wrote
    blocking: list[tuple] = []  # (organisation, year, field, created_at, actor id)
    first_later: dict[tuple[int, int, str], object] = {}  # created rows: old value of the first one
    for chunk in _chunks(org_ids):
        later = (
            FigureRevision.objects.filter(organisation_id__in=chunk, id__gt=mark)
            .filter(Q(import_batch__isnull=True) | ~Q(import_batch=batch))
            .order_by("id")
            .values_list("id", "organisation_id", "year", "field", "old_value", "created_at", "actor_id")
        )
        for rid, org_id, year, fname, old, created_at, actor_id in later:
            key = (org_id, year, fname)
            mine = changes.get(key)
            if mine is not None:
                changed_since = rid > mine[0]
            elif (org_id, year) in created:
                # the batch gave this value when the first later revision found one there
                changed_since = first_later.setdefault(key, old) is not None
            else:
                changed_since = False
            if changed_since:
                blocking.append((org_id, year, fname, created_at, actor_id))

    names: dict[int, str] = {}
    for chunk in _chunks(sorted({b[0] for b in blocking} | {k[0] for k in changes})):
        names.update(Organisation.objects.filter(pk__in=chunk).values_list("id", "name"))
    blocks: list[str] = []
    if blocking:
        users = {u.pk: u for u in User.objects.filter(pk__in={b[4] for b in blocking if b[4]})}
        for org_id, year, fname, created_at, actor_id in blocking:
            when = timezone.localtime(created_at).date().isoformat()
            blocks.append(
                f"{names.get(org_id, org_id)} {year} 年"
                f"{FIGURE_LABELS.get(fname, fname)}在本次导入后已被修改（{when} {_who(users.get(actor_id))}），无法撤销"
            )

    # the rows to read: those the batch changed, and the created ones changed since
    touched_created = {(k[0], k[1]) for k in first_later}
    wanted = {(k[0], k[1]) for k in changes} | touched_created
    figures: dict[tuple[int, int], AnnualFigures] = {}
    for chunk in _chunks(sorted({k[0] for k in wanted})):
        for fig in AnnualFigures.objects.filter(organisation_id__in=chunk):
            figures[(fig.organisation_id, fig.year)] = fig
    blocks.extend(registry_undo_blocks(batch))
    if not blocks:  # a value changed without a revision (should not happen): still refuse
        for (org_id, year, fname), (_, _, new, _) in changes.items():
            fig = figures.get((org_id, year))
            if fig is None or getattr(fig, fname) != new:
                blocks.append(
                    f"{names.get(org_id, org_id)} {year} 年{FIGURE_LABELS.get(fname, fname)}"
                    "的当前值与本次导入写入的值不一致，无法撤销"
                )
    if blocks:
        more = f"（另有{len(blocks) - UNDO_BLOCKS_LISTED}处）" if len(blocks) > UNDO_BLOCKS_LISTED else ""
        raise ValidationError([*blocks[:UNDO_BLOCKS_LISTED], *([more] if more else [])])

    # revert: (org, year) → [(field, value the batch wrote, value before, row created by it)]
    per_row: dict[tuple[int, int], list] = defaultdict(list)
    for (org_id, year, fname), (_, old, new, created_legacy) in changes.items():
        per_row[(org_id, year)].append((fname, new, old, created_legacy))
    for key in touched_created:  # created rows given other values since: only the batch's go
        fig = figures[key]
        for fname in FIGURE_NAMES:
            if getattr(fig, fname) is not None and (*key, fname) not in first_later:
                per_row[key].append((fname, getattr(fig, fname), None, True))
    now = timezone.now()
    reverts, updates, deletes = [], [], []
    values_removed = 0
    note = undo_note(batch)
    for key, items in per_row.items():
        fig = figures[key]
        row_reverts = []
        for fname, new, old, _ in items:
            value = int(old) if (old is not None and fname == "employees") else old
            setattr(fig, fname, value)
            row_reverts.append(
                FigureRevision(
                    organisation_id=key[0],
                    year=key[1],
                    field=fname,
                    old_value=new,
                    new_value=old,
                    source=FigureSource.STATISTICS_IMPORT,
                    note=note,
                    actor=actor,
                    import_batch=batch,
                )
            )
        created_row = key in created or all(c for _, _, _, c in items)
        if created_row and all(getattr(fig, f) is None for f in FIGURE_NAMES):
            deletes.append(fig.pk)
            if key in created:  # its first values had no revisions: nor has their removal
                values_removed += len(row_reverts)
                continue
        else:
            fig.updated_at = now
            updates.append(fig)
        reverts.extend(row_reverts)
    AnnualFigures.objects.bulk_update(updates, [*FIGURE_NAMES, "updated_at"], batch_size=500)
    for i in range(0, len(deletes), 5_000):
        AnnualFigures.objects.filter(pk__in=deletes[i : i + 5_000]).delete()
    FigureRevision.objects.bulk_create(reverts, batch_size=2_000)
    # the created rows nobody changed since: their values were all the batch's — one DELETE
    untouched = AnnualFigures.objects.filter(import_batch=batch)
    kept = [figures[k].pk for k in touched_created]
    if len(kept) <= 5_000:
        untouched = untouched.exclude(pk__in=kept)
        values_removed = _count_values(untouched)
        rows_removed = untouched.delete()[0]
    else:  # many kept (a later file filled another column of them all): by id, in chunks
        ids = sorted(set(created.values()) - set(kept))
        rows_removed = 0
        for i in range(0, len(ids), 5_000):
            chunk = AnnualFigures.objects.filter(pk__in=ids[i : i + 5_000])
            values_removed += _count_values(chunk)
            rows_removed += chunk.delete()[0]

    # organisations the batch registered: removed when nothing else refers to them
    registered = list(
        ImportedOrganisation.objects.filter(batch=batch).values_list("organisation_id", flat=True)
    )
    restored, restored_reclassify = registry_undo(batch)
    removable = unreferenced(registered)
    for i in range(0, len(removable), 5_000):
        Organisation.objects.filter(pk__in=removable[i : i + 5_000]).delete()
    removed = len(removable)
    organisations_reclassify([*org_ids, *(pk for pk in restored_reclassify if pk not in set(removable))])
    audit_record(
        actor=actor,
        event_type="import.undone",
        subject=batch,
        payload={
            "file_name": batch.file_name,
            "values_reverted": len(reverts) + values_removed,
            "rows_deleted": len(deletes) + rows_removed,
            "organisations_removed": removed,
            "organisations_kept": len(registered) - removed,
            "organisations_restored": restored,
        },
    )
    return batch_transition(batch, ImportStatus.UNDONE, undone_by=actor)
