"""Imports (数据导入) through the API: the same flow and services as the page.

``POST /imports`` (multipart: ``file``, optional ``kind``, ``default_year``, ``template_id``) stores the file and
checks it — as a background job for large files: poll ``GET /imports/{id}`` (``job_state``,
``progress``) until ``job_state`` is empty. Then read the problems (``GET /imports/{id}/issues``),
optionally correct the mapping (``PUT /imports/{id}/mapping``, checked again), and write with
``POST /imports/{id}/commit`` (``confirm_warnings`` when there are warnings). ``POST /imports/{id}/undo``
reverts a written import as a whole. Batches outside the caller's region answer 404.

``kind``: ``figures`` (年度数据), ``organisations`` (企业名录: organisations created or updated with their
attributes, renames recorded, and the figures the file carries) or ``auto`` (default: 企业名录 when
the file has registry attribute columns such as 行业代码 / 成立日期 / 联系电话, else 年度数据).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from smeplan.accounts.scoping import require
from smeplan.api.schemas import ERRORS, READ_ERRORS, page_out
from smeplan.exchange.models import ImportBatch, JobAction, require_may_act_on
from smeplan.exchange.selectors import batch_get, batches_visible_to, templates_visible_to
from smeplan.exchange.services import import_undo
from smeplan.exchange.tasks import import_start, job_progress
from smeplan.exchange.uploads import import_configure, import_upload, may_import
from smeplan.registry.selectors import page_of

router = Router(tags=["数据导入"])


class ProgressOut(Schema):
    phase: str = Field(description="当前阶段：读取文件 / 识别数据行 / 校验数据 / 写入数据库")
    percent: int


class ImportOut(Schema):
    id: int
    file_name: str
    kind: str = Field(description="figures 年度数据 / organisations 企业名录（基本信息）")
    kind_label: str
    status: str = Field(
        description="uploaded 已上传 / validated 已校验 / failed 未通过校验 / committed 已导入 / undone 已撤销 / discarded 已放弃"
    )
    status_label: str
    uploaded_by: str | None
    created_at: dt.datetime
    committed_at: dt.datetime | None
    checksum: str
    file_size: int | None
    rows: int
    new_count: int
    updated_count: int
    unchanged_count: int
    new_organisations: int
    updated_organisations: int = Field(description="企业名录：（将）更新基本信息的单位数")
    renamed_organisations: int = Field(description="企业名录：（将）更名的单位数")
    error_count: int
    warning_count: int
    issues_omitted: int
    error_message: str
    job_state: str = Field(
        description="'' 无任务 / queued 排队中 / running 进行中 / error 出错（见 job_message）"
    )
    job_action: str
    job_message: str
    progress: ProgressOut | None
    layout: dict = Field(description="各工作表的识别结果：表头行、长表/宽表、每列识别为什么、单位与换算")


class ImportPage(Schema):
    items: list[ImportOut]
    page: int
    page_size: int
    has_next: bool


class IssueOut(Schema):
    level: Literal["error", "warning"]
    sheet: str
    row: int | None
    column: str | None
    value: str
    message: str
    field: str


class IssuePage(Schema):
    items: list[IssueOut]
    total: int = Field(description="符合条件的问题条数（最多保存 10000 条，另见 issues_omitted）")
    offset: int
    limit: int


class ImportQuery(Schema):
    status: str = ""
    page: int = Field(1, ge=1)
    page_size: int = Field(30, ge=1, le=200)


class IssueQuery(Schema):
    level: Literal["", "error", "warning"] = ""
    offset: int = Field(0, ge=0)
    limit: int = Field(200, ge=1, le=1000)


class ColumnSpec(Schema):
    target: str = Field(
        description="credit_code / name / county / year / 指标字段名 / 基本信息字段名（industry、founded_on、"
        "ownership_type、registered_capital、address、contact_person、contact_phone）/ ignored"
    )
    year: int | None = None
    unit: str = Field("", description="元 / 千元 / 万元 / 百万元 / 亿元 / 人；空为未注明")


class MappingIn(Schema):
    corrections: dict[str, dict[str, ColumnSpec]] | None = Field(
        None, description="{工作表名: {列字母: {target, year, unit}}}"
    )
    sheets: list[str] | None = Field(None, description="要导入的工作表；省略为全部可识别的工作表")
    default_year: int | None = Field(None, ge=1949, le=2100)
    template_id: int | None = Field(None, description="改用已保存的列对应模板（其他修正清空）")
    kind: Literal["auto", "figures", "organisations"] | None = Field(
        None, description="导入内容：auto 自动识别 / figures 年度数据 / organisations 企业名录"
    )


class CommitIn(Schema):
    confirm_warnings: bool = Field(False, description="有警告时须为 true，表示已逐条核实")


def _out(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "file_name": batch.file_name,
        "kind": batch.kind,
        "kind_label": batch.get_kind_display(),
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "uploaded_by": str(batch.uploaded_by) if batch.uploaded_by else None,
        "created_at": batch.created_at,
        "committed_at": batch.committed_at,
        "checksum": batch.checksum,
        "file_size": batch.file_size,
        "rows": batch.rows,
        "new_count": batch.new_count,
        "updated_count": batch.updated_count,
        "unchanged_count": batch.unchanged_count,
        "new_organisations": batch.new_organisations,
        "updated_organisations": batch.updated_organisations,
        "renamed_organisations": batch.renamed_organisations,
        "error_count": batch.error_count,
        "warning_count": batch.warning_count,
        "issues_omitted": batch.issues_omitted,
        "error_message": batch.error_message,
        "job_state": batch.job_state,
        "job_action": batch.job_action,
        "job_message": batch.job_message,
        "progress": job_progress(batch),
        "layout": batch.layout or {},
    }


def _require_importer(user) -> None:
    require(may_import(user), "您的角色无权导入数据")


def _owned(user, import_id: int) -> ImportBatch:
    batch = batch_get(user, import_id)
    require_may_act_on(user, batch)
    return batch


@router.get("", response={200: ImportPage, **READ_ERRORS}, summary="导入记录列表")
def import_list(request, query: Query[ImportQuery]):
    """当前用户可见的导入批次（省级全部，市县本辖区），新的在前。"""
    _require_importer(request.auth)
    qs = batches_visible_to(request.auth).defer("issues")
    if query.status:
        qs = qs.filter(status=query.status)
    page = page_of(qs.order_by("-created_at", "-id"), query.page, size=query.page_size)
    return page_out(page, _out)


@router.post("", response={201: ImportOut, **ERRORS}, summary="上传表格并识别、校验")
def import_create(
    request,
    file: File[UploadedFile | None] = None,
    default_year: Form[int | None] = None,
    template_id: Form[int | None] = None,
    kind: Form[Literal["auto", "figures", "organisations"]] = "auto",
):
    """上传 .xlsx/.xls/.ods/.csv：保存文件、识别各列并校验每一行（不写入数据）。大文件在后台处理，
    返回时 ``job_state`` 为 queued/running，请轮询 ``GET /imports/{id}``。``kind``：导入内容，
    auto 自动识别（默认）/ figures 年度数据 / organisations 企业名录（基本信息，可同时含年度数据）。
    只有表头、没有数据行的文件校验不通过（status 为 failed，error_message 说明原因）。"""
    user = request.auth
    _require_importer(user)
    if file is None:
        raise ValidationError({"file": ["请选择要上传的文件（multipart/form-data 的 file 字段）"]})
    template = None
    if template_id is not None:
        template = templates_visible_to(user).filter(pk=template_id).first()
        if template is None:
            raise ValidationError({"template_id": [f"列对应模板 {template_id} 不存在或无权使用"]})
    batch = import_upload(
        actor=user, file_name=file.name, content=file, template=template, default_year=default_year, kind=kind
    )
    batch = import_start(actor=user, batch=batch, action=JobAction.ANALYSE)
    return Status(201, _out(batch))


@router.get("/{int:import_id}", response={200: ImportOut, **READ_ERRORS}, summary="导入批次详情与进度")
def import_detail(request, import_id: int):
    _require_importer(request.auth)
    return _out(batch_get(request.auth, import_id))


@router.get("/{int:import_id}/issues", response={200: IssuePage, **READ_ERRORS}, summary="问题清单")
def import_issues(request, import_id: int, query: Query[IssueQuery]):
    """每条问题：级别、工作表、行、列、单元格的值、中文说明。"""
    _require_importer(request.auth)
    batch = batch_get(request.auth, import_id)
    issues = batch.issues or []
    if query.level:
        issues = [i for i in issues if i.get("level") == query.level]
    items = issues[query.offset : query.offset + query.limit]
    return {
        "items": [{**i, "value": str(i.get("value") or "")} for i in items],
        "total": len(issues),
        "offset": query.offset,
        "limit": query.limit,
    }


@router.put("/{int:import_id}/mapping", response={200: ImportOut, **ERRORS}, summary="修正列对应并重新校验")
def import_mapping(request, import_id: int, payload: MappingIn):
    user = request.auth
    batch = _owned(user, import_id)
    if payload.template_id is not None:
        template = templates_visible_to(user).filter(pk=payload.template_id).first()
        if template is None:
            raise ValidationError({"template_id": [f"列对应模板 {payload.template_id} 不存在或无权使用"]})
        import_configure(actor=user, batch=batch, template=template, use_template=True)
    else:
        corrections = None
        if payload.corrections is not None:
            corrections = {
                sheet: {letter: spec.dict() for letter, spec in columns.items()}
                for sheet, columns in payload.corrections.items()
            }
        import_configure(
            actor=user,
            batch=batch,
            corrections=corrections,
            sheets=payload.sheets,
            default_year=payload.default_year,
            kind=payload.kind,
        )
    return _out(import_start(actor=user, batch=batch, action=JobAction.ANALYSE))


@router.post(
    "/{int:import_id}/commit", response={200: ImportOut, **ERRORS}, summary="确认导入（全部写入或全部不写入）"
)
def import_commit(request, import_id: int, payload: CommitIn):
    """写入已校验的批次。有警告时须 ``confirm_warnings: true``。后台写入时返回 ``job_state`` 为
    queued/running；写入失败时 ``job_state`` 为 error，``job_message`` 说明原因，数据库不变。"""
    user = request.auth
    batch = _owned(user, import_id)
    if batch.warning_count and not payload.confirm_warnings:
        raise ValidationError(
            {
                "confirm_warnings": [
                    f"本次导入有{batch.warning_count}条警告，请逐条核实后以 confirm_warnings=true 确认"
                ]
            }
        )
    batch = import_start(
        actor=user, batch=batch, action=JobAction.COMMIT, confirm_warnings=payload.confirm_warnings
    )
    if batch.job_state == "error":
        raise ValidationError({"__all__": [batch.job_message]})
    return _out(batch)


@router.post("/{int:import_id}/undo", response={200: ImportOut, **ERRORS}, summary="撤销导入")
def import_undo_endpoint(request, import_id: int):
    """把本次导入写入和修改的值全部恢复为导入前的值；其中有值在导入后又被修改过时拒绝并列出。"""
    user = request.auth
    batch = _owned(user, import_id)
    return _out(import_undo(actor=user, batch=batch))
