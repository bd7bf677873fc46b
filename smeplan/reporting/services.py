"""Changes of the reporting app: the city annual plans (``plan_save``, ``plan_act``) and the filing
of a city's own annex-3 workbook (``filing_upload``). Keyword-only, atomic, permission checks
inside, one audit event each; every problem reported at once in Chinese, naming the field and value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from smeplan.accounts.scoping import require
from smeplan.audit.services import audit_record
from smeplan.exchange.reading import ImportFileError, read_workbook
from smeplan.regions.models import Region, RegionLevel
from smeplan.regions.selectors import region_resolve
from smeplan.reporting import workflow
from smeplan.reporting.models import Annex3Filing, CityAnnualPlan, CityPlanEvent, CityPlanRow
from smeplan.reporting.selectors import annex3
from smeplan.reporting.sheets import FIELD_BY_KEY, FILED_KEYS, header_key, row_values

PLAN_FIELDS = [
    ("enterprises", "梯队企业总数", "int"),
    ("new_enterprises", "新增梯队企业", "int"),
    ("revenue", "合计营业收入（万元）", "money"),
    ("revenue_growth", "营业收入增速（%）", "percent"),
]
PLAN_LABELS = {name: label for name, label, _ in PLAN_FIELDS}
FILING_MAX_BYTES_DEFAULT = 5 * 1024 * 1024


def plan_regions(city: Region) -> list[Region]:
    """The rows of a city's plan: the city itself, then its counties (韩城市: itself only)."""
    counties = Region.objects.filter(path__startswith=city.path, is_county=True).exclude(pk=city.pk)
    return [city, *counties.order_by("code")]


def _year_clean(raw, errors: dict) -> int | None:
    text = str(raw if raw is not None else "").strip()
    try:
        year = int(text)
    except ValueError:
        errors.setdefault("year", []).append(f"计划年度应为四位数字，收到“{text}”")
        return None
    if not 2017 <= year <= dt.date.today().year + 1:
        errors.setdefault("year", []).append(
            f"计划年度应在 2017—{dt.date.today().year + 1} 之间，收到“{text}”"
        )
        return None
    return year


def _value_clean(raw, kind: str, where: str, label: str, key: str, errors: dict):
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if text == "":
        return None
    if kind == "percent":
        text = text.rstrip("%％")
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.setdefault(key, []).append(f"{where}的“{label}”应为数字，收到“{raw}”")
        return None
    if not value.is_finite():
        errors.setdefault(key, []).append(f"{where}的“{label}”应为数字，收到“{raw}”")
        return None
    if kind == "int":
        if value != value.to_integral_value() or value < 0:
            errors.setdefault(key, []).append(f"{where}的“{label}”应为不小于 0 的整数，收到“{raw}”")
            return None
        if value > 10_000_000:
            errors.setdefault(key, []).append(f"{where}的“{label}”过大，收到“{raw}”")
            return None
        return int(value)
    if kind == "money":
        if value < 0 or value >= Decimal("1e14"):
            errors.setdefault(key, []).append(f"{where}的“{label}”应在 0 至 10^14 万元之间，收到“{raw}”")
            return None
        return value.quantize(Decimal("0.01"))
    if not Decimal(-100) <= value <= Decimal(10000):
        errors.setdefault(key, []).append(f"{where}的“{label}”应在 −100% 至 10000% 之间，收到“{raw}”")
        return None
    return value.quantize(Decimal("0.01"))


def _city_of_actor(actor) -> Region:
    require(
        actor.role == "city_officer" and actor.region_id is not None, "只有市级工作人员可以填报本市的年度计划"
    )
    city = Region.objects.get(pk=actor.region_id)
    require(city.level == RegionLevel.CITY, "只有市级单位可以填报年度计划")
    return city


@transaction.atomic
def plan_save(*, actor, year, rows: dict, expected_version: int | None = None) -> CityAnnualPlan:
    """Create or update the actor's city's plan for ``year`` (draft or returned only).

    ``rows``: {region code: {"enterprises": …, "new_enterprises": …, "revenue": …,
    "revenue_growth": …}} with raw text or numbers; a region not given keeps its values.
    """
    city = _city_of_actor(actor)
    errors: dict[str, list[str]] = {}
    year_value = _year_clean(year, errors)
    if errors:
        raise ValidationError(errors)
    plan = CityAnnualPlan.objects.select_for_update().filter(year=year_value, city=city).first()
    created = plan is None
    if created:
        plan = CityAnnualPlan.objects.create(year=year_value, city=city, created_by=actor)
    elif plan.state not in workflow.EDITABLE:
        raise ValidationError(
            {
                "__all__": [
                    f"计划当前状态为“{plan.get_state_display()}”，不能修改（只有草稿或退回修改的计划可以修改）"
                ]
            }
        )
    elif expected_version is not None and int(expected_version) != plan.lock_version:
        raise ValidationError({"__all__": ["计划已被他人修改，请刷新页面后重试"]})
    regions = {r.code: r for r in plan_regions(city)}
    cleaned: dict[str, dict] = {}
    for code, values in (rows or {}).items():
        region = regions.get(str(code))
        if region is None:
            errors.setdefault("rows", []).append(f"地区“{code}”不属于{city.name}，不能列入本市计划")
            continue
        cleaned[region.code] = {
            name: _value_clean(values.get(name), kind, region.name, label, f"{region.code}-{name}", errors)
            for name, label, kind in PLAN_FIELDS
            if name in values
        }
    if errors:
        raise ValidationError(errors)
    existing = {row.region_id: row for row in plan.rows.all()}
    new_rows, changed = [], []
    for code, region in regions.items():
        row = existing.get(code)
        values = cleaned.get(code, {})
        if row is None:
            new_rows.append(CityPlanRow(plan=plan, region=region, **values))
        elif values:
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    CityPlanRow.objects.bulk_create(new_rows)
    if changed:
        CityPlanRow.objects.bulk_update(changed, [name for name, _, _ in PLAN_FIELDS])
    if not created:
        plan.lock_version += 1
        plan.save(update_fields=["lock_version", "updated_at"])
    CityPlanEvent.objects.create(
        plan=plan,
        action="create" if created else "edit",
        from_state=plan.state,
        to_state=plan.state,
        actor=actor,
    )
    audit_record(
        actor=actor,
        event_type="reporting.plan_created" if created else "reporting.plan_updated",
        subject=plan,
        payload={
            "year": plan.year,
            "city": city.code,
            "rows": {k: {n: str(v) for n, v in d.items()} for k, d in cleaned.items()},
        },
    )
    return plan


@transaction.atomic
def plan_act(
    *, actor, plan: CityAnnualPlan, action: str, reason: str = "", expected_version=None
) -> CityAnnualPlan:
    """Move ``plan`` along one row of ``workflow.TRANSITIONS`` (history row and audit event)."""
    plan = CityAnnualPlan.objects.select_for_update().select_related("city").get(pk=plan.pk)
    if expected_version is not None and int(expected_version) != plan.lock_version:
        raise ValidationError({"__all__": ["计划已被他人处理，请刷新页面后重试"]})
    label = workflow.ACTION_LABELS.get(action, action)
    transition = workflow.transition_for(plan.state, action)
    if transition is None:
        raise ValidationError({"action": [f"计划当前状态为“{plan.get_state_display()}”，不能执行“{label}”"]})
    if not workflow.may_act(actor, transition, plan.city_id):
        who = (
            f"{plan.city.name}的市级工作人员" if transition.actor == workflow.CITY else "省级管理员或工作人员"
        )
        raise PermissionDenied(f"只有{who}可以对计划执行“{label}”")
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"reason": [f"“{label}”需要填写理由"]})
    if len(reason) > 500:
        raise ValidationError({"reason": [f"理由最多 500 字，收到 {len(reason)} 字"]})
    if action == "submit":
        missing = plan.rows.filter(enterprises__isnull=True).select_related("region")
        names = [row.region.name for row in missing]
        if names:
            raise ValidationError({"__all__": [f"以下地区未填写“梯队企业总数”：{'、'.join(names)}"]})
    from_state = plan.state
    plan.state = transition.next_state
    plan.return_reason = reason if action == "return" else ""
    plan.lock_version += 1
    plan.save(update_fields=["state", "return_reason", "lock_version", "updated_at"])
    CityPlanEvent.objects.create(
        plan=plan, action=action, from_state=from_state, to_state=plan.state, reason=reason, actor=actor
    )
    audit_record(
        actor=actor,
        event_type=f"reporting.plan_{action}",
        subject=plan,
        payload={"from": from_state, "to": plan.state, "reason": reason},
    )
    return plan


# --- 汇总表备案 ------------------------------------------------------------------------------------


def filing_max_bytes() -> int:
    return int(getattr(settings, "SMEPLAN_FILING_MAX_BYTES", FILING_MAX_BYTES_DEFAULT))


def _filed_value(key: str, raw):
    """A filed cell as the comparable value: counts int, revenue Decimal, growth a fraction."""
    kind = FIELD_BY_KEY[key].kind
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip().replace(",", "")
    percent = text.endswith(("%", "％"))
    try:
        value = Decimal(text.rstrip("%％")) if isinstance(raw, str) else Decimal(str(raw))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if kind == "percent":
        return value / 100 if percent else value
    if kind == "integer":
        if value != value.to_integral_value():
            raise ValueError(text)
        return int(value)
    return value


def _parse_filing(workbook, city: Region):
    """(values {code: {key: value}}, unmatched [text], errors [text]) from the first sheet with the
    annex-3 header (a row naming 地区 or 区划代码 and at least one annex-3 column)."""
    allowed = {r.code for r in plan_regions(city)}
    for sheet in workbook.sheets:
        rows = sheet.rows
        for h, header in enumerate(rows[:30]):
            texts = [str(c).strip() for c in header]
            group_row = rows[h - 1] if h > 0 else []
            columns: dict[int, str] = {}
            group = ""
            for j, label in enumerate(texts):
                if j < len(group_row) and str(group_row[j]).strip():
                    group = str(group_row[j]).strip()
                key = header_key(group, label)
                if key is not None and key not in columns.values():
                    columns[j] = key
            # 地区 and 区划代码 may be merged over both header rows (then written in the upper one)
            above = [str(c).strip() for c in group_row]
            labels = [t or (above[j] if j < len(above) else "") for j, t in enumerate(texts)]
            name_col = next((j for j, t in enumerate(labels) if t in ("地区", "地区名称", "单位")), None)
            code_col = next((j for j, t in enumerate(labels) if t.startswith("区划代码")), None)
            if not columns or (name_col is None and code_col is None):
                continue
            values: dict[str, dict] = {}
            unmatched: list[str] = []
            errors: list[str] = []
            for i in range(h + 1, len(rows)):
                row = rows[i]
                cell = lambda j, row=row: str(row[j]).strip() if j is not None and j < len(row) else ""  # noqa: E731
                code_text, name_text = cell(code_col), cell(name_col).lstrip("└ 　")
                if code_text.endswith(".0"):
                    code_text = code_text[:-2]
                if not code_text and not name_text:
                    continue
                if name_text.endswith("合计") and not code_text:
                    continue
                region = region_resolve(code_text) or region_resolve(name_text)
                if region is None or region.code not in allowed:
                    unmatched.append(f"第 {i + 1} 行“{name_text or code_text}”不是{city.name}或其所辖区县")
                    continue
                filed = {}
                for j, key in columns.items():
                    raw = row[j] if j < len(row) else ""
                    try:
                        filed[key] = _filed_value(key, raw)
                    except ValueError:
                        errors.append(
                            f"第 {i + 1} 行“{region.name}”的“{FIELD_BY_KEY[key].title}”应为数字，收到“{raw}”"
                        )
                values[region.code] = filed
            return values, unmatched, errors
    return (
        None,
        [],
        [
            "文件中没有找到汇总表的表头（应有“地区”或“区划代码”列及“省级/市级/县级”各梯队、“合计”“营业收入”等列）"
        ],
    )


def _differs(key: str, filed, system) -> bool:
    if filed is None and system is None:
        return False
    if filed is None or system is None:
        return True
    if FIELD_BY_KEY[key].kind == "percent":
        return abs(Decimal(filed) - Decimal(system)) > Decimal("0.00005")
    if FIELD_BY_KEY[key].kind == "money":
        return abs(Decimal(filed) - Decimal(system)) >= Decimal("0.01")
    return filed != system


def _text(key: str, value) -> str | None:
    """A value as stored text: 万元 with 2 decimals, a growth as a fraction with 6, counts as is."""
    if value is None:
        return None
    kind = FIELD_BY_KEY[key].kind
    if kind == "money":
        return f"{Decimal(value):.2f}"
    if kind == "percent":
        return f"{Decimal(value):.6f}"
    return str(value)


@transaction.atomic
def filing_upload(*, actor, year, file_name: str, content: bytes) -> Annex3Filing:
    """File the actor's city's own annex-3 workbook for ``year``: read it (type by content, size
    limit), match its rows to the city and its counties, store it with its checksum and the
    differences from the system's annex 3. Nothing is stored when the file is refused."""
    city = _city_of_actor(actor)
    errors: dict[str, list[str]] = {}
    year_value = _year_clean(year, errors)
    if errors:
        raise ValidationError(errors)
    if not content:
        raise ValidationError({"file": ["请选择要报送的汇总表文件（.xlsx/.xls/.csv）"]})
    try:
        workbook = read_workbook(bytes(content), file_name or "", max_bytes=filing_max_bytes())
    except ImportFileError as exc:
        raise ValidationError({"file": [f"文件“{file_name}”：{exc.message}"]}) from exc
    if workbook.kind not in ("xlsx", "xls", "csv"):
        raise ValidationError(
            {"file": [f"文件“{file_name}”是 {workbook.kind} 格式，请另存为 .xlsx、.xls 或 .csv 后再报送"]}
        )
    values, unmatched, problems = _parse_filing(workbook, city)
    if problems:
        raise ValidationError({"file": problems})
    if not values:
        raise ValidationError(
            {"file": [f"文件“{file_name}”中没有{city.name}或其所辖区县的数据行", *unmatched]}
        )
    system = {row.code: row for row in annex3(user=actor, year=year_value).rows}
    differences = []
    for code, filed in values.items():
        held = row_values(system[code]) if code in system else {}
        for key in FILED_KEYS:
            if key not in filed:
                continue
            if _differs(key, filed[key], held.get(key)):
                differences.append(
                    {
                        "code": code,
                        "region": system[code].name if code in system else code,
                        "field": key,
                        "label": FIELD_BY_KEY[key].title,
                        "filed": _text(key, filed[key]),
                        "system": _text(key, held.get(key)),
                    }
                )
    filing = Annex3Filing.objects.create(
        year=year_value,
        city=city,
        uploaded_by=actor,
        file_name=(file_name or "汇总表")[:200],
        file_size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        values={code: {k: _text(k, v) for k, v in filed.items()} for code, filed in values.items()},
        differences=differences,
        unmatched=unmatched,
    )
    audit_record(
        actor=actor,
        event_type="reporting.annex3_filed",
        subject=filing,
        payload={
            "year": year_value,
            "sha256": filing.sha256,
            "rows": len(values),
            "differences": len(differences),
        },
    )
    return filing
