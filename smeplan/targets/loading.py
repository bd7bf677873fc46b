"""Loads the targets of one plan period from a data file (``data/targets-2016-2020.json``).

``load_period(apps, path)`` is used by the data migration with the historical models (pass the
migration's ``apps``) and from code with ``None`` (the current models). The whole file is checked
before anything is written; any problem raises ``ValueError`` naming the row's code and the field in
Chinese, and leaves the database as it was. Loading upserts by (period code, target code): the period
and its targets are created or updated, ``position`` follows the file order, and a per-city target's
shares are replaced by the file's. Targets of the period that the file does not name (added in the
page) are left alone.
"""

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from smeplan.targets.models import ActionPlan, TargetKind, TargetScope, TargetSource

DATA_DIR = Path(__file__).parent / "data"
PERIOD_13TH = DATA_DIR / "targets-2016-2020.json"

# the allowed values are the models' choices (plain strings, also valid for the historical models)
PLANS = tuple(ActionPlan.values)
KINDS = tuple(TargetKind.values)
SCOPES = tuple(TargetScope.values)
SOURCES = tuple(TargetSource.values)

PERIOD_KEYS = ("code", "name", "start_year", "end_year")
TARGET_KEYS = (
    "code",
    "plan",
    "name",
    "description",
    "value",
    "unit",
    "kind",
    "deadline",
    "scope",
    "source",
)
FIELD_NAMES = {
    "code": "代码",
    "plan": "行动计划",
    "name": "指标",
    "description": "原文表述",
    "source_document": "出处文件",
    "seed_section": "出处条款",
    "value": "目标值",
    "unit": "单位",
    "kind": "类型",
    "baseline": "基期值",
    "deadline": "完成期限",
    "scope": "范围",
    "source": "数据来源",
    "metric": "统计口径",
    "reporter": "填报部门",
    "shares": "分解目标",
    "start_year": "起始年度",
    "end_year": "终止年度",
}
MAX_LENGTHS = {
    "code": 60,
    "name": 20,
    "description": 500,
    "source_document": 200,
    "seed_section": 200,
    "unit": 20,
    "metric": 60,
    "reporter": 60,
}
MAX_VALUE = Decimal("99999999999999.99")  # max_digits=16, decimal_places=2


def _slug_ok(text: str) -> bool:
    return (
        bool(text) and all(c.isascii() and (c.isalnum() or c in "-_") for c in text) and text == text.lower()
    )


def _fail(who: str, field: str, problem: str) -> ValueError:
    return ValueError(f"{who}的字段“{field}”（{FIELD_NAMES.get(field, field)}）{problem}")


def _number(who: str, field: str, raw) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _fail(who, field, f"不是数字：{raw!r}")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise _fail(who, field, f"不是数字：{raw!r}") from None
    if not value.is_finite() or abs(value) > MAX_VALUE or value != value.quantize(Decimal("0.01")):
        raise _fail(who, field, f"超出范围或小数位多于2位：{raw!r}")
    return value


def _check_period(spec) -> dict:
    if not isinstance(spec, dict):
        raise ValueError("数据文件缺少规划期（period）或格式不对")
    who = f"规划期“{spec.get('code', '')}”"
    for key in PERIOD_KEYS:
        if spec.get(key) in (None, ""):
            raise _fail(who, key, "缺失")
    if not isinstance(spec["code"], str) or not _slug_ok(spec["code"]) or len(spec["code"]) > 20:
        raise _fail(who, "code", "须为不超过20个字符的小写英文字母、数字或连字符")
    if len(str(spec["name"])) > 60:
        raise _fail(who, "name", "超过60个字符")
    for key in ("start_year", "end_year"):
        if isinstance(spec[key], bool) or not isinstance(spec[key], int) or not 1900 < spec[key] < 2200:
            raise _fail(who, key, f"不是有效年度：{spec[key]!r}")
    if spec["end_year"] < spec["start_year"]:
        raise _fail(who, "end_year", "早于起始年度")
    return spec


def _check_target(row, index: int, period: dict, seen: set, city_codes, document: str = "") -> dict:
    """One row of the file, checked and converted to model field values (plus ``shares``)."""
    if not isinstance(row, dict):
        raise ValueError(f"第{index + 1}条目标不是对象")
    code = row.get("code")
    who = f"目标“{code}”" if code else f"第{index + 1}条目标"
    for key in TARGET_KEYS:
        if row.get(key) in (None, ""):
            raise _fail(who, key, "缺失")
    for key, limit in MAX_LENGTHS.items():
        text = row.get(key, "")
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise _fail(who, key, "须为文本")
        if len(text) > limit:
            raise _fail(who, key, f"超过{limit}个字符")
    if not _slug_ok(code):
        raise _fail(who, "code", "须为小写英文字母、数字或连字符")
    if code in seen:
        raise _fail(who, "code", "重复")
    seen.add(code)
    for key, allowed in (("plan", PLANS), ("kind", KINDS), ("scope", SCOPES), ("source", SOURCES)):
        if row[key] not in allowed:
            raise _fail(who, key, f"取值“{row[key]}”无效，可选：{'、'.join(allowed)}")
    value = _number(who, "value", row["value"])
    if value <= 0:
        raise _fail(who, "value", "须大于0")
    baseline = row.get("baseline")
    if baseline is not None:
        baseline = _number(who, "baseline", baseline)
        if baseline < 0:
            raise _fail(who, "baseline", "不能为负数")
    if row["kind"] == "share" and row["unit"] != "%":
        raise _fail(who, "unit", "比重类目标的单位须为“%”")
    try:
        deadline = date.fromisoformat(str(row["deadline"]))
    except ValueError:
        raise _fail(who, "deadline", f"不是有效日期（YYYY-MM-DD）：{row['deadline']!r}") from None
    if not date(period["start_year"], 1, 1) <= deadline <= date(period["end_year"], 12, 31):
        raise _fail(
            who,
            "deadline",
            f"{deadline.isoformat()}不在规划期{period['start_year']}—{period['end_year']}年内",
        )
    metric = row.get("metric") or ""
    reporter = row.get("reporter") or ""
    if row["source"] == "computed" and not metric:
        raise _fail(who, "metric", "系统统计的目标须写明统计口径")
    if row["source"] == "reported" and metric:
        raise _fail(who, "metric", "部门填报的目标不应有统计口径")
    if row["source"] == "reported" and not reporter:
        raise _fail(who, "reporter", "部门填报的目标须写明填报部门")
    shares = row.get("shares") or {}
    if not isinstance(shares, dict):
        raise _fail(who, "shares", "须为“市级单位代码: 目标值”的对象")
    if row["scope"] == "per_city" and not shares:
        raise _fail(who, "shares", "分解到市的目标须给出各市目标值")
    if row["scope"] == "province" and shares:
        raise _fail(who, "shares", "全省目标不应有分解目标")
    parsed_shares = {}
    for region_code, raw in shares.items():
        if region_code not in city_codes():
            raise _fail(who, "shares", f"“{region_code}”不是市级单位代码")
        share = _number(who, "shares", raw)
        if share <= 0:
            raise _fail(who, "shares", f"“{region_code}”的目标值须大于0")
        parsed_shares[region_code] = share
    return {
        "code": code,
        "plan": row["plan"],
        "name": row["name"],
        "description": row["description"],
        "source_document": row.get("source_document") or document,
        "seed_section": row.get("seed_section") or "",
        "value": value,
        "unit": row["unit"],
        "kind": row["kind"],
        "baseline": baseline,
        "deadline": deadline,
        "scope": row["scope"],
        "source": row["source"],
        "metric": metric,
        "reporter": reporter,
        "shares": parsed_shares,
    }


def read_period(path, Region=None) -> tuple[dict, list[dict]]:
    """The file's period and targets, checked (``ValueError`` on the first problem). ``Region`` is
    needed only when a target has shares (their codes must be city-level units)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"无法读取目标数据文件 {path}：{exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        raise ValueError("数据文件缺少目标列表（targets）")
    period = _check_period(data.get("period"))

    cities: set | None = None

    def city_codes() -> set:
        nonlocal cities
        if cities is None:
            if Region is None:
                raise ValueError("校验分解目标需要地区表")
            cities = set(Region.objects.filter(level="city").values_list("code", flat=True))
        return cities

    document = data.get("source_document") or ""
    if not isinstance(document, str) or len(document) > MAX_LENGTHS["source_document"]:
        raise ValueError("数据文件的出处文件（source_document）须为不超过200个字符的文本")
    seen: set = set()
    targets = [
        _check_target(row, i, period, seen, city_codes, document) for i, row in enumerate(data["targets"])
    ]
    return period, targets


def load_period(apps_or_none, path=PERIOD_13TH) -> dict:
    """Check the file, then upsert its period and targets (and shares). ``apps_or_none``: a
    migration's ``apps`` (historical models) or ``None`` (current models). Returns counts."""
    registry = apps_or_none
    if registry is None:
        from django.apps import apps as registry
    PlanPeriod = registry.get_model("targets", "PlanPeriod")
    Target = registry.get_model("targets", "Target")
    TargetShare = registry.get_model("targets", "TargetShare")
    Region = registry.get_model("regions", "Region")

    spec, rows = read_period(path, Region)
    created = updated = 0
    with transaction.atomic():
        period, _ = PlanPeriod.objects.update_or_create(
            code=spec["code"],
            defaults={"name": spec["name"], "start_year": spec["start_year"], "end_year": spec["end_year"]},
        )
        # an older migration's models may not have every field yet (``source_document`` came later)
        known = {f.name for f in Target._meta.get_fields()}
        for position, row in enumerate(rows):
            fields = {k: v for k, v in row.items() if k not in ("code", "shares") and k in known}
            target, made = Target.objects.update_or_create(
                period=period, code=row["code"], defaults={**fields, "position": position}
            )
            created += made
            updated += not made
            TargetShare.objects.filter(target=target).exclude(region_id__in=list(row["shares"])).delete()
            for region_code, value in row["shares"].items():
                TargetShare.objects.update_or_create(
                    target=target, region_id=region_code, defaults={"value": value}
                )
    return {"period": spec["code"], "created": created, "updated": updated}
