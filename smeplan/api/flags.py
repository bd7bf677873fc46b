"""虚假信息疑点 through the API: the list (same filters and scope as the page), detection for a year and
the decision on one flag — the same services and selectors as the pages (``smeplan.flags``).

Bureau users only; flags outside the caller's scope answer 404, a decision the caller may not take
403, bad input (a missing note, a bad year) 422 with the pages' Chinese messages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from smeplan.accounts.scoping import require
from smeplan.api.schemas import ERRORS
from smeplan.flags import selectors, services
from smeplan.flags.models import FigureFlag
from smeplan.programmes.models import Programme

router = Router(tags=["虚假信息疑点"])

NOT_BUREAU = "只有主管部门可以查看和核实虚假信息疑点"


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class FlagQuery(Schema):
    year: int | None = Field(None, description="年度")
    kind: str = Field("", description="疑点类型：growth / profit_above_revenue / tax_above_revenue / "
                      "rd_above_revenue / identical / reversed_jump / application_mismatch")  # fmt: skip
    state: str = Field("", description="核实状态：open 待核实 / confirmed 确认为虚假信息 / cleared 核实无误")
    county: str = Field("", description="区县代码")
    programme: str = Field("", description="认定项目代码（有该项目有效认定的企业）")
    offset: int = Field(0, ge=0, description="跳过的条数")
    limit: int = Field(50, ge=1, le=200, description="每页条数（1–200）")


class FlagOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    credit_code: str = Field(description="统一社会信用代码")
    county: str = Field(description="所属区县代码")
    county_name: str
    year: int
    kind: str
    kind_label: str
    message: str = Field(description="疑点说明（一句中文）")
    detail: dict = Field(description="依据：涉及的数值、年度与阈值")
    state: str
    state_label: str
    decided_by: str | None = Field(description="核实人")
    decided_at: dt.datetime | None
    decision_note: str
    may_decide: bool = Field(description="调用方能否核实该疑点")


class FlagPage(Schema):
    items: list[FlagOut]
    offset: int
    limit: int
    has_next: bool


class DetectIn(_In):
    year: int | str = Field(description="检测年度（读取该年及前两年的数据）")
    programme: str = Field("", description="认定项目代码；空为全部项目")


class DetectOut(Schema):
    year: int
    enterprises: int = Field(description="检测的有效认定企业数")
    found: int = Field(description="发现的疑点数")
    created: int = Field(description="新增")
    refreshed: int = Field(description="待核实疑点的数值已更新")
    kept: int = Field(description="已核实、保持不变")
    withdrawn: int = Field(description="不再出现、已撤销的待核实疑点")


class DecisionIn(_In):
    confirmed: bool = Field(description="true 确认为虚假信息 / false 核实无误")
    note: str = Field("", description="核实意见（必填）")


def _out(user, flag: FigureFlag) -> dict:
    org = flag.organisation
    return {
        "id": flag.pk,
        "organisation_id": org.pk,
        "organisation_name": org.name,
        "credit_code": org.credit_code,
        "county": org.county_id,
        "county_name": org.county.name,
        "year": flag.year,
        "kind": flag.kind,
        "kind_label": str(flag.get_kind_display()),
        "message": flag.message,
        "detail": flag.detail,
        "state": flag.state,
        "state_label": str(flag.get_state_display()),
        "decided_by": (flag.decided_by.get_full_name() or flag.decided_by.username)
        if flag.decided_by
        else None,
        "decided_at": flag.decided_at,
        "decision_note": flag.decision_note,
        "may_decide": services.may_decide(user, flag),
    }


@router.get(
    "", response={200: FlagPage, **ERRORS}, summary="疑点列表（按年度、类型、核实状态、区县、认定项目筛选）"
)
def flag_list(request, query: Query[FlagQuery]):
    user = request.auth
    require(selectors.may_read_flags(user), NOT_BUREAU)
    qs = selectors.flags_filtered(
        user,
        year=query.year or "",
        kind=query.kind,
        state=query.state,
        county=query.county,
        programme=query.programme,
    )
    rows = list(qs[query.offset : query.offset + query.limit + 1])
    return {
        "items": [_out(user, f) for f in rows[: query.limit]],
        "offset": query.offset,
        "limit": query.limit,
        "has_next": len(rows) > query.limit,
    }


@router.post("/detect", response={200: DetectOut, **ERRORS}, summary="检测疑点（管辖范围内的有效认定企业）")
def flag_detect(request, payload: DetectIn):
    """新增疑点；已核实的保持不变；待核实而不再出现的撤销。"""
    user = request.auth
    programme = None
    if payload.programme:
        programme = Programme.objects.filter(code=payload.programme).first()
        if programme is None:
            raise ValidationError({"programme": [f"认定项目“{payload.programme}”不存在"]})
    counts = services.flags_detect(actor=user, year=payload.year, programme=programme)
    return {"year": int(payload.year), **counts}


@router.post(
    "/{int:flag_id}/decision", response={200: FlagOut, **ERRORS}, summary="核实（确认为虚假信息 / 核实无误）"
)
def flag_decision(request, flag_id: int, payload: DecisionIn):
    user = request.auth
    require(selectors.may_read_flags(user), NOT_BUREAU)
    flag = services.flag_decide(
        actor=user, flag=selectors.flag_get(user, flag_id), confirmed=payload.confirmed, note=payload.note
    )
    return _out(user, selectors.flag_get(user, flag.pk))
