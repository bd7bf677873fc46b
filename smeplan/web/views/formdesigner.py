"""申报表设计 / 年度报告表设计: a programme's form versions (list, preview of one) and the editor of a
new version — one server-rendered row per field (section, code, label, type, unit, required, help,
choices “值:名称；…”, condition, prefill, table columns, file types and size), rows added, removed
and moved by smeplan.js; checked by ``formdesign.design_check`` before it is saved as a new version
(``form_services.form_version_create``)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from smeplan.indicators.models import FIGURE_FIELDS
from smeplan.programmes import formdesign
from smeplan.programmes.form_services import form_version_create, may_design_forms
from smeplan.programmes.models import FormPurpose, FormVersion, Programme
from smeplan.recognition import clock
from smeplan.web import navigation
from smeplan.web.views.common import require_page

PURPOSE_NAMES = {"application": "申报表", "annual_report": "年度报告表"}
#: the attributes of a field row in the editor (input name f-<row>-<attr>)
ROW_ATTRS = (
    "section", "code", "label", "type", "unit", "required", "help", "choices", "show_if", "prefill",
    "columns", "file_types", "max_mb", "min", "max", "decimals", "max_length", "min_rows", "max_rows",
    "years", "format",
)  # fmt: skip
SPLIT = re.compile(r"[；;]")


def _programme(code: str) -> Programme:
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise Http404("认定项目不存在")
    return programme


def _purpose(purpose: str) -> str:
    if purpose not in FormPurpose.values:
        raise Http404("没有这种表单")
    return purpose


# --- design ⇄ editor rows -------------------------------------------------------------------------


def _value_text(v) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def rows_of(design: dict) -> list[dict]:
    """One editor row per field of a (normalised) design, every attribute as text."""
    rows = []
    for section in design.get("sections", []):
        for f in section["fields"]:
            row = {a: "" for a in ROW_ATTRS}
            row.update(section=section["title"], code=f["code"], label=f["label"], type=f["type"])
            row["required"] = bool(f.get("required"))
            row["help"] = f.get("help", "")
            if f["type"] == "number":
                row["unit"] = f.get("unit", "")
                row["decimals"] = str(f.get("decimals", ""))
            for key in ("min", "max", "max_length", "max_mb", "min_rows", "max_rows", "format"):
                if key in f:
                    row[key] = str(f[key])
            if f.get("choices"):
                row["choices"] = "；".join(f"{v}:{n}" for v, n in f["choices"])
            if f.get("show_if"):
                c = f["show_if"]
                values = [c["equals"]] if "equals" in c else c["in"]
                row["show_if"] = f"{c['field']}=" + "|".join(_value_text(v) for v in values)
            if f.get("prefill"):
                p = f["prefill"]
                row["prefill"] = (
                    f"registry:{p['registry']}" if "registry" in p else f"figure:{p['figure']}:{p['year']}"
                )
            if f["type"] == "table":
                row["columns"] = "；".join(
                    ":".join([c["code"], c["label"], c["type"]] + (["必填"] if c.get("required") else []))
                    + (f":{'|'.join(f'{v}={n}' for v, n in c['choices'])}" if c.get("choices") else "")
                    for c in f["columns"]
                )
            if f["type"] == "attachment":
                row["file_types"] = ",".join(f["file_types"])
            if f["type"] == "figures":
                row["years"] = ",".join(str(y) for y in f["years"])
            rows.append(row)
    return rows


def rows_from_post(post) -> list[dict]:
    """The editor's rows in the order the page sent them (rows are moved in the page)."""
    order: list[str] = []
    rows: dict[str, dict] = {}
    pattern = re.compile(r"^f-(\d+)-([a-z_]+)$")
    for key in post:
        m = pattern.match(key)
        if not m or m[2] not in ROW_ATTRS:
            continue
        if m[1] not in rows:
            order.append(m[1])
            rows[m[1]] = {a: "" for a in ROW_ATTRS}
        rows[m[1]][m[2]] = post.get(key, "").strip()
    out = []
    for i in order:
        row = rows[i]
        row["required"] = row["required"] in ("1", "on", "true")
        if any(row[a] for a in ("code", "label")) or (row["section"] and row["type"]):
            out.append(row)
    return out


def design_from_rows(rows: list[dict], annex: str = "") -> tuple[dict, list[str]]:
    """(design, problems of the rows' own syntax, each naming its row)."""
    problems: list[str] = []
    sections: list[dict] = []
    for n, row in enumerate(rows, 1):
        where = f"第{n}行（{row['label'] or row['code'] or '未命名'}）"
        title = row["section"] or (sections[-1]["title"] if sections else "")
        if not title:
            problems.append(f"{where}：请填写所属部分（如：一、企业基本情况）")
            title = "（未命名部分）"
        if not sections or sections[-1]["title"] != title:
            sections.append({"code": f"s{len(sections) + 1}", "title": title, "fields": []})
        f: dict = {
            "code": row["code"],
            "label": row["label"],
            "type": row["type"],
            "required": row["required"],
        }
        if row["help"]:
            f["help"] = row["help"]
        for key in (
            "unit",
            "min",
            "max",
            "decimals",
            "max_length",
            "min_rows",
            "max_rows",
            "max_mb",
            "format",
        ):
            if row[key]:
                f[key] = row[key]
        if row["choices"]:
            f["choices"] = row["choices"]
        if row["file_types"]:
            f["file_types"] = row["file_types"]
        if row["years"]:
            f["years"] = [y.strip() for y in re.split(r"[,，、\s]+", row["years"]) if y.strip()]
        if row["show_if"]:
            m = re.match(r"^\s*([a-z][a-z0-9_]*)\s*[=＝]\s*(.+)$", row["show_if"])
            if not m:
                problems.append(
                    f"{where}：显示条件应写成“字段代码=取值”，多个取值用“|”分隔（如 has_award=是）"
                )
            else:
                values = [v.strip() for v in m[2].split("|") if v.strip()]
                f["show_if"] = (
                    {"field": m[1], "equals": values[0]}
                    if len(values) == 1
                    else {"field": m[1], "in": values}
                )
        if row["prefill"]:
            parts = [p.strip() for p in re.split(r"[:：]", row["prefill"])]
            if parts[0] == "registry" and len(parts) == 2:
                f["prefill"] = {"registry": parts[1]}
            elif parts[0] == "figure" and len(parts) in (2, 3):
                f["prefill"] = {"figure": parts[1], "year": parts[2] if len(parts) == 3 else 0}
            else:
                problems.append(
                    f"{where}：预填来源应写成“registry:项目”（企业名录）或“figure:指标:年度偏移”（如 figure:operating_revenue:-1）"
                )
        if row["columns"]:
            columns = []
            for k, part in enumerate(p for p in SPLIT.split(row["columns"]) if p.strip()):
                bits = [b.strip() for b in re.split(r"[:：]", part)]
                if len(bits) < 3:
                    problems.append(f"{where}：第{k + 1}列应写成“代码:名称:类型[:必填][:值=名称|值=名称]”")
                    continue
                col = {"code": bits[0], "label": bits[1], "type": bits[2], "required": "必填" in bits[3:]}
                choice_bits = [b for b in bits[3:] if "=" in b]
                if choice_bits:
                    col["choices"] = [c.split("=", 1) for c in choice_bits[0].split("|") if "=" in c]
                columns.append(col)
            f["columns"] = columns
        elif row["type"] == "table":
            f["columns"] = []
        sections[-1]["fields"].append(f)
    design = {"sections": sections}
    if annex:
        design["annex"] = annex
    return design, problems


# --- pages ------------------------------------------------------------------------------------------


@login_required
@require_GET
def form_versions(request, code: str, purpose: str):
    """申报表设计 of one programme: its versions, newest first, and a preview of one."""
    user = request.user
    require_page(navigation.can_view_programmes(user))
    programme, purpose = _programme(code), _purpose(purpose)
    versions = list(
        FormVersion.objects.filter(programme=programme, purpose=purpose)
        .select_related("created_by")
        .order_by("-number")
    )
    shown = next((v for v in versions if str(v.number) == request.GET.get("version", "")), None) or (
        versions[0] if versions else None
    )
    year = clock.today().year
    in_force = formdesign.form_version_for(programme, purpose, year)
    sections = formdesign.layout(shown.design, {}, reference_year=year) if shown else []
    return render(
        request,
        "web/programme_form_versions.html",
        {
            "programme": programme,
            "purpose": purpose,
            "purpose_name": PURPOSE_NAMES[purpose],
            "other_purpose": "annual_report" if purpose == "application" else "application",
            "other_purpose_name": PURPOSE_NAMES[
                "annual_report" if purpose == "application" else "application"
            ],
            "versions": versions,
            "shown": shown,
            "in_force": in_force,
            "year": year,
            "sections": sections,
            "can_design": may_design_forms(user, programme),
        },
    )


def _editor_context(programme, purpose, *, rows, values, errors=None, top=None) -> dict:
    return {
        "programme": programme,
        "purpose": purpose,
        "purpose_name": PURPOSE_NAMES[purpose],
        "rows": rows or [{a: "" for a in ROW_ATTRS}],
        "values": values,
        "errors": errors or {},
        "top_errors": top or [],
        "types": [(t, formdesign.TYPE_NAMES[t]) for t in formdesign.TYPES],
        "registry_sources": formdesign.REGISTRY_PREFILL.items(),
        "figure_sources": [(f, label) for f, label, _ in FIGURE_FIELDS],
    }


@login_required
@require_http_methods(["GET", "POST"])
def form_version_new(request, code: str, purpose: str):
    """新建版本: the editor, prefilled from the newest version; saved as a new version."""
    user = request.user
    programme, purpose = _programme(code), _purpose(purpose)
    require_page(may_design_forms(user, programme))
    newest = FormVersion.objects.filter(programme=programme, purpose=purpose).order_by("-number").first()
    if request.method == "GET":
        values = {
            "title": newest.title if newest else PURPOSE_NAMES[purpose],
            "effective_year": clock.today().year,
            "annex": (newest.design.get("annex", "") if newest else ""),
            "note": "",
        }
        rows = rows_of(formdesign.design_check(newest.design)) if newest else []
        return render(
            request,
            "web/programme_form_design.html",
            _editor_context(programme, purpose, rows=rows, values=values),
        )
    rows = rows_from_post(request.POST)
    values = {k: request.POST.get(k, "").strip() for k in ("title", "effective_year", "annex", "note")}
    design, problems = design_from_rows(rows, values["annex"])
    if not rows:
        problems.append("至少需要一个字段")
    errors: dict = {}
    if not problems:
        try:
            version = form_version_create(
                actor=user,
                programme=programme,
                purpose=purpose,
                design=design,
                effective_year=values["effective_year"],
                title=values["title"],
                note=values["note"],
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                request,
                f"已保存{programme.name}{PURPOSE_NAMES[purpose]}第{version.number}版（{version.effective_year}年起）；"
                "已提交的申报仍按原版本",
            )
            return redirect(f"{request.path.rsplit('new/', 1)[0]}?version={version.number}")
    top = problems + errors.pop("design", [])
    context = _editor_context(programme, purpose, rows=rows, values=values, errors=errors, top=top)
    return render(request, "web/programme_form_design.html", context, status=422)
