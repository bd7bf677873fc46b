"""认定条件与筛选 through the API: programmes, tiers and their criteria versions; a new version
(provincial admins); the live preview; screening runs (start, list, detail, results, comparison with
the previous run); one enterprise's explanation; the same-industry averages.

The same services, selectors and permission checks as the pages (``smeplan.programmes``). Criterion
rates (growths, ratios) are fractions here ("0.2" = 20%; "20%" is accepted too). Runs outside the
caller's region and organisations outside its scope answer 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from smeplan.accounts.scoping import require
from smeplan.api.schemas import ERRORS, page_out
from smeplan.programmes.criteria import CriterionSpec, specs_clean
from smeplan.programmes.metrics import METRICS
from smeplan.programmes.models import CriteriaVersion, IndustryAverage, Outcome, ScreeningRun
from smeplan.programmes.selectors import (
    averages,
    may_edit_criteria,
    may_use_programmes,
    programmes,
    run_get,
    run_previous,
    run_results,
    runs_visible_to,
    specs_of,
    tier_get,
    version_in_force,
    versions_of,
)
from smeplan.registry.selectors import organisation_get, organisations_visible_to, page_of

router = Router(tags=["认定条件与筛选"])

LETTER_STATUS = {"P": "pass", "F": "fail", "I": "incomplete", "M": "manual"}


def _use(user) -> None:
    require(may_use_programmes(user), "您的角色无权使用认定条件与筛选")


def _edit(user) -> None:
    require(may_edit_criteria(user), "只有省级管理员可以修改认定条件")


def _last_year() -> int:
    return timezone.localdate().year - 1


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


# --- schemas -------------------------------------------------------------------------------------


class CriterionOut(Schema):
    metric: str
    metric_label: str
    operator: str = Field(description="ge ≥ / gt > / le ≤ / lt < / between 介于 / in 属于 / not_in 不属于")
    reference: str = Field(description="threshold 固定阈值 / industry_average 同行业平均")
    threshold: str | None = Field(description="阈值；增速、比率为小数（0.2 = 20%），金额为万元")
    threshold_high: str | None
    choices: list[str]
    years: int = Field(description="连续年数（截至筛选年度）")
    role: str = Field(description="required 必备 / priority 优先（不影响结果） / manual 人工核实")
    label: str
    text: str = Field(description="条件的文字说明")


class VersionOut(Schema):
    id: int
    number: int
    effective_year: int
    note: str
    created_by: str | None
    created_at: dt.datetime
    criteria: list[CriterionOut]


class TierOut(Schema):
    id: int
    code: str
    name: str
    version: VersionOut | None = Field(description="所查年度生效的条件版本")


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    plan: str = Field(
        description="所属行动计划：bases brand transformation internet growth financing talent platforms；空为未设置"
    )
    plan_label: str = Field(description="所属行动计划的名称")
    owner_level: str = Field(description="认定层级：province 省级 / city 市级 / county 县级")
    owner_region: str | None = Field(description="主管的市级单位代码（市级、县级项目；空：省级或各市通用）")
    subject_kind: str = Field(
        description="认定对象：enterprise 企业 / base_operator 基地运营机构 / service_agency 服务机构 / "
        "financial_institution 金融机构 / product 产品（由生产企业申报）"
    )
    average_area: str
    source: str = Field(description="依据：文号及文件名称")
    basis_clause: str = Field(description="依据条款")
    title_template: str = Field(description="认定称号格式，{地区}{梯队}")
    state: str = Field(description="open 受理中 / closed 已关闭（不再受理新的申报和申报批次）")
    closed_at: dt.datetime | None
    tiers: list[TierOut]


class ProgrammeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field("", description="项目代码（新建时必填，之后不能修改），如 innovative-sme")
    name: str
    plan: str
    source: str = Field(description="依据：文号及文件名称")
    basis_clause: str
    owner_level: str
    owner_region: str = Field("", description="主管的市级单位代码（省级管理员可选；市级工作人员为本市）")
    subject_kind: str = "enterprise"
    average_area: str = ""
    title_template: str = Field("", description="认定称号格式，如 {地区}{梯队}企业")
    tiers: list[list[str]] = Field(default_factory=list, description="新建时的梯队：[[代码, 名称], …]")


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = ""


class CriterionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    metric: str
    operator: str = ""
    reference: str = "threshold"
    threshold: str | float | int | None = None
    threshold_high: str | float | int | None = None
    choices: list[str] | str = Field(default_factory=list)
    years: int | str = 1
    role: str = "required"
    label: str = ""


class VersionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    effective_year: int | str
    note: str = ""
    criteria: list[CriterionIn]


class PreviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    criteria: list[CriterionIn]


class PreviewOut(Schema):
    year: int
    evaluated: int
    passed: int
    failed: int
    incomplete: int
    seconds: float


class RunIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)


class RunOut(Schema):
    id: int
    tier_id: int
    tier: str
    year: int
    version_id: int
    version_number: int
    version_effective_year: int
    region: str | None = Field(description="筛选范围（执行人的区划代码）")
    region_name: str | None
    actor: str | None
    created_at: dt.datetime
    seconds: float
    evaluated: int
    passed: int
    failed: int
    incomplete: int
    breakdown: dict = Field(description="{city|county|section: {代码: [符合, 不符合, 数据不全]}}")
    criteria: list[dict] = Field(description="本次筛选所用的条件")


class RunPage(Schema):
    items: list[RunOut]
    page: int
    page_size: int
    has_next: bool


class RunQuery(Schema):
    tier_id: int | None = None
    year: int | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(30, ge=1, le=200)


class OrganisationRef(Schema):
    id: int
    name: str
    credit_code: str
    county: str
    county_name: str


class ResultOut(Schema):
    organisation: OrganisationRef
    outcome: str = Field(description="pass 符合 / incomplete 数据不全（不符合的只计数）")
    statuses: list[str] = Field(description="每条条件：pass / fail / incomplete / manual，顺序同 criteria")
    priority: bool


class ResultPage(Schema):
    items: list[ResultOut]
    page: int
    page_size: int
    has_next: bool


class ResultQuery(Schema):
    outcome: Literal["", "pass", "incomplete"] = ""
    page: int = Field(1, ge=1)
    page_size: int = Field(100, ge=1, le=1000)


class CompareOut(Schema):
    run_id: int
    previous_id: int | None = Field(description="同一梯队、年度、范围的上一次筛选；没有则为 null")
    entered: list[OrganisationRef]
    left: list[OrganisationRef]


class ExplanationItemOut(Schema):
    criterion: CriterionOut
    status: str = Field(description="pass / fail / incomplete / manual / priority_met / priority_not_met")
    line: str
    values: dict


class ExplanationOut(Schema):
    organisation_id: int
    tier_id: int
    year: int
    outcome: str
    outcome_label: str
    version_number: int
    version_effective_year: int
    items: list[ExplanationItemOut]


class AverageOut(Schema):
    year: int
    metric: str
    metric_label: str
    area: str
    area_name: str
    group_kind: str = Field(description="division 大类 / section 门类")
    group_code: str
    value: str | None = Field(description="小数（0.112 = 11.2%）")
    count: int
    numerator: str
    denominator: str


class AveragePage(Schema):
    items: list[AverageOut]
    page: int
    page_size: int
    has_next: bool


class AverageQuery(Schema):
    year: int = Field(ge=2000, le=2100)
    metric: str = ""
    area: str = ""
    page: int = Field(1, ge=1)
    page_size: int = Field(200, ge=1, le=1000)


# --- shaping ---------------------------------------------------------------------------------------


def criterion_out(spec: CriterionSpec) -> dict:
    metric = METRICS.get(spec.metric)
    return {
        "metric": spec.metric,
        "metric_label": metric.label if metric else spec.metric,
        "operator": spec.operator,
        "reference": spec.reference,
        "threshold": None if spec.threshold is None else str(spec.threshold),
        "threshold_high": None if spec.threshold_high is None else str(spec.threshold_high),
        "choices": list(spec.choices),
        "years": spec.years,
        "role": spec.role,
        "label": spec.label,
        "text": spec.describe(),
    }


def version_out(version: CriteriaVersion) -> dict:
    return {
        "id": version.pk,
        "number": version.number,
        "effective_year": version.effective_year,
        "note": version.note,
        "created_by": str(version.created_by) if version.created_by_id else None,
        "created_at": version.created_at,
        "criteria": [criterion_out(s) for s in specs_of(version)],
    }


def run_out(run: ScreeningRun) -> dict:
    return {
        "id": run.pk,
        "tier_id": run.tier_id,
        "tier": str(run.tier),
        "year": run.year,
        "version_id": run.version_id,
        "version_number": run.version.number,
        "version_effective_year": run.version.effective_year,
        "region": run.region_id,
        "region_name": run.region.name if run.region_id else None,
        "actor": str(run.actor) if run.actor_id else None,
        "created_at": run.created_at,
        "seconds": run.seconds,
        "evaluated": run.evaluated,
        "passed": run.passed,
        "failed": run.failed,
        "incomplete": run.incomplete,
        "breakdown": run.breakdown or {},
        "criteria": run.criteria or [],
    }


def organisation_ref(org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "credit_code": org.credit_code,
        "county": org.county_id,
        "county_name": org.county.name,
    }


def _criteria_dicts(items: list[CriterionIn]) -> list[dict]:
    return [item.dict() for item in items]


# --- programmes and criteria -----------------------------------------------------------------------


@router.get(
    "/{code}/form-schema",
    response={200: dict, **ERRORS},
    summary="认定项目某年度使用的申报表（或年度报告表）的 JSON Schema",
)
def programme_form_schema(
    request,
    code: str,
    purpose: Literal["application", "annual_report"] = "application",
    year: int | None = None,
):
    """``year``（默认今年）生效的表单版本及其 JSON Schema；尚无版本时 404。"""
    from django.http import Http404

    from smeplan.api.recognition import form_version_out
    from smeplan.programmes import formdesign
    from smeplan.programmes.models import Programme

    require(request.auth.is_authenticated, "请先登录")
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise Http404("认定项目不存在")
    year = year or timezone.localdate().year
    version = formdesign.form_version_for(programme, purpose, year)
    if version is None:
        raise Http404(
            f"{programme.name}在 {year} 年没有生效的{'申报表' if purpose == 'application' else '年度报告表'}"
        )
    return {
        "form_version": form_version_out(version),
        "reference_year": year,
        "schema": formdesign.json_schema(version.design),
    }


def programme_out(programme, year: int) -> dict:
    from smeplan.programmes.models import title_template_as_text

    tiers = []
    for tier in programme.tiers.all():
        version = version_in_force(tier, year)
        tiers.append(
            {
                "id": tier.pk,
                "code": tier.code,
                "name": tier.name,
                "version": version_out(version) if version else None,
            }
        )
    return {
        "id": programme.pk,
        "code": programme.code,
        "name": programme.name,
        "plan": programme.plan,
        "plan_label": programme.get_plan_display() if programme.plan else "",
        "owner_level": programme.owner_level,
        "owner_region": programme.owner_region_id,
        "subject_kind": programme.subject_kind,
        "average_area": programme.average_area,
        "source": programme.source,
        "basis_clause": programme.basis_clause,
        "title_template": title_template_as_text(programme.title_template),
        "state": "closed" if programme.closed_at else "open",
        "closed_at": programme.closed_at,
        "tiers": tiers,
    }


def _programme(programme_id: int):
    from django.http import Http404

    programme = programmes().filter(pk=programme_id).first()
    if programme is None:
        raise Http404("认定项目不存在")
    return programme


@router.get("", response={200: list[ProgrammeOut], **ERRORS}, summary="认定项目、梯队及其生效的条件")
def programme_list(request, year: int | None = None):
    """每个认定项目（所属行动计划、依据及条款、层级、主管部门、认定对象、是否关闭）及其梯队，附 ``year``
    （默认今年）生效的条件版本。"""
    _use(request.auth)
    year = year or timezone.localdate().year
    return [programme_out(programme, year) for programme in programmes()]


@router.get("/{int:programme_id}", response={200: ProgrammeOut, **ERRORS}, summary="认定项目详情")
def programme_detail(request, programme_id: int, year: int | None = None):
    _use(request.auth)
    return programme_out(_programme(programme_id), year or timezone.localdate().year)


@router.post(
    "",
    response={201: ProgrammeOut, **ERRORS},
    summary="新建认定项目（省级管理员；市级工作人员：本市的市级、县级项目）",
)
def programme_create(request, payload: ProgrammeIn):
    """与网页相同的检查：代码重复、行动计划无效等返回 422 及中文说明，不保存。"""
    from smeplan.programmes import services

    programme = services.programme_create(actor=request.auth, data=payload.dict())
    return Status(201, programme_out(_programme(programme.pk), timezone.localdate().year))


@router.put("/{int:programme_id}", response={200: ProgrammeOut, **ERRORS}, summary="修改认定项目")
def programme_update(request, programme_id: int, payload: ProgrammeIn):
    """代码不能修改；已有申报、认定或申报批次的项目不能修改认定层级和认定对象。"""
    from smeplan.programmes import services

    data = payload.dict()
    data.pop("tiers", None)
    programme = services.programme_update(actor=request.auth, programme=_programme(programme_id), data=data)
    return programme_out(_programme(programme.pk), timezone.localdate().year)


@router.post("/{int:programme_id}/close", response={200: ProgrammeOut, **ERRORS}, summary="关闭认定项目")
def programme_close(request, programme_id: int, payload: CloseIn):
    """关闭后不再受理新的申报和申报批次；已有认定和名单不变；可重新开放。"""
    from smeplan.programmes import services

    programme = services.programme_close(
        actor=request.auth, programme=_programme(programme_id), note=payload.note
    )
    return programme_out(_programme(programme.pk), timezone.localdate().year)


@router.post("/{int:programme_id}/reopen", response={200: ProgrammeOut, **ERRORS}, summary="重新开放认定项目")
def programme_reopen(request, programme_id: int):
    from smeplan.programmes import services

    programme = services.programme_reopen(actor=request.auth, programme=_programme(programme_id))
    return programme_out(_programme(programme.pk), timezone.localdate().year)


@router.get(
    "/tiers/{int:tier_id}/versions",
    response={200: list[VersionOut], **ERRORS},
    summary="梯队的条件版本（修改记录）",
)
def tier_versions(request, tier_id: int):
    """全部版本，新的在前：修改人、时间、生效年度、说明和条件。"""
    _use(request.auth)
    return [version_out(v) for v in versions_of(tier_get(tier_id))]


@router.post(
    "/tiers/{int:tier_id}/versions",
    response={201: VersionOut, **ERRORS},
    summary="保存新的条件版本（省级管理员）",
)
def tier_version_create(request, tier_id: int, payload: VersionIn):
    """与网页相同的检查：有任何问题返回 422 及中文说明，不保存。"""
    from smeplan.programmes.services import criteria_version_create

    user = request.auth
    _edit(user)
    version = criteria_version_create(
        actor=user,
        tier=tier_get(tier_id),
        effective_year=payload.effective_year,
        criteria=_criteria_dicts(payload.criteria),
        note=payload.note,
    )
    return Status(201, version_out(version))


@router.post(
    "/tiers/{int:tier_id}/preview",
    response={200: PreviewOut, **ERRORS},
    summary="预览：按这些条件有多少家符合",
)
def tier_preview(request, tier_id: int, payload: PreviewIn):
    """不保存任何数据；条件有误返回 422（提示与保存时相同）。"""
    from smeplan.programmes.screening import screening_preview

    user = request.auth
    _edit(user)
    tier = tier_get(tier_id)
    specs = specs_clean(_criteria_dicts(payload.criteria))
    counts = screening_preview(actor=user, tier=tier, year=payload.year, specs=specs)
    return {"year": payload.year, **{k: counts[k] for k in PreviewOut.model_fields if k != "year"}}


# --- screening runs ----------------------------------------------------------------------------------


@router.post(
    "/tiers/{int:tier_id}/runs", response={201: RunOut, **ERRORS}, summary="筛选（保存为一次筛选记录）"
)
def run_create(request, tier_id: int, payload: RunIn):
    """对当前用户管辖范围内的全部企业按 ``year`` 生效的条件筛选。"""
    from smeplan.programmes.screening import screening_run

    user = request.auth
    _use(user)
    tier = tier_get(tier_id)
    if version_in_force(tier, payload.year) is None:
        raise ValidationError({"year": [f"{tier}在 {payload.year} 年没有生效的认定条件"]})
    run = screening_run(actor=user, tier=tier, year=payload.year)
    return Status(201, run_out(run_get(user, run.pk)))


@router.get("/runs", response={200: RunPage, **ERRORS}, summary="筛选记录")
def run_list(request, query: Query[RunQuery]):
    """省级看全部；市、县看本辖区（含下级）的筛选。新的在前。"""
    _use(request.auth)
    qs = runs_visible_to(request.auth)
    if query.tier_id:
        qs = qs.filter(tier_id=query.tier_id)
    if query.year:
        qs = qs.filter(year=query.year)
    page = page_of(qs.order_by("-created_at", "-id"), query.page, size=query.page_size)
    return page_out(page, run_out)


@router.get("/runs/{int:run_id}", response={200: RunOut, **ERRORS}, summary="筛选记录详情（计数与分布）")
def run_detail(request, run_id: int):
    _use(request.auth)
    return run_out(run_get(request.auth, run_id))


@router.get(
    "/runs/{int:run_id}/results", response={200: ResultPage, **ERRORS}, summary="筛选结果（符合与数据不全）"
)
def run_result_list(request, run_id: int, query: Query[ResultQuery]):
    """符合与数据不全的单位，每条条件的结果；不符合的只计数。"""
    user = request.auth
    _use(user)
    run = run_get(user, run_id)
    count = len(run.criteria or [])
    page = page_of(run_results(user, run, query.outcome), query.page, size=query.page_size)
    return page_out(
        page,
        lambda r: {
            "organisation": organisation_ref(r.organisation),
            "outcome": r.outcome,
            "statuses": [LETTER_STATUS.get(letter, letter) for letter in (r.statuses or "")[:count]],
            "priority": r.priority,
        },
    )


@router.get(
    "/runs/{int:run_id}/compare",
    response={200: CompareOut, **ERRORS},
    summary="与上一次筛选比较（新进入、退出）",
)
def run_compare(request, run_id: int):
    """上一次：同一梯队、同一年度、同一范围的更早一次筛选。"""
    user = request.auth
    _use(user)
    run = run_get(user, run_id)
    previous = run_previous(run)
    out = {"run_id": run.pk, "previous_id": previous.pk if previous else None, "entered": [], "left": []}
    if previous is None:
        return out
    from smeplan.programmes.screening import runs_compare

    diff = runs_compare(actor=user, run_a=previous, run_b=run)
    visible = organisations_visible_to(user).select_related("county")
    for key in ("entered", "left"):
        ids = list(diff.get(key) or [])
        out[key] = [organisation_ref(o) for o in visible.filter(pk__in=ids).order_by("county_id", "name")]
    return out


# --- explanation and averages --------------------------------------------------------------------------


@router.get(
    "/tiers/{int:tier_id}/explain/{int:org_id}",
    response={200: ExplanationOut, **ERRORS},
    summary="一家单位符合或不符合的原因",
)
def explanation(request, tier_id: int, org_id: int, year: int | None = None, run_id: int | None = None):
    """每条条件一行中文说明及所用数值；``year`` 默认上一年；给出 ``run_id`` 时按该次筛选所用的条件版本说明。"""
    from smeplan.programmes.engine import explain

    user = request.auth
    _use(user)
    tier = tier_get(tier_id)
    organisation = organisation_get(user, org_id)
    year = year or _last_year()
    if version_in_force(tier, year) is None:
        raise ValidationError({"year": [f"{tier}在 {year} 年没有生效的认定条件"]})
    version = None
    if run_id is not None:
        run = runs_visible_to(user).filter(pk=run_id, tier=tier, year=year).select_related("version").first()
        if run is None:
            raise ValidationError({"run_id": [f"筛选记录 {run_id} 不存在，或不是该梯队 {year} 年的筛选"]})
        version = run.version
    result = explain(actor=user, organisation=organisation, tier=tier, year=year, version=version)
    return {
        "organisation_id": organisation.pk,
        "tier_id": tier.pk,
        "year": year,
        "outcome": result.outcome,
        "outcome_label": str(dict(Outcome.choices).get(result.outcome, result.outcome)),
        "version_number": result.version.number,
        "version_effective_year": result.version.effective_year,
        "items": [
            {
                "criterion": criterion_out(item.spec),
                "status": item.status,
                "line": item.line,
                "values": _jsonable(item.values or {}),
            }
            for item in result.items
        ],
    }


def average_out(a: IndustryAverage) -> dict:
    metric = METRICS.get(a.metric)
    return {
        "year": a.year,
        "metric": a.metric,
        "metric_label": metric.label if metric else a.metric,
        "area": a.area_id,
        "area_name": a.area.name,
        "group_kind": a.group_kind,
        "group_code": a.group_code,
        "value": None if a.value is None else str(a.value),
        "count": a.count,
        "numerator": str(a.numerator),
        "denominator": str(a.denominator),
    }


@router.get("/averages", response={200: AveragePage, **ERRORS}, summary="同行业平均")
def average_list(request, query: Query[AverageQuery]):
    """按年度（必填）、指标、范围（区划代码）筛选；含每组企业数及分子、分母合计。"""
    _use(request.auth)
    page = page_of(
        averages(query.year, query.metric.strip(), query.area.strip()), query.page, size=query.page_size
    )
    return page_out(page, average_out)


# --- points rubrics (评分细则) ---------------------------------------------------------------------


class RubricItemOut(Schema):
    id: int
    number: int
    effective_year: int = Field(description="自该年度起施行")
    title: str
    note: str
    created_by: str | None
    created_at: dt.datetime
    in_force: bool = Field(description="是否为所查年度施行的版本")


class RubricListOut(Schema):
    programme: str = Field(description="认定项目代码")
    programme_name: str
    year: int = Field(description="所查年度（默认今年）")
    in_force_id: int | None = Field(description="所查年度施行的版本；没有则为 null")
    items: list[RubricItemOut] = Field(description="全部版本，新的在前")


class RubricOut(Schema):
    id: int
    programme: str
    programme_name: str
    number: int
    effective_year: int
    title: str
    note: str
    created_by: str | None
    created_at: dt.datetime
    aggregation: str = Field(description="专家评分的汇总方式（中文）")
    convention: str = Field(description="分档区间约定")
    design: dict = Field(description="评分细则（格式见 docs/programme-configuration.md）")


class RubricIn(Schema):
    model_config = ConfigDict(extra="forbid")

    effective_year: int | str = Field(description="自该年度起施行")
    title: str = Field(description="细则名称")
    note: str = Field("", description="修改说明")
    design: dict = Field(description="评分细则（格式见 docs/programme-configuration.md）")


def _programme_by_code(code: str):
    from django.http import Http404

    from smeplan.programmes.models import Programme

    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise Http404("认定项目不存在")
    return programme


def rubric_out(version) -> dict:
    from smeplan.programmes import rubric

    design = version.design or {}
    return {
        "id": version.pk,
        "programme": version.programme.code,
        "programme_name": version.programme.name,
        "number": version.number,
        "effective_year": version.effective_year,
        "title": version.title,
        "note": version.note,
        "created_by": str(version.created_by) if version.created_by_id else None,
        "created_at": version.created_at,
        "aggregation": rubric.AGGREGATIONS.get(design.get("experts", {}).get("aggregation", "mean"), ""),
        "convention": design.get("convention", rubric.CONVENTION),
        "design": design,
    }


@router.get("/{code}/rubrics", response={200: RubricListOut, **ERRORS}, summary="认定项目的评分细则版本")
def rubric_list(request, code: str, year: int | None = None):
    """全部版本（新的在前）及 ``year``（默认今年）施行的版本，与网页“评分细则”相同。"""
    from smeplan.programmes import rubric
    from smeplan.programmes.models import RubricVersion
    from smeplan.recognition import clock

    _use(request.auth)
    programme = _programme_by_code(code)
    year = year or clock.today().year
    in_force = rubric.rubric_version_for(programme, year)
    versions = RubricVersion.objects.filter(programme=programme).select_related("created_by")
    return {
        "programme": programme.code,
        "programme_name": programme.name,
        "year": year,
        "in_force_id": in_force.pk if in_force else None,
        "items": [
            {
                "id": v.pk,
                "number": v.number,
                "effective_year": v.effective_year,
                "title": v.title,
                "note": v.note,
                "created_by": str(v.created_by) if v.created_by_id else None,
                "created_at": v.created_at,
                "in_force": in_force is not None and v.pk == in_force.pk,
            }
            for v in versions.order_by("-number")
        ],
    }


@router.get("/rubrics/{int:version_id}", response={200: RubricOut, **ERRORS}, summary="一个评分细则版本")
def rubric_detail(request, version_id: int):
    from django.http import Http404

    from smeplan.programmes.models import RubricVersion

    _use(request.auth)
    version = RubricVersion.objects.select_related("programme", "created_by").filter(pk=version_id).first()
    if version is None:
        raise Http404("评分细则版本不存在")
    return rubric_out(version)


@router.post(
    "/{code}/rubrics",
    response={201: RubricOut, **ERRORS},
    summary="保存新的评分细则版本（省级管理员；市级项目：所属市主管部门）",
)
def rubric_create(request, code: str, payload: RubricIn):
    """与网页相同的检查（``rubric.design_check``）：有任何问题返回 422 及全部中文说明，不保存；
    已存的评分不变，新版本在下次计算评分时使用。"""
    from smeplan.programmes.services import rubric_version_create

    version = rubric_version_create(
        actor=request.auth,
        programme=_programme_by_code(code),
        design=payload.design,
        effective_year=payload.effective_year,
        title=payload.title,
        note=payload.note,
    )
    return Status(201, rubric_out(version))
