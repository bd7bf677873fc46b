"""Write services of the upload flow (上传 → 识别 → 预览 → 确认): the file is kept with its batch.

``import_upload`` stores the file and creates the batch (status ``uploaded``); ``import_analyse``
reads it with the batch's options, shows how each column was understood and validates every row
(``validated`` or ``failed``, again and again after ``import_configure`` changed the mapping);
``import_commit_file`` writes it all or nothing (``services.import_commit``); ``import_discard``
gives it up. The page, the API and the background job (``tasks.import_job``) call these.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction

from smeplan.accounts.models import BUREAU_ROLES, REGION_ROLES
from smeplan.accounts.scoping import is_provincial_admin, require
from smeplan.audit.services import audit_record
from smeplan.exchange.models import (
    KIND_AUTO,
    ImportBatch,
    ImportKind,
    ImportMappingTemplate,
    ImportStatus,
    batch_transition,
    require_may_act_on,
)
from smeplan.exchange.parsed import Issue, IssueLevel
from smeplan.exchange.pipeline import PHASE_VALIDATE, PHASE_WRITE, Progress, no_progress, parse_file
from smeplan.exchange.reading import ImportFileError, check_size, detect_kind
from smeplan.exchange.services import (
    _errors_message,
    _summary_fields,
    _validate,
    import_commit,
)
from smeplan.exchange.understanding import IGNORED, TARGET_LABELS, release_frozen_objects

ALLOWED_SUFFIXES = {".xlsx", ".xls", ".ods", ".csv", ".txt"}
MSG_SUFFIX = "只能上传 .xlsx、.xls、.ods 或 .csv 文件"


def may_import(user) -> bool:
    """导入数据: active bureau users (the validation still limits the rows to their counties)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in BUREAU_ROLES)
    )


def kind_choice_clean(kind) -> str:
    """The import kind as chosen (page, API, command): "auto" (the system decides from the
    columns), "figures" or "organisations"; the Chinese labels are accepted too."""
    text = str(kind or KIND_AUTO).strip()
    labels = {
        "自动识别": KIND_AUTO,
        "自动": KIND_AUTO,
        "年度数据": ImportKind.FIGURES,
        "企业名录": ImportKind.ORGANISATIONS,
    }
    labels |= {str(label): value for value, label in ImportKind.choices}
    text = labels.get(text, text)
    if text not in (KIND_AUTO, *ImportKind.values):
        raise ValidationError(f"导入内容“{kind}”无效，可选：自动识别、年度数据、企业名录")
    return text


def import_upload(
    *,
    actor,
    file_name: str,
    content,
    kind: str = KIND_AUTO,
    template: ImportMappingTemplate | None = None,
    default_year: int | None = None,
) -> ImportBatch:
    """Store an uploaded file (bytes or a Django ``File``/``UploadedFile``) as a new batch.

    ``kind``: "auto" (default: decided from the columns when the file is analysed), "figures"
    (年度数据) or "organisations" (企业名录).

    Refuses, storing nothing, a file that is not .xlsx/.xls/.ods/.csv by its name AND its content,
    that is empty or larger than ``SMEPLAN_IMPORT_MAX_BYTES``. The file is streamed to storage in
    chunks (never whole in memory) while its SHA-256 is computed."""
    require(may_import(actor), "您的角色无权导入数据")
    choice = kind_choice_clean(kind)
    file_name = Path(str(file_name)).name[:255] or "未命名文件"
    if Path(file_name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError(f"“{file_name}”：{MSG_SUFFIX}")
    if template is not None:
        require(template_visible(actor, template), "无权使用该列对应模板")
    upload = ContentFile(content) if isinstance(content, (bytes, bytearray)) else content
    size = upload.size
    if not size:
        raise ValidationError(f"“{file_name}”是空文件")
    try:
        check_size(size)
    except ImportFileError as exc:
        raise ValidationError(f"“{file_name}”：{exc.message}") from exc
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored_path = None
    try:
        with transaction.atomic():
            batch = ImportBatch(
                kind=ImportKind.FIGURES if choice == KIND_AUTO else choice,
                file_name=file_name,
                checksum=digest.hexdigest(),
                file_size=size,
                uploaded_by=actor,
                region_id=actor.region_id if actor.role in REGION_ROLES else None,
                mapping_template=template,
                options={
                    "default_year": default_year,
                    "template": dict(template.mapping) if template is not None else {},
                    "kind": choice,
                },
            )
            batch.source_file.save(file_name, File(upload, name=file_name), save=False)
            stored_path = batch.source_file.path
            with open(stored_path, "rb") as fh:
                head = fh.read(8192)
            try:
                detect_kind(head, file_name, stored_path)
            except ImportFileError as exc:
                raise ValidationError(f"“{file_name}”：{exc.message}") from exc
            batch.save()
            audit_record(
                actor=actor,
                event_type="import.uploaded",
                subject=batch,
                payload={"file_name": file_name, "checksum": batch.checksum, "size": size},
            )
    except BaseException:
        if stored_path and os.path.exists(stored_path):
            os.remove(stored_path)
        raise
    return batch


def _options(batch: ImportBatch, *, commit: bool = False) -> dict:
    """parse_file's options of the batch. The kind: as chosen when analysing; as the analysis
    decided (``batch.kind``, what the user saw and confirms) when committing."""
    o = batch.options or {}
    return {
        "template": o.get("template") or None,
        "corrections": o.get("corrections") or None,
        "sheets": o.get("sheets") or None,
        "default_year": o.get("default_year"),
        "kind": batch.kind if commit else o.get("kind", batch.kind),
    }


def _check_target(spec, where: str) -> dict | str:
    target = spec.get("target") if isinstance(spec, dict) else spec
    if target not in TARGET_LABELS and target != IGNORED:
        raise ValidationError(f"{where}：“{target}”不是可导入的字段")
    if isinstance(spec, dict) and spec.get("year") not in (None, ""):
        try:
            year = int(spec["year"])
        except (TypeError, ValueError):
            raise ValidationError(f"{where}：年度“{spec['year']}”不是数字") from None
        if not 1949 <= year <= 2100:
            raise ValidationError(f"{where}：年度“{year}”不合理")
        spec = {**spec, "year": year}
    return spec


@transaction.atomic
def import_configure(
    *,
    actor,
    batch: ImportBatch,
    corrections: dict | None = None,
    sheets: list[str] | None = None,
    default_year: int | None = None,
    template: ImportMappingTemplate | None = None,
    use_template: bool = False,
    kind: str | None = None,
) -> ImportBatch:
    """Change how the file is read (column mapping per sheet, which sheets, default year, what it is
    imported as, or a saved template); the caller then runs ``import_analyse`` again. Only before
    the batch is written."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    require_may_act_on(actor, batch, "修改导入设置")
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.VALIDATED, ImportStatus.FAILED):
        raise ValidationError(f"导入#{batch.pk}当前状态为“{batch.get_status_display()}”，不能再修改")
    if batch.job_pending:
        raise ValidationError(f"导入#{batch.pk}正在{batch.get_job_action_display()}，请待其结束后再修改设置")
    options = dict(batch.options or {})
    if corrections is not None:
        clean = {}
        for sheet, columns in corrections.items():
            clean[str(sheet)] = {
                str(letter).upper(): _check_target(spec, f"工作表“{sheet}”第 {letter} 列")
                for letter, spec in (columns or {}).items()
            }
        options["corrections"] = clean
    if sheets is not None:
        options["sheets"] = [str(s) for s in sheets]
    if kind is not None:
        options["kind"] = kind_choice_clean(kind)
    if default_year is not None or "default_year" not in options:
        if default_year is not None and not 1949 <= int(default_year) <= 2100:
            raise ValidationError(f"年度“{default_year}”不合理")
        options["default_year"] = default_year
    fields = ["options"]
    if use_template:
        if template is not None:
            require(template_visible(actor, template), "无权使用该列对应模板")
        options["template"] = dict(template.mapping) if template is not None else {}
        options["corrections"] = {}
        batch.mapping_template = template
        fields.append("mapping_template")
    batch.options = options
    batch.save(update_fields=fields)
    audit_record(actor=actor, event_type="import.configured", subject=batch, payload={"options": options})
    return batch


def _file_issue(message: str) -> Issue:
    return Issue(IssueLevel.ERROR, "", None, None, "", message)


def import_analyse(*, actor, batch: ImportBatch, progress: Progress = no_progress) -> ImportBatch:
    """识别与校验: read the stored file with the batch's options, record how every column was
    understood and every problem; status ``validated`` (no errors) or ``failed``. Writes no figures."""
    try:
        return _import_analyse(actor=actor, batch=batch, progress=progress)
    finally:
        release_frozen_objects()  # what extraction and validation froze (pause_cyclic_gc)


def _import_analyse(*, actor, batch: ImportBatch, progress: Progress) -> ImportBatch:
    require_may_act_on(actor, batch, "校验该导入")
    if not batch.source_file:
        raise ValidationError(f"导入#{batch.pk}没有保存上传的文件，请重新上传")
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.VALIDATED, ImportStatus.FAILED):
        raise ValidationError(f"导入#{batch.pk}当前状态为“{batch.get_status_display()}”，不能重新校验")
    options = _options(batch)
    try:
        parsed = parse_file(batch.source_file.path, batch.file_name, **options, progress=progress)
    except ImportFileError as exc:
        with transaction.atomic():
            fields = {
                "issues": [_file_issue(exc.message).to_dict()],
                "error_count": 1,
                "warning_count": 0,
                "rows": 0,
                "layout": {},
                "issues_omitted": 0,
            }
            batch.kind = ImportKind.FIGURES if options["kind"] == KIND_AUTO else options["kind"]
            fields["kind"] = batch.kind
            return batch_transition(batch, ImportStatus.FAILED, error_message=exc.message, **fields)
    progress(PHASE_VALIDATE, 0.0)
    batch.kind = parsed.kind  # as chosen, or as recognised from the columns
    with transaction.atomic():
        result = _validate(actor=actor, batch=batch, records=parsed.records, sheet_issues=parsed.issues)
        progress(PHASE_VALIDATE, 1.0)
        fields = _summary_fields(result)
        fields["layout"] = parsed.layout_dict
        fields["kind"] = parsed.kind
        if result.error_count:
            return batch_transition(
                batch, ImportStatus.FAILED, error_message=_errors_message(result), **fields
            )
        return batch_transition(batch, ImportStatus.VALIDATED, error_message="", **fields)


def import_commit_file(
    *, actor, batch: ImportBatch, confirm_warnings: bool = False, progress: Progress = no_progress
) -> ImportBatch:
    """确认导入: read the stored file again (as checked) and write it all or nothing."""
    require_may_act_on(actor, batch, "确认导入")
    if not batch.source_file:
        raise ValidationError(f"导入#{batch.pk}没有保存上传的文件，请重新上传")
    if batch.status != ImportStatus.VALIDATED:
        raise ValidationError(f"导入#{batch.pk}当前状态为“{batch.get_status_display()}”，不能导入")
    try:
        parsed = parse_file(
            batch.source_file.path, batch.file_name, **_options(batch, commit=True), progress=progress
        )
    except ImportFileError as exc:
        raise ValidationError(exc.message) from exc
    progress(PHASE_WRITE, 0.0)
    batch = import_commit(
        actor=actor,
        batch=batch,
        records=parsed.records,
        sheet_issues=parsed.issues,
        confirm_warnings=confirm_warnings,
    )
    progress(PHASE_WRITE, 1.0)
    return batch


@transaction.atomic
def import_discard(*, actor, batch: ImportBatch) -> ImportBatch:
    """放弃导入: a batch not written is given up and its stored file deleted."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    require_may_act_on(actor, batch, "放弃该导入")
    if batch.job_pending:
        raise ValidationError("后台任务尚在进行，请待其结束后再放弃")
    path = batch.source_file.path if batch.source_file else None
    batch_transition(batch, ImportStatus.DISCARDED)
    audit_record(
        actor=actor, event_type="import.discarded", subject=batch, payload={"file_name": batch.file_name}
    )
    if path:
        transaction.on_commit(lambda: os.path.exists(path) and os.remove(path))
    return batch


# ------------------------------------------------------------------------------------------------
# Mapping templates (列对应模板)
# ------------------------------------------------------------------------------------------------


def template_visible(user, template: ImportMappingTemplate) -> bool:
    """A template is the owner's and shared with the users of the same region."""
    if is_provincial_admin(user) or template.owner_id == user.pk:
        return True
    return template.region_id is not None and template.region_id == getattr(user, "region_id", None)


def mapping_from_layout(layout: dict) -> dict:
    """The mapping of a checked batch as header text → target (what a template stores): every
    column with a header, whether recognised or corrected, so the next file is read the same way
    even when its columns moved."""
    mapping: dict[str, dict] = {}
    for sheet in layout.get("sheets", []):
        for column in sheet.get("columns", []):
            header = (column.get("header") or "").strip()
            if not header or header in mapping:
                continue
            spec = {"target": column.get("target") or IGNORED}
            if column.get("year"):
                spec["year"] = column["year"]
            if column.get("unit"):
                spec["unit"] = column["unit"]
            mapping[header] = spec
    return mapping


@transaction.atomic
def mapping_template_save(*, actor, batch: ImportBatch, name: str) -> ImportMappingTemplate:
    """保存为模板: the batch's current column mapping under ``name`` (replacing the actor's own
    template of that name)."""
    require(may_import(actor), "您的角色无权保存列对应模板")
    require_may_act_on(actor, batch, "把该导入保存为模板")
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写模板名称")
    if len(name) > 80:
        raise ValidationError("模板名称不能超过 80 个字")
    mapping = mapping_from_layout(batch.layout or {})
    if not mapping:
        raise ValidationError("该导入还没有识别出任何列，无法保存为模板")
    try:
        with transaction.atomic():
            template, created = ImportMappingTemplate.objects.update_or_create(
                owner=actor,
                kind=batch.kind,
                name=name,
                defaults={
                    "mapping": mapping,
                    "default_year": (batch.options or {}).get("default_year"),
                    "region_id": actor.region_id if actor.role in REGION_ROLES else None,
                },
            )
    except IntegrityError as exc:  # pragma: no cover - concurrent save of the same name
        raise ValidationError("已有同名模板，请换一个名称") from exc
    audit_record(
        actor=actor,
        event_type="import.template_saved",
        subject=template,
        payload={"name": name, "columns": len(mapping), "created": created, "batch": batch.pk},
    )
    return template


def may_delete_template(user, template: ImportMappingTemplate) -> bool:
    return template.owner_id == user.pk or is_provincial_admin(user)


@transaction.atomic
def mapping_template_delete(*, actor, template: ImportMappingTemplate) -> None:
    require(may_delete_template(actor, template), "只有创建人或省级管理员可以删除模板")
    audit_record(
        actor=actor, event_type="import.template_deleted", subject=template, payload={"name": template.name}
    )
    template.delete()
