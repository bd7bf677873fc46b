"""认定工作流 through the API: every step of the recognition workflow through the same services and
selectors as the pages (``smeplan.recognition``).

* 申报: an enterprise user opens (``POST /applications``), fills (``PUT …/form``), attaches files and
  submits (``POST …/actions`` with ``submit``); the bureaus recommend, select, return or reject from
  their queue (``GET /queue``), one by one or in bulk (``POST /actions``); a bureau may nominate
  (``POST /nominations``).
* 专家评审, 公示 and 异议, 认定, 终止, 晋级, 重大变化 — one endpoint per step.
* 公示公告 and 公布名单 are public (no login): name, county and tier only, never a credit code; an
  objection is limited to ``OBJECTIONS_PER_HOUR`` per client address.

Every action names the ``version`` (``lock_version``) the caller saw: when someone acted in between,
the answer is 409 and nothing changes. Applications outside the caller's scope answer 404; an
action the caller may not take 403; bad input 422 with the pages' Chinese messages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ConfigDict

from smeplan.accounts.models import BUREAU_ROLES, REGION_ROLES, Role
from smeplan.accounts.scoping import require
from smeplan.api.schemas import ERRORS, ErrorOut, Number, ValidationErrorOut
from smeplan.programmes.selectors import run_get, tier_get
from smeplan.recognition import clock, composition, selectors, services
from smeplan.recognition.models import (
    Application,
    Attachment,
    Certification,
    ChangeReport,
    ExpertAssignment,
    Notification,
    Objection,
    PublicNotice,
    State,
)
from smeplan.recognition.workflow import ACTION_LABELS
from smeplan.regions.models import Region

router = Router(tags=["认定工作流"])

PUBLIC_TAGS = ["公示公告与公布名单（无需登录）"]
ACT_ERRORS = {**ERRORS, 409: ErrorOut}
PUBLIC_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}
OBJECTIONS_PER_HOUR = 5
RATE_MESSAGE = "提交异议过于频繁：同一来源每小时最多提交 {n} 条，请稍后再试"

#: where an action that is not taken through ``POST …/actions`` is taken instead
ACTION_ENDPOINTS = {
    "publish": "POST /api/v1/recognition/notices",
    "certify": "POST /api/v1/recognition/certifications",
}


# --- common schemas ------------------------------------------------------------------------------


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class PageQuery(Schema):
    offset: int = Field(0, ge=0, description="跳过的条数")
    limit: int = Field(50, ge=1, le=200, description="每页条数（1–200）")


def _page(qs, query: PageQuery, item) -> dict:
    """limit/offset without COUNT: one row more than the page says whether there is a next one."""
    rows = list(qs[query.offset : query.offset + query.limit + 1])
    return {
        "items": [item(x) for x in rows[: query.limit]],
        "offset": query.offset,
        "limit": query.limit,
        "has_next": len(rows) > query.limit,
    }


class ItemIn(_In):
    id: int = Field(description="申报 id")
    version: int = Field(description="该申报的版本（lock_version），即调用方看到的版本")


class OrganisationRef(Schema):
    id: int
    name: str
    credit_code: str = Field(description="统一社会信用代码")
    county: str = Field(description="所属区县代码")
    county_name: str


def _org(org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "credit_code": org.credit_code,
        "county": org.county_id,
        "county_name": org.county.name,
    }


def _user_name(user) -> str | None:
    return str(user) if user is not None else None


def _pairs(items: list[ItemIn]) -> list[tuple[int, int]]:
    """The (id, version) pairs; the services refuse (404, naming no one) what the caller may not see."""
    return [(i.id, i.version) for i in items]


# --- applications --------------------------------------------------------------------------------


class ApplicationItem(Schema):
    id: int
    organisation: OrganisationRef
    programme: str = Field(description="认定项目代码")
    programme_name: str
    tier_id: int
    tier: str = Field(description="梯队名称")
    year: int = Field(description="数据年度")
    channel: str = Field(description="apply 企业直接申报 / nominate 主管部门推荐 / promote 晋级")
    channel_label: str
    state: str = Field(
        description="draft 草稿 / returned 退回修改 / county_review 县级审核 / city_review 市级审核 / "
        "province_review 省级初选 / expert_review 专家评审 / selected 待公示 / on_notice 公示中 / "
        "certified 已认定 / rejected 未通过 / withdrawn 已撤回"
    )
    state_label: str
    step_level: str | None = Field(description="当前审核环节的层级：county / city / province")
    waiting_region: str | None = Field(description="待办部门（区划代码）；申报单位持有时为空")
    waiting_region_name: str | None
    lock_version: int = Field(description="版本：每次操作须提交所见的版本，过期则返回 409")
    eligibility_outcome: str = Field(description="提交时的条件核验结果")
    expert_score: str | None = Field(description="专家平均得分")
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


class ApplicationPage(Schema):
    items: list[ApplicationItem]
    offset: int
    limit: int
    has_next: bool


class ChainStep(Schema):
    level: str = Field(description="county 县级 / city 市级 / province 省级")
    region: str
    region_name: str | None


class EventOut(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    actor: str | None
    region: str | None = Field(description="操作部门（区划代码）")
    reason: str
    at: dt.datetime


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="上传时的文件名")
    content_type: str = Field(description="按文件内容识别的类型：application/pdf、image/png、image/jpeg")
    size: int = Field(description="字节数")
    sha256: str
    description: str
    field: str = Field("", description="申报表的附件项代码（空：其他附件）")
    uploaded_by: str | None
    uploaded_at: dt.datetime


class ActionOut(Schema):
    action: str
    label: str
    needs_reason: bool = Field(description="是否必须填写原因")
    endpoint: str = Field(description="办理该操作的接口")


class ApplicationOut(ApplicationItem):
    chain: list[ChainStep] = Field(description="审核链：从所在区县到项目层级")
    step: int = Field(description="当前审核环节在审核链中的序号（从 0 起）")
    returned_step: int | None
    nominated_by_region: str | None
    form: dict = Field(description="推荐登记表内容")
    figures_years: list[int] = Field(description="登记表填写数据的三个年度")
    declared_at: dt.datetime | None = Field(description="《真实性承诺》确认时间")
    eligibility: dict = Field(description="提交时的认定条件核验（结果与逐条说明）")
    decision_reason: str = Field(description="退回/不通过原因")
    notice_id: int | None
    promoted_from_id: int | None = Field(description="晋级前的认定 id")
    history: list[EventOut] = Field(description="流转记录")
    attachments: list[AttachmentOut] = Field(description="附件（元数据；文件不经接口提供路径）")
    actions: list[ActionOut] = Field(description="调用方现在可以办理的操作")


def _item(a: Application) -> dict:
    return {
        "id": a.pk,
        "organisation": _org(a.organisation),
        "programme": a.programme.code,
        "programme_name": a.programme.name,
        "tier_id": a.tier_id,
        "tier": a.tier.name,
        "year": a.year,
        "channel": a.channel,
        "channel_label": str(a.get_channel_display()),
        "state": a.state,
        "state_label": str(a.get_state_display()),
        "step_level": a.step_level
        if a.state in (State.COUNTY_REVIEW, State.CITY_REVIEW, State.PROVINCE_REVIEW)
        else None,
        "waiting_region": a.waiting_region_id,
        "waiting_region_name": a.waiting_region.name if a.waiting_region_id else None,
        "lock_version": a.lock_version,
        "eligibility_outcome": a.eligibility_outcome,
        "expert_score": str(a.expert_score) if a.expert_score is not None else None,
        "submitted_at": a.submitted_at,
        "updated_at": a.updated_at,
    }


def _application_out(user, a: Application) -> dict:
    names = dict(Region.objects.filter(pk__in=[code for _, code in a.chain]).values_list("code", "name"))
    return {
        **_item(a),
        "chain": [
            {"level": level, "region": code, "region_name": names.get(code)} for level, code in a.chain
        ],
        "step": a.step,
        "returned_step": a.returned_step,
        "nominated_by_region": a.nominated_by_region_id,
        "form": a.form or {},
        "figures_years": services.figures_years(a),
        "declared_at": a.declared_at,
        "eligibility": a.eligibility or {},
        "decision_reason": a.decision_reason,
        "notice_id": a.notice_id,
        "promoted_from_id": a.promoted_from_id,
        "history": [
            {
                "action": e.action,
                "action_label": ACTION_LABELS.get(e.action, e.action),
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": _user_name(e.actor),
                "region": e.region_id,
                "reason": e.reason,
                "at": e.at,
            }
            for e in a.events.select_related("actor")
        ],
        "attachments": [_attachment_out(x) for x in a.attachments.select_related("uploaded_by")],
        "actions": [
            {
                "action": row.action,
                "label": ACTION_LABELS[row.action],
                "needs_reason": row.needs_reason,
                "endpoint": ACTION_ENDPOINTS.get(
                    row.action, "POST /api/v1/recognition/applications/{application_id}/actions"
                ),
            }
            for row in services.available_actions(user, a)
        ],
    }


def _attachment_out(x: Attachment) -> dict:
    return {
        "id": x.pk,
        "name": x.name,
        "content_type": x.content_type,
        "size": x.size,
        "sha256": x.sha256,
        "description": x.description,
        "field": x.field,
        "uploaded_by": _user_name(x.uploaded_by),
        "uploaded_at": x.uploaded_at,
    }


def _detail(user, pk) -> dict:
    return _application_out(user, selectors.application_get(user, pk))


class ApplicationQuery(PageQuery):
    state: str = Field("", description="状态代码（见 state）")
    programme: str = Field("", description="认定项目代码，如 growth-province")
    tier: str = Field("", description="梯队 id 或代码")
    year: int | None = Field(None, description="数据年度")


class QueueQuery(PageQuery):
    state: str = Field("", description="状态代码")
    programme: str = Field("", description="认定项目代码")
    tier: str = Field("", description="梯队 id 或代码")
    q: str = Field("", description="单位名称包含的文字，或统一社会信用代码")


class ApplicationStartIn(_In):
    tier_id: int = Field(description="申报的梯队 id（见 GET /api/v1/programmes）")
    year: int | str = Field(description="数据年度，如 2024")


class FormIn(_In):
    version: int = Field(description="所见的版本（lock_version）")
    form: dict[str, Any] = Field(
        default_factory=dict,
        description="申报表各字段的填写值，按字段代码（见 GET /applications/{id}/form-schema 的 JSON Schema；"
        "百分比填百分数，如 5 表示 5%；表格为行的列表；附件另行上传）。整张表替换：省略的项保存为空；"
        "成长梯队推荐登记表：main_products 主要产品（服务）、market_share 市场占有率、it_use 信息化应用、"
        "honours 所获荣誉、rd_note 研发情况、contact_person 联系人、contact_phone 联系电话",
    )
    figures: dict[int, dict[str, Number]] | None = Field(
        None, description="更正的年度数据 {年度: {指标: 值}}（万元；从业人员为人），记入修订记录"
    )
    declare: bool = Field(False, description="确认《真实性承诺》")
    confirm_warnings: bool = Field(
        False, description="年度数据的核实提示（如实缴税金高于营业收入）已核实无误时为 true"
    )


class ActIn(_In):
    action: str = Field(
        description="submit 提交 / resubmit 重新提交 / withdraw 撤回 / recommend 推荐上报 / select 审核通过 / "
        "send_to_experts 提交专家评审 / return 退回修改 / reject 不予推荐（公示、认定请用各自的接口）"
    )
    version: int = Field(description="所见的版本（lock_version）")
    reason: str = Field("", description="原因（退回、不予推荐时必填）")


class BulkActIn(_In):
    action: str = Field(description="同 POST /applications/{id}/actions 的 action")
    items: list[ItemIn] = Field(description="申报及各自所见的版本")
    reason: str = ""


class BulkOut(Schema):
    items: list[ApplicationItem]


class NominateIn(_In):
    tier_id: int
    year: int | str
    organisation_ids: list[int] = Field(description="被推荐的单位 id")
    run_id: int | None = Field(None, description="来源筛选记录 id（可选）")


class NominateOut(Schema):
    items: list[ApplicationItem]


@router.get("/applications", response={200: ApplicationPage, **ERRORS}, summary="申报列表（可见范围内）")
def application_list(request, query: Query[ApplicationQuery]):
    """当前用户可见的申报：省级全部，市县本辖区，企业本单位，专家只看分配给自己的。"""
    qs = selectors.applications_visible_to(request.auth)
    if query.state:
        qs = qs.filter(state=query.state)
    if query.programme:
        qs = qs.filter(programme__code=query.programme)
    if query.tier:
        qs = qs.filter(tier_id=query.tier) if query.tier.isdigit() else qs.filter(tier__code=query.tier)
    if query.year:
        qs = qs.filter(year=query.year)
    return _page(qs.order_by("-updated_at", "-id"), query, _item)


@router.get(
    "/applications/{int:application_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="申报详情（登记表、审核链、流转记录、附件、可办理的操作）",
)
def application_detail(request, application_id: int):
    return _detail(request.auth, application_id)


@router.get("/queue", response={200: ApplicationPage, **ERRORS}, summary="待办：等待本部门办理的申报")
def application_queue(request, query: Query[QueueQuery]):
    """主管部门的待办（最早提交的在前）。"""
    require(request.auth.role in BUREAU_ROLES, "只有主管部门工作人员有待办事项")
    qs = selectors.queue_for(
        request.auth, state=query.state, programme=query.programme, tier=query.tier, q=query.q
    )
    return _page(qs, query, _item)


@router.post(
    "/applications", response={201: ApplicationOut, **ERRORS}, summary="企业申报：新建推荐登记表（草稿）"
)
def application_create(request, payload: ApplicationStartIn):
    """企业用户为本企业新建申报（草稿），随后填写登记表并提交。"""
    tier = tier_get(payload.tier_id)
    application = services.application_start(actor=request.auth, tier=tier, year=payload.year)
    return Status(201, _detail(request.auth, application.pk))


@router.put(
    "/applications/{int:application_id}/form",
    response={200: ApplicationOut, **ACT_ERRORS},
    summary="填写/修改推荐登记表",
)
def application_form(request, application_id: int, payload: FormIn):
    """草稿或退回修改时保存登记表；年度数据的更正记入修订记录。版本过期返回 409。"""
    application = selectors.application_get(request.auth, application_id)
    services.application_update(
        actor=request.auth,
        application=application,
        expected_version=payload.version,
        form={k: ("" if v is None else v) for k, v in payload.form.items()},
        figures=payload.figures,
        declare=payload.declare,
        confirm_warnings=payload.confirm_warnings,
    )
    return _detail(request.auth, application_id)


class FormVersionOut(Schema):
    id: int
    programme: str = Field(description="认定项目代码")
    purpose: str = Field(description="application 申报表 / annual_report 年度报告表")
    number: int = Field(description="版本号")
    effective_year: int = Field(description="生效年度")
    title: str = Field(description="表名（接在认定项目名称之后）")


class FormSchemaOut(Schema):
    form_version: FormVersionOut | None = Field(description="申报所用的表单版本（无版本时为通用推荐登记表）")
    reference_year: int | None = Field(None, description="申报年度：预填与年度数据的参照年度")
    schema_: dict = Field(alias="schema", description="申报表的 JSON Schema（2020-12）")


def form_version_out(version) -> dict | None:
    if version is None:
        return None
    return {
        "id": version.pk,
        "programme": version.programme.code,
        "purpose": version.purpose,
        "number": version.number,
        "effective_year": version.effective_year,
        "title": version.title,
    }


@router.get(
    "/applications/{int:application_id}/form-schema",
    response={200: FormSchemaOut, **ERRORS},
    summary="申报所用申报表的 JSON Schema",
    by_alias=True,
)
def application_form_schema(request, application_id: int):
    """申报按其填报时的表单版本填写：各字段的类型、单位、选项、必填与显示条件（``x-show-if``），
    附件项（``x-attachments``）与年度数据（``x-figures``）。"""
    from smeplan.programmes import formdesign
    from smeplan.recognition import forms as application_forms

    application = selectors.application_get(request.auth, application_id)
    return {
        "form_version": form_version_out(application.form_version),
        "reference_year": application_forms.reference_year(application),
        "schema": formdesign.json_schema(application_forms.design_of(application)),
    }


@router.post(
    "/applications/{int:application_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="上传申报附件（PDF、PNG、JPEG）",
)
def attachment_create(
    request,
    application_id: int,
    file: File[UploadedFile | None] = None,
    description: Form[str] = "",
    field: Form[str] = "",
):
    """multipart/form-data：``file``（按内容识别类型，大小不超过上限），可选 ``description``；
    ``field``：申报表的附件项代码（见 form-schema 的 ``x-attachments``，按该项允许的类型和大小检查）。"""
    user = request.auth
    application = selectors.application_get(user, application_id)
    if file is None or file.size > services.attachment_max_bytes():
        require(services.is_applicant(user, application), "只有申报单位可以上传附件")
        if file is None:
            raise ValidationError({"file": ["请选择要上传的文件（multipart/form-data 的 file 字段）"]})
        limit = services.attachment_max_bytes()
        raise ValidationError(
            {
                "file": [
                    f"{file.name}：文件 {file.size / 1048576:.1f} MB，超过 {limit / 1048576:.0f} MB 的上限"
                ]
            }
        )
    attachment = services.attachment_add(
        actor=user,
        application=application,
        name=file.name,
        content=file.read(),
        description=description,
        field=field,
    )
    return Status(201, _attachment_out(attachment))


@router.delete(
    "/applications/{int:application_id}/attachments/{int:attachment_id}",
    response={204: None, **ERRORS},
    summary="删除申报附件",
)
def attachment_delete(request, application_id: int, attachment_id: int):
    application = selectors.application_get(request.auth, application_id)
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("附件不存在")
    services.attachment_remove(actor=request.auth, attachment=attachment)
    return Status(204, None)


@router.post(
    "/applications/{int:application_id}/actions",
    response={200: ApplicationOut, **ACT_ERRORS},
    summary="办理一项操作（提交、推荐、审核通过、退回、不予推荐…）",
)
def application_action(request, application_id: int, payload: ActIn):
    """按认定流程表办理。申报在此期间已被他人处理（版本不符）时返回 409，不做任何改动。"""
    application = selectors.application_get(request.auth, application_id)
    services.application_act(
        actor=request.auth,
        application=application,
        action=payload.action,
        expected_version=payload.version,
        reason=payload.reason,
    )
    return _detail(request.auth, application_id)


@router.post("/actions", response={200: BulkOut, **ERRORS}, summary="批量办理（全部办理或全部不办理）")
def applications_action(request, payload: BulkActIn):
    """同一操作办理多份申报；任何一份不能办理（含版本过期）时全部不办理，422 逐条列出原因。"""
    user = request.auth
    done = services.applications_act(
        actor=user, items=_pairs(payload.items), action=payload.action, reason=payload.reason
    )
    qs = selectors.applications_visible_to(user).filter(pk__in=[a.pk for a in done]).order_by("pk")
    return {"items": [_item(a) for a in qs]}


@router.post("/nominations", response={201: NominateOut, **ERRORS}, summary="主管部门推荐（批量）")
def applications_nominate(request, payload: NominateIn):
    """主管部门推荐本辖区单位（可来自一次筛选）；全部推荐或全部不推荐，422 逐个列出原因。"""
    user = request.auth
    tier = tier_get(payload.tier_id)
    run = run_get(user, payload.run_id) if payload.run_id is not None else None
    made = services.applications_nominate(
        actor=user, tier=tier, year=payload.year, organisation_ids=payload.organisation_ids, screening_run=run
    )
    qs = selectors.applications_visible_to(user).filter(pk__in=[a.pk for a in made]).order_by("pk")
    return Status(201, {"items": [_item(a) for a in qs]})


# --- experts -------------------------------------------------------------------------------------


class ExpertsIn(_In):
    expert_ids: list[int] = Field(description="评审专家的用户 id")


class AssignmentOut(Schema):
    id: int
    application_id: int
    organisation: str
    programme: str
    tier: str
    year: int
    application_state: str
    expert_id: int
    expert: str
    assigned_at: dt.datetime
    no_conflict_declared_at: dt.datetime | None = Field(description="无利益冲突声明时间（评分前必须声明）")
    rubric: list[dict] = Field(
        description="专家评分指标：[{code, label, max, basis}]，各项得分 0–max 分；"
        "未设评分细则版本的项目：[{code, label, weight, bands}]，各项 0–100 分"
    )
    conflict_declared_at: dt.datetime | None = Field(description="声明存在利益冲突（回避）的时间")
    scores: dict = Field(description="各项评分 {code: 分数}")
    score: str | None = Field(description="该专家的总分（按评分细则）或加权得分（旧式细则）")
    comment: str
    submitted_at: dt.datetime | None


class AssignmentList(Schema):
    items: list[AssignmentOut]


def _assignment_out(x: ExpertAssignment) -> dict:
    a = x.application
    return {
        "id": x.pk,
        "application_id": a.pk,
        "organisation": a.organisation.name,
        "programme": a.programme.name,
        "tier": a.tier.name,
        "year": a.year,
        "application_state": a.state,
        "expert_id": x.expert_id,
        "expert": str(x.expert),
        "assigned_at": x.assigned_at,
        "no_conflict_declared_at": x.no_conflict_declared_at,
        "rubric": _expert_items_out(a),
        "conflict_declared_at": x.conflict_declared_at,
        "scores": x.scores or {},
        "score": str(x.score) if x.score is not None else None,
        "comment": x.comment,
        "submitted_at": x.submitted_at,
    }


def _expert_items_out(application) -> list[dict]:
    items, design = services.expert_items(application)
    if design is None:
        return items
    return [
        {"code": i["code"], "label": i["label"], "max": i["max"], "basis": i.get("basis", "")} for i in items
    ]


class ScoresIn(_In):
    scores: dict[str, Number] = Field(description="{评分指标代码: 得分（0–该项满分）}")
    comment: str = Field("", description="评审意见")


def _assignment(user, pk: int) -> ExpertAssignment:
    assignment = selectors.expert_assignments_of(user).select_related("expert").filter(pk=pk).first()
    if assignment is None:
        raise Http404("评审任务不存在或不是分配给您的")
    return assignment


@router.post(
    "/applications/{int:application_id}/experts",
    response={201: AssignmentList, **ERRORS},
    summary="指派评审专家",
)
def experts_assign(request, application_id: int, payload: ExpertsIn):
    application = selectors.application_get(request.auth, application_id)
    made = services.experts_assign(actor=request.auth, application=application, expert_ids=payload.expert_ids)
    rows = ExpertAssignment.objects.select_related(
        "expert", "application__organisation", "application__programme", "application__tier"
    ).filter(pk__in=[x.pk for x in made])
    return Status(201, {"items": [_assignment_out(x) for x in rows]})


@router.get("/expert/assignments", response={200: AssignmentList, **ERRORS}, summary="我的评审任务（专家）")
def expert_assignments(request):
    require(request.auth.role == Role.EXPERT, "只有评审专家有评审任务")
    rows = (
        selectors.expert_assignments_of(request.auth).select_related("expert").order_by("-assigned_at", "-id")
    )
    return {"items": [_assignment_out(x) for x in rows]}


@router.post(
    "/expert/assignments/{int:assignment_id}/declaration",
    response={200: AssignmentOut, **ERRORS},
    summary="声明与该企业无利益冲突",
)
def expert_declaration(request, assignment_id: int):
    assignment = services.expert_declare(
        actor=request.auth, assignment=_assignment(request.auth, assignment_id)
    )
    return _assignment_out(_assignment(request.auth, assignment.pk))


@router.post(
    "/expert/assignments/{int:assignment_id}/scores",
    response={200: AssignmentOut, **ERRORS},
    summary="提交评分",
)
def expert_scores(request, assignment_id: int, payload: ScoresIn):
    assignment = _assignment(request.auth, assignment_id)
    services.expert_score(
        actor=request.auth, assignment=assignment, scores=payload.scores, comment=payload.comment
    )
    return _assignment_out(_assignment(request.auth, assignment_id))


class ConflictIn(_In):
    note: str = Field(description="利益冲突的情况（如：曾在该企业任职、存在投资关系）")


@router.post(
    "/expert/assignments/{int:assignment_id}/conflict",
    response={200: AssignmentOut, **ERRORS},
    summary="声明存在利益冲突（回避）",
)
def expert_conflict(request, assignment_id: int, payload: ConflictIn):
    """回避的专家不评分、不计入专家评分的汇总；主管部门可另行指派专家。评分提交后不能再声明。"""
    services.expert_conflict_declare(
        actor=request.auth, assignment=_assignment(request.auth, assignment_id), note=payload.note
    )
    return _assignment_out(_assignment(request.auth, assignment_id))


# --- scores (评分结果) -------------------------------------------------------------------------------


def _review(user) -> None:
    """The score pages' permission: active bureau users of a region."""
    require(
        user.is_authenticated and user.is_active and user.role in BUREAU_ROLES and bool(user.region_id),
        "只有主管部门可以查看和计算评分",
    )


class ScoreComputeIn(_In):
    call_id: int | None = Field(None, description="申报批次 id：计算该批次已提交的申报")
    programme: str = Field("", description="认定项目代码（与 year 一起）：计算该项目该年度已提交的申报")
    year: int | None = Field(None, description="申报年度（与 programme 一起）")
    application_ids: list[int] | None = Field(None, description="申报 id：计算这些申报")


class ScoreComputeOut(Schema):
    count: int = Field(description="计算了评分的申报件数")
    message: str


class ScoreLineOut(Schema):
    indicator: str = Field(description="指标")
    group: str = Field(description="所属维度（没有为空）")
    value: str = Field(description="数值（中文表述，如 5%、1200万元、数据不全）")
    band: str = Field(description="所在分档或计分方法")
    points: str = Field(description="得分")
    max: str = Field(description="满分")
    source: str = Field(description="数据来源")
    basis: str = Field(description="依据")
    state: str = Field(description="数据不全 / 无法计算 / 待专家评分；正常为空")


class ScoreRuleOut(Schema):
    kind: str = Field(description="排除情形 / 直通条件 / 基本条件")
    label: str
    test: str = Field(description="判断")
    result: str = Field(description="是 / 否 / 数据不全")
    basis: str


class ScoreGroupOut(Schema):
    label: str
    points: str
    max: str
    minimum: str
    reached: bool = Field(description="是否达到该维度最低分")
    basis: str


class ScoreItem(Schema):
    application_id: int
    organisation: OrganisationRef
    programme: str
    programme_name: str
    tier: str
    reference_year: int = Field(description="申报年度")
    rubric_version_id: int
    rubric_version: str = Field(description="评分细则（名称与版本）")
    automatic: str = Field(description="自动计分")
    expert: str = Field(description="专家评分")
    total: str = Field(description="总分")
    outcome: str = Field(description="评分结论（中文）")
    outcome_code: str = Field(
        description="excluded 不予认定 / direct_pass 直通 / basic_unmet 不符合基本条件 / passed 达到分数要求 / "
        "failed 未达到分数要求 / incomplete 数据不全 / awaiting_experts 待专家评分"
    )
    computed_at: dt.datetime


class ScorePage(Schema):
    items: list[ScoreItem]
    offset: int
    limit: int
    has_next: bool


class ScoreOut(ScoreItem):
    max_total: str
    pass_total: str = Field(description="通过分数线")
    convention: str = Field(description="分档区间约定")
    missing: list[str] = Field(description="数据不全的指标")
    lines: list[ScoreLineOut] = Field(description="逐项计分，顺序同评分细则")
    groups: list[ScoreGroupOut] = Field(description="各维度得分")
    rules: list[ScoreRuleOut] = Field(description="排除情形、直通条件、基本条件的判断")


class ScoreQuery(PageQuery):
    call: int | None = Field(None, description="申报批次 id")
    programme: str = Field("", description="认定项目代码")
    year: int | None = Field(None, description="申报年度")
    sort: str = Field(
        "total", description="total 总分从高到低 / -total 总分从低到高 / name 企业名称 / outcome 评分结论"
    )


def _score_item(s) -> dict:
    from smeplan.programmes import rubric

    a = s.application
    return {
        "application_id": a.pk,
        "organisation": _org(a.organisation),
        "programme": a.programme.code,
        "programme_name": a.programme.name,
        "tier": a.tier.name,
        "reference_year": s.reference_year,
        "rubric_version_id": s.rubric_version_id,
        "rubric_version": str(s.rubric_version),
        "automatic": rubric._num(s.automatic_points),
        "expert": rubric._num(s.expert_points),
        "total": rubric._num(s.total),
        "outcome": rubric.OUTCOME_NAMES.get(s.outcome, ""),
        "outcome_code": s.outcome,
        "computed_at": s.computed_at,
    }


def _score_out(s) -> dict:
    from smeplan.programmes.rubric import RULE_LISTS
    from smeplan.recognition.scoring import score_explanation

    text = score_explanation(s)
    groups = {g["code"]: g["label"] for g in s.rubric_version.design.get("groups", [])}
    return {
        **_score_item(s),
        "outcome": text["outcome"],
        "max_total": text["max_total"],
        "pass_total": text["pass_total"],
        "convention": text["convention"],
        "missing": text["missing"],
        "lines": [
            {
                "indicator": line["label"] + ("（省级特色指标）" if line.get("provincial") else ""),
                "group": groups.get(line.get("group"), ""),
                "value": str(line.get("value", "")),
                "band": str(line.get("band", "")),
                "points": line["points"],
                "max": line["max"],
                "source": line.get("source", ""),
                "basis": line.get("basis", ""),
                "state": line.get("state", ""),
            }
            for line in text["lines"]
        ],
        "groups": [
            {
                "label": g["label"],
                "points": g["points"],
                "max": g["max"],
                "minimum": g["minimum"],
                "reached": g["ok"],
                "basis": g["basis"],
            }
            for g in text["groups"]
        ],
        "rules": [
            {"kind": name, **{k: r[k] for k in ("label", "test", "result", "basis")}}
            for key, name in RULE_LISTS.items()
            for r in text["rules"].get(key, [])
        ],
    }


@router.post("/scores/compute", response={200: ScoreComputeOut, **ERRORS}, summary="计算评分（主管部门）")
def scores_compute(request, payload: ScoreComputeIn):
    """三选一：申报批次（``call_id``）、认定项目及年度（``programme`` + ``year``）或申报（``application_ids``）。
    只计算本辖区已提交的申报，按其批次的评分细则（或该年度施行的版本）计分，替换已存的评分。"""
    from smeplan.programmes.models import Programme
    from smeplan.recognition.calls import call_get
    from smeplan.recognition.scoring import applications_score

    user = request.auth
    _review(user)
    if payload.application_ids:
        ids = set(payload.application_ids)
        found = list(selectors.applications_visible_to(user).filter(pk__in=ids))
        if len(found) != len(ids):
            raise Http404("申报不存在或不在您的管辖范围内")
        count = applications_score(actor=user, applications=found)
    elif payload.call_id is not None:
        count = applications_score(actor=user, call=call_get(user, payload.call_id))
    elif payload.programme.strip():
        programme = Programme.objects.filter(code=payload.programme.strip()).first()
        if programme is None:
            raise Http404("认定项目不存在")
        if payload.year is None:
            raise ValidationError({"year": ["请填写申报年度（如 2024）"]})
        count = applications_score(actor=user, programme=programme, year=payload.year)
    else:
        raise ValidationError({"call_id": ["请选择要评分的申报、申报批次或认定项目及年度"]})
    return {"count": count, "message": f"已计算 {count} 件申报的评分"}


@router.get("/scores", response={200: ScorePage, **ERRORS}, summary="评分结果")
def score_list(request, query: Query[ScoreQuery]):
    """本辖区申报的评分结果，可按申报批次、认定项目、申报年度筛选；默认总分从高到低。"""
    user = request.auth
    _review(user)
    if query.sort not in selectors.SCORE_SORTS:
        raise ValidationError({"sort": ["排序只能是 total、-total、name 或 outcome"]})
    qs = selectors.scores_of(
        user, programme=query.programme.strip(), year=query.year, call=query.call, sort=query.sort
    )
    return _page(qs, query, _score_item)


@router.get(
    "/applications/{int:application_id}/score",
    response={200: ScoreOut, **ERRORS},
    summary="一件申报的评分及逐项说明",
)
def application_score(request, application_id: int):
    """与网页“评分明细”相同：结论、总分、逐项的数值、分档、得分、来源和依据；尚未评分返回 404。"""
    user = request.auth
    application = selectors.application_get(user, application_id)
    _review(user)
    score = selectors.scores_visible_to(user).filter(application=application).first()
    if score is None:
        raise Http404("该申报尚未计算评分")
    return _score_out(score)


# --- notices and objections ----------------------------------------------------------------------


class NoticeItem(Schema):
    id: int
    title: str
    programme: str = Field(description="认定项目名称")
    region: str = Field(description="公示部门（区划代码）")
    region_name: str
    starts_on: dt.date
    ends_on: dt.date = Field(description="公示截止日（含当日）")
    days: int
    phase: str = Field(description="not_started 未开始 / running 公示中 / ended 已结束")
    contact: str = Field(description="异议受理联系方式")


class NoticePage(Schema):
    items: list[NoticeItem]
    offset: int
    limit: int
    has_next: bool


class ObjectionOut(Schema):
    id: int
    application_id: int | None = Field(description="被异议的申报（更名公示时为空）")
    change_report_id: int | None = Field(None, description="被异议的更名报告（更名公示）")
    organisation: str
    name: str = Field(description="异议人姓名")
    phone: str
    text: str
    filed_at: dt.datetime
    state: str = Field(description="open 待处理 / upheld 异议成立 / dismissed 异议不成立")
    state_label: str
    resolution: str
    resolved_at: dt.datetime | None


class NoticeOut(NoticeItem):
    applications: list[ApplicationItem]
    objections: list[ObjectionOut]


class NoticeIn(_In):
    title: str = Field(description="公示标题")
    starts_on: str | None = Field(None, description="公示开始日期 YYYY-MM-DD（缺省为今天，不能早于今天）")
    days: int | str | None = Field(None, description="公示天数（1–60；缺省为项目的设置）")
    contact: str = Field("", description="异议受理联系方式")
    items: list[ItemIn] = Field(description="列入公示的申报（待公示状态）及各自的版本")


class ResolutionIn(_In):
    upheld: bool = Field(description="true 异议成立（该申报不予认定）/ false 异议不成立")
    resolution: str = Field(description="处理意见")


def _notice_item(n: PublicNotice) -> dict:
    return {
        "id": n.pk,
        "title": n.title,
        "programme": n.programme.name,
        "region": n.region_id,
        "region_name": n.region.name,
        "starts_on": n.starts_on,
        "ends_on": n.ends_on,
        "days": n.days,
        "phase": n.phase(clock.today()),
        "contact": n.contact,
    }


def _objection_out(o: Objection) -> dict:
    return {
        "id": o.pk,
        "application_id": o.application_id,
        "change_report_id": o.change_report_id,
        "organisation": o.application.organisation.name
        if o.application_id
        else o.change_report.certification.organisation_name,
        "name": o.name,
        "phone": o.phone,
        "text": o.text,
        "filed_at": o.filed_at,
        "state": o.state,
        "state_label": str(o.get_state_display()),
        "resolution": o.resolution,
        "resolved_at": o.resolved_at,
    }


def _notice_out(user, notice: PublicNotice) -> dict:
    applications = (
        selectors.applications_visible_to(user).filter(notice=notice).order_by("tier__position", "id")
    )
    return {
        **_notice_item(notice),
        "applications": [_item(a) for a in applications],
        "objections": [_objection_out(o) for o in selectors.objections_of(notice)],
    }


@router.get("/notices", response={200: NoticePage, **ERRORS}, summary="公示（主管部门）")
def notice_list(request, query: Query[PageQuery]):
    require(request.auth.role in REGION_ROLES, "只有主管部门可以查看公示管理")
    return _page(selectors.notices_visible_to(request.auth), query, _notice_item)


@router.post("/notices", response={201: NoticeOut, **ERRORS}, summary="发布公示")
def notice_create(request, payload: NoticeIn):
    """把待公示的申报列入公示（全部列入或全部不列入）；日期、天数有误时 422，不保存任何数据。"""
    user = request.auth
    notice = services.notice_publish(
        actor=user,
        items=_pairs(payload.items),
        title=payload.title,
        starts_on=payload.starts_on,
        days=payload.days,
        contact=payload.contact,
    )
    return Status(201, _notice_out(user, selectors.notice_get(user, notice.pk)))


@router.get("/notices/{int:notice_id}", response={200: NoticeOut, **ERRORS}, summary="公示详情（名单与异议）")
def notice_detail(request, notice_id: int):
    return _notice_out(request.auth, selectors.notice_get(request.auth, notice_id))


@router.post(
    "/objections/{int:objection_id}/resolution",
    response={200: ObjectionOut, **ACT_ERRORS},
    summary="处理异议",
)
def objection_resolution(request, objection_id: int, payload: ResolutionIn):
    """异议成立时该申报不予认定（原因为处理意见）；不成立时仍在公示中。"""
    user = request.auth
    objection = (
        Objection.objects.select_related("application__organisation")
        .filter(pk=objection_id, notice__in=selectors.notices_visible_to(user))
        .first()
    )
    if objection is None:
        raise Http404("异议不存在或不在您的管辖范围内")
    services.objection_resolve(
        actor=user, objection=objection, upheld=payload.upheld, resolution=payload.resolution
    )
    objection.refresh_from_db()
    return _objection_out(objection)


# --- public (no login) ---------------------------------------------------------------------------


class PublicNoticeItem(Schema):
    id: int
    title: str
    programme: str
    region_name: str = Field(description="公示部门")
    starts_on: dt.date
    ends_on: dt.date
    days: int
    phase: str = Field(description="not_started 未开始 / running 公示中 / ended 已结束")
    contact: str
    count: int = Field(description="公示的企业数")


class PublicNoticePage(Schema):
    items: list[PublicNoticeItem]
    offset: int
    limit: int
    has_next: bool


class PublicRow(Schema):
    id: int | str = Field(description="申报 id；更名公示为 rename-<更名报告 id>（提出异议时使用）")
    name: str = Field(description="单位名称")
    county: str = Field(description="所在区县")
    tier: str = Field(description="梯队")


class PublicNoticeOut(Schema):
    id: int
    title: str
    programme: str
    region_name: str
    starts_on: dt.date
    ends_on: dt.date
    days: int
    phase: str
    contact: str
    rows: list[PublicRow]


class ObjectionIn(_In):
    application_id: int | str = Field(
        description="被异议企业在公示名单中的 id（更名公示：rename-<更名报告 id>）"
    )
    name: str = Field(description="异议人真实姓名")
    phone: str = Field(description="联系电话")
    text: str = Field(description="异议内容和理由（至少10个字）")


class ObjectionFiledOut(Schema):
    id: int
    filed_at: dt.datetime
    message: str


class CertifiedRow(Schema):
    name: str = Field(description="认定时的单位名称")
    county: str
    programme: str
    tier: str
    title: str = Field(description="称号")
    document_number: str = Field(description="认定文号")
    certified_on: dt.date


class CertifiedPage(Schema):
    items: list[CertifiedRow]
    offset: int
    limit: int
    has_next: bool


class CertifiedQuery(PageQuery):
    programme: str = Field("", description="认定项目代码")
    tier: str = Field("", description="梯队代码")
    year: str = Field("", description="认定年份")


def _public_notice(n: PublicNotice) -> dict:
    return {
        "id": n.pk,
        "title": n.title,
        "programme": n.programme.name,
        "region_name": n.region.name,
        "starts_on": n.starts_on,
        "ends_on": n.ends_on,
        "days": n.days,
        "phase": n.phase(clock.today()),
        "contact": n.contact,
    }


def _client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR") or "unknown"
    return address


def _rate_limit(request) -> None:
    """At most OBJECTIONS_PER_HOUR objections per client address and hour (Django's cache)."""
    key = "recognition:objections:" + hashlib.sha256(_client_key(request).encode()).hexdigest()
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > OBJECTIONS_PER_HOUR:
        raise HttpError(429, RATE_MESSAGE.format(n=OBJECTIONS_PER_HOUR))


@router.get(
    "/public/notices",
    auth=None,
    tags=PUBLIC_TAGS,
    response={200: PublicNoticePage},
    summary="公示公告（无需登录）",
)
def public_notice_list(request, query: Query[PageQuery]):
    return _page(selectors.public_notices(), query, lambda n: {**_public_notice(n), "count": n.n})


@router.get(
    "/public/notices/{int:notice_id}",
    auth=None,
    tags=PUBLIC_TAGS,
    response={200: PublicNoticeOut, **PUBLIC_ERRORS},
    summary="公示名单（单位名称、区县、梯队）",
)
def public_notice_detail(request, notice_id: int):
    notice = selectors.public_notice_get(notice_id)
    return {**_public_notice(notice), "rows": selectors.public_notice_rows(notice)}


@router.post(
    "/public/notices/{int:notice_id}/objections",
    auth=None,
    tags=PUBLIC_TAGS,
    response={201: ObjectionFiledOut, **PUBLIC_ERRORS, 429: ErrorOut},
    summary="提出异议（实名，无需登录）",
)
def public_objection(request, notice_id: int, payload: ObjectionIn):
    """公示期内实名提出异议。同一来源每小时最多 5 条，超过时返回 429。"""
    notice = selectors.public_notice_get(notice_id)
    _rate_limit(request)
    target = str(payload.application_id)
    rename = target.startswith("rename-")
    objection = services.objection_file(
        notice=notice,
        application_id=None if rename else target,
        change_report_id=target.removeprefix("rename-") if rename else None,
        name=payload.name,
        phone=payload.phone,
        text=payload.text,
        client=_client_key(request),
    )
    return Status(
        201, {"id": objection.pk, "filed_at": objection.filed_at, "message": "异议已提交，公示部门将核实处理"}
    )


@router.get(
    "/public/certified",
    auth=None,
    tags=PUBLIC_TAGS,
    response={200: CertifiedPage, **PUBLIC_ERRORS},
    summary="认定名单（公布，无需登录）",
)
def public_certified(request, query: Query[CertifiedQuery]):
    qs = selectors.published_certifications(programme=query.programme, tier=query.tier, year=query.year)
    return _page(
        qs,
        query,
        lambda c: {
            "name": c.organisation_name,
            "county": c.organisation.county.name,
            "programme": c.programme.name,
            "tier": c.tier.name,
            "title": c.title,
            "document_number": c.document_number,
            "certified_on": c.certified_on,
        },
    )


# --- certifications and changes ------------------------------------------------------------------


class CertificationItem(Schema):
    id: int
    organisation: OrganisationRef
    organisation_name: str = Field(description="认定时的单位名称")
    programme: str
    programme_name: str
    tier: str
    level: str
    region: str = Field(description="认定部门（区划代码）")
    region_name: str
    document_number: str
    certified_on: dt.date
    title: str
    valid_until: dt.date | None
    next_review_on: dt.date | None
    last_reviewed_on: dt.date | None
    review_note: str
    state: str = Field(
        description="active 有效 / terminated 已终止 / superseded 已晋级或重新认定 / expired 已到期"
    )
    state_label: str
    ended_on: dt.date | None
    termination_reason: str
    termination_document: str
    termination_note: str
    application_id: int | None
    previous_id: int | None


class CertificationPage(Schema):
    items: list[CertificationItem]
    offset: int
    limit: int
    has_next: bool


class HistoryItem(Schema):
    id: int
    programme_name: str
    tier: str
    title: str
    organisation_name: str
    document_number: str
    certified_on: dt.date
    state: str
    state_label: str
    ended_on: dt.date | None


class ChangeReportOut(Schema):
    id: int
    certification_id: int
    kind: str = Field(
        description="merger 并购 / restructuring 重组 / transfer 转让 / rename 更名 / other 其他"
    )
    kind_label: str
    description: str
    new_name: str
    state: str = Field(
        description="reported 待核查 / confirmed 市级已确认待重新认定 / kept 保留资格 / terminated 终止资格 / "
        "recertified 已重新认定"
    )
    state_label: str
    recheck: dict = Field(description="按现有数据重新核验认定条件的结果")
    reported_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


class CertificationOut(CertificationItem):
    history: list[HistoryItem] = Field(description="认定沿革（晋级、重新认定），最早的在前")
    changes: list[ChangeReportOut] = Field(description="重大变化报告")


class CertificationQuery(PageQuery):
    state: str = Field("", description="状态代码")
    programme: str = Field("", description="认定项目代码")
    tier: str = Field("", description="梯队代码")
    year: int | None = Field(None, description="认定年份")
    q: str = Field("", description="单位名称包含的文字")


class CertifyIn(_In):
    document_number: str = Field(description="认定文号，如 陕中小企发〔2026〕12号")
    certified_on: str | None = Field(None, description="认定日期 YYYY-MM-DD（缺省为今天）")
    items: list[ItemIn]


class ReviewIn(_In):
    passed: bool = Field(description="true 复核通过予以确认 / false 不合格终止资格")
    note: str = Field(description="复核意见")
    document_number: str = Field("", description="不合格时必填：终止文号")


class TerminateIn(_In):
    reason: str = Field(
        description="criteria 不再符合认定条件 / false_information 提供虚假信息 / major_change 重大变化 / "
        "voluntary 主动退出 / evaluation 年度测评末位"
    )
    document_number: str = Field(description="终止文号")
    ended_on: str | None = Field(None, description="终止日期 YYYY-MM-DD（缺省为今天）")
    note: str = ""


class PromoteIn(_In):
    year: int | str = Field(description="晋级申报的数据年度")


class ChangeIn(_In):
    kind: str = Field(description="merger / restructuring / transfer / rename / other")
    description: str = Field(description="变化情况（至少5个字）")
    new_name: str = Field("", description="更名时的新名称")


class DecisionIn(_In):
    keep: bool = Field(description="true 保留资格 / false 终止资格（须填终止文号）")
    note: str = Field(description="处理意见")
    document_number: str = ""


class ConfirmIn(_In):
    note: str = ""


class RecertifyIn(_In):
    document_number: str
    certified_on: str | None = None


class CertifyOut(Schema):
    items: list[CertificationItem]


class MixOut(Schema):
    below: int = Field(description="规模以下（限额以下，非“四上”）企业数")
    above: int = Field(description="“四上”企业数")
    unknown: int = Field(description="“四上”情况未知的企业数（计入总数、不计入规模以下）")
    total: int
    share: str | None = Field(description="规模以下 ÷ 总数（小数，4 位）；名单为空为 null")


class CompositionImpactOut(Schema):
    programme: str = Field(description="认定项目代码（该层级的梯队名单）")
    list: str = Field(description="名单，如“县级梯队（雁塔区）”")
    min_share: str = Field(description="规模以下企业应占的最低比例（小数）")
    before: MixOut
    added: int = Field(description="本批新增到名单的企业数")
    after: MixOut
    warns: bool = Field(description="认定后低于最低比例")
    needed: int = Field(description="须再有多少家规模以下企业认定才能达到最低比例")
    message: str = Field(description="提醒（中文）；不提醒时为空")


class CertifyCheckIn(_In):
    items: list[ItemIn]


def _mix(mix) -> dict:
    share = mix.share
    return {
        "below": mix.below,
        "above": mix.above,
        "unknown": mix.unknown,
        "total": mix.total,
        "share": None if share is None else f"{share.numerator / share.denominator:.4f}",
    }


def _certification_item(c: Certification) -> dict:
    return {
        "id": c.pk,
        "organisation": _org(c.organisation),
        "organisation_name": c.organisation_name,
        "programme": c.programme.code,
        "programme_name": c.programme.name,
        "tier": c.tier.name,
        "level": c.level,
        "region": c.region_id,
        "region_name": c.region.name,
        "document_number": c.document_number,
        "certified_on": c.certified_on,
        "title": c.title,
        "valid_until": c.valid_until,
        "next_review_on": c.next_review_on,
        "last_reviewed_on": c.last_reviewed_on,
        "review_note": c.review_note,
        "state": c.state,
        "state_label": str(c.get_state_display()),
        "ended_on": c.ended_on,
        "termination_reason": c.termination_reason,
        "termination_document": c.termination_document,
        "termination_note": c.termination_note,
        "application_id": c.application_id,
        "previous_id": c.previous_id,
    }


def _change_out(r: ChangeReport) -> dict:
    return {
        "id": r.pk,
        "certification_id": r.certification_id,
        "kind": r.kind,
        "kind_label": str(r.get_kind_display()),
        "description": r.description,
        "new_name": r.new_name,
        "state": r.state,
        "state_label": str(r.get_state_display()),
        "recheck": r.recheck or {},
        "reported_at": r.reported_at,
        "decided_at": r.decided_at,
        "decision_note": r.decision_note,
    }


def _certification_out(user, pk) -> dict:
    c = selectors.certification_get(user, pk)
    return {
        **_certification_item(c),
        "history": [
            {
                "id": h.pk,
                "programme_name": h.programme.name,
                "tier": h.tier.name,
                "title": h.title,
                "organisation_name": h.organisation_name,
                "document_number": h.document_number,
                "certified_on": h.certified_on,
                "state": h.state,
                "state_label": str(h.get_state_display()),
                "ended_on": h.ended_on,
            }
            for h in selectors.certification_history(c)
        ],
        "changes": [_change_out(r) for r in c.change_reports.all()],
    }


def _change(user, pk: int) -> ChangeReport:
    report = selectors.change_reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404("重大变化报告不存在或不在您的管辖范围内")
    return report


@router.post(
    "/certifications", response={201: CertifyOut, **ERRORS}, summary="认定（公示期满、无待处理异议）"
)
def certify(request, payload: CertifyIn):
    """以一个认定文号认定多份申报（全部认定或全部不认定，422 逐条列出原因）。认定前可先调用
    ``POST /certifications/check`` 查看本批对梯队构成（规模以下企业占比）的影响。"""
    user = request.auth
    made = services.applications_certify(
        actor=user,
        items=_pairs(payload.items),
        document_number=payload.document_number,
        certified_on=payload.certified_on,
    )
    qs = selectors.certifications_visible_to(user).filter(pk__in=[c.pk for c in made]).order_by("pk")
    return Status(201, {"items": [_certification_item(c) for c in qs]})


@router.post(
    "/certifications/check",
    response={200: list[CompositionImpactOut], **ERRORS},
    summary="认定前检查梯队构成（规模以下企业占比）",
)
def certify_check(request, payload: CertifyCheckIn):
    """认定前调用：本批认定对各层级梯队名单中规模以下（限额以下）企业占比的影响（认定前后的占比、
    须再有多少家规模以下企业）。只提醒，不阻止认定；不写入任何数据。"""
    impacts = composition.certify_check(
        user=request.auth, ids=[i.id for i in payload.items], day=clock.today()
    )
    return [
        {
            "programme": i.programme,
            "list": i.label,
            "min_share": f"{i.rule.min_percent / 100:.4f}",
            "before": _mix(i.before),
            "added": i.added,
            "after": _mix(i.after),
            "warns": i.warns,
            "needed": i.needed,
            "message": i.message if i.warns else "",
        }
        for i in impacts
    ]


@router.get("/certifications", response={200: CertificationPage, **ERRORS}, summary="认定记录（可见范围内）")
def certification_list(request, query: Query[CertificationQuery]):
    qs = selectors.certifications_visible_to(request.auth)
    if query.state:
        qs = qs.filter(state=query.state)
    if query.programme:
        qs = qs.filter(programme__code=query.programme)
    if query.tier:
        qs = qs.filter(tier__code=query.tier)
    if query.year:
        qs = qs.filter(certified_on__year=query.year)
    if query.q:
        qs = qs.filter(organisation_name__contains=query.q)
    return _page(qs.order_by("-certified_on", "-id"), query, _certification_item)


@router.get(
    "/certifications/{int:certification_id}",
    response={200: CertificationOut, **ERRORS},
    summary="认定详情（沿革与重大变化）",
)
def certification_detail(request, certification_id: int):
    return _certification_out(request.auth, certification_id)


@router.post(
    "/certifications/{int:certification_id}/termination",
    response={200: CertificationOut, **ERRORS},
    summary="终止资格",
)
def certification_termination(request, certification_id: int, payload: TerminateIn):
    """认定部门以原因和文号终止资格；此后该单位在项目规定的年限内不再受理申报。"""
    user = request.auth
    services.certification_terminate(
        actor=user,
        certification=selectors.certification_get(user, certification_id),
        reason=payload.reason,
        document_number=payload.document_number,
        note=payload.note,
        ended_on=payload.ended_on,
    )
    return _certification_out(user, certification_id)


@router.post(
    "/certifications/{int:certification_id}/review",
    response={200: CertificationOut, **ERRORS},
    summary="复核（通过予以确认 / 不合格终止资格）",
)
def certification_review(request, certification_id: int, payload: ReviewIn):
    """实行定期复核的项目（如转型升级示范企业每 3 年复核一次）：认定部门提交复核结果。"""
    user = request.auth
    services.certification_review(
        actor=user,
        certification=selectors.certification_get(user, certification_id),
        passed=payload.passed,
        note=payload.note,
        document_number=payload.document_number,
    )
    return _certification_out(user, certification_id)


@router.post(
    "/certifications/{int:certification_id}/promotion",
    response={201: ApplicationOut, **ERRORS},
    summary="推荐晋级（上一级同梯队）",
)
def certification_promotion(request, certification_id: int, payload: PromoteIn):
    user = request.auth
    application = services.certification_promote(
        actor=user, certification=selectors.certification_get(user, certification_id), year=payload.year
    )
    return Status(201, _detail(user, application.pk))


@router.post(
    "/certifications/{int:certification_id}/changes",
    response={201: ChangeReportOut, **ERRORS},
    summary="报告重大变化（并购、重组、转让、更名）",
)
def certification_change(request, certification_id: int, payload: ChangeIn):
    user = request.auth
    report = services.change_report_file(
        actor=user,
        certification=selectors.certification_get(user, certification_id),
        kind=payload.kind,
        description=payload.description,
        new_name=payload.new_name,
    )
    return Status(201, _change_out(report))


@router.post(
    "/changes/{int:change_id}/decision",
    response={200: ChangeReportOut, **ERRORS},
    summary="重大变化：保留或终止资格",
)
def change_decision(request, change_id: int, payload: DecisionIn):
    user = request.auth
    report = services.change_report_decide(
        actor=user,
        report=_change(user, change_id),
        keep=payload.keep,
        note=payload.note,
        document_number=payload.document_number,
    )
    return _change_out(report)


@router.post(
    "/changes/{int:change_id}/confirmation",
    response={200: ChangeReportOut, **ERRORS},
    summary="更名：市级确认",
)
def change_confirmation(request, change_id: int, payload: ConfirmIn):
    user = request.auth
    return _change_out(
        services.rename_confirm(actor=user, report=_change(user, change_id), note=payload.note)
    )


@router.post(
    "/changes/{int:change_id}/recertification",
    response={201: CertificationOut, **ERRORS},
    summary="更名：按新名称重新认定",
)
def change_recertification(request, change_id: int, payload: RecertifyIn):
    user = request.auth
    new = services.rename_recertify(
        actor=user,
        report=_change(user, change_id),
        document_number=payload.document_number,
        certified_on=payload.certified_on,
    )
    return Status(201, _certification_out(user, new.pk))


# --- notifications -------------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    url: str = Field(description="相关网页的地址")
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    offset: int
    limit: int
    has_next: bool
    unread: int = Field(description="未读通知数")


class NotificationQuery(PageQuery):
    unread: bool = Field(False, description="只看未读")


class ReadIn(_In):
    ids: list[int] | None = Field(None, description="标为已读的通知 id；省略为全部")


class ReadOut(Schema):
    marked: int = Field(description="本次标为已读的条数")


def _notification_out(n: Notification) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "title": n.title,
        "url": n.url,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get("/notifications", response={200: NotificationPage, **ERRORS}, summary="我的通知")
def notification_list(request, query: Query[NotificationQuery]):
    qs = selectors.notifications_of(request.auth, unread_only=query.unread)
    return {
        **_page(qs.order_by("-created_at", "-id"), query, _notification_out),
        "unread": selectors.unread_count(request.auth),
    }


@router.post("/notifications/read", response={200: ReadOut, **ERRORS}, summary="标为已读")
def notification_read(request, payload: ReadIn):
    return {"marked": services.notifications_mark_read(actor=request.auth, ids=payload.ids)}
