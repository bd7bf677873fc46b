"""汇总表与市级年度计划: 附件3 汇总表 (page and .xlsx), the cities' annual plans (六（一）) with their
approval and the year-end assessment, and the filing (备案) of a city's own annex-3 sheet.

Reads through ``reporting.selectors`` (scoped); changes only through ``reporting.services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from smeplan.exchange import export as engine
from smeplan.recognition import clock
from smeplan.reporting.selectors import LEVELS, TIERS, annex3, may_read
from smeplan.reporting.sheets import annex3_export
from smeplan.web.views.common import require_page

FIRST_YEAR = 2017


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    default = clock.today().year - 1
    if not raw:
        return default
    try:
        year = int(raw)
    except ValueError as exc:
        raise ValidationError({"year": [f"年度应为四位数字，收到“{raw}”"]}) from exc
    if not FIRST_YEAR <= year <= clock.today().year:
        raise ValidationError({"year": [f"年度应在 {FIRST_YEAR}—{clock.today().year} 之间，收到“{raw}”"]})
    return year


def _years() -> list[int]:
    return list(range(clock.today().year, FIRST_YEAR - 1, -1))


def _region_label(user) -> str:
    return "全省" if user.is_superuser or not user.region_id else user.region.name


def percent(value) -> str:
    """A growth as "12.34%"; "—" when undefined."""
    return "—" if value is None else f"{value * 100:.2f}%"


def _cells(row) -> list[tuple[int, bool]]:
    """The 12 level × tier counts with each level's subtotal after its tiers: (value, is_subtotal)."""
    cells = []
    for level, _ in LEVELS:
        cells += [(row.counts[(level, tier)], False) for tier, _ in TIERS]
        cells.append((row.level_total(level), True))
    return cells


@login_required
@require_GET
def annex3_page(request):
    require_page(may_read(request.user))
    try:
        year = _year(request)
    except ValidationError as e:
        return HttpResponseBadRequest("；".join(m for ms in e.message_dict.values() for m in ms))
    result = annex3(user=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        return engine.xlsx_response(
            annex3_export(user=request.user, result=result, region_label=_region_label(request.user))
        )
    rows = [{"row": r, "cells": _cells(r), "growth": percent(r.growth)} for r in result.rows]
    return render(
        request,
        "web/reporting_annex3.html",
        {
            "year": year,
            "years": _years(),
            "rows": rows,
            "levels": LEVELS,
            "tiers": TIERS,
            "result": result,
        },
    )
