"""Points rubrics (评分细则): the design check, the version in force, the data files, and scoring
many applications at once with an explanation of every line.

A rubric design (``RubricVersion.design``, ``docs/programme-configuration.md``) has groups with a
maximum and a minimum, indicators with a maximum and a way to turn a value into points, and three
lists of yes/no rules: exclusions (排除情形), direct-pass conditions (直通条件) and basic conditions
(基本条件). Nothing here knows a particular programme.

Indicators — each takes its value from a *source* and scores it by one *method*:

* sources: ``{"metric": code, "year": offset}`` (``programmes.metrics``, for the reference year +
  offset, read from the screening frame), ``{"answer": field}`` (the applicant's form),
  ``{"ratio": [source, source]}``, ``{"mean": [source, …]}`` (numbers combined), ``{"expert": true}``;
* methods: ``bands`` (low ≤ value < high; the first band that holds), ``choices`` ({answer: points}),
  ``per`` ({"step", "points"}: points per full step, at most ``max``), ``each`` (+ ``overriding``) for
  a multi-choice answer (sum of the chosen items' points, at most ``max``; an overriding item's points
  replace the sum), ``best_of`` ([{"label", "source", "bands", "unit"}]: the better of several banded
  values), and the experts' aggregated points.

Tests (rules): ``{"source", "op": ge|gt|le|lt|eq|ne|in|true|false, "value"}``, ``{"any": […]}``,
``{"all": […]}``, ``{"holds": programme code}`` (a certification of that programme in force).

Scoring is vectorised over the applications (numpy): numbers are float64 with the near-ties of a band
bound re-decided exactly (``Fraction`` of the integer cents and the decimal answers), so a value equal
to a bound by its figures always falls in the band the convention puts it in. Outcome: excluded >
direct pass > basic conditions not met > points (total ≥ ``pass_total`` and every group ≥ its
minimum); a missing value makes the outcome 数据不全 and names the indicator.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

import numpy as np
from django.core.exceptions import ValidationError

CONVENTION = "区间“a–b”表示 a ≤ 数值 < b；“以上”“≥”含本数"
AGGREGATIONS = {"mean": "各位专家评分的算术平均", "trimmed_mean": "去掉一个最高分和一个最低分后的算术平均"}
UNITS = {"percent": "%", "money": "万元", "number": "", "years": "年", "persons": "人"}
OPS = {
    "ge": "≥",
    "gt": ">",
    "le": "≤",
    "lt": "<",
    "eq": "=",
    "ne": "≠",
    "in": "属于",
    "true": "为“是”",
    "false": "为“否”",
}
RULE_LISTS = {"exclusions": "排除情形", "direct_pass": "直通条件", "basic_conditions": "基本条件"}

# states of a value
OK, MISSING, UNDEFINED, PENDING = 0, 1, 2, 3
STATE_TEXT = {MISSING: "数据不全", UNDEFINED: "无法计算", PENDING: "待专家评分"}

# outcomes
EXCLUDED, DIRECT_PASS, BASIC_UNMET, PASSED, FAILED, INCOMPLETE, AWAITING = (
    "excluded",
    "direct_pass",
    "basic_unmet",
    "passed",
    "failed",
    "incomplete",
    "awaiting_experts",
)
OUTCOME_NAMES = {
    EXCLUDED: "不予认定（存在排除情形）",
    DIRECT_PASS: "直通（符合直通条件）",
    BASIC_UNMET: "不符合基本条件",
    PASSED: "达到分数要求",
    FAILED: "未达到分数要求",
    INCOMPLETE: "数据不全",
    AWAITING: "待专家评分",
}
DATA_FOLDER = Path(__file__).parent / "data" / "configured" / "rubrics"


# --- the design check -------------------------------------------------------------------------


def _dec(raw, where: str, what: str, problems: list[str]) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        problems.append(f"{where}：{what}应为数字（收到「{raw}」）")
        return None
    if not value.is_finite():
        problems.append(f"{where}：{what}应为数字（收到「{raw}」）")
        return None
    return value


def _points_of(raw, where: str, what: str, problems: list[str], maximum: Decimal | None):
    value = _dec(raw, where, what, problems)
    if value is None:
        return None
    if value < 0:
        problems.append(f"{where}：{what}不能为负数")
    elif maximum is not None and value > maximum:
        problems.append(f"{where}：{what} {_num(value)} 分超过该项满分 {_num(maximum)} 分")
    return _jsonnum(value)


def _jsonnum(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def _num(value) -> str:
    d = Decimal(str(value))
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _source_check(source, where: str, problems: list[str], *, expert_ok: bool, fields: dict | None) -> dict:
    from smeplan.programmes.metrics import METRICS

    if not isinstance(source, dict) or not source:
        problems.append(f"{where}：请选择取值来源（指标、申报表字段或专家评分）")
        return {}
    if "metric" in source:
        code = str(source["metric"])
        metric = METRICS.get(code)
        if metric is None or metric.kind not in ("figure", "growth", "ratio", "number"):
            problems.append(f"{where}：没有可计分的指标「{code}」")
            return {}
        try:
            year = int(source.get("year", 0))
        except (TypeError, ValueError):
            problems.append(f"{where}：年度应为相对申报年度的整数（如 -1 表示上一年度）")
            return {}
        if not -10 <= year <= 0:
            problems.append(f"{where}：年度应为申报年度或之前 10 年内（-10 … 0）")
        return {"metric": code, "year": year}
    if "answer" in source:
        code = str(source["answer"]).strip()
        if not code:
            problems.append(f"{where}：请选择申报表字段")
        elif fields is not None and code not in fields:
            problems.append(f"{where}：申报表中没有字段「{code}」")
        return {"answer": code}
    if "expert" in source:
        if not expert_ok:
            problems.append(f"{where}：专家评分只能用作评分指标，不能用作条件")
        return {"expert": True}
    for combo in ("ratio", "mean"):
        if combo in source:
            parts = source[combo]
            if not isinstance(parts, list) or (combo == "ratio" and len(parts) != 2) or not parts:
                problems.append(
                    f"{where}：{'比值需要分子和分母两个来源' if combo == 'ratio' else '平均值需要至少一个来源'}"
                )
                return {}
            return {combo: [_source_check(p, where, problems, expert_ok=False, fields=fields) for p in parts]}
    problems.append(f"{where}：不认识的取值来源（可用：指标、申报表字段、比值、平均值、专家评分）")
    return {}


def bands_check(
    bands, where: str, problems: list[str], maximum: Decimal | None, unit: str = ""
) -> list[dict]:
    """Bands: ``low`` ≤ value < ``high``; in order of value no overlap and no gap, low < high,
    points ≤ the indicator's maximum."""
    if not isinstance(bands, list) or not bands:
        problems.append(f"{where}：请至少设置一个分档")
        return []
    already = len(problems)
    clean = []
    for i, band in enumerate(bands, 1):
        at = f"{where} 第 {i} 档"
        if not isinstance(band, dict):
            problems.append(f"{at}：格式不正确")
            continue
        low = band.get("low")
        high = band.get("high")
        low = None if low in (None, "") else _dec(low, at, "下限", problems)
        high = None if high in (None, "") else _dec(high, at, "上限", problems)
        if low is not None and high is not None and low >= high:
            problems.append(f"{at}：下限 {value_text(low, unit)} 应小于上限 {value_text(high, unit)}")
        points = _points_of(band.get("points"), at, "分值", problems, maximum)
        row = {"points": points}
        if low is not None:
            row["low"] = _num(low)
        if high is not None:
            row["high"] = _num(high)
        clean.append(row)
    if len(clean) == len(bands) and len(problems) == already:
        ordered = sorted(clean, key=lambda b: Decimal(b["low"]) if "low" in b else Decimal("-Infinity"))
        for a, b in itertools.pairwise(ordered):
            a_high = Decimal(a["high"]) if "high" in a else None
            b_low = Decimal(b["low"]) if "low" in b else None
            if a_high is None or b_low is None or b_low < a_high:
                problems.append(f"{where}：分档「{band_text(a, unit)}」与「{band_text(b, unit)}」重叠")
            elif b_low > a_high:
                problems.append(
                    f"{where}：分档「{band_text(a, unit)}」与「{band_text(b, unit)}」之间有空档"
                    f"（{value_text(a_high, unit)} 至 {value_text(b_low, unit)}）"
                )
    return clean


def _test_check(test, where: str, problems: list[str], fields: dict | None, depth: int = 0) -> dict:
    if not isinstance(test, dict) or not test:
        problems.append(f"{where}：请设置判断条件")
        return {}
    if depth > 4:
        problems.append(f"{where}：条件嵌套过深")
        return {}
    for combo in ("any", "all"):
        if combo in test:
            parts = test[combo]
            if not isinstance(parts, list) or not parts:
                problems.append(f"{where}：「{'任一' if combo == 'any' else '全部'}」条件至少需要一项")
                return {}
            return {combo: [_test_check(p, where, problems, fields, depth + 1) for p in parts]}
    if "holds" in test:
        code = str(test["holds"]).strip()
        if not code:
            problems.append(f"{where}：请选择须持有的认定项目")
        return {"holds": code}
    op = str(test.get("op", "")).strip()
    if op not in OPS:
        problems.append(f"{where}：不认识的比较方式「{op}」")
        return {}
    source = _source_check(test.get("source"), where, problems, expert_ok=False, fields=fields)
    clean = {"source": source, "op": op}
    if op in ("true", "false"):
        return clean
    value = test.get("value")
    if op == "in":
        if not isinstance(value, list) or not value:
            problems.append(f"{where}：「属于」需要至少一个选项")
            return clean
        clean["value"] = [str(v) for v in value]
    elif op in ("eq", "ne") and not _is_number(value):
        clean["value"] = str(value)
    else:
        number = _dec(value, where, "比较值", problems)
        clean["value"] = _num(number) if number is not None else None
    return clean


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    try:
        Decimal(str(value))
        return True
    except InvalidOperation:
        return False


def design_check(design, *, fields: dict | None = None) -> dict:
    """The normalised design, or ValidationError({"design": [every problem, in Chinese]}).
    ``fields`` (field code → type of the application form), when given, checks answer sources."""
    problems: list[str] = []
    if not isinstance(design, dict):
        raise ValidationError({"design": ["评分细则格式不正确"]})
    out: dict = {"convention": str(design.get("convention") or CONVENTION)}
    max_total = _dec(design.get("max_total", 100), "评分细则", "满分", problems)
    pass_total = _dec(design.get("pass_total", 0), "评分细则", "通过分数线", problems)
    if max_total is not None:
        out["max_total"] = _jsonnum(max_total)
    if pass_total is not None:
        out["pass_total"] = _jsonnum(pass_total)
        if max_total is not None and pass_total > max_total:
            problems.append(f"评分细则：通过分数线 {_num(pass_total)} 分高于满分 {_num(max_total)} 分")
    if design.get("basis"):
        out["basis"] = str(design["basis"])
    groups: list[dict] = []
    seen_groups: set[str] = set()
    for i, g in enumerate(design.get("groups") or [], 1):
        label = str((g or {}).get("label", "")).strip() or f"第 {i} 个维度"
        where = f"维度「{label}」"
        code = str((g or {}).get("code", "")).strip()
        if not code:
            problems.append(f"{where}：缺少代码")
        elif code in seen_groups:
            problems.append(f"{where}：代码「{code}」重复")
        seen_groups.add(code)
        gmax = _dec(g.get("max"), where, "满分", problems)
        row = {"code": code, "label": label, "max": _jsonnum(gmax) if gmax is not None else None}
        if g.get("minimum") not in (None, ""):
            minimum = _dec(g.get("minimum"), where, "最低分", problems)
            if minimum is not None and gmax is not None and minimum > gmax:
                problems.append(f"{where}：最低分 {_num(minimum)} 高于该维度满分 {_num(gmax)}")
            if minimum is not None:
                row["minimum"] = _jsonnum(minimum)
        for key in ("basis", "note"):
            if g.get(key):
                row[key] = str(g[key])
        groups.append(row)
    if groups and max_total is not None and all(g["max"] is not None for g in groups):
        total = sum(Decimal(str(g["max"])) for g in groups)
        if total != max_total:
            problems.append(f"评分细则：各维度满分合计 {_num(total)} 分，与满分 {_num(max_total)} 分不一致")
    out["groups"] = groups
    indicators: list[dict] = []
    seen: set[str] = set()
    group_totals: dict[str, Decimal] = {}
    for i, item in enumerate(design.get("indicators") or [], 1):
        item = item or {}
        label = str(item.get("label", "")).strip() or f"第 {i} 项指标"
        where = f"指标「{label}」"
        code = str(item.get("code", "")).strip()
        if not code:
            problems.append(f"{where}：缺少代码")
        elif code in seen:
            problems.append(f"{where}：代码「{code}」重复")
        seen.add(code)
        row: dict = {"code": code, "label": label}
        group = str(item.get("group", "") or "").strip()
        if group:
            if group not in seen_groups:
                problems.append(f"{where}：所属维度「{group}」不存在")
            row["group"] = group
        elif groups:
            problems.append(f"{where}：请选择所属维度")
        imax = _dec(item.get("max"), where, "满分", problems)
        if imax is not None and imax <= 0:
            problems.append(f"{where}：满分应大于 0")
        row["max"] = _jsonnum(imax) if imax is not None else None
        if imax is not None and group:
            group_totals[group] = group_totals.get(group, Decimal(0)) + imax
        if not str(item.get("basis", "")).strip():
            problems.append(f"{where}：请注明依据（文号和条款）")
        row["basis"] = str(item.get("basis", "")).strip()
        unit = str(item.get("unit", "") or "")
        if unit and unit not in UNITS:
            problems.append(f"{where}：不认识的单位「{unit}」")
        if unit:
            row["unit"] = unit
        for key in ("provincial", "note"):
            if item.get(key):
                row[key] = item[key]
        if "best_of" in item:
            alternatives = item["best_of"]
            if not isinstance(alternatives, list) or len(alternatives) < 2:
                problems.append(f"{where}：「取较高者」至少需要两种取值")
                alternatives = []
            row["best_of"] = []
            for j, alt in enumerate(alternatives, 1):
                at = f"{where} 取值{j}"
                alt = alt or {}
                a_unit = str(alt.get("unit", "") or unit)
                row["best_of"].append(
                    {
                        "label": str(alt.get("label", "")).strip() or f"取值{j}",
                        "source": _source_check(
                            alt.get("source"), at, problems, expert_ok=False, fields=fields
                        ),
                        "bands": bands_check(alt.get("bands"), at, problems, imax, a_unit),
                        "unit": a_unit,
                    }
                )
            indicators.append(row)
            continue
        source = _source_check(item.get("source"), where, problems, expert_ok=True, fields=fields)
        row["source"] = source
        if source.get("expert"):
            indicators.append(row)
            continue
        methods = [m for m in ("bands", "choices", "per", "each") if m in item]
        if len(methods) != 1:
            problems.append(f"{where}：请设置一种计分方式（分档、选项分值、按年限计分或多选累计）")
        elif methods[0] == "bands":
            row["bands"] = bands_check(item["bands"], where, problems, imax, unit)
        elif methods[0] == "choices":
            choices = item["choices"]
            if not isinstance(choices, dict) or not choices:
                problems.append(f"{where}：请设置各选项的分值")
                choices = {}
            row["choices"] = {
                str(k): _points_of(v, where, f"选项「{k}」的分值", problems, imax) for k, v in choices.items()
            }
        elif methods[0] == "per":
            per = item["per"] if isinstance(item["per"], dict) else {}
            step = _dec(per.get("step"), where, "计分步长", problems)
            if step is not None and step <= 0:
                problems.append(f"{where}：计分步长应大于 0")
            pts = _points_of(per.get("points"), where, "每档分值", problems, imax)
            row["per"] = {"step": _num(step) if step is not None else None, "points": pts}
        else:
            each = item["each"]
            if not isinstance(each, dict) or not each:
                problems.append(f"{where}：请设置各选项的分值")
                each = {}
            row["each"] = {
                str(k): _points_of(v, where, f"选项「{k}」的分值", problems, imax) for k, v in each.items()
            }
            overriding = item.get("overriding") or {}
            if not isinstance(overriding, dict):
                problems.append(f"{where}：优先选项格式不正确")
                overriding = {}
            row["overriding"] = {
                str(k): _points_of(v, where, f"选项「{k}」的分值", problems, imax)
                for k, v in overriding.items()
            }
        indicators.append(row)
    if not indicators:
        problems.append("评分细则：请至少设置一项评分指标")
    for g in groups:
        if g["max"] is not None and g["code"] in group_totals:
            total = group_totals[g["code"]]
            if total != Decimal(str(g["max"])):
                problems.append(
                    f"维度「{g['label']}」：所含指标满分合计 {_num(total)} 分，与维度满分 {_num(g['max'])} 分不一致"
                )
    out["indicators"] = indicators
    for key, name in RULE_LISTS.items():
        rules = []
        codes: set[str] = set()
        for i, rule in enumerate(design.get(key) or [], 1):
            rule = rule or {}
            label = str(rule.get("label", "")).strip() or f"第 {i} 项"
            where = f"{name}「{label}」"
            code = str(rule.get("code", "")).strip() or f"{key}-{i}"
            if code in codes:
                problems.append(f"{where}：代码「{code}」重复")
            codes.add(code)
            if "test" not in rule or not rule.get("test"):
                problems.append(f"{where}：请设置判断条件")
                test = {}
            else:
                test = _test_check(rule["test"], where, problems, fields)
            if not str(rule.get("basis", "")).strip():
                problems.append(f"{where}：请注明依据（文号和条款）")
            rules.append(
                {"code": code, "label": label, "test": test, "basis": str(rule.get("basis", "")).strip()}
            )
        out[key] = rules
    experts = design.get("experts") or {}
    aggregation = str(experts.get("aggregation", "mean"))
    if aggregation not in AGGREGATIONS:
        problems.append(
            f"专家评分：不认识的汇总方式「{aggregation}」（可用：算术平均、去掉最高最低分后平均）"
        )
    outlier = experts.get("outlier_points")
    clean_experts = {"aggregation": aggregation}
    if outlier not in (None, ""):
        value = _dec(outlier, "专家评分", "偏离提示分值", problems)
        if value is not None and value <= 0:
            problems.append("专家评分：偏离提示分值应大于 0")
        if value is not None:
            clean_experts["outlier_points"] = _jsonnum(value)
    out["experts"] = clean_experts
    if problems:
        raise ValidationError({"design": problems})
    return out


# --- texts ------------------------------------------------------------------------------------


def value_text(value, unit: str) -> str:
    """5% / 1,234.00万元 / 3年 / 12人 for a number (Decimal, float or str)."""
    if value is None:
        return "—"
    d = Decimal(str(value))
    if unit == "percent":
        pct = (d * 100).quantize(Decimal("0.01"))
        return f"{_num(pct)}%"
    if unit == "money":
        return f"{d.quantize(Decimal('0.01')):,}万元"
    text = _num(d.quantize(Decimal("0.01")) if d != d.to_integral_value() else d)
    return f"{text}{UNITS.get(unit, '')}"


def band_text(band: dict, unit: str = "") -> str:
    """The band with the convention: "3% ≤ 数值 < 5%", "数值 ≥ 5%", "数值 < 1%"."""
    low = value_text(band["low"], unit) if "low" in band else None
    high = value_text(band["high"], unit) if "high" in band else None
    if low and high:
        return f"{low} ≤ 数值 < {high}"
    if low:
        return f"数值 ≥ {low}"
    if high:
        return f"数值 < {high}"
    return "任意数值"


def bands_as_text(bands: list[dict], unit: str = "") -> str:
    """The editor's text: "≥5%:20；3%-5%:15；<1%:0"."""
    parts = []
    for b in bands:
        low = value_text(b["low"], unit).replace("万元", "万") if "low" in b else ""
        high = value_text(b["high"], unit).replace("万元", "万") if "high" in b else ""
        if low and high:
            parts.append(f"{low}-{high}:{b['points']}")
        elif low:
            parts.append(f"≥{low}:{b['points']}")
        else:
            parts.append(f"<{high}:{b['points']}")
    return "；".join(parts)


def bands_parse(text: str, unit: str = "") -> list[dict]:
    """ "≥5%:20；3%-5%:15；<1%:0" → bands (percent entered as 5 for 5%); ValueError in Chinese."""
    bands = []
    for part in [
        p.strip() for p in str(text).replace(";", "；").replace("\n", "；").split("；") if p.strip()
    ]:
        span, sep, points = part.replace("：", ":").rpartition(":")
        if not sep:
            raise ValueError(f"分档「{part}」应写成「范围:分值」，如「≥5%:20」")

        def number(raw: str) -> str:
            raw = raw.strip().replace("%", "").replace("万元", "").replace("万", "").replace(",", "")
            d = Decimal(raw)
            return _num(d / 100 if unit == "percent" else d)

        span = span.strip().replace("–", "-").replace("～", "-").replace("~", "-")
        try:
            if span.startswith(("≥", ">=")):
                band = {"low": number(span.lstrip("≥>="))}
            elif span.startswith(("<", "＜")):
                band = {"high": number(span.lstrip("<＜"))}
            elif "-" in span[1:]:
                i = span.index("-", 1)
                band = {"low": number(span[:i]), "high": number(span[i + 1 :])}
            else:
                raise ValueError
            band["points"] = _jsonnum(Decimal(points.strip()))
        except (InvalidOperation, ValueError):
            raise ValueError(f"分档「{part}」无法识别，请写成「≥5%:20」「3%-5%:15」或「<1%:0」") from None
        bands.append(band)
    return bands


# --- versions and data files ------------------------------------------------------------------


def rubric_version_for(programme, year: int):
    """The rubric version in force for ``year``: the newest with effective_year ≤ year (None)."""
    from smeplan.programmes.models import RubricVersion

    return (
        RubricVersion.objects.filter(programme=programme, effective_year__lte=year)
        .order_by("-effective_year", "-number")
        .first()
    )


def rubric_file_read(path: Path) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for key in ("programme", "effective_year", "title", "basis", "design"):
        if key not in data:
            raise ValidationError({"design": [f"{Path(path).name}：缺少「{key}」"]})
    return data


def rubric_files_load(folder: Path | str | None = DATA_FOLDER) -> int:
    """Load every ``<code>.<year>.json`` of ``folder`` (None: the configured rubrics) whose programme
    exists and which is not stored yet (same programme, effective year and title): each checked by
    :func:`design_check`, saved as the programme's next version. Returns how many were created."""
    from django.db import transaction

    folder = DATA_FOLDER if folder is None else folder
    from smeplan.programmes.models import Programme, RubricVersion

    created = 0
    with transaction.atomic():
        for path in sorted(Path(folder).glob("*.json")):
            data = rubric_file_read(path)
            programme = Programme.objects.filter(code=data["programme"]).first()
            if programme is None:
                continue
            design = design_check(data["design"])
            versions = RubricVersion.objects.filter(programme=programme)
            if versions.filter(effective_year=data["effective_year"], title=data["title"]).exists():
                continue
            number = (versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            RubricVersion.objects.create(
                programme=programme,
                number=number,
                effective_year=int(data["effective_year"]),
                title=data["title"],
                design=design,
                note=str(data.get("note") or data["basis"])[:200],
            )
            created += 1
    return created


def expert_indicators(design: dict) -> list[dict]:
    return [i for i in design.get("indicators", []) if i.get("source", {}).get("expert")]


# --- scoring ----------------------------------------------------------------------------------


@dataclass
class Num:
    """Numbers of one source for every application: float64 values, a state per row (OK, MISSING,
    UNDEFINED) and the exact value of a row on demand (for near-ties at a band bound)."""

    value: np.ndarray
    state: np.ndarray
    exact: object  # row → Fraction
    #: the exact value as integer arrays num / den (den > 0) when the source has them (figures,
    #: growths and ratios of the frame): near-ties are then decided for all rows at once
    num: np.ndarray | None = None
    den: np.ndarray | None = None

    @classmethod
    def missing(cls, n: int) -> Num:
        return cls(np.zeros(n), np.full(n, MISSING, dtype=np.int8), lambda i: Fraction(0))


@dataclass
class Inputs:
    """What scoring reads for n applications (rows in this order)."""

    n: int
    reference_years: np.ndarray  # int per row
    answers: list[dict]  # the form of each row
    #: (metric code, absolute-year offset) → Num; filled by :func:`metric_needs` + the caller
    metrics: dict = field(default_factory=dict)
    #: programme code → bool array: holds a certification in force
    holds: dict = field(default_factory=dict)
    #: expert points: indicator code → (float array, counted-present bool array); and the
    #: explanation of the aggregation per row
    experts: dict = field(default_factory=dict)
    expert_notes: list = field(default_factory=list)


def _walk_sources(node, out: list):
    if isinstance(node, dict):
        if "metric" in node:
            out.append(node)
        for key in ("ratio", "mean", "any", "all"):
            for part in node.get(key, []) if isinstance(node.get(key), list) else []:
                _walk_sources(part, out)
        for key in ("source", "test"):
            if key in node:
                _walk_sources(node[key], out)
        for alt in node.get("best_of", []) or []:
            _walk_sources(alt.get("source"), out)


def metric_needs(design: dict) -> list[tuple[str, int]]:
    """(metric code, year offset) of every metric source of the design."""
    found: list[dict] = []
    for item in design.get("indicators", []):
        _walk_sources(item, found)
    for key in RULE_LISTS:
        for rule in design.get(key, []):
            _walk_sources(rule.get("test"), found)
    return sorted({(s["metric"], int(s.get("year", 0))) for s in found})


def answer_needs(design: dict) -> list[str]:
    """The form fields the design reads."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if "answer" in node:
                found.add(node["answer"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(design.get("indicators", []))
    for key in RULE_LISTS:
        walk(design.get(key, []))
    return sorted(found)


_JSON_WORDS = {"true": True, "false": False, "null": None}


def json_cell(text: str | None):
    """One small JSON value as PostgreSQL returns ``form -> 'field'``: strings without escapes and
    the words directly, anything else through ``json.loads``."""
    if text is None:
        return None
    if text[0] == '"' and "\\" not in text:
        return text[1:-1]
    word = _JSON_WORDS.get(text, text)
    if word is not text:
        return word
    return json.loads(text)


def holds_needs(design: dict) -> set[str]:
    codes: set[str] = set()

    def walk(test):
        if isinstance(test, dict):
            if "holds" in test:
                codes.add(test["holds"])
            for key in ("any", "all"):
                for t in test.get(key, []) or []:
                    walk(t)

    for key in RULE_LISTS:
        for rule in design.get(key, []):
            walk(rule.get("test"))
    return codes


def metric_from_frame(frame, rows: np.ndarray, found: np.ndarray, code: str, year: np.ndarray) -> Num:
    """The metric ``code`` for year ``year`` (per row; one value when all rows share it) of the
    frame rows ``rows`` (``found`` False: the organisation is not in the frame → missing)."""
    from smeplan.programmes.frame import scale_of
    from smeplan.programmes.metrics import metric

    m = metric(code)
    n = len(rows)
    value = np.zeros(n)
    state = np.full(n, MISSING, dtype=np.int8)
    exact_num = np.zeros(n, dtype=np.int64)
    exact_den = np.ones(n, dtype=np.int64)
    for y in np.unique(year):
        sel = (year == y) & found
        if not sel.any():
            continue
        r = rows[sel]
        if m.kind == "number":
            founded = frame.founded[r].astype(np.int64)
            ok = founded > 0
            value[sel] = np.where(ok, y - founded, 0)
            state[sel] = np.where(ok, OK, MISSING)
            exact_num[sel] = np.where(ok, y - founded, 0)
            continue

        def fig(name, yy, r=r):
            if not frame.has_year(int(yy)) or name not in frame.values:
                return np.zeros(len(r), dtype=np.int64), np.zeros(len(r), dtype=bool)
            if int(yy) < frame.since.get(name, frame.first_year):
                return np.zeros(len(r), dtype=np.int64), np.zeros(len(r), dtype=bool)
            v, p = frame.figure(name, int(yy))
            return np.asarray(v)[r], np.asarray(p)[r]

        if m.kind == "figure":
            v, p = fig(m.figure, y)
            scale = scale_of(m.figure)
            value[sel] = v / scale
            state[sel] = np.where(p, OK, MISSING)
            exact_num[sel], exact_den[sel] = v, scale
            continue
        if m.kind == "growth":
            a, pa = fig(m.figure, y)
            b, pb = fig(m.figure, y - 1)
            num = a - b
        else:
            a, pa = fig(m.numerator, y)
            b, pb = fig(m.denominator, y)
            sa, sb = scale_of(m.numerator), scale_of(m.denominator)
            num = a * (sb // sa) if sb > sa else a
            b = b * (sa // sb) if sa > sb else b
        present = pa & pb
        defined = b > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            value[sel] = np.where(present & defined, num / np.where(defined, b, 1), 0)
        state[sel] = np.where(~present, MISSING, np.where(defined, OK, UNDEFINED))
        exact_num[sel], exact_den[sel] = num, np.where(defined, b, 1)

    def exact(i: int) -> Fraction:
        return Fraction(int(exact_num[i]), int(exact_den[i]))

    return Num(value, state, exact, exact_num, exact_den)


def _answer_num(inputs: Inputs, code: str) -> Num:
    """A number answered in the form (a decimal string or number; "1,234.5" accepted); anything
    else missing. Parsed by numpy in one go, row by row only when that fails."""
    n = inputs.n
    raw_of = _raw_answers(inputs, code)
    texts = [r if type(r) is str and r else "nan" for r in raw_of]
    try:
        value = np.array(texts, dtype=str).astype(np.float64) if n else np.zeros(0)
    except ValueError:
        value = np.full(n, np.nan)
        for i, r in enumerate(texts):
            try:
                value[i] = float(r.replace(",", "").strip())
            except ValueError:
                continue
    for i, r in enumerate(raw_of):
        if type(r) in (int, float):
            value[i] = r
    ok = np.isfinite(value)
    state = np.where(ok, OK, MISSING).astype(np.int8)
    value = np.where(ok, value, 0.0)

    def exact(i: int) -> Fraction:
        return Fraction(Decimal(str(raw_of[i]).replace(",", "").strip()))

    return Num(value, state, exact)


def source_num(source: dict, inputs: Inputs) -> Num:
    if "metric" in source:
        found = inputs.metrics.get((source["metric"], int(source.get("year", 0))))
        return found if found is not None else Num.missing(inputs.n)
    if "answer" in source:
        return _answer_num(inputs, source["answer"])
    if "ratio" in source:
        a, b = (source_num(s, inputs) for s in source["ratio"])
        defined = b.value > 0
        state = np.where((a.state == MISSING) | (b.state == MISSING), MISSING, np.maximum(a.state, b.state))
        state = np.where((state == OK) & ~defined, UNDEFINED, state).astype(np.int8)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(state == OK, a.value / np.where(defined, b.value, 1), 0)
        return Num(value, state, lambda i: a.exact(i) / b.exact(i))
    if "mean" in source:
        parts = [source_num(s, inputs) for s in source["mean"]]
        state = np.max(np.stack([p.state for p in parts]), axis=0).astype(np.int8)
        missing = np.any(np.stack([p.state == MISSING for p in parts]), axis=0)
        state = np.where(missing, MISSING, state).astype(np.int8)
        value = np.where(state == OK, sum(p.value for p in parts) / len(parts), 0)
        return Num(value, state, lambda i: sum((p.exact(i) for p in parts), Fraction(0)) / len(parts))
    raise KeyError(source)


def _sign(num: Num, bound: str) -> np.ndarray:
    """sign(value − bound) where the value is OK (exact at near-ties: in int64 for all near rows
    when the source has integer arrays and the products fit, else row by row in fractions)."""
    exact_bound = Fraction(Decimal(bound))
    b = float(exact_bound)
    diff = num.value - b
    sign = np.sign(diff).astype(np.int8)
    near = np.flatnonzero((num.state == OK) & (np.abs(diff) <= 1e-9 * (np.abs(num.value) + abs(b)) + 1e-300))
    if not len(near):
        return sign
    p, q = exact_bound.numerator, exact_bound.denominator
    if num.num is not None:
        a, d = num.num[near], num.den[near]
        if int(np.abs(a).max()) * q < 2**62 and abs(p) * int(np.abs(d).max()) < 2**62:
            sign[near] = np.sign(a * np.int64(q) - np.int64(p) * d)
            return sign
    for i in near:
        e = num.exact(int(i)) - exact_bound
        sign[i] = (e > 0) - (e < 0)
    return sign


def bands_score(num: Num, bands: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """(points, band index or −1) per row; rows that are not OK score 0 in band −1."""
    n = len(num.value)
    index = np.full(n, -1, dtype=np.int16)
    signs: dict[str, np.ndarray] = {}

    def sign(bound):
        if bound not in signs:
            signs[bound] = _sign(num, bound)
        return signs[bound]

    for k in range(len(bands) - 1, -1, -1):
        band = bands[k]
        ok = num.state == OK
        if "low" in band:
            ok &= sign(band["low"]) >= 0
        if "high" in band:
            ok &= sign(band["high"]) < 0
        index[ok] = k
    points_of = np.array([float(b["points"]) for b in bands] + [0.0])
    return points_of[index], index


def _raw_answers(inputs: Inputs, code: str) -> list:
    cache = inputs.__dict__.setdefault("_raw", {})
    if code not in cache:
        cache[code] = [form.get(code) if form else None for form in inputs.answers]
    return cache[code]


_TRUTH = {True: 1, False: 0, "true": 1, "false": 0, "True": 1, "False": 0, "是": 1, "否": 0}


def _truth(raw) -> int:
    return _TRUTH.get(raw, -1) if isinstance(raw, (bool, str)) else -1


def test_eval(test: dict, inputs: Inputs) -> np.ndarray:
    """1 holds, 0 does not, −1 unknown (data missing) per row."""
    n = inputs.n
    if "any" in test or "all" in test:
        parts = np.stack([test_eval(t, inputs) for t in test.get("any") or test.get("all")])
        if "any" in test:
            return np.where((parts == 1).any(axis=0), 1, np.where((parts == -1).any(axis=0), -1, 0)).astype(
                np.int8
            )
        return np.where((parts == 0).any(axis=0), 0, np.where((parts == -1).any(axis=0), -1, 1)).astype(
            np.int8
        )
    if "holds" in test:
        return inputs.holds.get(test["holds"], np.zeros(n, dtype=bool)).astype(np.int8)
    op, source = test["op"], test["source"]
    if op in ("true", "false"):
        raw = _raw_answers(inputs, source["answer"]) if "answer" in source else [None] * n
        truth = np.fromiter((_TRUTH.get(r, -1) if type(r) in (bool, str) else -1 for r in raw), np.int8, n)
        return truth if op == "true" else np.where(truth == -1, -1, 1 - truth).astype(np.int8)
    if op == "in" or (op in ("eq", "ne") and not _is_number(test.get("value"))):
        raw = _raw_answers(inputs, source["answer"]) if "answer" in source else [None] * n
        wanted = set(test["value"]) if op == "in" else {test["value"]}
        out = np.full(n, -1, dtype=np.int8)
        for i, r in enumerate(raw):
            if r is None or r == "":
                continue
            chosen = (
                {str(x) for x in r}
                if isinstance(r, list)
                else {str(r).lower() if isinstance(r, bool) else str(r)}
            )
            hit = bool(chosen & wanted)
            out[i] = int(hit if op != "ne" else not hit)
        return out
    num = source_num(source, inputs)
    s = _sign(num, test["value"])
    result = {
        "ge": s >= 0,
        "gt": s > 0,
        "le": s <= 0,
        "lt": s < 0,
        "eq": s == 0,
        "ne": s != 0,
    }[op]
    return np.where(num.state == MISSING, -1, np.where(num.state == UNDEFINED, 0, result)).astype(np.int8)


@dataclass
class Scores:
    """Scoring of n applications against one design: points, outcome codes and, per row, the
    stored lines as JSON text (``{"i": [[points, state, band, value], …], "r": {list: [1|0|-1 …]},
    "e": experts' note}``) formatted from per-column texts, one template per design."""

    automatic: np.ndarray  # float
    expert: np.ndarray  # float
    total: np.ndarray
    outcomes: list[str]
    lines_json: list[str]

    @property
    def lines(self) -> list[dict]:
        return [json.loads(x) for x in self.lines_json]


MICRO = 10**6  # stored values are integers of millionths (0.052345 → 52345; 1,234.56万元 → 1234560000)


def _texts(value: np.ndarray, ok: np.ndarray | None = None, places: int = 6) -> list[str]:
    """JSON text of numbers (``null`` where not ``ok``): whole numbers as such, others as repr."""
    rounded = np.round(value, places)
    if (rounded == np.floor(rounded)).all() and np.abs(rounded).max(initial=0) < 2**53:
        out = list(map(str, rounded.astype(np.int64).tolist()))
    else:
        out = list(map(repr, rounded.tolist()))
    if ok is not None:
        for i in np.flatnonzero(~ok).tolist():
            out[i] = "null"
    return out


def _micro_texts(value: np.ndarray, ok: np.ndarray) -> list[str]:
    """JSON text of values as integers of millionths (``null`` where not ``ok``): int → text is
    several times cheaper than a float's shortest repr."""
    micro = np.rint(np.clip(np.where(ok, value, 0), -9e12, 9e12) * MICRO).astype(np.int64)
    out = list(map(str, micro.tolist()))
    for i in np.flatnonzero(~ok).tolist():
        out[i] = "null"
    return out


def _micro(value) -> Decimal | None:
    return None if value is None else Decimal(int(value)) / MICRO


def _few_texts(value: np.ndarray) -> list[str]:
    """JSON text of numbers that take few distinct values (points): one text per distinct value."""
    distinct, index = np.unique(value, return_inverse=True)
    texts = np.array(_texts(distinct, None, 2), dtype=object)
    return texts[index].tolist()


_SMALL = np.array([str(i) for i in range(-1, 127)], dtype=object)


def _ints(value: np.ndarray) -> list[str]:
    """JSON text of small integers (−1 … 126: states, bands, rule results)."""
    return _SMALL[value.astype(np.int64) + 1].tolist()


def _json_values(raw: list) -> list[str]:
    """The JSON text of each answer (few distinct values: memoised)."""
    memo: dict = {}
    out = []
    for r in raw:
        key = tuple(r) if isinstance(r, list) else (type(r), r) if not isinstance(r, dict) else None
        if key is None:
            out.append(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
            continue
        text = memo.get(key)
        if text is None:
            text = memo[key] = json.dumps(r, ensure_ascii=False, separators=(",", ":"))
        out.append(text)
    return out


def score(design: dict, inputs: Inputs) -> Scores:
    """Score every row of ``inputs`` against ``design`` (normalised by :func:`design_check`)."""
    n = inputs.n
    items = design.get("indicators", [])
    k = len(items)
    points = np.zeros((k, n))
    state = np.zeros((k, n), dtype=np.int8)
    band = np.full((k, n), -1, dtype=np.int16)
    shown: list = [None] * k  # per indicator: the value text per row
    is_expert = np.zeros(k, dtype=bool)
    for j, item in enumerate(items):
        cap = float(item["max"])
        source = item.get("source", {})
        if "best_of" in item:
            best = np.full(n, -1.0)
            chosen_alt = np.zeros(n, dtype=np.int16)
            texts = []
            states = []
            for a, alt in enumerate(item["best_of"]):
                num = source_num(alt["source"], inputs)
                p, b = bands_score(num, alt["bands"])
                p = np.where(num.state == OK, p, -1.0)
                better = p > best
                best = np.where(better, p, best)
                chosen_alt = np.where(better, a, chosen_alt)
                states.append(num.state)
                texts.append((_micro_texts(num.value, num.state == OK), _ints(num.state), _ints(b)))
            all_missing = (np.stack(states) == MISSING).all(axis=0)
            points[j] = np.maximum(best, 0)
            state[j] = np.where((best < 0) & all_missing, MISSING, np.where(best < 0, UNDEFINED, OK))
            band[j] = chosen_alt
            shown[j] = [
                "[" + ",".join(f"[{t[0][i]},{t[1][i]},{t[2][i]}]" for t in texts) + "]" for i in range(n)
            ]
            continue
        if source.get("expert"):
            is_expert[j] = True
            values, present = inputs.experts.get(item["code"], (np.zeros(n), np.zeros(n, dtype=bool)))
            points[j] = np.minimum(values, cap)
            state[j] = np.where(present, OK, PENDING)
            shown[j] = ["null"] * n
            continue
        if "bands" in item or "per" in item:
            num = source_num(source, inputs)
            if "bands" in item:
                p, b = bands_score(num, item["bands"])
                points[j], band[j] = p, b
            else:
                step, each = float(item["per"]["step"]), float(item["per"]["points"])
                steps = np.floor(num.value / step + 1e-9)
                points[j] = np.where(num.state == OK, np.clip(steps * each, 0, cap), 0)
            state[j] = num.state
            shown[j] = _micro_texts(num.value, num.state == OK)
            continue
        raw = _raw_answers(inputs, source.get("answer", ""))
        shown[j] = _json_values(raw)
        if "choices" in item:
            table = {k_: float(v) for k_, v in item["choices"].items()}
            lookup = {key: value for key, value in table.items()}
            lookup.update({True: table.get("true", 0.0), False: table.get("false", 0.0)})
            got = [lookup.get(r, 0.0) if type(r) in (str, bool) and r != "" else None for r in raw]
            missing = np.fromiter((g is None for g in got), dtype=bool, count=n)
            points[j] = np.fromiter((0.0 if g is None else g for g in got), dtype=np.float64, count=n)
            state[j] = np.where(missing, MISSING, OK)
        else:
            each = {k_: float(v) for k_, v in item["each"].items()}
            overriding = {k_: float(v) for k_, v in item.get("overriding", {}).items()}
            for i, r in enumerate(raw):
                if r is None or r == "":
                    state[j, i] = MISSING
                    continue
                chosen = [str(x) for x in (r if isinstance(r, list) else [r])]
                over = [overriding[c] for c in chosen if c in overriding]
                points[j, i] = (
                    min(max(over), cap) if over else min(sum(each.get(c, 0.0) for c in chosen), cap)
                )
    points = np.round(np.where(state == OK, points, 0), 2)
    automatic = points[~is_expert].sum(axis=0) if k else np.zeros(n)
    expert = points[is_expert].sum(axis=0) if k else np.zeros(n)
    total = automatic + expert
    results = {key: [test_eval(r["test"], inputs) for r in design.get(key, [])] for key in RULE_LISTS}

    def any_is(key, value):
        rows = results[key]
        return np.any(np.stack(rows) == value, axis=0) if rows else np.zeros(n, dtype=bool)

    group_sum = {g["code"]: np.zeros(n) for g in design.get("groups", [])}
    for j, item in enumerate(items):
        if item.get("group") in group_sum:
            group_sum[item["group"]] += points[j]
    group_ok = np.ones(n, dtype=bool)
    for g in design.get("groups", []):
        if "minimum" in g:
            group_ok &= group_sum[g["code"]] >= float(g["minimum"]) - 1e-9
    automatic_k = ~is_expert[:, None]
    auto_missing = ((state == MISSING) & automatic_k).any(axis=0) if k else np.zeros(n, dtype=bool)
    pending = ((state == PENDING) & ~automatic_k).any(axis=0) if k else np.zeros(n, dtype=bool)
    passed_points = (total >= float(design.get("pass_total", 0)) - 1e-9) & group_ok
    outcomes = np.select(
        [
            any_is("exclusions", 1),
            any_is("exclusions", -1),
            any_is("direct_pass", 1),
            any_is("basic_conditions", 0),
            any_is("basic_conditions", -1) | auto_missing,
            passed_points,
            pending,
        ],
        [EXCLUDED, INCOMPLETE, DIRECT_PASS, BASIC_UNMET, INCOMPLETE, PASSED, AWAITING],
        FAILED,
    )
    columns: list[list[str]] = []
    template = '{"i":[' + ",".join(["[%s,%s,%s,%s]"] * k) + '],"r":{'
    for j in range(k):
        columns += [_few_texts(points[j]), _ints(state[j]), _ints(band[j]), shown[j]]
    rule_texts = []
    for key in RULE_LISTS:
        rows = results[key]
        rule_texts.append(f'"{key}":[' + ",".join(["%s"] * len(rows)) + "]")
        columns += [_ints(r) for r in rows]
    template += ",".join(rule_texts) + "}%s}"
    notes = inputs.expert_notes
    columns.append(
        [',"e":' + json.dumps(x, ensure_ascii=False) if x else "" for x in notes] if notes else [""] * n
    )
    lines_json = [template % row for row in zip(*columns, strict=True)]
    return Scores(
        automatic=np.round(automatic, 2),
        expert=np.round(expert, 2),
        total=np.round(total, 2),
        outcomes=outcomes.tolist(),
        lines_json=lines_json,
    )


# --- experts ----------------------------------------------------------------------------------


def experts_aggregate(design: dict, sheets: list[tuple[str, dict]]) -> tuple[dict, dict]:
    """Aggregate the counted experts' sheets (name, {indicator: points}) of ONE application:
    ({indicator: points}, note) by the design's aggregation; trimmed mean needs ≥ 3 sheets, else
    the plain mean and the note says so. The note also lists each expert's total and the outliers
    (total deviating from the others' mean by more than ``outlier_points``)."""
    settings = design.get("experts", {})
    codes = [i["code"] for i in expert_indicators(design)]
    totals = [sum(Decimal(str(s.get(c, 0) or 0)) for c in codes) for _, s in sheets]
    note: dict = {
        "n": len(sheets),
        "totals": [[name, float(t)] for (name, _), t in zip(sheets, totals, strict=False)],
    }
    if not sheets:
        return {}, note
    keep = list(range(len(sheets)))
    aggregation = settings.get("aggregation", "mean")
    if aggregation == "trimmed_mean":
        if len(sheets) >= 3:
            order = sorted(keep, key=lambda k: (totals[k], k))
            dropped = {order[0], order[-1]}
            keep = [k for k in keep if k not in dropped]
            note["dropped"] = [sheets[k][0] for k in sorted(dropped)]
            note["how"] = "trimmed"
        else:
            note["how"] = "too_few"
    else:
        note["how"] = "mean"
    outlier = settings.get("outlier_points")
    if outlier is not None and len(sheets) >= 2:
        flagged = []
        for k, t in enumerate(totals):
            others = [x for m, x in enumerate(totals) if m != k]
            if abs(t - sum(others) / len(others)) > Decimal(str(outlier)):
                flagged.append(sheets[k][0])
        if flagged:
            note["outliers"] = flagged
    agg = {c: float(sum(Decimal(str(sheets[k][1].get(c, 0) or 0)) for k in keep) / len(keep)) for c in codes}
    return agg, note


def outliers_of(design: dict, totals: list[Decimal]) -> list[bool]:
    """Per expert total: deviates from the others' mean by more than ``outlier_points``."""
    outlier = design.get("experts", {}).get("outlier_points")
    if outlier is None or len(totals) < 2:
        return [False] * len(totals)
    out = []
    for k, t in enumerate(totals):
        others = [x for m, x in enumerate(totals) if m != k]
        out.append(abs(t - sum(others) / len(others)) > Decimal(str(outlier)))
    return out


# --- explanation ------------------------------------------------------------------------------


RELATIVE_YEARS = {0: "申报年度", -1: "上一年度", -2: "前两年度", -3: "前三年度"}


def _source_text(source: dict, reference_year: int | None, field_labels: dict) -> str:
    """Where a value comes from; ``reference_year`` None: years relative to the 申报年度."""
    from smeplan.programmes.metrics import METRICS

    if "metric" in source:
        m = METRICS.get(source["metric"])
        offset = int(source.get("year", 0))
        if reference_year is None:
            return f"{m.label if m else '指标'}（{RELATIVE_YEARS.get(offset, f'申报年度前{-offset}年')}）"
        return f"{m.label if m else '指标'}（{reference_year + offset}年度数据）"
    if "answer" in source:
        return f"申报表「{field_labels.get(source['answer'], '填报内容')}」"
    if "ratio" in source:
        a, b = source["ratio"]
        return f"{_source_text(a, reference_year, field_labels)} ÷ {_source_text(b, reference_year, field_labels)}"
    if "mean" in source:
        return "、".join(_source_text(s, reference_year, field_labels) for s in source["mean"]) + " 的平均值"
    if source.get("expert"):
        return "评审专家评分"
    return ""


def _answer_text(raw, choices: dict) -> str:
    if raw is None or raw == "":
        return "未填写"
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, list):
        return "、".join(choices.get(str(x), str(x)) for x in raw) or "无"
    return choices.get(str(raw), str(raw))


def form_labels(form_design: dict | None) -> tuple[dict, dict]:
    """(field code → label, field code → {choice value → label}) of a form design."""
    labels: dict = {}
    choices: dict = {}
    for section in (form_design or {}).get("sections", []):
        for f in section.get("fields", []):
            labels[f.get("code")] = f.get("label", "")
            if f.get("choices"):
                choices[f["code"]] = {str(v): lbl for v, lbl in f["choices"]}
    return labels, choices


def _test_text(test: dict, reference_year: int, labels: dict, choices: dict, programme_names: dict) -> str:
    if "any" in test:
        return (
            "（"
            + " 或 ".join(
                _test_text(t, reference_year, labels, choices, programme_names) for t in test["any"]
            )
            + "）"
        )
    if "all" in test:
        return (
            "（"
            + " 且 ".join(
                _test_text(t, reference_year, labels, choices, programme_names) for t in test["all"]
            )
            + "）"
        )
    if "holds" in test:
        return f"持有有效的「{programme_names.get(test['holds'], '相关认定')}」"
    source = test["source"]
    what = _source_text(source, reference_year, labels)
    op = test["op"]
    if op in ("true", "false"):
        return f"{what}{OPS[op]}"
    if op == "in" or not _is_number(test.get("value")):
        options = choices.get(source.get("answer"), {})
        values = test["value"] if isinstance(test["value"], list) else [test["value"]]
        return f"{what}{OPS[op]}{'、'.join(options.get(v, v) for v in values)}"
    unit = (
        "percent"
        if source.get("metric", "").startswith(("ratio.", "growth.")) or "ratio" in source or "mean" in source
        else ""
    )
    if "metric" in source and not unit:
        from smeplan.programmes.metrics import METRICS

        unit = {"万元": "money", "人": "persons", "年": "years"}.get(METRICS[source["metric"]].unit, "")
    if "answer" in source and not unit:
        unit = test.get("unit", "")
    return f"{what} {OPS[op]} {value_text(test['value'], unit or test.get('unit', ''))}"


def explain(
    design: dict,
    stored: dict,
    *,
    reference_year: int,
    form_design: dict | None = None,
    programme_names: dict | None = None,
) -> dict:
    """The stored lines of one application as text: per indicator its value, band (with the
    convention), points, source and basis; per rule whether it holds; the experts' aggregation."""
    labels, choices = form_labels(form_design)
    programme_names = programme_names or {}
    rows = []
    for item, line in zip(design.get("indicators", []), stored.get("i", []), strict=False):
        pts, st, b, value = line[0], line[1], line[2], line[3] if len(line) > 3 else None
        if ("bands" in item or "per" in item) and not isinstance(value, (str, list, bool)):
            value = _micro(value)
        unit = item.get("unit", "")
        source = item.get("source", {})
        row = {
            "label": item["label"],
            "max": _num(item["max"]),
            "points": _num(pts),
            "basis": item.get("basis", ""),
            "group": item.get("group", ""),
            "provincial": bool(item.get("provincial")),
        }
        if "best_of" in item:
            parts = []
            for a, (alt, got) in enumerate(zip(item["best_of"], value or [], strict=False)):
                v, s, bi = got
                v = _micro(v)
                text = value_text(v, alt.get("unit", "")) if s == OK else STATE_TEXT.get(s, "")
                band_txt = band_text(alt["bands"][bi], alt.get("unit", "")) if bi >= 0 else "不在任何分档内"
                mark = "（取此项）" if a == b and st == OK else ""
                parts.append(f"{alt['label']}：{text}，{band_txt}{mark}")
            row["value"] = "；".join(parts)
            row["band"] = "两种取值按各自分档计分，取较高者"
            row["source"] = "；".join(
                _source_text(alt["source"], reference_year, labels) for alt in item["best_of"]
            )
        elif source.get("expert"):
            row["value"] = "—"
            row["band"] = f"专家评分 0–{_num(item['max'])} 分"
            row["source"] = _experts_text(design, stored.get("e"))
        else:
            row["source"] = _source_text(source, reference_year, labels)
            if "bands" in item:
                row["value"] = value_text(value, unit) if st == OK else STATE_TEXT.get(st, "")
                row["band"] = (
                    band_text(item["bands"][b], unit) if b >= 0 else ("不在任何分档内" if st == OK else "—")
                )
            elif "per" in item:
                row["value"] = value_text(value, unit or "years") if st == OK else STATE_TEXT.get(st, "")
                step = item["per"]
                row["band"] = (
                    f"每满 {_num(step['step'])}{UNITS.get(unit or 'years', '')} 得 {_num(step['points'])} 分，最高 {_num(item['max'])} 分"
                )
            else:
                options = choices.get(source.get("answer"), {})
                row["value"] = _answer_text(value, options) if st == OK else STATE_TEXT.get(st, "")
                if "choices" in item:
                    row["band"] = "；".join(
                        f"{options.get(k, k)} {_num(v)} 分" for k, v in item["choices"].items()
                    )
                else:
                    over = "；".join(
                        f"{options.get(k, k)} 直接得 {_num(v)} 分"
                        for k, v in item.get("overriding", {}).items()
                    )
                    each = "、".join(f"{options.get(k, k)} {_num(v)} 分" for k, v in item["each"].items())
                    row["band"] = (
                        over + "；否则 " if over else ""
                    ) + f"每项累计（{each}），最高 {_num(item['max'])} 分"
        row["state"] = STATE_TEXT.get(st, "")
        rows.append(row)
    rules = {}
    for key, _name in RULE_LISTS.items():
        rules[key] = []
        for rule, result in zip(design.get(key, []), stored.get("r", {}).get(key, []), strict=False):
            rules[key].append(
                {
                    "label": rule["label"],
                    "test": _test_text(rule["test"], reference_year, labels, choices, programme_names),
                    "result": {1: "是", 0: "否", -1: "数据不全"}[result],
                    "holds": result == 1,
                    "basis": rule["basis"],
                }
            )
    groups = []
    for g in design.get("groups", []):
        got = sum(Decimal(str(r["points"])) for r in rows if r["group"] == g["code"])
        groups.append(
            {
                "label": g["label"],
                "max": _num(g["max"]),
                "minimum": _num(g["minimum"]) if "minimum" in g else "",
                "points": _num(got),
                "ok": "minimum" not in g or got >= Decimal(str(g["minimum"])),
                "basis": g.get("basis", ""),
            }
        )
    return {
        "convention": design.get("convention", CONVENTION),
        "lines": rows,
        "rules": rules,
        "groups": groups,
        "pass_total": _num(design.get("pass_total", 0)),
        "max_total": _num(design.get("max_total", 100)),
        "missing": [r["label"] for r in rows if r["state"] == "数据不全"],
    }


def _experts_text(design: dict, note: dict | None) -> str:
    if not note or not note.get("n"):
        return "评审专家评分（尚无专家提交）"
    how = note.get("how")
    if how == "trimmed":
        text = f"{note['n']} 位专家评分，去掉最高分和最低分（{'、'.join(note.get('dropped', []))}）后平均"
    elif how == "too_few":
        text = f"{note['n']} 位专家评分，不足 3 位，不去掉最高最低分，按算术平均"
    else:
        text = f"{note['n']} 位专家评分的算术平均"
    if note.get("outliers"):
        text += f"；评分偏离其他专家平均超过 {_num(design.get('experts', {}).get('outlier_points', 0))} 分：{'、'.join(note['outliers'])}"
    return text
