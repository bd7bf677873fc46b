"""数据填报任务 in the API: the scoped list and one task, 暂存 / 提交 (the firm, or a bureau over it),
通过 / 退回 (a bureau over the task's county) and, for a city's own platform, the push of many firms'
answers at once (``POST /campaigns/{campaign_id}/answers``, all or nothing) — through the same
services as the pages (``campaigns.answers``). A stale ``lock_version`` is 409; tasks outside the
caller's scope are 404."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from smeplan.api.schemas import ERRORS, ErrorOut
from smeplan.campaigns import answers as services
from smeplan.campaigns import selectors
from smeplan.campaigns.models import CampaignTask, TaskState

router = Router(tags=["数据填报"])
ACT_ERRORS = {**ERRORS, 409: ErrorOut}


class TaskQuery(Schema):
    offset: int = Field(0, ge=0, description="跳过的条数")
    limit: int = Field(50, ge=1, le=200, description="每页条数（1–200）")
    state: str = Field(
        "", description="pending 待填报 / submitted 已提交 / accepted 已通过 / returned 已退回"
    )
    campaign: int | None = Field(None, description="填报批次 id")


class TaskOut(Schema):
    id: int
    campaign_id: int
    campaign: str = Field(description="填报批次名称")
    year: int = Field(description="数据年度")
    content: str = Field(description="figures 标准年度数据 / form 表单")
    form_version_id: int | None
    opens_on: dt.date
    deadline: dt.date
    organisation_id: int
    organisation: str
    credit_code: str
    county: str
    state: str = Field(description="pending 待填报 / submitted 已提交 / accepted 已通过 / returned 已退回")
    state_label: str
    overdue: bool = Field(description="逾期：截止日期已过仍未提交")
    late: bool = Field(description="逾期提交：截止日期后提交")
    answers: dict = Field(description="填报内容（标准年度数据：数据项 → 万元文本；表单：字段代码 → 值）")
    warnings: list = Field(description="企业已确认的核实提示")
    explanation: str
    comment: str = Field(description="审核意见")
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    lock_version: int = Field(description="版本：每次操作须提交所见的版本，过期则返回 409")
    actions: list[str] = Field(description="调用者可以执行的操作：save / submit / accept / return")


class TaskPage(Schema):
    items: list[TaskOut]
    offset: int
    limit: int
    has_next: bool


class SaveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answers: dict = Field(description="填报内容（暂存只检查类型）")
    lock_version: int


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answers: dict
    confirm_warnings: bool = Field(False, description="确认核实提示无误（须同时填写情况说明）")
    explanation: str = Field("", description="情况说明")
    lock_version: int


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")
    lock_version: int
    comment: str = Field("", description="审核意见（可选）")


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")
    lock_version: int
    comment: str = Field(description="退回意见（必填）")


class PushRow(Schema):
    model_config = ConfigDict(extra="forbid")
    credit_code: str = Field(description="统一社会信用代码")
    answers: dict
    submit: bool = Field(False, description="暂存后直接提交")
    confirm_warnings: bool = False
    explanation: str = ""


class PushIn(Schema):
    model_config = ConfigDict(extra="forbid")
    rows: list[PushRow]


class PushProblem(Schema):
    row: int = Field(description="行号（从 0 起）")
    credit_code: str
    field: str
    message: str


class PushRefusedOut(Schema):
    detail: str
    errors: dict
    rows: list[PushProblem]


class PushOut(Schema):
    count: int
    tasks: list[TaskOut]


def _out(user, t: CampaignTask) -> dict:
    c = t.campaign
    return {
        "id": t.pk,
        "campaign_id": c.pk,
        "campaign": c.title,
        "year": c.year,
        "content": c.content,
        "form_version_id": c.form_version_id,
        "opens_on": c.opens_on,
        "deadline": c.deadline,
        "organisation_id": t.organisation_id,
        "organisation": t.organisation.name,
        "credit_code": t.organisation.credit_code,
        "county": t.county.name,
        "state": t.state,
        "state_label": str(t.get_state_display()),
        "overdue": t.state in selectors.OPEN_TASK_STATES and c.deadline < services.clock.today(),
        "late": services.is_late(t),
        "answers": t.answers or {},
        "warnings": t.warnings or [],
        "explanation": t.explanation,
        "comment": t.comment,
        "submitted_at": t.submitted_at,
        "decided_at": t.decided_at,
        "lock_version": t.lock_version,
        "actions": services.actions_for(user, t),
    }


def _get(user, task_id: int) -> CampaignTask:
    return selectors.task_get(user, task_id)


@router.get("/tasks", response={200: TaskPage, **ERRORS}, summary="填报任务（本单位的或辖区内的）")
def task_list(request, query: Query[TaskQuery]):
    user = request.auth
    qs = selectors.tasks_visible_to(user).select_related("campaign", "organisation", "county")
    if query.state in TaskState.values:
        qs = qs.filter(state=query.state)
    if query.campaign:
        qs = qs.filter(campaign_id=query.campaign)
    rows = list(qs.order_by("-campaign__deadline", "id")[query.offset : query.offset + query.limit + 1])
    return {
        "items": [_out(user, t) for t in rows[: query.limit]],
        "offset": query.offset,
        "limit": query.limit,
        "has_next": len(rows) > query.limit,
    }


@router.get("/tasks/{int:task_id}", response={200: TaskOut, **ERRORS}, summary="一项填报任务")
def task_detail(request, task_id: int):
    user = request.auth
    return _out(user, _get(user, task_id))


@router.put("/tasks/{int:task_id}/answers", response={200: TaskOut, **ACT_ERRORS}, summary="暂存填报内容")
def task_save(request, task_id: int, payload: SaveIn):
    user = request.auth
    task = services.task_save(
        actor=user, task=_get(user, task_id), answers=payload.answers, lock_version=payload.lock_version
    )
    return _out(user, _get(user, task.pk))


@router.post("/tasks/{int:task_id}/submit", response={200: TaskOut, **ACT_ERRORS}, summary="提交填报")
def task_submit(request, task_id: int, payload: SubmitIn):
    user = request.auth
    task = services.task_submit(
        actor=user,
        task=_get(user, task_id),
        answers=payload.answers,
        confirm_warnings=payload.confirm_warnings,
        explanation=payload.explanation,
        lock_version=payload.lock_version,
    )
    return _out(user, _get(user, task.pk))


@router.post(
    "/tasks/{int:task_id}/accept",
    response={200: TaskOut, **ACT_ERRORS},
    summary="审核通过（数据写入年度数据）",
)
def task_accept(request, task_id: int, payload: AcceptIn):
    user = request.auth
    task = services.task_accept(
        actor=user, task=_get(user, task_id), lock_version=payload.lock_version, comment=payload.comment
    )
    return _out(user, _get(user, task.pk))


@router.post("/tasks/{int:task_id}/return", response={200: TaskOut, **ACT_ERRORS}, summary="退回（附意见）")
def task_return(request, task_id: int, payload: ReturnIn):
    user = request.auth
    task = services.task_return(
        actor=user, task=_get(user, task_id), comment=payload.comment, lock_version=payload.lock_version
    )
    return _out(user, _get(user, task.pk))


@router.post(
    "/{int:campaign_id}/answers",
    response={200: PushOut, 422: PushRefusedOut, **{k: v for k, v in ERRORS.items() if k != 422}},
    summary="报送多家企业的填报内容（市级平台；全部成功或全部不执行）",
)
def campaign_answers(request, campaign_id: int, payload: PushIn):
    user = request.auth
    campaign = selectors.campaigns_visible_to(user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("填报批次不存在或不在您的管辖范围内")
    try:
        tasks = services.campaign_answers_push(
            actor=user, campaign=campaign, rows=[row.model_dump() for row in payload.rows]
        )
    except services.PushRefused as e:
        return Status(
            422,
            {
                "detail": f"报送未执行：{len(e.rows)} 处问题，请修改后整批重新报送",
                "errors": e.message_dict,
                "rows": e.rows,
            },
        )
    fresh = (
        selectors.tasks_visible_to(user)
        .filter(pk__in=[t.pk for t in tasks])
        .select_related("campaign", "organisation", "county")
    )
    return {"count": len(tasks), "tasks": [_out(user, t) for t in fresh]}
