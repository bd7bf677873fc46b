"""评分细则 pages: a programme's rubric versions, one version shown in full, and a new version edited in
the page (groups, indicators with bands written as text “≥5%:20；3%-5%:15；<1%:0”, sources chosen
from the metrics and the application form's fields, exclusions / direct-pass / basic-condition rows),
checked by ``rubric.design_check`` and saved by ``rubric_version_create``. Combined sources (比值、
平均、取较高者、多选累计) and nested conditions of an earlier version are kept as they are (or
deleted); choice values are shown and typed as the form's labels."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from smeplan.programmes import rubric
from smeplan.programmes.metrics import METRICS
from smeplan.programmes.models import FormPurpose, FormVersion, Programme, RubricVersion
from smeplan.programmes.services import may_manage_programme, rubric_version_create
from smeplan.recognition import clock
from smeplan.web import navigation
from smeplan.web.views.common import require_page

YEARS = [(0, "申报年度"), (-1, "上一年度"), (-2, "前两年度"), (-3, "前三年度")]
UNIT_CHOICES = [
    ("", "无"),
    ("percent", "百分比"),
    ("money", "万元"),
    ("years", "年"),
    ("persons", "人"),
    ("number", "数值"),
]
OP_CHOICES = [
    ("true", "为“是”"),
    ("false", "为“否”"),
    ("ge", "≥"),
    ("gt", ">"),
    ("le", "≤"),
    ("lt", "<"),
    ("in", "属于"),
]
SCORED_METRICS = [m for m in METRICS.values() if m.kind in ("figure", "growth", "ratio", "number")]
BLANK_ROWS = 2


def _programme(code: str) -> Programme:
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise Http404("认定项目不存在")
    return programme


def _form_fields(programme) -> tuple[list[tuple[str, str]], dict]:
    """([(code, label)] of the newest application form's fields, {code: {value: label}})."""
    version = (
        FormVersion.objects.filter(programme=programme, purpose=FormPurpose.APPLICATION)
        .order_by("-effective_year", "-number")
        .first()
    )
    labels, choices = rubric.form_labels(version.design if version else None)
    return list(labels.items()), choices


def _choice_text(table: dict, options: dict) -> str:
    named = {"true": "是", "false": "否", **options}
    return "；".join(f"{named.get(k, k)}:{rubric._num(v)}" for k, v in table.items())


def _choice_parse(text: str, options: dict, where: str) -> dict:
    back = {"是": "true", "否": "false", **{label: value for value, label in options.items()}}
    out = {}
    for part in [p.strip() for p in str(text).replace(";", "；").split("；") if p.strip()]:
        name, sep, points = part.replace("：", ":").rpartition(":")
        if not sep:
            raise ValidationError({"design": [f"{where}：选项分值「{part}」应写成「选项:分值」"]})
        try:
            out[back.get(name.strip(), name.strip())] = rubric._jsonnum(Decimal(points.strip()))
        except InvalidOperation:
            raise ValidationError(
                {"design": [f"{where}：选项「{name}」的分值「{points}」不是数字"]}
            ) from None
    return out


def _rows(post, prefix: str) -> list[dict]:
    rows, i = [], 0
    while f"{prefix}-{i}-label" in post or f"{prefix}-{i}-keep" in post:
        rows.append(
            {k[len(f"{prefix}-{i}-") :]: v for k, v in post.items() if k.startswith(f"{prefix}-{i}-")}
        )
        i += 1
    return rows


def _indicator_row(item: dict, options: dict) -> dict:
    source = item.get("source", {})
    row = {
        "code": item["code"],
        "label": item["label"],
        "group": item.get("group", ""),
        "max": rubric._num(item["max"]),
        "unit": item.get("unit", ""),
        "basis": item.get("basis", ""),
        "kind": "keep",
        "metric": "",
        "year": -1,
        "answer": "",
        "method": "bands",
        "rule": "",
        "keep": "",
    }
    simple = (
        "best_of" not in item and "each" not in item and set(source) <= {"metric", "year", "answer", "expert"}
    )
    if not simple:
        row["keep"] = json.dumps(item, ensure_ascii=False)
        row["summary"] = "组合取值或多选累计，沿用原设置"
        return row
    if source.get("expert"):
        row["kind"] = "expert"
    elif "metric" in source:
        row.update(kind="metric", metric=source["metric"], year=int(source.get("year", 0)))
    else:
        row.update(kind="answer", answer=source["answer"])
    if "bands" in item:
        row.update(method="bands", rule=rubric.bands_as_text(item["bands"], item.get("unit", "")))
    elif "choices" in item:
        row.update(
            method="choices", rule=_choice_text(item["choices"], options.get(source.get("answer"), {}))
        )
    elif "per" in item:
        row.update(method="per", rule=f"{item['per']['step']}:{item['per']['points']}")
    return row


def _rule_row(key: str, rule: dict, options: dict) -> dict:
    test = rule.get("test", {})
    source = test.get("source", {})
    row = {
        "list": key,
        "code": rule["code"],
        "label": rule["label"],
        "basis": rule["basis"],
        "kind": "keep",
        "answer": "",
        "metric": "",
        "year": -1,
        "op": "true",
        "value": "",
        "keep": "",
    }
    if "source" not in test or not set(source) <= {"metric", "year", "answer"}:
        row["keep"] = json.dumps(rule, ensure_ascii=False)
        row["summary"] = "组合条件，沿用原设置"
        return row
    if "metric" in source:
        row.update(kind="metric", metric=source["metric"], year=int(source.get("year", 0)))
    else:
        row.update(kind="answer", answer=source["answer"])
    row["op"] = test["op"]
    value = test.get("value", "")
    labels = options.get(source.get("answer"), {})
    if isinstance(value, list):
        value = "、".join(labels.get(v, v) for v in value)
    elif test["op"] in ("ge", "gt", "le", "lt") and source.get("metric", "").startswith(
        ("ratio.", "growth.")
    ):
        value = rubric._num(Decimal(value) * 100) + "%"
    row["value"] = value
    return row


def _design_from(post, options: dict) -> dict:
    """The design the page posted (raises ValidationError on text it cannot read)."""
    design: dict = {
        "max_total": post.get("max_total", ""),
        "pass_total": post.get("pass_total", ""),
        "experts": {"aggregation": post.get("aggregation", "mean")},
        "groups": [],
        "indicators": [],
    }
    if post.get("outlier_points", "").strip():
        design["experts"]["outlier_points"] = post["outlier_points"].strip()
    for i, row in enumerate(_rows(post, "g")):
        if not row.get("label", "").strip() or row.get("delete"):
            continue
        group = {
            "code": row.get("code") or f"g{i + 1}",
            "label": row["label"].strip(),
            "max": row.get("max", ""),
            "basis": row.get("basis", "").strip(),
        }
        if row.get("minimum", "").strip():
            group["minimum"] = row["minimum"].strip()
        design["groups"].append(group)
    labels_to_codes = {g["label"]: g["code"] for g in design["groups"]}
    for i, row in enumerate(_rows(post, "i")):
        if row.get("delete"):
            continue
        if row.get("keep"):
            design["indicators"].append(json.loads(row["keep"]))
            continue
        label = row.get("label", "").strip()
        if not label:
            continue
        where = f"指标「{label}」"
        item = {
            "code": row.get("code") or f"i{i + 1}",
            "label": label,
            "max": row.get("max", ""),
            "basis": row.get("basis", "").strip(),
            "unit": row.get("unit", ""),
        }
        group = row.get("group", "")
        if group:
            item["group"] = labels_to_codes.get(group, group)
        kind = row.get("kind", "")
        if kind == "expert":
            item["source"] = {"expert": True}
            design["indicators"].append(item)
            continue
        if kind == "metric":
            item["source"] = {"metric": row.get("metric", ""), "year": row.get("year", "-1")}
        else:
            item["source"] = {"answer": row.get("answer", "")}
        method, text = row.get("method", "bands"), row.get("rule", "")
        if method == "bands":
            try:
                item["bands"] = rubric.bands_parse(text, item["unit"])
            except ValueError as exc:
                raise ValidationError({"design": [f"{where}：{exc}"]}) from None
        elif method == "choices":
            item["choices"] = _choice_parse(text, options.get(item["source"].get("answer"), {}), where)
        else:
            step, _, points = text.replace("：", ":").partition(":")
            item["per"] = {"step": step.strip(), "points": points.strip()}
        design["indicators"].append(item)
    for key in rubric.RULE_LISTS:
        design[key] = []
    for row in _rows(post, "r"):
        if row.get("delete"):
            continue
        if row.get("keep"):
            rule = json.loads(row["keep"])
            design[row.get("list", "exclusions")].append(rule)
            continue
        label = row.get("label", "").strip()
        if not label:
            continue
        key = row.get("list", "")
        if key not in rubric.RULE_LISTS:
            raise ValidationError(
                {"design": [f"条件「{label}」：请选择类别（排除情形、直通条件或基本条件）"]}
            )
        if row.get("kind") == "metric":
            source = {"metric": row.get("metric", ""), "year": row.get("year", "-1")}
        else:
            source = {"answer": row.get("answer", "")}
        test = {"source": source, "op": row.get("op", "")}
        value = row.get("value", "").strip()
        if test["op"] == "in":
            labels = {lbl: v for v, lbl in options.get(source.get("answer"), {}).items()}
            test["value"] = [
                labels.get(v.strip(), v.strip()) for v in value.replace(",", "、").split("、") if v.strip()
            ]
        elif test["op"] not in ("true", "false"):
            text = value.replace(",", "").replace("万元", "").replace("万", "")
            if text.endswith("%"):
                with contextlib.suppress(InvalidOperation):
                    text = rubric._num(Decimal(text[:-1]) / 100)
            test["value"] = text
        design[key].append(
            {
                "code": row.get("code") or f"{key}-{len(design[key]) + 1}",
                "label": label,
                "test": test,
                "basis": row.get("basis", "").strip(),
            }
        )
    return design


def _editor_context(programme, *, design: dict | None, values: dict, errors: dict) -> dict:
    fields, options = _form_fields(programme)
    design = design or {}
    groups = [
        {
            "code": g["code"],
            "label": g["label"],
            "max": rubric._num(g["max"]) if g.get("max") is not None else "",
            "minimum": rubric._num(g["minimum"]) if "minimum" in g else "",
            "basis": g.get("basis", ""),
        }
        for g in design.get("groups", [])
    ]
    group_names = {g["code"]: g["label"] for g in groups}
    indicators = [_indicator_row(i, options) for i in design.get("indicators", [])]
    for row in indicators:
        row["group"] = group_names.get(row["group"], row["group"])
    rules = [_rule_row(key, r, options) for key in rubric.RULE_LISTS for r in design.get(key, [])]
    blank_g = {"code": "", "label": "", "max": "", "minimum": "", "basis": ""}
    blank_i = {
        "code": "",
        "label": "",
        "group": "",
        "max": "",
        "unit": "",
        "basis": "",
        "kind": "metric",
        "metric": "",
        "year": -1,
        "answer": "",
        "method": "bands",
        "rule": "",
        "keep": "",
    }
    blank_r = {
        "list": "exclusions",
        "code": "",
        "label": "",
        "basis": "",
        "kind": "answer",
        "answer": "",
        "metric": "",
        "year": -1,
        "op": "true",
        "value": "",
        "keep": "",
    }
    experts = design.get("experts", {})
    return {
        "programme": programme,
        "groups": groups + [dict(blank_g) for _ in range(BLANK_ROWS)],
        "indicators": indicators + [dict(blank_i) for _ in range(BLANK_ROWS + 1)],
        "rules": rules + [dict(blank_r) for _ in range(BLANK_ROWS)],
        "metrics": SCORED_METRICS,
        "fields": fields,
        "years": YEARS,
        "units": UNIT_CHOICES,
        "ops": OP_CHOICES,
        "lists": list(rubric.RULE_LISTS.items()),
        "aggregations": list(rubric.AGGREGATIONS.items()),
        "values": {
            "max_total": rubric._num(design.get("max_total", 100)),
            "pass_total": rubric._num(design.get("pass_total", 60)),
            "aggregation": experts.get("aggregation", "mean"),
            "outlier_points": rubric._num(experts["outlier_points"]) if "outlier_points" in experts else "",
            **values,
        },
        "errors": errors,
        "convention": rubric.CONVENTION,
    }


@login_required
@require_GET
def rubric_list(request, code: str):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    programme = _programme(code)
    versions = list(
        RubricVersion.objects.filter(programme=programme).select_related("created_by").order_by("-number")
    )
    in_force = rubric.rubric_version_for(programme, clock.today().year)
    return render(
        request,
        "web/rubric_list.html",
        {
            "programme": programme,
            "versions": versions,
            "in_force": in_force,
            "can_edit": may_manage_programme(user, programme),
        },
    )


@login_required
@require_GET
def rubric_detail(request, pk: int):
    user = request.user
    require_page(navigation.can_view_programmes(user))
    version = RubricVersion.objects.select_related("programme").filter(pk=pk).first()
    if version is None:
        raise Http404("评分细则版本不存在")
    _fields, options = _form_fields(version.programme)
    design = version.design
    names = {g["code"]: g["label"] for g in design.get("groups", [])}
    indicators = []
    for item in design.get("indicators", []):
        row = _indicator_row(item, options)
        unit = item.get("unit", "")
        if "best_of" in item:
            rule = (
                "；".join(
                    f"{alt['label']}："
                    + "，".join(
                        f"{rubric.band_text(b, alt.get('unit', ''))} {rubric._num(b['points'])} 分"
                        for b in alt["bands"]
                    )
                    for alt in item["best_of"]
                )
                + "；取较高者"
            )
        elif "bands" in item:
            rule = "；".join(
                f"{rubric.band_text(b, unit)} → {rubric._num(b['points'])} 分" for b in item["bands"]
            )
        elif item.get("source", {}).get("expert"):
            rule = f"专家评分 0–{rubric._num(item['max'])} 分"
        else:
            rule = rubric.explain({"indicators": [item]}, {"i": [[0, 0, -1, None]]}, reference_year=0)[
                "lines"
            ][0]["band"]
        indicators.append(
            {
                **row,
                "group": names.get(item.get("group"), ""),
                "rule": rule,
                "source_text": rubric._source_text(item.get("source", {}), None, dict(_fields))
                if "source" in item
                else "见各取值",
            }
        )
    programme_names = dict(Programme.objects.values_list("code", "name"))
    labels = dict(_fields)
    rules = [
        {
            "list": name,
            "label": r["label"],
            "basis": r["basis"],
            "test": rubric._test_text(r["test"], None, labels, options, programme_names),
        }
        for key, name in rubric.RULE_LISTS.items()
        for r in design.get(key, [])
    ]
    return render(
        request,
        "web/rubric_detail.html",
        {
            "version": version,
            "design": design,
            "indicators": indicators,
            "rules": rules,
            "aggregation": rubric.AGGREGATIONS.get(design.get("experts", {}).get("aggregation", "mean"), ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_new(request, code: str):
    user = request.user
    programme = _programme(code)
    require_page(may_manage_programme(user, programme))
    latest = RubricVersion.objects.filter(programme=programme).order_by("-number").first()
    if request.method == "GET":
        values = {
            "title": latest.title if latest else f"{programme.name}评分细则",
            "effective_year": clock.today().year,
            "note": "",
        }
        return render(
            request,
            "web/rubric_edit.html",
            _editor_context(programme, design=latest.design if latest else None, values=values, errors={}),
        )
    post = request.POST
    values = {
        k: post.get(k, "")
        for k in (
            "title",
            "effective_year",
            "note",
            "max_total",
            "pass_total",
            "aggregation",
            "outlier_points",
        )
    }
    _fields, options = _form_fields(programme)
    design = None
    try:
        design = _design_from(post, options)
        version = rubric_version_create(
            actor=user,
            programme=programme,
            design=design,
            effective_year=values["effective_year"],
            title=values["title"],
            note=values["note"],
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"design": exc.messages}
        shown = design if design is not None else (latest.design if latest else None)
        context = _editor_context(programme, design=_as_shown(shown), values=values, errors=errors)
        return render(request, "web/rubric_edit.html", context, status=400)
    messages.success(request, f"已保存评分细则第 {version.number} 版（{version.effective_year} 年起施行）")
    return redirect("rubric_detail", version.pk)


def _as_shown(design: dict | None) -> dict | None:
    """A posted design re-shown after a refusal: numbers as typed, bands parsed or left out."""
    if design is None:
        return None
    shown = json.loads(json.dumps(design, default=str))
    for g in shown.get("groups", []):
        for key in ("max", "minimum"):
            if key in g:
                try:
                    Decimal(str(g[key]))
                except InvalidOperation:
                    g[key] = 0
    for item in shown.get("indicators", []):
        try:
            Decimal(str(item.get("max")))
        except InvalidOperation:
            item["max"] = 0
        source = item.get("source", {})
        if "year" in source:
            try:
                source["year"] = int(source["year"])
            except (TypeError, ValueError):
                source["year"] = -1
    for key in ("max_total", "pass_total"):
        try:
            Decimal(str(shown.get(key)))
        except InvalidOperation:
            shown[key] = 0
    return shown
