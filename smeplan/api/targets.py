"""规划目标 through the API: plan periods, their targets with live progress for the province, a
city-level unit or the caller's own area (value, goal, judgement against the linear pace, yearly
trend), one target with its per-city breakdown, the reported values with their revisions, and the
writes (reported values; periods, targets and city shares for provincial admins). The same
selectors and services as the pages (``smeplan.targets``): a foreign city answers 404, an action the
caller may not take 403, bad input 422 with the pages' Chinese messages. Numbers as decimal strings."""

from __future__ import annotations

from django.http import Http404
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from smeplan.accounts.scoping import require
from smeplan.api.schemas import ERRORS, READ_ERRORS
from smeplan.recognition import clock
from smeplan.targets import metrics, selectors, services

router = Router(tags=["规划目标"])


def _num(value) -> str | None:
    return None if value is None else format(value, "f")


class PeriodOut(Schema):
    code: str
    name: str
    start_year: int
    end_year: int
    current: bool = Field(False, description="目标进度默认打开的规划期（包含今天的，否则最新的）")


class PeriodIn(Schema):
    code: str
    name: str
    start_year: int | str
    end_year: int | str


class ProgressOut(Schema):
    id: int
    code: str
    plan: str
    plan_label: str
    name: str
    description: str
    unit: str
    kind: str
    deadline: str
    source: str = Field(description="computed（系统统计）/ reported（部门填报）")
    metric: str
    basis: str | None = Field(
        description="系统统计的计数方式：enterprises（按企业计，户/家）/ titles（按称号计，项/个）；部门填报为 null"
    )
    basis_label: str = Field(description="按企业计 / 按称号计（部门填报为空）")
    source_document: str = Field(description="出处文件")
    seed_section: str = Field(description="出处条款")
    reporter: str
    target_value: str = Field(description="全省目标值")
    area: str = Field(description="地区代码（全省 610000、市级单位或区县）")
    area_name: str
    year: int = Field(description="所示数值的年度")
    goal: str | None = Field(
        description="本地区的目标（全省目标、分解到市的目标或本市年度计划）；未分解为 null"
    )
    goal_note: str
    value: str | None = Field(description="实际值；未填报为 null")
    value_note: str
    value_confirmed: bool | None = Field(description="区县的填报值是否已由市级确认（其他为 null）")
    county_sum: str | None = Field(description="市级视角的部门填报目标：所辖区县已确认数值之和")
    county_note: str = Field(description="区县合计涵盖的区县数、待确认的区县数")
    judgement: str | None = Field(description="met / on_track / behind / missed / no_value；无目标为 null")
    judgement_label: str | None
    expected: str | None = Field(description="按线性进度今天应达的值")
    ratio: str | None = Field(description="实际 / 目标（小数）")
    trend: dict[str, str | None] = Field(description="年度 → 数值（未填报为 null）")
    list_url: str = Field(description="计入名单的页面地址（系统统计的目标）")


class TargetDetailOut(ProgressOut):
    cities: list[ProgressOut] = Field(description="分市情况（全省视角）")


class AreaQuery(Schema):
    city: str | None = Field(None, description="市级单位代码（省级用户可选）")
    plan: str | None = Field(None, description="行动计划代码")


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str = Field(description="下载地址（API）")


class RevisionOut(Schema):
    old_value: str | None
    new_value: str
    old_note: str
    new_note: str
    old_attachment: AttachmentOut | None
    new_attachment: AttachmentOut | None
    changed_by: str | None
    changed_at: str


class ReportedOut(Schema):
    id: int
    region: str
    region_name: str
    year: int
    value: str
    source_note: str
    entered_by: str | None
    entered_at: str
    attachment: AttachmentOut | None
    confirmed: bool | None = Field(description="区县的数值是否已由市级确认；全省、市级的数值无需确认为 null")
    confirmed_by: str | None
    confirmed_at: str | None
    revisions: list[RevisionOut]


class ReportedIn(Schema):
    region: str = Field("610000", description="全省 610000、市级单位或区县代码")
    year: int | str
    value: str | int | float
    source_note: str


class TargetIn(Schema):
    code: str
    plan: str
    name: str
    description: str
    source_document: str = Field("", description="出处文件（文号或名称）")
    seed_section: str = Field("", description="出处条款")
    value: str | int | float
    unit: str
    kind: str
    baseline: str | int | float | None = None
    deadline: str
    scope: str = "province"
    source: str
    metric: str = ""
    reporter: str = ""


class SharesIn(Schema):
    shares: dict[str, str | int | float | None] = Field(
        description="市级单位代码 → 目标值（null 或空表示不分解）"
    )


def _progress(row, area) -> dict:
    t, j = row.target, row.judgement
    return {
        "id": t.pk,
        "code": t.code,
        "plan": t.plan,
        "plan_label": t.get_plan_display(),
        "name": t.name,
        "description": t.description,
        "unit": t.unit,
        "kind": t.kind,
        "deadline": t.deadline.isoformat(),
        "source": t.source,
        "metric": t.metric,
        "basis": (metrics.basis_for_unit(t.unit) or metrics.ENTERPRISES) if t.source == "computed" else None,
        "basis_label": row.basis_label,
        "source_document": t.source_document,
        "seed_section": t.seed_section,
        "reporter": t.reporter,
        "target_value": _num(t.value),
        "area": area.code,
        "area_name": area.name,
        "year": row.year,
        "goal": _num(row.goal),
        "goal_note": row.goal_note,
        "value": _num(row.value),
        "value_note": row.value_note,
        "value_confirmed": row.value_confirmed,
        "county_sum": _num(row.county_sum),
        "county_note": row.county_note,
        "judgement": j.state if j else None,
        "judgement_label": j.label if j else None,
        "expected": _num(j.expected) if j else None,
        "ratio": _num(round(j.ratio, 6)) if j and j.ratio is not None else None,
        "trend": {str(y): _num(v) for y, v in row.trend},
        "list_url": row.list_url,
    }


def _period(code: str):
    period = selectors.periods().filter(code=code).first()
    if period is None:
        raise Http404("规划期不存在")
    return period


def _readable(user):
    require(selectors.may_read(user), "无权查看规划目标")


@router.get("/periods", response={200: list[PeriodOut], **READ_ERRORS}, summary="规划期")
def period_list(request):
    _readable(request.auth)
    current = selectors.period_current(clock.today())
    return [
        {
            "code": p.code,
            "name": p.name,
            "start_year": p.start_year,
            "end_year": p.end_year,
            "current": p == current,
        }
        for p in selectors.periods()
    ]


@router.post("/periods", response={200: PeriodOut, **ERRORS}, summary="新增规划期（省级管理员）")
def period_create(request, payload: PeriodIn):
    return services.period_create(actor=request.auth, data=payload.dict())


@router.get(
    "/periods/{code}/progress",
    response={200: list[ProgressOut], **READ_ERRORS},
    summary="规划期各目标的完成进度（全省、某市或本地区）",
)
def period_progress(request, code: str, query: Query[AreaQuery]):
    user = request.auth
    _readable(user)
    period = _period(code)
    area = selectors.area_for(user, query.city or None)
    rows = selectors.dashboard(
        user=user, period=period, area=area, today=clock.today(), plan=query.plan or ""
    )
    return [_progress(r, area) for r in rows]


class CopyIn(Schema):
    source: str = Field(alias="from", description="复制来源规划期的代码")
    codes: list[str] | None = Field(None, description="要复制的目标代码；缺省复制全部")
    deadlines: dict[str, str] = Field(
        default_factory=dict, description="目标代码 → 新完成期限 YYYY-MM-DD；缺省按规划期终止年度之差顺延"
    )
    source_document: str = Field("", description="新目标的出处文件；留空沿用原目标的")


class ImportOut(Schema):
    created: int
    updated: int


@router.post(
    "/periods/{code}/copy",
    response={200: list[ProgressOut], **ERRORS},
    summary="从其他规划期复制目标（省级管理员）",
)
def targets_copy(request, code: str, payload: CopyIn):
    """复制所选目标及其分解到市的目标；完成期限顺延到新规划期（可逐项指定），基期值不复制。全部成功或全部不复制。"""
    user = request.auth
    period = _period(code)
    made = services.targets_copy(
        actor=user,
        period=period,
        source=_period(payload.source),
        codes=payload.codes,
        deadlines=payload.deadlines,
        source_document=payload.source_document,
    )
    area = selectors.area_for(user, None)
    rows = selectors.dashboard(
        user=user, period=period, area=area, today=clock.today(), target_ids={t.pk for t in made}
    )
    return [_progress(r, area) for r in rows]


@router.post(
    "/periods/{code}/import",
    response={200: ImportOut, **ERRORS},
    summary="从表格导入目标（省级管理员）",
)
def targets_import(request, code: str, file: File[UploadedFile | None] = None):
    """multipart/form-data 的 ``file``：按目标导入模板（页面可下载）的列导入；代码已存在则更新。逐行逐项
    检查，有任何问题则全部不导入，422 列出每个问题所在的行和列。"""
    from django.core.exceptions import ValidationError

    from smeplan.accounts.scoping import is_provincial_admin
    from smeplan.exchange.reading import max_import_bytes

    period = _period(code)
    if file is None:
        require(is_provincial_admin(request.auth), "只有省级管理员可以导入目标")
        raise ValidationError({"file": ["请选择要导入的文件（multipart/form-data 的 file 字段）"]})
    content = file.read(max_import_bytes() + 1)
    return services.targets_import(
        actor=request.auth, period=period, filename=file.name or "", content=content
    )


@router.post(
    "/periods/{code}/targets", response={200: ProgressOut, **ERRORS}, summary="新增目标（省级管理员）"
)
def target_create(request, code: str, payload: TargetIn):
    user = request.auth
    target = services.target_create(actor=user, period=_period(code), data=payload.dict())
    return _one(user, target.pk, None)


def _one(user, pk: int, city: str | None) -> dict:
    target = selectors.target_get(pk)
    area = selectors.area_for(user, city)
    (row,) = selectors.dashboard(
        user=user, period=target.period, area=area, today=clock.today(), target_ids={target.pk}
    )
    return _progress(row, area)


@router.get("/{target_id}", response={200: TargetDetailOut, **READ_ERRORS}, summary="目标详情与分市情况")
def target_detail(request, target_id: int, query: Query[AreaQuery]):
    user = request.auth
    _readable(user)
    out = _one(user, target_id, query.city or None)
    target = selectors.target_get(target_id)
    out["cities"] = []
    if selectors.area_for(user, query.city or None).kind == "province":
        out["cities"] = [
            _progress(row, selectors.Area("city", code, name))
            for code, name, row in selectors.city_breakdown(user=user, target=target, today=clock.today())
        ]
    return out


@router.patch("/{target_id}", response={200: ProgressOut, **ERRORS}, summary="修改目标（省级管理员）")
def target_update(request, target_id: int, payload: TargetIn):
    user = request.auth
    services.target_update(actor=user, target=selectors.target_get(target_id), data=payload.dict())
    return _one(user, target_id, None)


@router.put(
    "/{target_id}/shares", response={200: ProgressOut, **ERRORS}, summary="分解目标到市级单位（省级管理员）"
)
def target_shares(request, target_id: int, payload: SharesIn):
    user = request.auth
    services.target_shares_set(actor=user, target=selectors.target_get(target_id), shares=payload.shares)
    return _one(user, target_id, None)


def _attachment(a) -> dict | None:
    if a is None:
        return None
    return {
        "id": a.pk,
        "name": a.name,
        "content_type": a.content_type,
        "size": a.size,
        "url": f"/api/v1/targets/attachments/{a.pk}",
    }


def _reported(rv) -> dict:
    county = services.is_county_region(rv.region)
    return {
        "id": rv.pk,
        "region": rv.region_id,
        "region_name": rv.region.name,
        "year": rv.year,
        "value": _num(rv.value),
        "source_note": rv.source_note,
        "entered_by": rv.entered_by.username if rv.entered_by else None,
        "entered_at": rv.entered_at.isoformat(),
        "attachment": _attachment(rv.attachment),
        "confirmed": (rv.confirmed_at is not None) if county else None,
        "confirmed_by": rv.confirmed_by.username if rv.confirmed_by else None,
        "confirmed_at": rv.confirmed_at.isoformat() if rv.confirmed_at else None,
        "revisions": [
            {
                "old_value": _num(r.old_value),
                "new_value": _num(r.new_value),
                "old_note": r.old_note,
                "new_note": r.new_note,
                "old_attachment": _attachment(r.old_attachment),
                "new_attachment": _attachment(r.new_attachment),
                "changed_by": r.changed_by.username if r.changed_by else None,
                "changed_at": r.changed_at.isoformat(),
            }
            for r in rv.revisions.all()
        ],
    }


def _reported_one(user, pk: int) -> dict:
    rv = selectors.reported_values(user=user, target=selectors.reported_value_get(user, pk).target).get(pk=pk)
    return _reported(rv)


@router.get(
    "/{target_id}/values", response={200: list[ReportedOut], **READ_ERRORS}, summary="填报值及修订记录"
)
def reported_list(request, target_id: int):
    user = request.auth
    _readable(user)
    return [
        _reported(rv) for rv in selectors.reported_values(user=user, target=selectors.target_get(target_id))
    ]


@router.post("/{target_id}/values", response={200: ReportedOut, **ERRORS}, summary="填报数值（保留修订）")
def reported_set(request, target_id: int, payload: ReportedIn):
    user = request.auth
    _readable(user)
    rv = services.reported_value_set(actor=user, target=selectors.target_get(target_id), data=payload.dict())
    return _reported_one(user, rv.pk)


@router.post(
    "/values/{value_id}/confirm",
    response={200: ReportedOut, **ERRORS},
    summary="确认区县填报的数值（所在市主管部门）",
)
def reported_confirm(request, value_id: int):
    user = request.auth
    _readable(user)
    services.reported_value_confirm(actor=user, reported=selectors.reported_value_get(user, value_id))
    return _reported_one(user, value_id)


@router.post(
    "/values/{value_id}/attachment",
    response={200: ReportedOut, **ERRORS},
    summary="上传填报值的附件（PDF、PNG、JPEG、XLSX；保留修订）",
)
def reported_attach(request, value_id: int, file: File[UploadedFile | None] = None):
    """multipart/form-data 的 ``file``：按内容识别类型，大小不超过上限。替换原附件，原附件保留在修订记录中；
    区县的数值因此需要市级重新确认。"""
    from django.core.exceptions import ValidationError

    from smeplan.recognition.services import attachment_max_bytes

    user = request.auth
    _readable(user)
    rv = selectors.reported_value_get(user, value_id)
    require(services.may_report(user, rv.region), f"您不能填报{rv.region.name}的数值")
    if file is None:
        raise ValidationError({"file": ["请选择要上传的文件（multipart/form-data 的 file 字段）"]})
    content = file.read(attachment_max_bytes() + 1)
    services.reported_value_set(
        actor=user,
        target=rv.target,
        data={"region": rv.region_id, "year": rv.year, "value": rv.value, "source_note": rv.source_note},
        attachment=(file.name or "附件", content),
    )
    return _reported_one(user, value_id)


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **READ_ERRORS},
    summary="下载填报值的附件",
)
def reported_attachment(request, attachment_id: int):
    from smeplan.recognition.services import attachment_response

    attachment = selectors.attachment_get(request.auth, attachment_id)
    return attachment_response(attachment)
