"""申报表设计 — the form engine: one form design (``FormVersion.design``, see
docs/programme-configuration.md) checked, cleaned, prefilled, laid out for the web form and the
PDF, and described as JSON Schema for the API. Knows field types, not programmes.

Answers are stored in ``Application.form`` keyed by field code: text as text, numbers and money as
decimal strings (money with 2 decimals, 万元), percent as the fraction string ("0.05" for 5 %),
dates as ISO strings, yes/no as true/false, a choice as its value code, a multi choice as a list of
codes, a table as a list of rows (dicts keyed by column code). Attachment fields are stored as
``recognition.Attachment`` rows with ``field`` = the field code; a ``figures`` field is the
registry's yearly figures (saved as figure revisions, never copied into the answers).
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError

SCALAR_TYPES = ("text", "textarea", "number", "money", "percent", "date", "choice", "multi_choice", "yes_no")
TYPES = (*SCALAR_TYPES, "table", "attachment", "figures")
COLUMN_TYPES = ("text", "textarea", "number", "money", "percent", "date", "choice", "yes_no")
TYPE_NAMES = {
    "text": "单行文字",
    "textarea": "多行文字",
    "number": "数值",
    "money": "金额（万元）",
    "percent": "百分比",
    "date": "日期",
    "choice": "单选",
    "multi_choice": "多选",
    "yes_no": "是/否",
    "table": "表格（可增行）",
    "attachment": "附件",
    "figures": "年度经营数据",
}
FILE_TYPES = {"pdf": "PDF", "jpg": "JPEG", "png": "PNG", "xlsx": "XLSX"}
MAX_ATTACHMENT_MB = 50
PURPOSES = ("application", "annual_report")
#: registry attributes a field may be prefilled from (attribute → Chinese name)
REGISTRY_PREFILL = {
    "name": "单位名称",
    "credit_code": "统一社会信用代码",
    "address": "地址",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "founded_on": "成立日期",
    "registered_capital": "注册资本（万元）",
    "county": "所在区县",
    "industry": "所属行业",
    "size_class": "企业规模",
}
#: formats a text field may require: (pattern, Chinese description)
TEXT_FORMATS = {
    "phone": (re.compile(r"^[0-9+\-() ]{7,20}$"), "只能包含数字、+、-、括号，7–20位"),
    "email": (re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), "应为电子邮箱，如 name@example.com"),
}
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000}
MAX_TABLE_ROWS = 200
FIGURE_YEARS_RANGE = range(-5, 1)


# --- checking a design -----------------------------------------------------------------------------


def _where(si: int, section: dict, fi: int | None = None, field: dict | None = None) -> str:
    title = section.get("title") if isinstance(section, dict) else ""
    place = f"第{si + 1}部分「{title}」" if title else f"第{si + 1}部分"
    if fi is None:
        return place
    label = field.get("label") if isinstance(field, dict) else ""
    code = field.get("code") if isinstance(field, dict) else ""
    name = f"「{label}」" if label else (f"（{code}）" if code else "")
    return f"{place}第{fi + 1}个字段{name}"


def _dec(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _plain(d: Decimal) -> str:
    """A decimal without exponent or trailing zeros ("0.05", "12", "0.125")."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _choices_check(raw, where: str, problems: list[str]) -> list[list[str]]:
    if isinstance(raw, str):  # "值:名称；值:名称" as typed in the designer
        raw = [
            p.split(":", 1) if ":" in p else p.split("：", 1) for p in re.split(r"[；;]", raw) if p.strip()
        ]
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}：单选/多选字段须列出选项（值:名称）")
        return []
    out, seen = [], set()
    for i, pair in enumerate(raw, 1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or not all(str(x).strip() for x in pair):
            problems.append(f"{where}：第{i}个选项应为“值:名称”")
            continue
        value, label = str(pair[0]).strip(), str(pair[1]).strip()
        if value in seen:
            problems.append(f"{where}：选项值「{value}」重复")
            continue
        seen.add(value)
        out.append([value, label])
    return out


def _bounds_check(field: dict, out: dict, where: str, problems: list[str]) -> None:
    for key in ("min", "max"):
        if field.get(key) in (None, ""):
            continue
        d = _dec(field[key])
        if d is None:
            problems.append(f"{where}：{'最小值' if key == 'min' else '最大值'}「{field[key]}」不是数字")
        else:
            out[key] = _plain(d)
    if "min" in out and "max" in out and Decimal(out["min"]) > Decimal(out["max"]):
        problems.append(f"{where}：最小值 {out['min']} 大于最大值 {out['max']}")


def _int_check(value, where: str, what: str, problems: list[str], low: int, high: int) -> int | None:
    try:
        if isinstance(value, bool):
            raise ValueError
        n = int(str(value).strip())
    except (TypeError, ValueError):
        problems.append(f"{where}：{what}「{value}」应为整数")
        return None
    if not low <= n <= high:
        problems.append(f"{where}：{what} {n} 应在 {low}–{high} 之间")
        return None
    return n


def _scalar_check(field: dict, where: str, problems: list[str], *, column: bool = False) -> dict:
    """The normalised settings of a scalar field or table column."""
    kind = field.get("type")
    allowed = COLUMN_TYPES if column else TYPES
    if kind not in allowed:
        names = "、".join(TYPE_NAMES[t] for t in allowed)
        problems.append(f"{where}：字段类型「{kind or '（空）'}」不支持（可用：{names}）")
        return {}
    out = {
        "code": field["code"],
        "label": str(field.get("label") or "").strip(),
        "type": kind,
        "required": bool(field.get("required", False)),
        "help": str(field.get("help") or "").strip(),
    }
    if kind in ("text", "textarea"):
        n = field.get("max_length", DEFAULT_MAX_LENGTH[kind])
        n = _int_check(n, where, "字数上限", problems, 1, 20000)
        out["max_length"] = n or DEFAULT_MAX_LENGTH[kind]
        if field.get("format"):
            if kind != "text" or field["format"] not in TEXT_FORMATS:
                problems.append(
                    f"{where}：文字格式「{field['format']}」不支持（单行文字可用：phone 电话、email 邮箱）"
                )
            else:
                out["format"] = field["format"]
    elif kind == "number":
        out["unit"] = str(field.get("unit") or "").strip()
        decimals = _int_check(field.get("decimals", 2), where, "小数位数", problems, 0, 6)
        out["decimals"] = 2 if decimals is None else decimals
        _bounds_check(field, out, where, problems)
    elif kind in ("money", "percent"):
        out["unit"] = "万元" if kind == "money" else "%"
        _bounds_check(field, out, where, problems)
    elif kind in ("choice", "multi_choice"):
        out["choices"] = _choices_check(field.get("choices"), where, problems)
    return out


def design_check(design) -> dict:
    """The design normalised (defaults filled in), or ValidationError listing every problem in
    Chinese, each naming its section and field: unknown types, duplicate or malformed codes,
    choices missing, min > max, conditions on missing (or later) fields or impossible values,
    unknown prefill sources, tables without columns, attachment types not accepted."""
    from smeplan.programmes.metrics import METRICS

    problems: list[str] = []
    if isinstance(design, str):
        try:
            design = json.loads(design)
        except ValueError:
            raise ValidationError(["表单设计不是有效的 JSON"]) from None
    sections = design.get("sections") if isinstance(design, dict) else None
    if not isinstance(sections, list) or not sections:
        raise ValidationError(["表单设计至少需要一个部分（sections）"])
    out_sections: list[dict] = []
    seen: dict[str, dict] = {}  # code → normalised field, in order
    section_codes: set[str] = set()
    figures_fields = 0
    for si, section in enumerate(sections):
        if not isinstance(section, dict):
            problems.append(f"第{si + 1}部分的格式不正确")
            continue
        where_s = _where(si, section)
        title = str(section.get("title") or "").strip()
        if not title:
            problems.append(f"{where_s}：缺少标题")
        scode = str(section.get("code") or f"s{si + 1}").strip()
        if not CODE_RE.match(scode):
            problems.append(f"{where_s}：代码「{scode}」只能用小写字母、数字和下划线，以字母开头")
        elif scode in section_codes:
            problems.append(f"{where_s}：代码「{scode}」与前面的部分重复")
        section_codes.add(scode)
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            problems.append(f"{where_s}：至少需要一个字段")
            fields = []
        out_fields = []
        for fi, field in enumerate(fields):
            where = _where(si, section, fi, field)
            if not isinstance(field, dict):
                problems.append(f"{where}：格式不正确")
                continue
            code = str(field.get("code") or "").strip()
            if not code:
                problems.append(f"{where}：缺少字段代码")
                continue
            if not CODE_RE.match(code):
                problems.append(
                    f"{where}：字段代码「{code}」只能用小写字母、数字和下划线，以字母开头，不超过40个字符"
                )
                continue
            if code in seen:
                problems.append(f"{where}：字段代码「{code}」重复（每个字段代码在表内只能用一次）")
                continue
            if not str(field.get("label") or "").strip():
                problems.append(f"{where}：缺少字段名称")
            kind = field.get("type")
            field = {**field, "code": code}
            if kind in SCALAR_TYPES:
                out = _scalar_check(field, where, problems)
            elif kind == "table":
                out = _table_check(field, where, problems)
            elif kind == "attachment":
                out = _attachment_check(field, where, problems)
            elif kind == "figures":
                figures_fields += 1
                out = _figures_check(field, where, problems)
                if figures_fields > 1:
                    problems.append(f"{where}：一张表只能有一个年度经营数据字段")
            else:
                _scalar_check(field, where, problems)  # the unknown-type message
                continue
            if field.get("show_if") not in (None, "", {}):
                cond = _condition_check(field["show_if"], code, seen, where, problems)
                if cond:
                    out["show_if"] = cond
            if field.get("prefill") not in (None, "", {}):
                pre = _prefill_check(field["prefill"], kind, where, problems, METRICS)
                if pre:
                    out["prefill"] = pre
            seen[code] = out
            out_fields.append(out)
        out_sections.append({"code": scode, "title": title, "fields": out_fields})
    annex = str(design.get("annex") or "").strip()
    if len(annex) > 20:
        problems.append(f"附件编号「{annex}」不能超过20个字")
    if problems:
        raise ValidationError(problems)
    return {"sections": out_sections, **({"annex": annex} if annex else {})}


def _table_check(field: dict, where: str, problems: list[str]) -> dict:
    out = {
        "code": field["code"],
        "label": str(field.get("label") or "").strip(),
        "type": "table",
        "required": bool(field.get("required", False)),
        "help": str(field.get("help") or "").strip(),
    }
    columns = field.get("columns")
    if not isinstance(columns, list) or not columns:
        problems.append(f"{where}：表格至少需要一列（columns）")
        columns = []
    cols, codes = [], set()
    for ci, col in enumerate(columns):
        cwhere = f"{where}第{ci + 1}列"
        if not isinstance(col, dict):
            problems.append(f"{cwhere}：格式不正确")
            continue
        code = str(col.get("code") or "").strip()
        if not CODE_RE.match(code):
            problems.append(f"{cwhere}：列代码「{code}」只能用小写字母、数字和下划线，以字母开头")
            continue
        if code in codes:
            problems.append(f"{cwhere}：列代码「{code}」重复")
            continue
        codes.add(code)
        if not str(col.get("label") or "").strip():
            problems.append(f"{cwhere}：缺少列名称")
        c = _scalar_check({**col, "code": code}, cwhere, problems, column=True)
        if c:
            cols.append(c)
    out["columns"] = cols
    low = _int_check(field.get("min_rows", 0), where, "最少行数", problems, 0, MAX_TABLE_ROWS)
    high = _int_check(field.get("max_rows", 50), where, "最多行数", problems, 1, MAX_TABLE_ROWS)
    out["min_rows"] = low or 0
    out["max_rows"] = high or 50
    if low is not None and high is not None and low > high:
        problems.append(f"{where}：最少行数 {low} 大于最多行数 {high}")
    if out["required"] and out["min_rows"] == 0:
        out["min_rows"] = 1
    return out


def _attachment_check(field: dict, where: str, problems: list[str]) -> dict:
    types = field.get("file_types", ["pdf", "jpg", "png"])
    if isinstance(types, str):
        types = [t for t in re.split(r"[\s,，、;；]+", types) if t]
    types = [str(t).strip().lower().lstrip(".") for t in types or []]
    types = ["jpg" if t == "jpeg" else t for t in types]
    bad = [t for t in types if t not in FILE_TYPES]
    if bad:
        problems.append(f"{where}：不支持的附件类型「{'、'.join(bad)}」（可用：pdf、jpg、png、xlsx）")
    if not types:
        problems.append(f"{where}：附件字段须列出允许的文件类型")
    max_mb = _int_check(field.get("max_mb", 10), where, "文件大小上限（MB）", problems, 1, MAX_ATTACHMENT_MB)
    return {
        "code": field["code"],
        "label": str(field.get("label") or "").strip(),
        "type": "attachment",
        "required": bool(field.get("required", False)),
        "help": str(field.get("help") or "").strip(),
        "file_types": list(dict.fromkeys(t for t in types if t in FILE_TYPES)),
        "max_mb": max_mb or 10,
    }


def _figures_check(field: dict, where: str, problems: list[str]) -> dict:
    from smeplan.indicators.models import FIGURE_NAMES

    years = field.get("years", [-2, -1, 0])
    if not isinstance(years, list) or not years:
        problems.append(f"{where}：年度经营数据须列出年度（相对申报年度，如 -2、-1、0）")
        years = []
    clean = []
    for y in years:
        n = _int_check(y, where, "年度偏移", problems, FIGURE_YEARS_RANGE.start, FIGURE_YEARS_RANGE.stop - 1)
        if n is not None and n not in clean:
            clean.append(n)
    names = field.get("figures") or list(FIGURE_NAMES)
    bad = [n for n in names if n not in FIGURE_NAMES]
    if bad:
        problems.append(f"{where}：未知的年度数据项「{'、'.join(map(str, bad))}」")
    return {
        "code": field["code"],
        "label": str(field.get("label") or "").strip(),
        "type": "figures",
        "required": bool(field.get("required", False)),
        "help": str(field.get("help") or "").strip(),
        "years": sorted(clean),
        "figures": [n for n in names if n in FIGURE_NAMES],
    }


def _condition_check(cond, code: str, seen: dict, where: str, problems: list[str]) -> dict | None:
    if not isinstance(cond, dict) or not cond.get("field"):
        problems.append(f"{where}：显示条件应写明依据的字段（field）和取值（equals 或 in）")
        return None
    target = str(cond["field"]).strip()
    if target == code:
        problems.append(f"{where}：显示条件不能依据本字段自身")
        return None
    if target not in seen:
        problems.append(f"{where}：显示条件依据的字段「{target}」不存在（须是本字段之前的字段）")
        return None
    other = seen[target]
    if other["type"] in ("table", "attachment", "figures", "textarea"):
        problems.append(f"{where}：显示条件不能依据{TYPE_NAMES[other['type']]}字段「{other['label']}」")
        return None
    has_eq, has_in = "equals" in cond, "in" in cond
    if has_eq == has_in:
        problems.append(f"{where}：显示条件须有 equals 或 in 之一")
        return None
    values = [cond["equals"]] if has_eq else cond["in"]
    if not isinstance(values, list) or not values:
        problems.append(f"{where}：显示条件的取值列表（in）不能为空")
        return None
    if other["type"] == "yes_no":
        values = [_yes_no(v) for v in values]
        if any(v is None for v in values):
            problems.append(f"{where}：显示条件依据是/否字段「{other['label']}」，取值只能是“是”或“否”")
            return None
    elif other["type"] in ("choice", "multi_choice"):
        allowed = {v for v, _ in other.get("choices", [])}
        values = [str(v) for v in values]
        bad = [v for v in values if v not in allowed]
        if bad:
            problems.append(f"{where}：显示条件的取值「{'、'.join(bad)}」不是字段「{other['label']}」的选项")
            return None
    else:
        values = [str(v) for v in values]
    return {"field": target, "equals": values[0]} if has_eq else {"field": target, "in": values}


def _prefill_check(pre, kind: str, where: str, problems: list[str], metrics: dict) -> dict | None:
    if kind in ("table", "attachment", "figures"):
        problems.append(f"{where}：{TYPE_NAMES[kind]}字段不能预填")
        return None
    if not isinstance(pre, dict):
        problems.append(f"{where}：预填来源格式不正确")
        return None
    if "registry" in pre:
        attr = str(pre["registry"]).strip()
        if attr not in REGISTRY_PREFILL:
            names = "、".join(f"{k}（{v}）" for k, v in REGISTRY_PREFILL.items())
            problems.append(f"{where}：预填来源「{attr}」不是企业名录的项目（可用：{names}）")
            return None
        return {"registry": attr}
    if "figure" in pre:
        code = str(pre["figure"]).strip()
        m = metrics.get(code)
        if m is None or m.kind not in ("figure", "growth", "ratio"):
            problems.append(f"{where}：预填来源「{code}」不是年度数据或由其计算的指标")
            return None
        year = _int_check(pre.get("year", 0), where, "预填年度偏移", problems, -5, 0)
        if year is None:
            return None
        if m.kind in ("growth", "ratio") and kind != "percent":
            problems.append(f"{where}：「{m.label}」是比率，只能预填到百分比字段")
            return None
        if m.kind == "figure" and kind not in ("number", "money"):
            problems.append(f"{where}：「{m.label}」是数值，只能预填到数值或金额字段")
            return None
        return {"figure": code, "year": year}
    problems.append(f"{where}：预填来源须是 registry（企业名录）或 figure（年度数据）")
    return None


def fields(design: dict):
    """Every field of a (normalised) design, in order."""
    for section in design.get("sections", []):
        yield from section.get("fields", [])


def field_map(design: dict) -> dict[str, dict]:
    return {f["code"]: f for f in fields(design)}


def figures_field(design: dict) -> dict | None:
    return next((f for f in fields(design) if f["type"] == "figures"), None)


def attachment_fields(design: dict) -> list[dict]:
    return [f for f in fields(design) if f["type"] == "attachment"]


# --- cleaning answers ------------------------------------------------------------------------------


def _yes_no(value) -> bool | None:
    if isinstance(value, bool):
        return value
    s = str(value if value is not None else "").strip().lower()
    if s in ("true", "1", "yes", "y", "on", "是"):
        return True
    if s in ("false", "0", "no", "n", "off", "否"):
        return False
    return None


def _empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    return False


def _fmt_bound(field: dict, key: str) -> str:
    d = Decimal(field[key])
    return f"{_plain(d)}{field.get('unit', '')}" if field["type"] != "money" else f"{_plain(d)}万元"


def _clean_scalar(field: dict, value):
    """(stored value, error message or None) of one entered scalar value (not empty)."""
    kind, label = field["type"], field["label"]
    if kind in ("text", "textarea"):
        s = str(value).strip() if kind == "textarea" else " ".join(str(value).split())
        if len(s) > field["max_length"]:
            return None, f"{label}不能超过{field['max_length']}个字（现为{len(s)}个字）"
        if field.get("format") and not TEXT_FORMATS[field["format"]][0].match(s):
            return None, f"{label}格式不正确：{s}（{TEXT_FORMATS[field['format']][1]}）"
        return s, None
    if kind in ("number", "money", "percent"):
        d = _dec(value)
        if d is None:
            return None, f"{label}应为数字（收到「{value}」）"
        decimals = {"number": field.get("decimals", 2), "money": 2, "percent": 2}[kind]
        if -d.as_tuple().exponent > decimals and d != d.quantize(Decimal(1).scaleb(-decimals)):
            return None, (
                f"{label}应为整数（收到「{value}」）"
                if decimals == 0
                else f"{label}最多{decimals}位小数（收到「{value}」）"
            )
        if "min" in field and d < Decimal(field["min"]):
            return (
                None,
                f"{label}不能小于{_fmt_bound(field, 'min')}（收到{_plain(d)}{field.get('unit', '')}）",
            )
        if "max" in field and d > Decimal(field["max"]):
            return (
                None,
                f"{label}不能大于{_fmt_bound(field, 'max')}（收到{_plain(d)}{field.get('unit', '')}）",
            )
        if kind == "money":
            return str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)), None
        if kind == "percent":
            return _plain(d / 100), None
        return _plain(d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)) if decimals else str(
            int(d)
        ), None
    if kind == "date":
        s = str(value).strip()
        m = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$", s)
        try:
            if not m:
                raise ValueError
            return datetime.date(int(m[1]), int(m[2]), int(m[3])).isoformat(), None
        except ValueError:
            return None, f"{label}应为日期，如 2024-03-31（收到「{s}」）"
    if kind == "choice":
        s = str(value).strip()
        if s not in {v for v, _ in field["choices"]}:
            names = "、".join(n for _, n in field["choices"])
            return None, f"{label}只能选择：{names}（收到「{s}」）"
        return s, None
    if kind == "multi_choice":
        values = value if isinstance(value, (list, tuple)) else [value]
        values = {str(v).strip() for v in values if str(v).strip()}
        allowed = [v for v, _ in field["choices"]]
        bad = sorted(values - set(allowed))
        if bad:
            return None, f"{label}的选项「{'、'.join(bad)}」不存在"
        return [v for v in allowed if v in values], None
    if kind == "yes_no":
        b = _yes_no(value)
        if b is None:
            return None, f"{label}只能选择“是”或“否”（收到「{value}」）"
        return b, None
    raise KeyError(kind)


def _empty_value(field: dict):
    if field["type"] in ("text", "textarea"):
        return ""
    if field["type"] in ("multi_choice", "table"):
        return []
    return None


def _visible(field: dict, values: dict) -> bool:
    cond = field.get("show_if")
    if not cond:
        return True
    value = values.get(cond["field"])
    wanted = [cond["equals"]] if "equals" in cond else cond["in"]
    if isinstance(value, list):  # a multi choice: shown when any wanted value is chosen
        return any(v in value for v in wanted)
    if isinstance(value, bool) or value is None:
        return value is not None and value in [v for v in wanted if isinstance(v, bool)]
    return str(value) in [str(v) for v in wanted]


def _table_rows(value) -> list:
    if isinstance(value, dict):  # {"0": {...}, "1": {...}}
        value = [value[k] for k in sorted(value, key=lambda k: int(k) if str(k).isdigit() else 0)]
    return value if isinstance(value, list) else None


def answers_clean(design: dict, data: dict, *, reference_year=None, drafting: bool = False) -> dict:
    """The stored answers of ``data`` (as entered: percent as 5 for 5 %), or
    ValidationError({field_code: [Chinese messages]}) with every problem at once. Fields hidden by
    their condition are dropped; unknown keys are ignored; attachment and figures fields are not
    kept (they are stored as attachments and figure revisions). With ``drafting`` a required field
    may still be empty (a draft is saved as it is; the submission checks ``missing_required``)."""
    design = design_check(design)
    data = data or {}
    errors: dict[str, list[str]] = {}
    out: dict = {}
    values: dict = {}  # cleaned values, for conditions
    for field in fields(design):
        code, kind = field["code"], field["type"]
        if not _visible(field, values):
            continue
        if kind in ("attachment", "figures"):
            continue
        raw = data.get(code)
        if kind == "table":
            rows = _table_rows(raw) if not _empty(raw) else []
            if rows is None:
                errors[code] = [f"{field['label']}应为表格行的列表"]
                continue
            clean_rows, messages = [], []
            for row in rows:
                row = row if isinstance(row, dict) else {}
                if all(_empty(row.get(c["code"])) for c in field["columns"]):
                    continue  # an empty row is not a row
                clean_row = {}
                for col in field["columns"]:
                    cell = row.get(col["code"])
                    if _empty(cell):
                        if col["required"] and not drafting:
                            messages.append(f"第{len(clean_rows) + 1}行「{col['label']}」必须填写")
                        clean_row[col["code"]] = _empty_value(col)
                        continue
                    v, msg = _clean_scalar(col, cell)
                    if msg:
                        messages.append(f"第{len(clean_rows) + 1}行{msg}")
                    clean_row[col["code"]] = v
                clean_rows.append(clean_row)
            if len(clean_rows) > field["max_rows"]:
                messages.append(f"{field['label']}最多{field['max_rows']}行（现有{len(clean_rows)}行）")
            if not drafting and len(clean_rows) < field["min_rows"]:
                messages.append(f"{field['label']}至少填写{field['min_rows']}行（现有{len(clean_rows)}行）")
            if messages:
                errors[code] = messages
            out[code] = values[code] = clean_rows
            continue
        if _empty(raw):
            if field["required"] and not drafting:
                errors[code] = [
                    f"请填写{field['label']}"
                    if kind not in ("choice", "multi_choice", "yes_no")
                    else f"请选择{field['label']}"
                ]
            out[code] = values[code] = _empty_value(field)
            continue
        v, msg = _clean_scalar(field, raw)
        if msg:
            errors[code] = [msg]
            continue
        out[code] = values[code] = v
    if errors:
        raise ValidationError(errors)
    return out


def missing_required(
    design: dict, answers: dict, *, attachment_fields_present=(), figures_present=True
) -> list[str]:
    """The labels of the required visible fields without an answer (or attachment), in form order —
    what a submission refuses."""
    design = design_check(design)
    present = set(attachment_fields_present)
    missing = []
    for field in fields(design):
        if not _visible(field, answers):
            continue
        kind = field["type"]
        if kind == "table":  # a row's required cells, whether or not the table itself is required
            for n, row in enumerate(answers.get(field["code"]) or [], 1):
                for col in field["columns"]:
                    if col["required"] and _empty((row or {}).get(col["code"])):
                        missing.append(f"{field['label']}第{n}行「{col['label']}」")
        if not field["required"]:
            continue
        if kind == "attachment":
            if field["code"] not in present:
                missing.append(f"附件「{field['label']}」")
        elif kind == "figures":
            if not figures_present:
                missing.append(field["label"])
        elif kind == "table":
            rows = answers.get(field["code"]) or []
            if len(rows) < max(1, field["min_rows"]):
                missing.append(field["label"])
        elif _empty(answers.get(field["code"])):
            missing.append(field["label"])
    return missing


def answers_for_input(design: dict, answers: dict) -> dict:
    """Stored answers as they are entered (percent fractions back to percent: "0.05" → "5")."""
    out = dict(answers or {})
    for field in fields(design):
        code = field["code"]
        if field["type"] == "percent" and not _empty(out.get(code)):
            d = _dec(out[code])
            out[code] = _plain(d * 100) if d is not None else out[code]
        elif field["type"] == "table" and isinstance(out.get(code), list):
            pct = [c["code"] for c in field["columns"] if c["type"] == "percent"]
            if pct:
                rows = []
                for row in out[code]:
                    row = dict(row)
                    for c in pct:
                        d = _dec(row.get(c))
                        if d is not None:
                            row[c] = _plain(d * 100)
                    rows.append(row)
                out[code] = rows
    return out


def answers_from_post(design: dict, post) -> dict:
    """The entered answers of a posted web form (a QueryDict): tables from ``<code>-<row>-<column>``
    inputs, multi choices from their checkboxes."""
    out = {}
    for field in fields(design):
        code, kind = field["code"], field["type"]
        if kind in ("attachment", "figures"):
            continue
        if kind == "multi_choice":
            out[code] = post.getlist(code)
        elif kind == "table":
            rows: dict[int, dict] = {}
            pattern = re.compile(rf"^{re.escape(code)}-(\d+)-([a-z][a-z0-9_]*)$")
            for key in post:
                m = pattern.match(key)
                if m:
                    rows.setdefault(int(m[1]), {})[m[2]] = post.get(key, "")
            out[code] = [rows[i] for i in sorted(rows)]
        else:
            out[code] = post.get(code, "")
    return out


# --- prefill -----------------------------------------------------------------------------------------


def _registry_value(organisation, attr: str):
    if attr == "county":
        return organisation.county.name if organisation.county_id else ""
    if attr == "industry":
        return (
            f"{organisation.industry.code} {organisation.industry.name}" if organisation.industry_id else ""
        )
    if attr == "size_class":
        return organisation.get_size_class_display() if organisation.size_class else ""
    value = getattr(organisation, attr, None)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return "" if value is None else str(value)


def _metric_value(metric, rows: dict, year: int):
    from smeplan.indicators.derived import growth, ratio

    current = rows.get(year)
    if metric.kind == "figure":
        return getattr(current, metric.figure, None) if current else None
    if metric.kind == "ratio":
        if current is None:
            return None
        d = ratio(getattr(current, metric.numerator), getattr(current, metric.denominator))
    else:
        previous = rows.get(year - 1)
        if current is None or previous is None:
            return None
        d = growth(getattr(current, metric.figure), getattr(previous, metric.figure))
    return getattr(d, "value", None)


def prefill(design: dict, organisation, reference_year) -> dict:
    """Stored answers prefilled from the registry and the yearly figures (``year`` relative to
    ``reference_year``): "营业收入（上一年度）" is the figure of reference_year − 1. A value the
    registry lacks is left empty; every prefilled answer stays editable."""
    from smeplan.indicators.models import AnnualFigures
    from smeplan.programmes.metrics import METRICS

    design = design_check(design)
    wanted = [f for f in fields(design) if f.get("prefill")]
    out: dict = {}
    if not wanted:
        return out
    rows = {}
    if reference_year is not None and any("figure" in f["prefill"] for f in wanted):
        rows = {
            r.year: r
            for r in AnnualFigures.objects.filter(
                organisation=organisation, year__gte=int(reference_year) - 6, year__lte=int(reference_year)
            )
        }
    for field in wanted:
        pre = field["prefill"]
        if "registry" in pre:
            value = _registry_value(organisation, pre["registry"])
            if value in ("", None):
                continue
            if field["type"] in SCALAR_TYPES and field["type"] not in ("text", "textarea"):
                v, msg = _clean_scalar(field, value)
                if msg:
                    continue
                value = v
            elif field["type"] in ("text", "textarea"):
                value = value[: field["max_length"]]
            out[field["code"]] = value
        elif reference_year is not None:
            value = _metric_value(METRICS[pre["figure"]], rows, int(reference_year) + pre["year"])
            if value is None:
                continue
            d = Decimal(str(value))
            if field["type"] == "percent":
                out[field["code"]] = _plain(d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
            elif field["type"] == "money":
                out[field["code"]] = str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
            else:
                decimals = field.get("decimals", 2)
                out[field["code"]] = _plain(d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    return out


# --- JSON Schema ---------------------------------------------------------------------------------------


def _scalar_schema(field: dict) -> dict:
    kind = field["type"]
    s: dict = {"title": field["label"]}
    if field.get("help"):
        s["description"] = field["help"]
    if kind in ("text", "textarea"):
        s.update(type="string", maxLength=field["max_length"])
    elif kind in ("number", "money", "percent"):
        s["type"] = ["number", "string"]
        if "min" in field:
            s["minimum"] = float(field["min"])
        if "max" in field:
            s["maximum"] = float(field["max"])
        if kind == "money":
            s["x-unit"] = "万元"
            s["multipleOf"] = 0.01
        elif kind == "percent":
            s["x-unit"] = "%"
            s["description"] = (
                s.get("description", "") + " 填写百分数，如 5 表示 5%；保存为小数 0.05"
            ).strip()
        else:
            if field.get("unit"):
                s["x-unit"] = field["unit"]
            if field.get("decimals") == 0:
                s["type"] = ["integer", "string"]
    elif kind == "date":
        s.update(type="string", format="date")
    elif kind == "choice":
        s.update(type="string", oneOf=[{"const": v, "title": n} for v, n in field["choices"]])
    elif kind == "multi_choice":
        s.update(
            type="array",
            uniqueItems=True,
            items={"type": "string", "oneOf": [{"const": v, "title": n} for v, n in field["choices"]]},
        )
    elif kind == "yes_no":
        s["type"] = "boolean"
    return s


def json_schema(design: dict) -> dict:
    """JSON Schema (2020-12) of the answers as submitted (``answers_clean``'s input): one property
    per field; required lists the unconditional required fields; a condition is an ``if``/``then``
    of ``allOf`` (and ``x-show-if``); attachments are listed under ``x-attachments`` (uploaded
    separately) and the yearly figures under ``x-figures``."""
    design = design_check(design)
    properties: dict = {}
    required: list[str] = []
    all_of: list[dict] = []
    attachments, figures = [], None
    for field in fields(design):
        code, kind = field["code"], field["type"]
        if kind == "attachment":
            attachments.append(
                {
                    "field": code,
                    "title": field["label"],
                    "required": field["required"],
                    "file_types": field["file_types"],
                    "max_mb": field["max_mb"],
                }
            )
            continue
        if kind == "figures":
            figures = {
                "field": code,
                "title": field["label"],
                "years": field["years"],
                "figures": field["figures"],
            }
            continue
        if kind == "table":
            cols = {c["code"]: _scalar_schema(c) for c in field["columns"]}
            s = {
                "title": field["label"],
                "type": "array",
                "maxItems": field["max_rows"],
                "items": {
                    "type": "object",
                    "properties": cols,
                    "required": [c["code"] for c in field["columns"] if c["required"]],
                    "additionalProperties": False,
                },
            }
            if field["min_rows"]:
                s["minItems"] = field["min_rows"]
        else:
            s = _scalar_schema(field)
        if "show_if" in field:
            s["x-show-if"] = field["show_if"]
            cond = field["show_if"]
            test = {"const": cond["equals"]} if "equals" in cond else {"enum": cond["in"]}
            if field["required"]:
                all_of.append(
                    {
                        "if": {"properties": {cond["field"]: test}, "required": [cond["field"]]},
                        "then": {"required": [code]},
                    }
                )
        elif field["required"]:
            required.append(code)
        properties[code] = s
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": required,
        "x-sections": [
            {"code": s["code"], "title": s["title"], "fields": [f["code"] for f in s["fields"]]}
            for s in design["sections"]
        ],
    }
    if all_of:
        schema["allOf"] = all_of
    if attachments:
        schema["x-attachments"] = attachments
    if figures:
        schema["x-figures"] = figures
    return schema


# --- layout for the templates ----------------------------------------------------------------------


def display_value(field: dict, value) -> str:
    """One stored answer as a user reads it (5%, 12.30 万元, 是, the choice's name)."""
    kind = field["type"]
    if _empty(value) and not isinstance(value, bool):
        return ""
    if kind == "percent":
        d = _dec(value)
        return f"{_plain(d * 100)}%" if d is not None else str(value)
    if kind == "money":
        return f"{value} 万元"
    if kind == "number":
        return f"{value} {field.get('unit', '')}".strip()
    if kind == "yes_no":
        return "是" if value is True else ("否" if value is False else "")
    if kind == "choice":
        return dict(field["choices"]).get(value, str(value))
    if kind == "multi_choice":
        names = dict(field["choices"])
        return "、".join(names.get(v, str(v)) for v in value)
    return str(value)


def _scalar_layout(field: dict, value, name: str) -> dict:
    kind = field["type"]
    item = {
        "name": name,
        "value": "" if value is None or isinstance(value, (bool, list)) else str(value),
        "input": {"number": "number", "money": "number", "percent": "number", "date": "date"}.get(kind, kind),
        "checked": value is True,
        "unchecked": value is False,
    }
    if kind in ("choice", "multi_choice"):
        chosen = set(value if isinstance(value, list) else [str(value)] if value not in (None, "") else [])
        item["options"] = [{"value": v, "label": n, "selected": v in chosen} for v, n in field["choices"]]
    return item


def layout(
    design: dict,
    answers: dict | None = None,
    *,
    errors: dict | None = None,
    attachments=None,
    figures: dict | None = None,
    reference_year=None,
    stored: bool = True,
    editable: bool = True,
) -> list[dict]:
    """The sections of ``design`` ready for ``web/_form_design_fields.html`` (and the print and
    PDF): every field with its input name, value (stored answers shown as entered), Chinese errors,
    condition (hidden when not met, server-side), table rows plus one blank row, its uploaded
    attachments, and for a figures field the rows of yearly figures (``figures``: {year: {field:
    value}}, errors keyed ``figures-<year>-<field>``)."""
    from smeplan.indicators.models import FIGURE_LABELS, FIGURE_UNITS

    design = design_check(design)
    errors = errors or {}
    stored_answers = answers or {}
    shown = answers_for_input(design, stored_answers) if stored else dict(stored_answers)
    # conditions are evaluated on the stored form of the answers
    for_conditions = stored_answers if stored else _loose_values(design, stored_answers)
    by_field: dict[str, list] = {}
    for a in attachments or []:
        by_field.setdefault(getattr(a, "field", "") or "", []).append(a)
    sections = []
    for section in design["sections"]:
        items = []
        for field in section["fields"]:
            code, kind = field["code"], field["type"]
            value = shown.get(code)
            item = {
                "field": field,
                "code": code,
                "type": kind,
                "label": field["label"],
                "required": field["required"],
                "help": field.get("help", ""),
                "unit": field.get("unit", ""),
                "errors": list(errors.get(code, [])),
                "hidden": not _visible(field, for_conditions),
                "display": display_value(field, stored_answers.get(code)) if stored else "",
            }
            if "show_if" in field:
                cond = field["show_if"]
                wanted = [cond["equals"]] if "equals" in cond else cond["in"]
                item["show_field"] = cond["field"]
                item["show_values"] = "|".join(
                    ("true" if v else "false") if isinstance(v, bool) else str(v) for v in wanted
                )
            if kind in SCALAR_TYPES:
                item.update(_scalar_layout(field, value, code))
            elif kind == "table":
                rows = value if isinstance(value, list) else []
                stored_rows = stored_answers.get(code) if isinstance(stored_answers.get(code), list) else []
                item["columns"] = field["columns"]
                item["rows"] = [
                    {
                        "index": ri,
                        "cells": [
                            {
                                **_scalar_layout(c, row.get(c["code"]), f"{code}-{ri}-{c['code']}"),
                                "column": c,
                                "display": display_value(c, stored_rows[ri].get(c["code"]))
                                if stored and ri < len(stored_rows)
                                else "",
                            }
                            for c in field["columns"]
                        ],
                    }
                    for ri, row in enumerate(rows + ([{}] if editable else []))
                ]
                item["blank_index"] = len(rows)
            elif kind == "attachment":
                item["attachments"] = by_field.get(code, [])
                item["file_types_label"] = "、".join(FILE_TYPES[t] for t in field["file_types"])
                item["accept"] = ",".join(
                    f".{t}" + (",.jpeg" if t == "jpg" else "") for t in field["file_types"]
                )
                item["max_mb"] = field["max_mb"]
            elif kind == "figures":
                years = (
                    [int(reference_year) + y for y in field["years"]] if reference_year is not None else []
                )
                figures = figures or {}
                item["years"] = years
                item["year_errors"] = [m for y in years for m in errors.get(f"figures-{y}", [])]
                item["figure_rows"] = [
                    {
                        "field": name,
                        "label": FIGURE_LABELS[name],
                        "unit": FIGURE_UNITS[name],
                        "cells": [
                            {
                                "year": y,
                                "name": f"figures-{y}-{name}",
                                "value": ""
                                if (figures.get(y) or {}).get(name) is None
                                else str(figures[y][name]),
                                "errors": errors.get(f"figures-{y}-{name}", []),
                            }
                            for y in years
                        ],
                    }
                    for name in field["figures"]
                ]
            items.append(item)
        sections.append({"code": section["code"], "title": section["title"], "items": items})
    return sections


def _loose_values(design: dict, entered: dict) -> dict:
    """Entered (possibly invalid) values in the form conditions compare: yes/no as booleans."""
    out = {}
    for field in fields(design):
        v = entered.get(field["code"])
        out[field["code"]] = _yes_no(v) if field["type"] == "yes_no" else v
    return out


# --- versions and files ------------------------------------------------------------------------------


def form_version_for(programme, purpose: str, year):
    """The programme's form version in force for ``year``: the newest ``effective_year`` ≤ year
    (the highest number among equals), or None."""
    from smeplan.programmes.models import FormVersion

    if year is None:
        return None
    return (
        FormVersion.objects.filter(programme=programme, purpose=purpose, effective_year__lte=int(year))
        .order_by("-effective_year", "-number")
        .first()
    )


def form_file_read(path: Path) -> dict:
    """One form data file, checked: its programmes (``programme`` or ``programmes``), purpose,
    effective year, title, basis and design (``design_check``). Raises ValidationError naming the
    file."""
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise ValidationError([f"{name}：不是有效的 JSON（{e}）"]) from None
    problems = []
    codes = data.get("programmes") or ([data["programme"]] if data.get("programme") else [])
    if not codes or not all(isinstance(c, str) and c for c in codes):
        problems.append(f"{name}：缺少认定项目（programme 或 programmes）")
    if data.get("purpose") not in PURPOSES:
        problems.append(f"{name}：用途（purpose）应为 application 或 annual_report")
    year = data.get("effective_year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(f"{name}：生效年度（effective_year）应为四位年份")
    if not str(data.get("title") or "").strip():
        problems.append(f"{name}：缺少表名（title）")
    if not str(data.get("basis") or "").strip():
        problems.append(f"{name}：缺少依据（basis：文号和条款）")
    try:
        design = design_check(data.get("design"))
    except ValidationError as e:
        problems.extend(f"{name}：{m}" for m in e.messages)
        design = None
    if problems:
        raise ValidationError(problems)
    return {**data, "programmes": codes, "design": design}


FORMS_FOLDER = Path(__file__).resolve().parent / "data" / "configured" / "forms"


def form_files_load(folder=None) -> int:
    """Load every ``*.json`` form file of ``folder`` (default: the configured forms) as FormVersion
    rows (the next number of its programme and purpose). A file already loaded (same programme,
    purpose, effective year and title) is skipped: a stored version is never edited; a revision is
    a new file with its effective year. Files of programmes not (yet) configured are skipped.
    Returns how many versions were created."""
    from django.db import transaction

    from smeplan.programmes.models import FormVersion, Programme

    with transaction.atomic():
        return form_versions_load(FormVersion, Programme, folder)


def form_versions_load(FormVersion, Programme, folder=None) -> int:
    """``form_files_load`` with the model classes given (a data migration passes its historical
    models)."""
    folder = Path(folder) if folder else FORMS_FOLDER
    created = 0
    for path in sorted(folder.glob("*.json")):
        data = form_file_read(path)
        for code in data["programmes"]:
            programme = Programme.objects.filter(code=code).first()
            if programme is None:
                continue
            versions = FormVersion.objects.filter(programme=programme, purpose=data["purpose"])
            if versions.filter(effective_year=data["effective_year"], title=data["title"]).exists():
                continue
            last = versions.order_by("-number").values_list("number", flat=True).first() or 0
            FormVersion.objects.create(
                programme=programme,
                purpose=data["purpose"],
                number=last + 1,
                effective_year=data["effective_year"],
                title=data["title"],
                design=data["design"],
                note=f"系统预置；依据：{data['basis']}"[:200],
            )
            created += 1
    return created
