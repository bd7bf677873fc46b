"""年度综合测评 through the API: runs (list, start, detail with results), termination proposals and
tier moves (list, bulk confirm by the province), schemes (list, create by provincial admins).

The same services, selectors and permission checks as the pages (``smeplan.evaluation``). Runs
outside the caller's region answer 404; results and proposals are those of the enterprises in the
caller's scope. Indicator values are fractions ("0.1234" = 12.34%); normalised values and scores
0–100; null where a value is missing or undefined.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from smeplan.accounts.scoping import is_provincial_admin, require
from smeplan.api.schemas import ERRORS, money, page_out
from smeplan.evaluation import selectors, services
from smeplan.evaluation.models import INDICATORS, TerminationProposal
from smeplan.programmes.models import Programme, Tier
from smeplan.registry.selectors import page_of

router = Router(tags=["年度综合测评"])


def _tier(tier_id: int) -> Tier:
    tier = Tier.objects.select_related("programme").filter(pk=tier_id).first()
    if tier is None:
        raise ValidationError({"tier_id": [f"梯队「{tier_id}」不存在"]})
    return tier


class RunIn(Schema):
    tier_id: int
    year: int | str


class RunOut(Schema):
    id: int
    programme: str
    tier_id: int
    tier: str
    year: int
    method: str
    weights: dict
    bottom_share: str
    region: str | None
    evaluated: int
    with_missing: int
    failing: int
    bottom: int
    proposals: int
    moves: int
    seconds: float
    created_at: dt.datetime


class ResultOut(Schema):
    rank: int
    organisation_id: int
    organisation: str
    credit_code: str
    certification_id: int
    operating_revenue: str | None
    indicators: dict
    normalised: dict
    score: float
    missing: bool
    fails_criteria: bool
    bottom: bool


class RunDetailOut(RunOut):
    results: list[ResultOut]
    has_next: bool
    page: int


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


class AlsoProposedOut(Schema):
    """The other proposal for the same certification in the same run (a termination and a tier move
    can be proposed together: confirming one withdraws the other)."""

    kind: str = Field(description="termination（终止）或 move（梯队调整）")
    id: int
    explanation: str
    state: str
    state_label: str


class ProposalOut(Schema):
    id: int
    run_id: int
    certification_id: int
    organisation: str
    reason: str
    reason_label: str
    explanation: str
    state: str = Field(description="proposed（待确认）、confirmed（已确认）或 withdrawn（已撤回）")
    state_label: str
    document_number: str
    withdrawn_reason: str
    also_proposed: AlsoProposedOut | None


class MoveOut(Schema):
    id: int
    run_id: int
    certification_id: int
    organisation: str
    from_tier: str
    to_tier: str
    operating_revenue: str
    explanation: str
    state: str = Field(description="proposed（待确认）、confirmed（已确认）或 withdrawn（已撤回）")
    state_label: str
    document_number: str
    withdrawn_reason: str
    also_proposed: AlsoProposedOut | None


class ConfirmIn(Schema):
    ids: list[int]
    document_number: str


class WithdrawnOut(Schema):
    kind: str
    id: int
    certification_id: int
    organisation: str


class ConfirmOut(Schema):
    confirmed: int
    withdrawn: list[WithdrawnOut] = Field(description="因同一认定的另一条建议被确认而撤回的建议")


class SchemeIn(Schema):
    programme_id: int
    effective_year: int | str
    weights: dict
    method: str = "minmax"
    bottom_share: str | float = "0.05"
    note: str = ""


class SchemeOut(Schema):
    id: int
    programme_id: int
    programme: str
    effective_year: int
    weights: dict
    method: str
    bottom_share: str
    note: str


def run_out(run) -> dict:
    return {
        "id": run.pk,
        "programme": run.programme.name,
        "tier_id": run.tier_id,
        "tier": run.tier.name,
        "year": run.year,
        "method": run.method,
        "weights": run.weights,
        "bottom_share": str(run.bottom_share),
        "region": run.region.name if run.region_id else None,
        "evaluated": run.evaluated,
        "with_missing": run.with_missing,
        "failing": run.failing,
        "bottom": run.bottom,
        "proposals": run.proposals,
        "moves": run.moves,
        "seconds": run.seconds,
        "created_at": run.created_at,
    }


def result_out(r) -> dict:
    keys = list(INDICATORS)
    return {
        "rank": r.rank,
        "organisation_id": r.organisation_id,
        "organisation": r.organisation.name,
        "credit_code": r.organisation.credit_code,
        "certification_id": r.certification_id,
        "operating_revenue": money(r.operating_revenue),
        "indicators": {k: (None if v is None else f"{v:.4f}") for k, v in zip(keys, r.raw, strict=False)},
        "normalised": dict(zip(keys, r.normalised, strict=False)),
        "score": round(r.score, 4),
        "missing": r.missing,
        "fails_criteria": r.fails_criteria,
        "bottom": r.bottom,
    }


def _kind(p) -> str:
    return "termination" if isinstance(p, TerminationProposal) else "move"


def _also(p) -> dict | None:
    other = getattr(p, "also", None)
    if other is None:
        return None
    return {
        "kind": _kind(other),
        "id": other.pk,
        "explanation": other.explanation,
        "state": other.state,
        "state_label": other.get_state_display(),
    }


def proposal_out(p) -> dict:
    return {
        "id": p.pk,
        "run_id": p.run_id,
        "certification_id": p.certification_id,
        "organisation": p.certification.organisation_name,
        "reason": p.reason,
        "reason_label": p.reason_label,
        "explanation": p.explanation,
        "state": p.state,
        "state_label": p.get_state_display(),
        "document_number": p.document_number,
        "withdrawn_reason": p.withdrawn_reason,
        "also_proposed": _also(p),
    }


def move_out(m) -> dict:
    return {
        "id": m.pk,
        "run_id": m.run_id,
        "certification_id": m.certification_id,
        "organisation": m.certification.organisation_name,
        "from_tier": m.run.tier.name,
        "to_tier": m.to_tier.name,
        "operating_revenue": money(m.operating_revenue),
        "explanation": m.explanation,
        "state": m.state,
        "state_label": m.get_state_display(),
        "document_number": m.document_number,
        "withdrawn_reason": m.withdrawn_reason,
        "also_proposed": _also(m),
    }


def confirm_out(items) -> dict:
    return {
        "confirmed": len(items),
        "withdrawn": [
            {
                "kind": _kind(w),
                "id": w.pk,
                "certification_id": w.certification_id,
                "organisation": w.certification.organisation_name,
            }
            for p in items
            for w in p.withdrawn
        ],
    }


def scheme_out(s) -> dict:
    return {
        "id": s.pk,
        "programme_id": s.programme_id,
        "programme": s.programme.name,
        "effective_year": s.effective_year,
        "weights": s.weights,
        "method": s.method,
        "bottom_share": str(s.bottom_share),
        "note": s.note,
    }


@router.get("/runs", response={200: RunPage, **ERRORS}, summary="综合测评记录")
def run_list(request, query: Query[RunQuery]):
    """省级看全部；市、县看本辖区（含下级）的测评和省级的测评。新的在前。"""
    qs = selectors.runs_visible(request.auth)
    if query.tier_id:
        qs = qs.filter(tier_id=query.tier_id)
    if query.year:
        qs = qs.filter(year=query.year)
    return page_out(page_of(qs, query.page, query.page_size), run_out)


@router.post("/runs", response={201: RunOut, **ERRORS}, summary="综合测评（保存为一次测评记录）")
def run_create(request, payload: RunIn):
    """对当前用户管辖范围内该梯队的有效认定企业，按 ``year`` 生效的综合测评方案测评、排名，并提出终止和梯队调整建议。"""
    selectors.runs_visible(request.auth)  # bureau users only
    run = services.evaluation_run(actor=request.auth, tier=_tier(payload.tier_id), year=payload.year)
    return Status(201, run_out(run))


@router.get("/runs/{int:run_id}", response={200: RunDetailOut, **ERRORS}, summary="综合测评表（附件2）")
def run_detail(request, run_id: int, page: int = 1, page_size: int = 100):
    """每家企业的指标值、标准化得分、综合得分、名次和标记（只含当前用户管辖范围内的企业）。"""
    run = selectors.run_get(request.auth, run_id)
    results = page_of(selectors.results_of(request.auth, run), page, max(1, min(page_size, 1000)))
    return {
        **run_out(run),
        "results": [result_out(r) for r in results.items],
        "has_next": results.has_next,
        "page": results.number,
    }


@router.get("/runs/{int:run_id}/proposals", response={200: list[ProposalOut], **ERRORS}, summary="终止建议")
def run_proposals(request, run_id: int):
    run = selectors.run_get(request.auth, run_id)
    items = selectors.with_counterparts(list(selectors.proposals_of(request.auth, run)))
    return [proposal_out(p) for p in items]


@router.get("/runs/{int:run_id}/moves", response={200: list[MoveOut], **ERRORS}, summary="梯队调整建议")
def run_moves(request, run_id: int):
    run = selectors.run_get(request.auth, run_id)
    items = selectors.with_counterparts(list(selectors.moves_of(request.auth, run)))
    return [move_out(m) for m in items]


@router.post("/proposals/confirm", response={200: ConfirmOut, **ERRORS}, summary="批量确认终止（省级）")
def proposals_confirm(request, payload: ConfirmIn):
    """全部成功或全部不执行；每家企业按建议的原因终止资格，并在规定年限内不再受理；同一认定待确认的梯队调整建议随之撤回（见 ``withdrawn``）。"""
    items = services.proposals_confirm(
        actor=request.auth, proposal_ids=payload.ids, document_number=payload.document_number
    )
    return confirm_out(items)


@router.post("/moves/confirm", response={200: ConfirmOut, **ERRORS}, summary="批量确认梯队调整（省级）")
def moves_confirm(request, payload: ConfirmIn):
    """全部成功或全部不执行；原认定改为“已晋级/重新认定”，在新梯队发新的认定；同一认定待确认的终止建议随之撤回（见 ``withdrawn``）。"""
    items = services.moves_confirm(
        actor=request.auth, move_ids=payload.ids, document_number=payload.document_number
    )
    return confirm_out(items)


@router.get("/schemes", response={200: list[SchemeOut], **ERRORS}, summary="综合测评方案")
def scheme_list(request):
    selectors.runs_visible(request.auth)  # bureau users only
    return [scheme_out(s) for s in selectors.schemes()]


@router.post("/schemes", response={201: SchemeOut, **ERRORS}, summary="新的综合测评方案（省级管理员）")
def scheme_create(request, payload: SchemeIn):
    """权重（各指标 ≥ 0，和 > 0）、标准化方法（minmax / percentile）、末位比例；有任何问题返回 422。"""
    require(is_provincial_admin(request.auth), "只有省级管理员可以修改综合测评方案")
    programme = Programme.objects.filter(pk=payload.programme_id).first()
    if programme is None:
        raise ValidationError({"programme_id": [f"认定项目「{payload.programme_id}」不存在"]})
    data = payload.dict()
    scheme = services.evaluation_scheme_create(actor=request.auth, programme=programme, data=data)
    return Status(201, scheme_out(scheme))
