"""认定条件与筛选: programmes and their tiers with the criteria in force and their history; the criteria
edit form with a live preview; screening runs (start, results, breakdowns, export, comparison with the
previous run); one enterprise's explanation; the same-industry averages.

Every write and every evaluation goes through ``smeplan.programmes`` (``services``, ``screening``,
``engine``, ``averages``); reads through its selectors, scoped by ``accounts.scoping``.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.accounts.scoping import scope_for
from smeplan.exchange import export as engine
from smeplan.exchange.export import INTEGER, MONEY, PERCENT, Column, Export
from smeplan.industries.models import Industry
from smeplan.programmes.criteria import CriterionSpec, format_threshold
from smeplan.programmes.metrics import METRICS
from smeplan.programmes.models import (
    CriterionRole,
    Operator,
    Outcome,
    Reference,
    ScreeningRun,
)
from smeplan.programmes.selectors import (
    average_years,
    averages,
    programme_overview,
    programmes,
    run_get,
    run_previous,
    run_results,
    runs_visible_to,
    specs_of,
    tier_get,
    version_in_force,
    version_latest,
)
from smeplan.programmes.services import may_manage_programme
from smeplan.regions.models import Region
from smeplan.regions.selectors import city_level_units
from smeplan.registry.selectors import organisation_get, organisations_visible_to, page_of
from smeplan.web import formatting, navigation
from smeplan.web.views.common import require_page

RESULTS_PAGE = 50
RUNS_PAGE = 30
AVERAGES_PAGE = 100
COMPARE_LIMIT = 1000
FIRST_YEAR, LAST_YEAR = 2000, 2100

KIND_LABELS = {
    "figure": "年度数据",
    "growth": "增速",
    "ratio": "比率",
    "category": "类别",
    "number": "数值",
    "manual": "人工核实",
}
ROW_FIELDS = ("metric", "operator", "reference", "threshold", "threshold_high", "years", "role", "label")
# letters of ScreeningResult.statuses → (symbol, css class, meaning)
LETTERS = {
    "P": ("✓", "pass", "符合"),
    "F": ("✗", "fail", "不符合"),
    "I": ("?", "incomplete", "数据不全"),
    "M": ("人工审核", "manual", "待审核人员核实"),
}
GROUP_KINDS = {"division": "大类", "section": "门类"}


def _this_year() -> int:
    return timezone.localdate().year


def _year(raw, default: int | None = None) -> int | None:
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


def _year_choices(selected: int | None = None) -> list[int]:
    years = list(range(_this_year(), 2016, -1))
    if selected and selected not in years:
        years.append(selected)
    return years


def _area_text(user) -> str:
    """ "全省" for the province, else the user's region: the area a screening covers."""
    if scope_for(user).everything:
        return "全省"
    return user.region.name if getattr(user, "region_id", None) else "本辖区"


# --- programmes and their tiers ------------------------------------------------------------------


@login_required
@require_GET
def programme_list(request):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    year = _this_year()
    rows = programme_overview(year)
    from smeplan.programmes.services import may_create_programme

    for row in rows:
        row["can_manage"] = may_manage_programme(user, row["programme"])
    return render(
        request,
        "web/programme_list.html",
        {
            "rows": rows,
            "year": year,
            "can_edit": navigation.can_edit_criteria(user),
            "can_create": may_create_programme(user),
        },
    )


# --- criteria edit form --------------------------------------------------------------------------


class _Data:
    """One interface over a QueryDict (form post) and a dict decoded from JSON (preview)."""

    def __init__(self, data):
        self.data = data

    def names(self) -> list[str]:
        return list(self.data)

    def get(self, key, default=""):
        if hasattr(self.data, "getlist"):
            return self.data.get(key, default)
        value = self.data.get(key, default)
        if isinstance(value, list):
            return value[0] if value else default
        return default if value is None else value

    def getlist(self, key) -> list:
        if hasattr(self.data, "getlist"):
            return self.data.getlist(key)
        value = self.data.get(key)
        if value is None or value == "":
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def rows_from(data) -> list[dict]:
    """The criterion rows of the edit form (``c-<n>-<field>``), in the order of their numbers.
    Rows may have gaps (removed in the page); they are renumbered 0, 1, 2 … here."""
    data = data if isinstance(data, _Data) else _Data(data)
    numbers = set()
    for key in data.names():
        parts = str(key).split("-", 2)
        if len(parts) == 3 and parts[0] == "c" and parts[1].isdigit():
            numbers.add(int(parts[1]))
    rows = []
    for n in sorted(numbers):
        prefix = f"c-{n}-"
        row = {f: str(data.get(prefix + f, "") or "").strip() for f in ROW_FIELDS}
        m = METRICS.get(row["metric"])
        row["choices"] = data.getlist(f"{prefix}choices-{row['metric']}") if m and m.choices else []
        row["choices_text"] = str(data.get(prefix + "choices_text", "") or "").strip()
        rows.append(row)
    return rows


def criteria_from_rows(rows: list[dict]) -> list[dict]:
    """Rows as typed → the dicts ``criteria_version_create`` / ``specs_clean`` take. Rates are
    entered in percent (20 = 20%); they are passed on as "20%", which the checks convert."""
    out = []
    for row in rows:
        m = METRICS.get(row["metric"])
        item = {f: row[f] for f in ROW_FIELDS}
        if m is not None and m.is_rate:
            for key in ("threshold", "threshold_high"):
                value = item[key].replace("％", "%")
                if value and not value.endswith("%"):
                    value += "%"
                item[key] = value
        if m is not None and m.kind == "category" and not m.choices:
            item["choices"] = row["choices_text"]
        else:
            item["choices"] = list(row["choices"])
        out.append(item)
    return out


def _percent_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    try:
        return f"{(value * 100).normalize():f}"
    except InvalidOperation:
        return str(value)


def rows_of_specs(specs: list[CriterionSpec]) -> list[dict]:
    """A stored version's criteria as rows of the form (rates shown in percent)."""
    rows = []
    for s in specs:
        m = METRICS.get(s.metric)
        rate = m is not None and m.is_rate

        def shown(value, rate=rate):
            if value is None:
                return ""
            return _percent_text(value) if rate else f"{value.normalize():f}"

        rows.append(
            {
                "metric": s.metric,
                "operator": s.operator,
                "reference": s.reference,
                "threshold": shown(s.threshold),
                "threshold_high": shown(s.threshold_high),
                "years": str(s.years),
                "role": s.role,
                "label": s.label,
                "choices": list(s.choices) if m is not None and m.choices else [],
                "choices_text": "、".join(s.choices) if m is not None and not m.choices else "",
            }
        )
    return rows


def _metric_groups() -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for m in METRICS.values():
        groups.setdefault(m.kind, []).append(m)
    return [(KIND_LABELS.get(kind, kind), items) for kind, items in groups.items()]


def _split_errors(exc: ValidationError, rows: list[dict]) -> tuple[dict, list[str]]:
    """A service ValidationError → ({field: [messages]} for the top fields, [other messages]) and the
    row messages put on each row (``row["errors"][field]``)."""
    top: dict[str, list[str]] = {}
    other: list[str] = []
    if not hasattr(exc, "error_dict"):
        return top, list(exc.messages)
    for key, msgs in exc.message_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "criteria" and parts[1].isdigit() and int(parts[1]) < len(rows):
            rows[int(parts[1])].setdefault("errors", {}).setdefault(parts[2], []).extend(msgs)
        elif key in ("effective_year", "note", "criteria"):
            top.setdefault(key, []).extend(msgs)
        else:
            other.extend(msgs)
    return top, other


def _form_context(tier, rows, **extra) -> dict:
    for i, row in enumerate(rows):
        row["index"] = i
        row.setdefault("errors", {})
    return {
        "tier": tier,
        "rows": rows,
        "metric_groups": _metric_groups(),
        "metrics": METRICS,
        "category_metrics": [m for m in METRICS.values() if m.choices],
        "operators": Operator.choices,
        "references": Reference.choices,
        "roles": CriterionRole.choices,
        "years": _year_choices(),
        "blank_row": {
            "index": "__i__",
            "metric": "operating_revenue",
            "operator": "ge",
            "reference": "threshold",
            "years": "1",
            "role": "required",
            "choices": [],
            "errors": {},
        },
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def criteria_edit(request, pk: int):
    user = request.user
    tier = tier_get(pk)
    require_page(may_manage_programme(user, tier.programme))
    base = version_latest(tier)
    last_year = _this_year() - 1
    top: dict = {}
    other: list[str] = []
    if request.method == "POST":
        from smeplan.programmes.services import criteria_version_create

        rows = rows_from(request.POST)
        effective_year = request.POST.get("effective_year", "").strip()
        note = request.POST.get("note", "").strip()
        try:
            version = criteria_version_create(
                actor=user,
                tier=tier,
                effective_year=effective_year,
                criteria=criteria_from_rows(rows),
                note=note,
            )
        except ValidationError as exc:
            top, other = _split_errors(exc, rows)
        else:
            messages.success(
                request,
                f"已保存{tier}的认定条件第 {version.number} 版（{version.effective_year} 年起生效）",
            )
            return redirect(reverse("programme_list") + f"#tier-{tier.pk}")
    else:
        rows = rows_of_specs(specs_of(base)) if base else []
        effective_year = str(last_year)
        note = ""
    context = _form_context(
        tier,
        rows,
        base=base,
        effective_year=effective_year,
        note=note,
        top_errors=top,
        other_errors=other,
        has_errors=bool(top or other or any(r.get("errors") for r in rows)),
        preview_year=last_year,
        area=_area_text(user),
    )
    return render(request, "web/programme_criteria_edit.html", context)


@login_required
@require_POST
def criteria_preview(request, pk: int):
    """The live preview: the edit form as JSON (or a form post) → how many would pass, no writes.
    Invalid criteria answer 422 with the same Chinese messages as saving."""
    user = request.user
    tier = tier_get(pk)
    require_page(may_manage_programme(user, tier.programme))
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return JsonResponse({"ok": False, "errors": ["请求体不是有效的 JSON"]}, status=400)
        if not isinstance(payload, dict):
            return JsonResponse({"ok": False, "errors": ["请求体应为 JSON 对象"]}, status=400)
        data = _Data(payload)
    else:
        data = _Data(request.POST)
    year = _year(data.get("preview_year"))
    if year is None:
        return JsonResponse(
            {"ok": False, "errors": [f"预览年度“{data.get('preview_year')}”无效"]}, status=422
        )
    from smeplan.programmes.criteria import specs_clean
    from smeplan.programmes.screening import screening_preview

    try:
        specs = specs_clean(criteria_from_rows(rows_from(data)))
    except ValidationError as exc:
        msgs = (
            [m for ms in exc.message_dict.values() for m in ms]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        return JsonResponse({"ok": False, "errors": msgs}, status=422)
    counts = screening_preview(actor=user, tier=tier, year=year, specs=specs)
    text = (
        f"按此条件，{_area_text(user)} {counts['evaluated']} 家参评：符合 {counts['passed']}，"
        f"不符合 {counts['failed']}，数据不全 {counts['incomplete']}（用时 {formatting.duration(counts['seconds'])}）"
    )
    return JsonResponse({"ok": True, "year": year, "text": text, **counts})


# --- screening -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def screening_new(request, pk: int):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    tier = tier_get(pk)
    errors: list[str] = []
    raw = request.POST.get("year") if request.method == "POST" else request.GET.get("year")
    year = _year(raw, None if request.method == "POST" else _this_year() - 1)
    if request.method == "POST":
        if year is None:
            errors.append(f"筛选年度“{raw or ''}”无效（应为 {FIRST_YEAR}–{LAST_YEAR} 的年份）")
        elif version_in_force(tier, year) is None:
            errors.append(f"{tier}在 {year} 年没有生效的认定条件")
        else:
            from smeplan.programmes.screening import screening_run

            try:
                run = screening_run(actor=user, tier=tier, year=year)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                return redirect("programme_run_detail", pk=run.pk)
    version = version_in_force(tier, year) if year else None
    recent = runs_visible_to(user).filter(tier=tier).order_by("-created_at", "-id")[:10]
    return render(
        request,
        "web/screening_new.html",
        {
            "tier": tier,
            "year": year,
            "raw_year": raw or "",
            "years": _year_choices(year),
            "version": version,
            "specs": specs_of(version) if version else [],
            "errors": errors,
            "recent": list(recent),
            "area": _area_text(user),
        },
    )


def _criteria_of(run: ScreeningRun) -> list[dict]:
    """The criteria the run evaluated, with a header label and a description."""
    out = []
    for n, item in enumerate(run.criteria or []):
        metric = METRICS.get(item.get("metric", ""))
        label = item.get("label") or (metric.label if metric else item.get("metric", ""))
        try:
            text = CriterionSpec(
                metric=item["metric"],
                operator=item.get("operator", ""),
                reference=item.get("reference", Reference.THRESHOLD),
                threshold=Decimal(item["threshold"]) if item.get("threshold") not in (None, "") else None,
                threshold_high=(
                    Decimal(item["threshold_high"]) if item.get("threshold_high") not in (None, "") else None
                ),
                choices=tuple(item.get("choices") or ()),
                years=int(item.get("years") or 1),
                role=item.get("role", CriterionRole.REQUIRED),
                label=item.get("label", ""),
            ).describe()
        except (KeyError, ValueError, InvalidOperation, TypeError):
            text = label
        out.append({"n": n + 1, "label": label, "describe": text, "role": item.get("role", "")})
    return out


def _cells(statuses: str, count: int) -> list[dict]:
    cells = []
    for i in range(count):
        letter = statuses[i] if i < len(statuses) else ""
        symbol, css, meaning = LETTERS.get(letter, ("", "", ""))
        cells.append({"symbol": symbol, "css": css, "meaning": meaning})
    return cells


def _breakdown(run: ScreeningRun) -> list[dict]:
    """The run's counts by city, county and industry section, with names and totals."""
    data = run.breakdown or {}
    codes = set(data.get("city", {})) | set(data.get("county", {}))
    region_names = dict(Region.objects.filter(code__in=sorted(codes)).values_list("code", "name"))
    section_names = dict(
        Industry.objects.filter(code__in=sorted(data.get("section", {}))).values_list("code", "name")
    )
    tables = []
    for key, title, head, names in (
        ("city", "按市级单位", "市级单位", region_names),
        ("county", "按区县", "区县", region_names),
        ("section", "按行业门类", "行业门类", section_names),
    ):
        counts = data.get(key) or {}
        if not counts:
            continue
        rows = []
        total = [0, 0, 0]
        for code in sorted(counts):
            values = [*counts[code], 0, 0, 0][:3]
            total = [a + int(b or 0) for a, b in zip(total, values, strict=True)]
            name = names.get(code, "")
            rows.append(
                {"code": code, "name": name or ("未划分行业" if key == "section" else code), "counts": values}
            )
        tables.append({"key": key, "title": title, "head": head, "rows": rows, "total": total})
    return tables


def _outcome_filter(request) -> str:
    outcome = request.GET.get("outcome", "")
    return outcome if outcome in (Outcome.PASS, Outcome.INCOMPLETE) else ""


@login_required
@require_GET
def run_detail(request, pk: int):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    run = run_get(user, pk)
    outcome = _outcome_filter(request)
    criteria = _criteria_of(run)
    page = page_of(run_results(user, run, outcome), request.GET.get("page"), size=RESULTS_PAGE)
    results = [
        {
            "result": r,
            "organisation": r.organisation,
            "cells": _cells(r.statuses, len(criteria)),
            "explain": reverse("programme_explain", args=[run.tier_id, r.organisation_id])
            + f"?year={run.year}&run={run.pk}",
        }
        for r in page.items
    ]
    return render(
        request,
        "web/screening_run.html",
        {
            "run": run,
            "criteria": criteria,
            "page": page,
            "results": results,
            "outcome": outcome,
            "breakdown": _breakdown(run),
            "previous": run_previous(run),
        },
    )


def _run_export(request, pk: int) -> Export:
    user = request.user
    require_page(navigation.can_view_programmes(user))
    run = run_get(user, pk)
    outcome = _outcome_filter(request)
    criteria = _criteria_of(run)
    outcomes = dict(Outcome.choices)
    columns = [
        Column("统一社会信用代码", width=22),
        Column("企业名称", width=36),
        Column("市级单位", width=12),
        Column("区县", width=12),
        Column("行业代码", width=9),
        Column("行业名称", width=24),
        Column("筛选结果", width=10),
        *[Column(f"{c['n']}. {c['label']}", width=18) for c in criteria],
        Column("有优先条件", width=10),
    ]

    def rows():
        qs = run_results(user, run, outcome)
        for r in qs.iterator(chunk_size=2000):
            org = r.organisation
            county = org.county
            city = county.parent.name if county.parent_id and county.parent.parent_id else county.name
            cells = _cells(r.statuses, len(criteria))
            yield (
                org.credit_code,
                org.name,
                city,
                county.name,
                org.industry_id or "",
                org.industry.name if org.industry_id else "",
                str(outcomes.get(r.outcome, r.outcome)),
                *[c["meaning"] for c in cells],
                "是" if r.priority else "否",
            )

    version = run.version
    return Export(
        title=f"{run.tier.name}{run.year}年筛选结果（第{version.number}版条件）",
        actor=user,
        columns=columns,
        rows=rows(),
        filters=[
            ("认定项目", str(run.tier)),
            ("筛选年度", str(run.year)),
            ("条件版本", f"第 {version.number} 版（{version.effective_year} 年起生效）"),
            ("筛选范围", run.region.name if run.region_id else "全省"),
            ("执行人", engine.actor_text(run.actor) if run.actor_id else "—"),
            (
                "执行时间",
                f"{timezone.localtime(run.created_at, engine.SHANGHAI):%Y-%m-%d %H:%M}（北京时间）",
            ),
            ("结果", str(outcomes[outcome]) if outcome else "符合与数据不全"),
        ],
        sheet_name="筛选结果",
        freeze_columns=2,
        notes=[
            (
                "说明",
                "只列出符合与数据不全的单位；不符合的单位只计数。各条件：符合 / 不符合 / 数据不全 / 待审核人员核实",
            )
        ],
        empty_message="没有符合或数据不全的单位",
    )


@login_required
@require_GET
def run_export_xlsx(request, pk: int):
    return engine.xlsx_response(_run_export(request, pk))


@login_required
@require_GET
def run_export_csv(request, pk: int):
    return engine.csv_response(_run_export(request, pk))


@login_required
@require_GET
def run_compare(request, pk: int):
    """Who entered (符合 now, not before) and who left since the previous run of the same tier, year
    and scope."""
    user = request.user
    require_page(navigation.can_view_programmes(user))
    run = run_get(user, pk)
    previous = run_previous(run)
    entered: list = []
    left: list = []
    counts = {"entered": 0, "left": 0}
    if previous is not None:
        from smeplan.programmes.screening import runs_compare

        diff = runs_compare(actor=user, run_a=previous, run_b=run)
        visible = organisations_visible_to(user).select_related("county")
        for key, target in (("entered", entered), ("left", left)):
            ids = list(diff.get(key) or [])
            counts[key] = len(ids)
            target.extend(visible.filter(pk__in=ids[:COMPARE_LIMIT]).order_by("county_id", "name"))
    return render(
        request,
        "web/screening_compare.html",
        {
            "run": run,
            "previous": previous,
            "entered": entered,
            "left": left,
            "counts": counts,
            "limit": COMPARE_LIMIT,
        },
    )


@login_required
@require_GET
def run_list(request):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    qs = runs_visible_to(user)
    tier_id = request.GET.get("tier", "")
    if tier_id.isdigit():
        qs = qs.filter(tier_id=int(tier_id))
    year = _year(request.GET.get("year"))
    if year:
        qs = qs.filter(year=year)
    page = page_of(qs.order_by("-created_at", "-id"), request.GET.get("page"), size=RUNS_PAGE)
    tiers = [t for p in programmes() for t in p.tiers.all()]
    return render(
        request,
        "web/screening_run_list.html",
        {"page": page, "tiers": tiers, "tier_id": tier_id, "year": year or "", "years": _year_choices()},
    )


# --- one enterprise's explanation -----------------------------------------------------------------


@login_required
@require_GET
def explanation(request, pk: int, org_id: int):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    tier = tier_get(pk)
    organisation = organisation_get(user, org_id)
    year = _year(request.GET.get("year"), _this_year() - 1)
    context = {"tier": tier, "organisation": organisation, "year": year, "years": _year_choices(year)}
    if version_in_force(tier, year) is None:
        context["missing_version"] = True
        return render(request, "web/programme_explain.html", context)
    from smeplan.programmes.engine import explain

    version = None
    run_id = request.GET.get("run", "")
    if run_id.isdigit():  # explained with the criteria that run used, not those in force today
        run = (
            runs_visible_to(user)
            .filter(pk=int(run_id), tier=tier, year=year)
            .select_related("version")
            .first()
        )
        if run is not None:
            version = run.version
            context["run"] = run
    try:
        result = explain(actor=user, organisation=organisation, tier=tier, year=year, version=version)
    except ValidationError as exc:  # e.g. a service agency on an enterprise programme
        context["refusal"] = "；".join(exc.messages)
        return render(request, "web/programme_explain.html", context)
    decided, manual, priority = [], [], []
    for item in result.items:
        if item.status == "manual" or item.spec.is_manual:
            manual.append(item)
        elif item.status.startswith("priority") or item.spec.role == CriterionRole.PRIORITY:
            priority.append(item)
        else:
            decided.append(item)
    context.update(
        {
            "explanation": result,
            "outcome_label": dict(Outcome.choices).get(result.outcome, result.outcome),
            "decided": decided,
            "manual": manual,
            "priority": priority,
        }
    )
    return render(request, "web/programme_explain.html", context)


# --- same-industry averages -----------------------------------------------------------------------


def _average_filters(request) -> tuple[int, str, str, list[int]]:
    years = average_years()
    default = years[0] if years else _this_year() - 1
    year = _year(request.GET.get("year"), default)
    metric = request.GET.get("metric", "")
    if metric not in METRICS or not METRICS[metric].averageable:
        metric = ""
    area = request.GET.get("area", "")
    if area and not Region.objects.filter(pk=area).exists():
        area = ""
    return year, metric, area, years


def _area_choices() -> list[Region]:
    province = list(Region.objects.filter(parent__isnull=True).order_by("code"))
    return province + list(city_level_units())


def _average_value(metric: str, value) -> str:
    m = METRICS.get(metric)
    if value is None or m is None:
        return "—"
    return format_threshold(m, Decimal(value).quantize(Decimal("0.0001")))


@login_required
@require_GET
def average_list(request):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    year, metric, area, years = _average_filters(request)
    page = page_of(averages(year, metric, area), request.GET.get("page"), size=AVERAGES_PAGE)
    codes = {a.group_code for a in page.items}
    names = dict(Industry.objects.filter(code__in=sorted(codes)).values_list("code", "name"))
    rows = [
        {
            "average": a,
            "metric_label": METRICS[a.metric].label if a.metric in METRICS else a.metric,
            "group_kind": GROUP_KINDS.get(a.group_kind, a.group_kind),
            "group_name": names.get(a.group_code, ""),
            "value": _average_value(a.metric, a.value),
        }
        for a in page.items
    ]
    return render(
        request,
        "web/programme_averages.html",
        {
            "page": page,
            "rows": rows,
            "year": year,
            "metric": metric,
            "area": area,
            "years": sorted(set(years) | set(_year_choices(year)), reverse=True),
            "metrics": [m for m in METRICS.values() if m.averageable],
            "areas": _area_choices(),
            "can_compute": navigation.can_edit_criteria(user),
            "minimum": 5,
        },
    )


@login_required
@require_POST
def average_compute(request):
    user = request.user
    require_page(navigation.can_edit_criteria(user))
    year = _year(request.POST.get("year"))
    if year is None:
        messages.error(
            request, f"年度“{request.POST.get('year', '')}”无效（应为 {FIRST_YEAR}–{LAST_YEAR} 的年份）"
        )
        return redirect("programme_averages")
    from smeplan.programmes.averages import industry_averages_compute

    try:
        stored = industry_averages_compute(actor=user, year=year)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"已重新计算 {year} 年的同行业平均，共 {stored} 组")
    return redirect(reverse("programme_averages") + f"?year={year}")


@login_required
@require_GET
def average_export(request):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    year, metric, area, _years = _average_filters(request)
    names = dict(Industry.objects.filter(level__in=["section", "division"]).values_list("code", "name"))

    def rows():
        for a in averages(year, metric, area).iterator(chunk_size=2000):
            m = METRICS.get(a.metric)
            yield (
                year,
                m.label if m else a.metric,
                a.area.name,
                GROUP_KINDS.get(a.group_kind, a.group_kind),
                a.group_code,
                names.get(a.group_code, ""),
                a.value,
                a.count,
                a.numerator,
                a.denominator,
            )

    filters = [("年度", str(year))]
    if metric:
        filters.append(("指标", METRICS[metric].label))
    if area:
        filters.append(("范围", Region.objects.get(pk=area).name))
    export = Export(
        title=f"{year}年同行业平均",
        actor=user,
        columns=[
            Column("年度", INTEGER),
            Column("指标", width=22),
            Column("范围", width=12),
            Column("行业层级", width=8),
            Column("行业代码", width=9),
            Column("行业名称", width=28),
            Column("平均值", PERCENT),
            Column("企业数", INTEGER, unit="家"),
            Column("分子合计", MONEY),
            Column("分母合计", MONEY),
        ],
        rows=rows(),
        filters=filters,
        sheet_name="同行业平均",
        notes=[
            (
                "计算方法",
                "增速：Σ本年值 / Σ上年值 − 1；比率：Σ分子 / Σ分母；只计两项数据齐全且基数大于 0 的企业",
            ),
            ("样本不足", "某大类企业少于 5 家时，改用同范围的门类，再不足时用上一级范围的门类"),
        ],
        empty_message="该年度尚未计算同行业平均",
    )
    return engine.xlsx_response(export)


# --- recognition workflow settings of a programme -------------------------------------------------


def _bands_text(bands: list[dict]) -> str:
    return "；".join(f"{b['label']}:{b['low']}-{b['high']}" for b in bands)


def _bands_parse(text: str) -> list:
    """'优:90-100；良:75-89' → [{label, low, high}]; a malformed band is passed on as text so that
    the service names it in its message."""
    out: list = []
    for part in text.replace(";", "；").split("；"):
        part = part.strip()
        if not part:
            continue
        label, _, span = part.partition(":") if ":" in part else part.partition("：")
        low, _, high = span.partition("-")
        out.append({"label": label.strip(), "low": low.strip(), "high": high.strip()})
    return out


def _rubric_rows_from(post) -> list[dict]:
    rows = []
    i = 0
    while f"rubric-{i}-code" in post:
        row = {
            "code": post.get(f"rubric-{i}-code", "").strip(),
            "label": post.get(f"rubric-{i}-label", "").strip(),
            "weight": post.get(f"rubric-{i}-weight", "").strip(),
            "bands": post.get(f"rubric-{i}-bands", "").strip(),
        }
        if row["label"] or row["weight"]:  # a blank row keeps its example bands: not an item
            rows.append(row)
        i += 1
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def programme_settings(request, code: str):
    """认定流程设置 of one programme (provincial admins; a city officer its own city's programmes): 公示天数, 不再受理年数, 有效期, 复核周期,
    专家评审 and its rubric, the certificate title."""
    from smeplan.programmes.models import Programme, title_template_as_text
    from smeplan.programmes.services import programme_settings_update

    user = request.user
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        from django.http import Http404

        raise Http404("认定项目不存在")
    require_page(may_manage_programme(user, programme))
    errors: dict = {}
    has_rubric_versions = programme.rubric_versions.exists()
    if request.method == "POST":
        rows = _rubric_rows_from(request.POST)
        data = {
            k: request.POST.get(k, "")
            for k in (
                "notice_days",
                "ban_years",
                "validity_years",
                "review_interval_years",
                "title_template",
                "annual_report_due",
            )
        }
        data["report_reminders"] = request.POST.get("report_reminders", programme.report_reminders)
        data["expert_review"] = request.POST.get("expert_review", "")
        data["rename_requires_notice"] = request.POST.get("rename_requires_notice", "")
        if not has_rubric_versions:  # else the experts score by the rubric versions (评分细则)
            data["rubric"] = [{**r, "bands": _bands_parse(r["bands"])} for r in rows]
        try:
            programme_settings_update(actor=user, programme=programme, data=data)
        except ValidationError as exc:
            errors = exc.message_dict
            values = {
                **data,
                "expert_review": data["expert_review"] in ("1", "on", "true"),
                "rename_requires_notice": data["rename_requires_notice"] in ("1", "on", "true"),
            }
        else:
            messages.success(request, f"已保存{programme.name}的认定流程设置")
            return redirect(reverse("programme_list") + f"#programme-{programme.code}")
    else:
        values = {
            "notice_days": programme.notice_days,
            "ban_years": programme.ban_years,
            "validity_years": programme.validity_years or "",
            "review_interval_years": programme.review_interval_years or "",
            "title_template": title_template_as_text(programme.title_template),
            "expert_review": programme.expert_review,
            "annual_report_due": programme.annual_report_due,
            "report_reminders": programme.report_reminders,
            "rename_requires_notice": programme.rename_requires_notice,
        }
        rows = [{**r, "bands": _bands_text(r.get("bands", []))} for r in programme.rubric]
    rows = (
        rows
        + [{"code": "", "label": "", "weight": "", "bands": "优:90-100；良:75-89；中:60-74；差:0-59"}] * 2
    )
    return render(
        request,
        "web/programme_settings.html",
        {
            "programme": programme,
            "values": values,
            "rows": rows,
            "errors": errors,
            "has_rubric_versions": has_rubric_versions,
        },
        status=422 if errors else 200,
    )
