"""年度报告与复核任务 in the API (``/api/v1/recognition/obligations``): the scoped list (an enterprise
sees its own), submitting (the enterprise) and reviewing (the certifying bureau) through the same
services as the pages (``recognition.obligations``)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from smeplan.api.schemas import ERRORS
from smeplan.recognition import clock, obligations
from smeplan.recognition.models import Obligation, ObligationKind, ObligationState

router = Router(tags=["年度报告与复核"])


class ObligationQuery(Schema):
    offset: int = Field(0, ge=0, description="跳过的条数")
    limit: int = Field(50, ge=1, le=200, description="每页条数（1–200）")
    show: str = Field("", description="open 未完成 / overdue 逾期 / due_soon 30天内到期 / submitted 待审核")
    kind: str = Field("", description="re_review 复核 / annual_report 年度报告")
    programme: str = Field("", description="认定项目代码")
    period: int | None = Field(None, description="年度（年度报告所报告的年度，复核所在年度）")


class ObligationOut(Schema):
    id: int
    certification_id: int
    organisation: str = Field(description="企业名称（认定时）")
    credit_code: str
    county: str
    programme: str
    title: str = Field(description="称号")
    kind: str = Field(description="re_review 复核 / annual_report 年度报告")
    kind_label: str
    period: int
    due_on: dt.date
    state: str = Field(
        description="pending 待提交 / submitted 已提交 / passed 已通过 / failed 未通过 / overdue 逾期 / cancelled 已取消"
    )
    state_label: str
    form_version_id: int | None = Field(description="年度报告表版本（其 JSON Schema 见申报表接口）")
    answers: dict
    statement: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    review_note: str
    reminders_sent: int
    overdue_reminders: int
    actions: list[str] = Field(description="调用者可以执行的操作：submit / accept / return / fail")


class ObligationPage(Schema):
    items: list[ObligationOut]
    offset: int
    limit: int
    has_next: bool


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answers: dict = Field(default_factory=dict, description="年度报告表的填报内容（按字段代码）")
    statement: str = Field("", description="情况说明（没有报告表时必填）")


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: str = Field(
        description="accept 通过 / return 退回补正（年度报告） / fail 复核不合格（生成撤销建议）"
    )
    note: str = Field(description="审核意见")


def _out(user, o: Obligation) -> dict:
    c = o.certification
    return {
        "id": o.pk,
        "certification_id": c.pk,
        "organisation": c.organisation_name,
        "credit_code": c.organisation.credit_code,
        "county": c.organisation.county.name,
        "programme": c.programme.name,
        "title": c.title,
        "kind": o.kind,
        "kind_label": str(o.get_kind_display()),
        "period": o.period,
        "due_on": o.due_on,
        "state": o.state,
        "state_label": str(o.get_state_display()),
        "form_version_id": o.form_version_id,
        "answers": o.answers,
        "statement": o.statement,
        "submitted_at": o.submitted_at,
        "reviewed_at": o.reviewed_at,
        "review_note": o.review_note,
        "reminders_sent": o.reminders_sent,
        "overdue_reminders": o.overdue_reminders,
        "actions": obligations.actions_for(user, o),
    }


def _get(user, obligation_id: int) -> Obligation:
    o = obligations.obligations_visible_to(user).filter(pk=obligation_id).first()
    if o is None:
        raise Http404("任务不存在或不在您的管辖范围内")
    return o


@router.get("/obligations", response={200: ObligationPage, **ERRORS}, summary="年度报告与复核任务")
def obligation_list(request, query: Query[ObligationQuery]):
    user = request.auth
    qs = obligations.obligations_visible_to(user)
    today = clock.today()
    if query.show == "overdue":
        qs = qs.filter(state=ObligationState.OVERDUE)
    elif query.show == "due_soon":
        qs = qs.filter(
            state=ObligationState.PENDING, due_on__gte=today, due_on__lte=today + dt.timedelta(days=30)
        )
    elif query.show == "submitted":
        qs = qs.filter(state=ObligationState.SUBMITTED)
    elif query.show == "open":
        qs = qs.filter(state__in=obligations.OPEN_STATES)
    if query.kind in ObligationKind.values:
        qs = qs.filter(kind=query.kind)
    if query.programme:
        qs = qs.filter(certification__programme__code=query.programme)
    if query.period:
        qs = qs.filter(period=query.period)
    rows = list(qs.order_by("due_on", "id")[query.offset : query.offset + query.limit + 1])
    return {
        "items": [_out(user, o) for o in rows[: query.limit]],
        "offset": query.offset,
        "limit": query.limit,
        "has_next": len(rows) > query.limit,
    }


@router.post(
    "/obligations/{int:obligation_id}/submit",
    response={200: ObligationOut, **ERRORS},
    summary="提交年度报告或复核材料（企业）",
)
def obligation_submit(request, obligation_id: int, payload: SubmitIn):
    user = request.auth
    o = obligations.obligation_submit(
        actor=user, obligation=_get(user, obligation_id), answers=payload.answers, statement=payload.statement
    )
    return _out(user, _get(user, o.pk))


@router.post(
    "/obligations/{int:obligation_id}/review",
    response={200: ObligationOut, **ERRORS},
    summary="审核年度报告或复核（认定部门）",
)
def obligation_review(request, obligation_id: int, payload: ReviewIn):
    user = request.auth
    o = obligations.obligation_review(
        actor=user, obligation=_get(user, obligation_id), action=payload.action, note=payload.note
    )
    return _out(user, _get(user, o.pk))
