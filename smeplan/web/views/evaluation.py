"""年度综合测评 pages: runs and "run now" (bureau users), the 综合测评表 (annex 2) per tier with its
.xlsx, the what-if (other weights or method, nothing saved), termination proposals and tier moves
with bulk confirmation (province), schemes (provincial admins edit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from smeplan.accounts.scoping import is_provincial_admin
from smeplan.evaluation import selectors, services
from smeplan.evaluation.models import INDICATORS, Method
from smeplan.exchange import export as xlsx
from smeplan.exchange.export import INTEGER, MONEY, PERCENT, Column, Export
from smeplan.programmes.models import Programme, Tier
from smeplan.registry.selectors import page_of
from smeplan.web import formatting
from smeplan.web.views.common import require_page

GROWTH_CODES = ("growth-province", "growth-city", "growth-county")


def _reader(user) -> None:
    require_page(selectors.is_reader(user))


def _this_year() -> int:
    return timezone.localdate().year


def _pct(v) -> str:
    return formatting.percent(v, 2, trim=False)  # a column of rates: aligned decimals


def _rows(results) -> list[dict]:
    keys = list(INDICATORS)
    out = []
    for r in results:
        out.append(
            {
                "r": r,
                "cells": [
                    {"raw": _pct(raw), "norm": f"{norm:.2f}", "missing": raw is None}
                    for raw, norm in zip(r.raw, r.normalised, strict=False)
                ][: len(keys)],
            }
        )
    return out


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_list(request):
    user = request.user
    _reader(user)
    errors: list[str] = []
    if request.method == "POST":
        tier = Tier.objects.select_related("programme").filter(pk=request.POST.get("tier") or 0).first()
        if tier is None:
            errors.append(f"请选择梯队（收到「{request.POST.get('tier', '')}」）")
        else:
            try:
                run = services.evaluation_run(actor=user, tier=tier, year=request.POST.get("year"))
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, f"已完成{run.tier}{run.year}年综合测评：{run.evaluated} 家")
                return redirect("evaluation_run_detail", pk=run.pk)
    runs = selectors.runs_visible(user)
    page = page_of(runs, request.GET.get("page"), 30)
    tiers = Tier.objects.select_related("programme").filter(programme__code__in=GROWTH_CODES)
    return render(
        request,
        "web/evaluation_list.html",
        {
            "page": page,
            "tiers": list(tiers),
            "years": list(range(_this_year(), _this_year() - 6, -1)),
            "year": _this_year() - 1,
            "errors": errors,
        },
    )


@login_required
@require_GET
def evaluation_run_detail(request, pk: int):
    user = request.user
    _reader(user)
    run = selectors.run_get(user, pk)
    page = page_of(selectors.results_of(user, run), request.GET.get("page"), 100)
    return render(
        request,
        "web/evaluation_run.html",
        {
            "run": run,
            "page": page,
            "rows": _rows(page.items),
            "indicators": [(label, run.weights.get(k, 0)) for k, label in INDICATORS.items()],
            "provincial": services._is_provincial(user),
        },
    )


@login_required
@require_GET
def evaluation_run_export(request, pk: int):
    user = request.user
    _reader(user)
    run = selectors.run_get(user, pk)
    results = selectors.results_of(user, run)
    labels = list(INDICATORS.values())
    columns = [
        Column("名次", INTEGER),
        Column("统一社会信用代码", width=22),
        Column("单位名称", width=30),
        Column("营业收入", MONEY),
        *[Column(label, PERCENT) for label in labels],
        *[Column(f"{label}得分", MONEY, unit="") for label in labels],
        Column("综合得分", MONEY, unit=""),
        Column("数据缺失"),
        Column("不符合认定条件"),
        Column("末位"),
    ]

    def rows():
        for r in results.iterator(chunk_size=2000):
            yield (
                r.rank,
                r.organisation.credit_code,
                r.organisation.name,
                r.operating_revenue,
                *[(None if v is None else v) for v in r.raw],
                *[round(v, 2) for v in r.normalised],
                round(r.score, 2),
                "是" if r.missing else "",
                "是" if r.fails_criteria else "",
                "是" if r.bottom else "",
            )

    return xlsx.xlsx_response(
        Export(
            title=f"{run.tier.name}{run.year}年综合测评表",
            actor=user,
            columns=columns,
            rows=rows(),
            filters=[
                ("认定项目", run.programme.name),
                ("梯队", run.tier.name),
                ("测评年度", str(run.year)),
                ("范围", run.region.name if run.region_id else "全省"),
                ("标准化方法", str(Method(run.method).label)),
                ("末位比例", formatting.percent(run.bottom_share)),
                ("权重", "，".join(f"{INDICATORS[k]} {v:g}" for k, v in run.weights.items())),
            ],
            sheet_name="综合测评表",
            freeze_columns=3,
            notes=[
                ("说明", "指标缺失或无法计算（增速基数 ≤ 0、分母缺失或 ≤ 0）的该项得 0 分并标记数据缺失。")
            ],
        )
    )


@login_required
@require_GET
def evaluation_what_if(request, pk: int):
    """Other weights or method over the stored raw values of the whole tier: which ranks would
    change (only the user's visible enterprises are listed). Nothing is saved."""
    user = request.user
    _reader(user)
    run = selectors.run_get(user, pk)
    raw_weights = {k: request.GET.get(f"weight_{k}", f"{float(run.weights.get(k, 0)):g}") for k in INDICATORS}
    method = request.GET.get("method") or run.method
    weights, errors = services.weights_clean(raw_weights)
    if method not in Method.values:
        errors["method"] = [f"标准化方法「{method}」无效"]
    changes: list[dict] = []
    asked = any(k.startswith("weight_") or k == "method" for k in request.GET)
    if asked and not errors:
        changes = selectors.what_if(user, run, weights=weights, method=method)
    return render(
        request,
        "web/evaluation_what_if.html",
        {
            "run": run,
            "fields": [(k, label, raw_weights[k]) for k, label in INDICATORS.items()],
            "method": method,
            "methods": Method.choices,
            "errors": errors,
            "asked": asked,
            "changes": changes,
        },
    )


def _confirm_page(request, pk: int, *, kind: str):
    user = request.user
    _reader(user)
    run = selectors.run_get(user, pk)
    errors: list[str] = []
    if request.method == "POST":
        ids = request.POST.getlist("ids")
        document = request.POST.get("document_number", "")
        try:
            if kind == "proposals":
                done = services.proposals_confirm(actor=user, proposal_ids=ids, document_number=document)
            else:
                done = services.moves_confirm(actor=user, move_ids=ids, document_number=document)
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            withdrawn = sum(len(p.withdrawn) for p in done)
            also = (
                f"；同一企业的{'梯队调整建议' if kind == 'proposals' else '终止建议'} {withdrawn} 条已撤回"
                if withdrawn
                else ""
            )
            messages.success(request, f"已确认 {len(done)} 条（{document.strip()}）{also}")
            return redirect(f"evaluation_run_{kind}", pk=run.pk)
    items = list((selectors.proposals_of if kind == "proposals" else selectors.moves_of)(user, run))
    selectors.with_counterparts(items)
    chosen = set(request.POST.getlist("ids")) if request.method == "POST" else None
    for p in items:
        p.pending_both = p.state == "proposed" and p.also is not None and p.also.state == "proposed"
        # pre-ticked unless the officer has to choose between the two proposals of one enterprise
        p.ticked = str(p.pk) in chosen if chosen is not None else not p.pending_both
    return render(
        request,
        "web/evaluation_proposals.html",
        {
            "run": run,
            "kind": kind,
            "items": items,
            "both": sum(p.pending_both for p in items),
            "errors": errors,
            "provincial": services._is_provincial(user),
            "document_number": request.POST.get("document_number", ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_run_proposals(request, pk: int):
    return _confirm_page(request, pk, kind="proposals")


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_run_moves(request, pk: int):
    return _confirm_page(request, pk, kind="moves")


def _share_of_form(text) -> str:
    """The form asks for the bottom share in per cent ('5' or '5%'): as the service's '5%'."""
    text = str(text or "").strip()
    return text if not text or text.endswith("%") else f"{text}%"


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_schemes(request):
    user = request.user
    _reader(user)
    errors: dict = {}
    form = {}
    if request.method == "POST":
        require_page(is_provincial_admin(user))
        form = request.POST
        programme = Programme.objects.filter(pk=request.POST.get("programme") or 0).first()
        if programme is None:
            errors["programme"] = [f"请选择认定项目（收到「{request.POST.get('programme', '')}」）"]
        else:
            data = {
                "effective_year": request.POST.get("effective_year"),
                "weights": {k: request.POST.get(f"weight_{k}", "0") for k in INDICATORS},
                "method": request.POST.get("method"),
                "bottom_share": _share_of_form(request.POST.get("bottom_share")),
                "note": request.POST.get("note"),
            }
            try:
                services.evaluation_scheme_create(actor=user, programme=programme, data=data)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, f"已保存{programme.name}的综合测评方案")
                return redirect("evaluation_schemes")
    schemes = list(selectors.schemes())
    return render(
        request,
        "web/evaluation_schemes.html",
        {
            "schemes": [
                {"s": s, "weights": [(INDICATORS[k], s.weights.get(k, 0)) for k in INDICATORS]}
                for s in schemes
            ],
            "programmes": list(Programme.objects.filter(code__in=GROWTH_CODES)),
            "indicators": [(k, label, form.get(f"weight_{k}", "1")) for k, label in INDICATORS.items()],
            "methods": Method.choices,
            "form": form,
            "errors": errors,
            "editor": is_provincial_admin(user),
            "bottom_share": form.get("bottom_share", "5"),
            "year": _this_year(),
        },
    )
