"""汇总表与市级年度计划 through the API: 附件3 per year, the cities' annual plans (list, create or
update the rows, submit, approve / return) and the filings of cities' own annex-3 sheets (list,
detail with the differences, upload). The same selectors and services as the pages
(``smeplan.reporting``): out of scope answers 404, an action the caller may not take 403, bad input
422 with the pages' Chinese messages. Amounts in 万元 as decimal strings; growths as fractions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from smeplan.accounts.models import Role
from smeplan.accounts.scoping import require
from smeplan.api.schemas import ERRORS, READ_ERRORS
from smeplan.reporting.selectors import (
    CELLS,
    annex3,
    filing_get,
    filings_visible,
    may_read,
    plan_get,
    plans_visible,
)
from smeplan.reporting.services import filing_max_bytes, filing_upload, plan_act, plan_save

router = Router(tags=["汇总表与市级年度计划"])


def _num(value) -> str | None:
    return None if value is None else str(value)


# --- 附件3 -----------------------------------------------------------------------------------------


class Annex3RowOut(Schema):
    code: str
    name: str
    kind: str = Field(description="city（市级单位，所辖区县合计）/ county / province（合计）")
    counts: dict[str, int] = Field(description="“层级:梯队” → 年末有效的梯队企业数，如 province:growth_star")
    new: dict[str, int] = Field(description="“层级:梯队” → 本年认定的梯队企业数")
    enterprises: int
    new_enterprises: int
    revenue: str | None = Field(description="本年营业收入合计（万元）")
    revenue_reported: int
    growth: str | None = Field(description="Σ本年 / Σ上年 − 1（小数），只计两年都有营业收入的企业")
    comparable: int


class Annex3Out(Schema):
    year: int
    rows: list[Annex3RowOut]


class YearQuery(Schema):
    year: int = Field(description="年度")


def _annex3_row(row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "kind": row.kind,
        "counts": {f"{level}:{tier}": row.counts[(level, tier)] for level, tier in CELLS},
        "new": {f"{level}:{tier}": row.new[(level, tier)] for level, tier in CELLS},
        "enterprises": row.enterprises,
        "new_enterprises": row.new_enterprises,
        "revenue": None if row.revenue is None else f"{row.revenue:.2f}",
        "revenue_reported": row.revenue_reported,
        "growth": None if row.growth is None else f"{row.growth:.6f}",
        "comparable": row.comparable,
    }


@router.get("/annex3", response={200: Annex3Out, **ERRORS}, summary="附件3 汇总表")
def annex3_get(request, query: Query[YearQuery]):
    result = annex3(user=request.auth, year=query.year)
    return {"year": result.year, "rows": [_annex3_row(r) for r in result.rows]}


# --- 市级年度计划 -----------------------------------------------------------------------------------


class PlanRowOut(Schema):
    region: str
    region_name: str
    enterprises: int | None
    new_enterprises: int | None
    revenue: str | None = Field(description="万元")
    revenue_growth: str | None = Field(description="%")


class PlanEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    reason: str
    actor: str | None
    at: str


class PlanOut(Schema):
    id: int
    year: int
    city: str
    city_name: str
    state: str
    state_label: str
    version: int
    return_reason: str
    rows: list[PlanRowOut] | None = None
    events: list[PlanEventOut] | None = None


class PlanIn(Schema):
    year: int | str = Field(description="计划年度")
    rows: dict[str, dict[str, int | float | str | None]] = Field(
        description="地区代码 → {enterprises, new_enterprises, revenue（万元）, revenue_growth（%）}；"
        "未列出的地区保持原值"
    )
    version: int | None = Field(None, description="修改已有计划时看到的版本（可省略）")


class PlanActionIn(Schema):
    action: str = Field(description="submit（市级上报）/ approve（省级核准）/ return（省级退回，需理由）")
    reason: str = ""
    version: int | None = None


class PlanQuery(Schema):
    year: int | None = None


def _plan_out(plan, detail: bool = False) -> dict:
    out = {
        "id": plan.pk,
        "year": plan.year,
        "city": plan.city_id,
        "city_name": plan.city.name,
        "state": plan.state,
        "state_label": plan.get_state_display(),
        "version": plan.lock_version,
        "return_reason": plan.return_reason,
    }
    if detail:
        out["rows"] = [
            {
                "region": r.region_id,
                "region_name": r.region.name,
                "enterprises": r.enterprises,
                "new_enterprises": r.new_enterprises,
                "revenue": _num(r.revenue),
                "revenue_growth": _num(r.revenue_growth),
            }
            for r in plan.rows.select_related("region")
        ]
        out["events"] = [
            {
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "reason": e.reason,
                "actor": str(e.actor) if e.actor_id else None,
                "at": e.at.isoformat(),
            }
            for e in plan.events.select_related("actor")
        ]
    return out


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="市级年度计划列表")
def plan_list(request, query: Query[PlanQuery]):
    require(may_read(request.auth), "无权查看年度计划")
    return [_plan_out(p) for p in plans_visible(request.auth, query.year).order_by("-year", "city_id")]


@router.post("/plans", response={200: PlanOut, **ERRORS}, summary="填报或修改本市年度计划（市级）")
def plan_write(request, payload: PlanIn):
    plan = plan_save(
        actor=request.auth, year=payload.year, rows=payload.rows, expected_version=payload.version
    )
    return _plan_out(plan_get(request.auth, plan.pk), detail=True)


@router.get("/plans/{int:plan_id}", response={200: PlanOut, **READ_ERRORS}, summary="年度计划详情")
def plan_detail(request, plan_id: int):
    return _plan_out(plan_get(request.auth, plan_id), detail=True)


@router.post(
    "/plans/{int:plan_id}/actions", response={200: PlanOut, **ERRORS}, summary="上报、核准或退回年度计划"
)
def plan_action(request, plan_id: int, payload: PlanActionIn):
    plan = plan_get(request.auth, plan_id)
    plan = plan_act(
        actor=request.auth,
        plan=plan,
        action=payload.action,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _plan_out(plan_get(request.auth, plan.pk), detail=True)


# --- 汇总表备案 ------------------------------------------------------------------------------------


class DifferenceOut(Schema):
    code: str
    region: str
    field: str
    label: str
    filed: str | None
    system: str | None


class FilingOut(Schema):
    id: int
    year: int
    city: str
    city_name: str
    file_name: str
    file_size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: str
    difference_count: int
    differences: list[DifferenceOut] | None = None
    values: dict | None = None
    unmatched: list[str] | None = None


def _filing_out(filing, detail: bool = False) -> dict:
    out = {
        "id": filing.pk,
        "year": filing.year,
        "city": filing.city_id,
        "city_name": filing.city.name,
        "file_name": filing.file_name,
        "file_size": filing.file_size,
        "sha256": filing.sha256,
        "uploaded_by": str(filing.uploaded_by) if filing.uploaded_by_id else None,
        "uploaded_at": filing.uploaded_at.isoformat(),
        "difference_count": len(filing.differences),
    }
    if detail:
        out.update(differences=filing.differences, values=filing.values, unmatched=filing.unmatched)
    return out


@router.get("/filings", response={200: list[FilingOut], **ERRORS}, summary="汇总表备案列表")
def filing_list(request, query: Query[PlanQuery]):
    require(may_read(request.auth), "无权查看汇总表备案")
    return [_filing_out(f) for f in filings_visible(request.auth, query.year).order_by("-uploaded_at")[:500]]


@router.get("/filings/{int:filing_id}", response={200: FilingOut, **READ_ERRORS}, summary="备案详情与差异")
def filing_detail(request, filing_id: int):
    return _filing_out(filing_get(request.auth, filing_id), detail=True)


@router.post("/filings", response={201: FilingOut, **ERRORS}, summary="报送本市汇总表备案（市级）")
def filing_create(request, file: File[UploadedFile | None] = None, year: Form[str] = ""):
    """multipart/form-data：file（.xlsx/.xls/.csv）与 year。"""
    require(request.auth.role == Role.CITY_OFFICER, "只有市级工作人员可以报送汇总表备案")
    if file is None:
        raise ValidationError({"file": ["请选择要报送的汇总表文件（multipart/form-data 的 file 字段）"]})
    if file.size > filing_max_bytes():
        limit = filing_max_bytes() / 1048576
        raise ValidationError(
            {"file": [f"文件“{file.name}”过大（{file.size / 1048576:.1f} MB），上限为 {limit:.0f} MB"]}
        )
    filing = filing_upload(actor=request.auth, year=year, file_name=file.name, content=file.read())
    return Status(201, _filing_out(filing_get(request.auth, filing.pk), detail=True))
