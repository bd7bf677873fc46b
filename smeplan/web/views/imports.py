"""数据导入: upload → how each column was understood (correctable) → every problem → confirm; the list
of imports with undo; saved column mappings; the problem report as the user's own sheet, annotated.

Every action calls the services in ``smeplan.exchange.uploads`` / ``services`` / ``tasks``; large files
are checked and written as background jobs whose progress the page polls (``import_progress``).
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.exchange.models import (
    KIND_CHOICES,
    ImportBatch,
    ImportStatus,
    JobAction,
    JobState,
    may_act_on,
    require_may_act_on,
)
from smeplan.exchange.selectors import batch_get, batches_visible_to, templates_visible_to
from smeplan.exchange.services import import_undo
from smeplan.exchange.synonyms import MONEY_UNITS, TARGET_LABELS
from smeplan.exchange.tasks import import_job_reset, import_start, job_progress, job_seems_stalled
from smeplan.exchange.uploads import (
    import_configure,
    import_discard,
    mapping_template_delete,
    mapping_template_save,
    may_delete_template,
)
from smeplan.exchange.uploads import import_upload as upload_service
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import flash_errors, messages_of, require_page

ISSUES_PAGE = 200
UNIT_CHOICES = ["", *MONEY_UNITS, "人"]
EDITABLE = (ImportStatus.UPLOADED, ImportStatus.VALIDATED, ImportStatus.FAILED)


def _owned_batch(request, pk: int) -> ImportBatch:
    """The batch for an action: visible (else 404) and the user's own or a provincial admin's (else 403)."""
    batch = batch_get(request.user, pk)
    require_may_act_on(request.user, batch)
    return batch


@login_required
@require_GET
def import_list(request):
    require_page(navigation.can_import(request.user))
    qs = batches_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in ImportStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("mine") == "1":
        qs = qs.filter(uploaded_by=request.user)
    qs = qs.defer("issues", "layout", "options").order_by("-created_at", "-id")
    page = page_of(qs, request.GET.get("page"), size=30)
    return render(
        request,
        "web/import_list.html",
        {
            "page": page,
            "status": status,
            "mine": request.GET.get("mine") == "1",
            "statuses": ImportStatus.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request):
    user = request.user
    require_page(navigation.can_import(user))
    templates = list(templates_visible_to(user))
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        template = None
        template_id = request.POST.get("template") or ""
        if template_id:
            template = next((t for t in templates if str(t.pk) == template_id), None)
            if template is None:
                errors.append("所选列对应模板不存在或无权使用")
        year = request.POST.get("default_year", "").strip()
        default_year = None
        if year:
            if not year.isdigit() or not 1949 <= int(year) <= 2100:
                errors.append(f"年度“{year}”不是有效的年份（如 2024）")
            else:
                default_year = int(year)
        if upload is None:
            errors.append("请选择要上传的文件")
        if not errors:
            try:
                batch = upload_service(
                    actor=user,
                    file_name=upload.name,
                    content=upload,
                    template=template,
                    default_year=default_year,
                    kind=request.POST.get("kind") or "auto",
                )
                batch = import_start(actor=user, batch=batch, action=JobAction.ANALYSE)
            except ValidationError as exc:
                errors.extend(messages_of(exc))
            else:
                return redirect("import_detail", pk=batch.pk)
    return render(
        request,
        "web/import_new.html",
        {"templates": templates, "errors": errors, "post": request.POST, "kinds": KIND_CHOICES},
    )


def _issue_rows(batch: ImportBatch, level: str, offset: int) -> tuple[list[dict], int]:
    issues = batch.issues or []
    if level in ("error", "warning"):
        issues = [i for i in issues if i.get("level") == level]
    return issues[offset : offset + ISSUES_PAGE], len(issues)


def _sheets_for_page(batch: ImportBatch) -> list[dict]:
    layout = batch.layout or {}
    chosen = set((batch.options or {}).get("sheets") or [])
    analysed = {s["sheet"]: s for s in layout.get("sheets", [])}
    out = []
    for name in layout.get("all_sheets") or list(analysed):
        sheet = analysed.get(name)
        out.append(
            {
                "name": name,
                "analysed": sheet is not None,
                "chosen": name in chosen if chosen else sheet is not None,
                "layout": sheet,
            }
        )
    return out


@login_required
@require_GET
def import_detail(request, pk: int):
    user = request.user
    require_page(navigation.can_import(user))
    batch = batch_get(user, pk)
    level = request.GET.get("level", "")
    try:
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        offset = 0
    issues, issue_total = _issue_rows(batch, level, offset)
    owner = may_act_on(user, batch)
    pending = batch.job_pending
    context = {
        "batch": batch,
        "owner": owner,
        "pending": pending,
        "stalled": pending and job_seems_stalled(batch),
        "progress": job_progress(batch),
        "issues": issues,
        "issue_total": issue_total,
        "issue_level": level,
        "issue_offset": offset,
        "issue_next": offset + ISSUES_PAGE if offset + ISSUES_PAGE < issue_total else None,
        "issue_prev": max(0, offset - ISSUES_PAGE) if offset else None,
        "editable": owner and batch.status in EDITABLE and not pending and bool(batch.source_file),
        "sheets": _sheets_for_page(batch),
        "targets": list(TARGET_LABELS.items()),
        "units": UNIT_CHOICES,
        "templates": list(templates_visible_to(user)) if owner else [],
        "default_year": (batch.options or {}).get("default_year") or "",
        "kinds": KIND_CHOICES,
        "kind_choice": (batch.options or {}).get("kind") or batch.kind,
        "has_report": bool(batch.source_file) and bool(batch.issues),
    }
    return render(request, "web/import_detail.html", context)


@login_required
@require_GET
def import_progress(request, pk: int):
    """JSON for the progress bar: {state, action, phase, percent, status, message, done}."""
    require_page(navigation.can_import(request.user))
    batch = batch_get(request.user, pk)
    progress = job_progress(batch)
    pending = progress is not None
    return JsonResponse(
        {
            "state": batch.job_state,
            "state_label": batch.get_job_state_display(),
            "action": batch.get_job_action_display() if batch.job_action else "",
            "phase": progress["phase"] if pending else "",
            "percent": progress["percent"] if pending else 100,
            "status": batch.status,
            "status_label": batch.get_status_display(),
            "message": batch.job_message,
            "done": not pending,
            "stalled": pending and job_seems_stalled(batch),
        }
    )


def _corrections_from(post, sheets: list[dict]) -> dict:
    """The mapping form: for each analysed sheet and column, target/year/unit as chosen; only the
    columns whose choice differs from what was understood are kept as corrections."""
    corrections: dict[str, dict] = {}
    for n, sheet in enumerate(sheets):
        layout = sheet["layout"]
        if not layout:
            continue
        changed = {}
        for column in layout["columns"]:
            prefix = f"s{n}-{column['letter']}"
            target = post.get(f"{prefix}-target")
            if target is None:
                continue
            year = post.get(f"{prefix}-year", "").strip()
            unit = post.get(f"{prefix}-unit", "")
            was_year = str(column.get("year") or "")
            if target != column["target"] or year != was_year or unit != (column.get("unit") or ""):
                spec = {"target": target, "unit": unit}
                if year:
                    spec["year"] = year
                changed[column["letter"]] = spec
        # keep earlier corrections of this sheet that the form did not change
        earlier = dict((sheet.get("corrections")) or {})
        earlier.update(changed)
        if earlier:
            corrections[sheet["name"]] = earlier
    return corrections


@login_required
@require_POST
def import_mapping(request, pk: int):
    """按此重新识别并校验: save corrected mapping / sheets / year (or apply a template), check again."""
    user = request.user
    require_page(navigation.can_import(user))
    batch = _owned_batch(request, pk)
    sheets = _sheets_for_page(batch)
    earlier = (batch.options or {}).get("corrections") or {}
    for sheet in sheets:
        sheet["corrections"] = earlier.get(sheet["name"])
    try:
        year = request.POST.get("default_year", "").strip()
        if year and not year.isdigit():
            raise ValidationError(f"年度“{year}”不是有效的年份（如 2024）")
        if "apply_template" in request.POST:
            template_id = request.POST.get("template") or ""
            template = templates_visible_to(user).filter(pk=template_id).first() if template_id else None
            if template_id and template is None:
                raise ValidationError("所选列对应模板不存在或无权使用")
            import_configure(actor=user, batch=batch, template=template, use_template=True)
        else:
            chosen = request.POST.getlist("sheet")
            all_names = [s["name"] for s in sheets]
            if all_names and not chosen:
                raise ValidationError("请至少选择一个工作表")
            import_configure(
                actor=user,
                batch=batch,
                corrections=_corrections_from(request.POST, sheets),
                sheets=chosen or None,
                default_year=int(year) if year else None,
                kind=request.POST.get("kind") or None,
            )
        import_start(actor=user, batch=batch, action=JobAction.ANALYSE)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("import_detail", pk=batch.pk)


@login_required
@require_POST
def import_commit_view(request, pk: int):
    user = request.user
    require_page(navigation.can_import(user))
    batch = _owned_batch(request, pk)
    confirm = request.POST.get("confirm_warnings") == "1"
    if batch.warning_count and not confirm:
        messages.error(
            request, f"本次导入有{batch.warning_count}条警告，请逐条核实后勾选“我已核实全部警告”再确认导入"
        )
        return redirect("import_detail", pk=batch.pk)
    try:
        batch = import_start(actor=user, batch=batch, action=JobAction.COMMIT, confirm_warnings=confirm)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("import_detail", pk=batch.pk)
    if batch.status == ImportStatus.COMMITTED:
        registry = ""
        if batch.kind == "organisations":
            registry = (
                f"新登记单位 {batch.new_organisations} 家、更新基本信息 {batch.updated_organisations} 家、"
                f"更名 {batch.renamed_organisations} 家；"
            )
        messages.success(
            request,
            f"已导入：{registry}新增 {batch.new_count} 条、更新 {batch.updated_count} 条、"
            f"未变化 {batch.unchanged_count} 条企业年度数据",
        )
    elif batch.job_state == JobState.ERROR:
        messages.error(request, batch.job_message)
    return redirect("import_detail", pk=batch.pk)


def _batch_action(request, pk: int, act, done=lambda batch, result: None, after_url=None):
    """The shape of every button on a batch: may open the page (else 403), may act on this batch
    (404/403), run the service ``act(user, batch)``; its refusal is shown as the page's message."""
    require_page(navigation.can_import(request.user))
    batch = _owned_batch(request, pk)
    try:
        result = act(request.user, batch)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("import_detail", pk=batch.pk)
    message = done(batch, result)
    if message:
        messages.success(request, message)
    return redirect(after_url or reverse("import_detail", args=[batch.pk]))


@login_required
@require_POST
def import_undo_view(request, pk: int):
    return _batch_action(
        request,
        pk,
        lambda user, batch: import_undo(actor=user, batch=batch),
        lambda batch, _: f"已撤销导入#{batch.pk}：本次导入写入的数据已全部恢复为导入前的值",
    )


@login_required
@require_POST
def import_discard_view(request, pk: int):
    return _batch_action(
        request,
        pk,
        lambda user, batch: import_discard(actor=user, batch=batch),
        lambda batch, _: f"已放弃导入#{batch.pk}（{batch.file_name}），未写入任何数据",
        after_url=reverse("import_list"),
    )


@login_required
@require_POST
def import_reset_view(request, pk: int):
    return _batch_action(request, pk, lambda user, batch: import_job_reset(actor=user, batch=batch))


@login_required
@require_POST
def import_template_save_view(request, pk: int):
    name = request.POST.get("name", "")
    return _batch_action(
        request,
        pk,
        lambda user, batch: mapping_template_save(actor=user, batch=batch, name=name),
        lambda batch, template: f"已保存列对应模板“{template.name}”，下次上传同一来源的表格时可直接选用",
    )


@login_required
@require_GET
def import_file(request, pk: int):
    """The file as uploaded (下载原文件)."""
    require_page(navigation.can_import(request.user))
    batch = batch_get(request.user, pk)
    if not batch.source_file or not os.path.exists(batch.source_file.path):
        raise Http404("该导入没有保存原文件")
    return FileResponse(open(batch.source_file.path, "rb"), as_attachment=True, filename=batch.file_name)


@login_required
@require_GET
def import_report(request, pk: int):
    """问题报告: the uploaded sheet(s) again, each problem cell highlighted, a 问题说明 column."""
    from smeplan.exchange.error_report import error_report_filename, error_report_xlsx

    require_page(navigation.can_import(request.user))
    batch = batch_get(request.user, pk)
    if not batch.source_file or not os.path.exists(batch.source_file.path):
        raise Http404("该导入没有保存原文件，无法生成问题报告")
    import tempfile

    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    with open(batch.source_file.path, "rb") as fh:
        data = fh.read()
    error_report_xlsx(data=data, file_name=batch.file_name, issues=batch.issues or [], target=target)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=error_report_filename(batch.file_name))


@login_required
@require_GET
def mapping_template_list(request):
    require_page(navigation.can_import(request.user))
    user = request.user
    templates = list(templates_visible_to(user))
    for t in templates:
        t.columns = [
            (header, {**spec, "label": TARGET_LABELS.get(spec.get("target"), spec.get("target"))})
            for header, spec in (t.mapping or {}).items()
        ]
        t.deletable = may_delete_template(user, t)
    return render(request, "web/import_templates.html", {"templates": templates})


@login_required
@require_POST
def mapping_template_delete_view(request, pk: int):
    user = request.user
    require_page(navigation.can_import(user))
    template = templates_visible_to(user).filter(pk=pk).first()
    if template is None:
        raise Http404("模板不存在")
    try:
        mapping_template_delete(actor=user, template=template)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已删除列对应模板“{template.name}”")
    return redirect(reverse("mapping_template_list"))
