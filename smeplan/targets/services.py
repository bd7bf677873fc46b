"""Changes of the targets app: plan periods and targets (provincial admins), city shares, and the
values a bureau reports for targets whose data belongs to another agency. Keyword-only, atomic,
permission checks inside, one audit event each; every problem at once, in Chinese, per field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from smeplan.accounts.models import Role
from smeplan.accounts.scoping import is_provincial_admin, require
from smeplan.audit.services import audit_record
from smeplan.regions.models import PROVINCE_CODE, Region, RegionLevel
from smeplan.targets import metrics
from smeplan.targets.models import (
    ActionPlan,
    PlanPeriod,
    ReportedAttachment,
    ReportedValue,
    ReportedValueRevision,
    Target,
    TargetKind,
    TargetScope,
    TargetShare,
    TargetSource,
)

MAX_VALUE = Decimal("99999999999999")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def _text(data: dict, key: str, label: str, errors: dict, *, max_length: int, required: bool = True) -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        errors.setdefault(key, []).append(f"请填写{label}")
    elif len(value) > max_length:
        errors.setdefault(key, []).append(f"{label}不能超过 {max_length} 个字，现有 {len(value)} 个")
    return value


def _decimal(raw, key: str, label: str, errors: dict, *, required: bool = True, positive: bool = False):
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if text == "":
        if required:
            errors.setdefault(key, []).append(f"请填写{label}")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.setdefault(key, []).append(f"{label}应为数字，收到“{text}”")
        return None
    if not value.is_finite() or abs(value) > MAX_VALUE:
        errors.setdefault(key, []).append(f"{label}超出可记录的范围，收到“{text}”")
        return None
    if value.as_tuple().exponent < -2:
        errors.setdefault(key, []).append(f"{label}最多保留两位小数，收到“{text}”")
        return None
    if positive and value <= 0:
        errors.setdefault(key, []).append(f"{label}应大于 0，收到“{text}”")
        return None
    if value < 0:
        errors.setdefault(key, []).append(f"{label}不能为负数，收到“{text}”")
        return None
    return value


def _year(raw, key: str, label: str, errors: dict) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        errors.setdefault(key, []).append(f"{label}应为 2000—2100 之间的四位年份，收到“{text}”")
        return None
    return int(text)


def _choice(raw, key: str, label: str, choices, errors: dict) -> str:
    value = str(raw or "").strip()
    if value not in choices.values:
        allowed = "、".join(str(lbl) for lbl in choices.labels)
        errors.setdefault(key, []).append(f"{label}应为 {allowed} 之一，收到“{value}”")
    return value


# --- 规划期 ---------------------------------------------------------------------------------------


@transaction.atomic
def period_create(*, actor, data: dict) -> PlanPeriod:
    """新增规划期 (provincial admins): code, name, first and last year (no overlap with another)."""
    require(is_provincial_admin(actor), "只有省级管理员可以新增规划期")
    errors: dict[str, list[str]] = {}
    code = _text(data, "code", "代码", errors, max_length=20)
    if code and not CODE_RE.match(code):
        errors.setdefault("code", []).append(f"代码只能用小写字母、数字和连字符，收到“{code}”")
    elif code and PlanPeriod.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(f"代码“{code}”已被使用")
    name = _text(data, "name", "名称", errors, max_length=60)
    start = _year(data.get("start_year"), "start_year", "起始年度", errors)
    end = _year(data.get("end_year"), "end_year", "终止年度", errors)
    if start and end:
        if end < start:
            errors.setdefault("end_year", []).append(f"终止年度 {end} 早于起始年度 {start}")
        else:
            clash = PlanPeriod.objects.filter(start_year__lte=end, end_year__gte=start).first()
            if clash:
                errors.setdefault("start_year", []).append(
                    f"{start}—{end} 与已有规划期“{clash.name}”（{clash.start_year}—{clash.end_year}）重叠"
                )
    if errors:
        raise ValidationError(errors)
    period = PlanPeriod.objects.create(code=code, name=name, start_year=start, end_year=end)
    audit_record(actor=actor, event_type="target.period_created", subject=period, payload={"code": code})
    return period


# --- 目标 -----------------------------------------------------------------------------------------

TARGET_FIELDS = (
    "code",
    "plan",
    "name",
    "description",
    "source_document",
    "seed_section",
    "value",
    "unit",
    "kind",
    "baseline",
    "deadline",
    "scope",
    "source",
    "metric",
    "reporter",
)


def _target_clean(data: dict, *, period: PlanPeriod, instance: Target | None) -> dict:
    errors: dict[str, list[str]] = {}
    out: dict = {}
    code = _text(data, "code", "代码", errors, max_length=60)
    if code and not CODE_RE.match(code):
        errors.setdefault("code", []).append(f"代码只能用小写字母、数字和连字符，收到“{code}”")
    elif code and period.targets.filter(code=code).exclude(pk=instance.pk if instance else None).exists():
        errors.setdefault("code", []).append(f"本规划期已有代码为“{code}”的目标")
    out["code"] = code
    out["plan"] = _choice(data.get("plan"), "plan", "行动计划", ActionPlan, errors)
    out["name"] = _text(data, "name", "指标", errors, max_length=80)
    out["description"] = _text(data, "description", "原文表述", errors, max_length=500)
    out["source_document"] = _text(
        data, "source_document", "出处文件", errors, max_length=200, required=False
    )
    out["seed_section"] = _text(data, "seed_section", "出处条款", errors, max_length=200, required=False)
    out["value"] = _decimal(data.get("value"), "value", "目标值", errors, positive=True)
    out["unit"] = _text(data, "unit", "单位", errors, max_length=20)
    out["kind"] = _choice(data.get("kind"), "kind", "类型", TargetKind, errors)
    out["baseline"] = _decimal(data.get("baseline"), "baseline", "基期值", errors, required=False)
    out["scope"] = _choice(data.get("scope") or TargetScope.PROVINCE, "scope", "范围", TargetScope, errors)
    out["source"] = _choice(data.get("source"), "source", "数据来源", TargetSource, errors)
    out["metric"] = str(data.get("metric") or "").strip()
    out["reporter"] = _text(data, "reporter", "填报部门", errors, max_length=60, required=False)
    if out["kind"] == TargetKind.SHARE and out["value"] is not None and out["value"] > 100:
        errors.setdefault("value", []).append(f"比重类目标以百分数填写，应不超过 100，收到“{out['value']}”")
    raw_deadline = str(data.get("deadline") or "").strip()
    try:
        deadline = dt.date.fromisoformat(raw_deadline)
    except ValueError:
        errors.setdefault("deadline", []).append(f"完成期限应为日期（如 2020-12-31），收到“{raw_deadline}”")
        deadline = None
    if deadline and not period.start_year <= deadline.year <= period.end_year:
        errors.setdefault("deadline", []).append(
            f"完成期限 {deadline:%Y-%m-%d} 不在规划期 {period.start_year}—{period.end_year} 内"
        )
    out["deadline"] = deadline
    if out["source"] == TargetSource.COMPUTED:
        if metrics.metric_get(out["metric"]) is None:
            known = "、".join(f"{m.code}（{m.label}）" for m in metrics.all_metrics().values())
            errors.setdefault("metric", []).append(
                f"系统统计的目标须选择统计口径，收到“{out['metric']}”；可选：{known}"
            )
        if out["unit"] and metrics.basis_for_unit(out["unit"]) is None:
            errors.setdefault("unit", []).append(
                f"系统统计的目标按认定计数，单位应为{metrics.units_text()}，收到“{out['unit']}”"
            )
    elif out["source"] == TargetSource.REPORTED:
        out["metric"] = ""
        if not out["reporter"]:
            errors.setdefault("reporter", []).append("部门填报的目标须写明填报部门")
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def target_create(*, actor, period: PlanPeriod, data: dict) -> Target:
    """新增目标 (provincial admins)."""
    require(is_provincial_admin(actor), "只有省级管理员可以新增目标")
    values = _target_clean(data, period=period, instance=None)
    last = period.targets.order_by("-position").values_list("position", flat=True).first() or 0
    target = Target.objects.create(period=period, position=last + 1, created_by=actor, **values)
    audit_record(actor=actor, event_type="target.created", subject=target, payload={"code": target.code})
    return target


@transaction.atomic
def target_update(*, actor, target: Target, data: dict) -> Target:
    """修改目标 (provincial admins): the audit event keeps every changed field, old → new."""
    require(is_provincial_admin(actor), "只有省级管理员可以修改目标")
    target = Target.objects.select_for_update().get(pk=target.pk)
    values = _target_clean(data, period=target.period, instance=target)
    changes = {}
    for key, value in values.items():
        old = getattr(target, key)
        if old != value:
            changes[key] = [str(old) if old is not None else None, str(value) if value is not None else None]
            setattr(target, key, value)
    if changes:
        target.save()
        audit_record(actor=actor, event_type="target.updated", subject=target, payload={"changes": changes})
    return target


@transaction.atomic
def target_shares_set(*, actor, target: Target, shares: dict[str, object]) -> list[TargetShare]:
    """分解目标: a value per city-level unit code (blank removes that city's share)."""
    require(is_provincial_admin(actor), "只有省级管理员可以分解目标")
    cities = dict(Region.objects.filter(level=RegionLevel.CITY).values_list("code", "name"))
    errors: dict[str, list[str]] = {}
    clean: dict[str, Decimal | None] = {}
    for code, raw in shares.items():
        if code not in cities:
            errors.setdefault(f"share_{code}", []).append(f"“{code}”不是市级单位代码")
            continue
        clean[code] = _decimal(raw, f"share_{code}", f"{cities[code]}的目标值", errors, required=False)
    if errors:
        raise ValidationError(errors)
    for code, value in clean.items():
        if value is None:
            TargetShare.objects.filter(target=target, region_id=code).delete()
        else:
            TargetShare.objects.update_or_create(target=target, region_id=code, defaults={"value": value})
    if clean and any(v is not None for v in clean.values()) and target.scope != TargetScope.PER_CITY:
        target.scope = TargetScope.PER_CITY
        target.save(update_fields=["scope"])
    audit_record(
        actor=actor,
        event_type="target.shares_set",
        subject=target,
        payload={k: str(v) if v is not None else None for k, v in clean.items()},
    )
    return list(target.shares.all())


# --- 填报值 ---------------------------------------------------------------------------------------


def is_county_region(region: Region) -> bool:
    """A county bureau's own region (韩城市 is a county that is also its own city-level unit: not)."""
    from smeplan.regions.selectors import county_cities

    return region.level == RegionLevel.COUNTY and county_cities().get(region.code) != region.code


def may_report(user, region: Region) -> bool:
    """Who enters a value for a region: provincial bureau users for any region; a city bureau for its
    own city-level unit and its counties (a value it enters for a county is confirmed at once); a
    county bureau for its own county."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.role in {Role.PROVINCIAL_ADMIN, Role.PROVINCIAL_OFFICER}:
        return True
    if user.role == Role.CITY_OFFICER:
        return user.region_id == region.code or may_confirm(user, region)
    return user.role == Role.COUNTY_OFFICER and user.region_id == region.code and is_county_region(region)


def may_confirm(user, region: Region) -> bool:
    """Who confirms a county's value: its city bureau (the bureau city-level unit the county is under)
    and provincial bureau users."""
    from smeplan.regions.selectors import county_cities

    if not (user.is_authenticated and user.is_active and is_county_region(region)):
        return False
    if user.is_superuser or user.role in {Role.PROVINCIAL_ADMIN, Role.PROVINCIAL_OFFICER}:
        return True
    return user.role == Role.CITY_OFFICER and county_cities().get(region.code) == user.region_id


def _attachment_store(*, actor, name: str, content: bytes) -> ReportedAttachment:
    """A reported value's attachment, checked by the one attachment check (PDF/PNG/JPEG/XLSX by
    content, size-limited) and stored under a random name."""
    import hashlib

    from django.core.files.base import ContentFile

    from smeplan.recognition.services import ATTACHMENT_TYPES_WITH_XLSX, attachment_check

    name, kind = attachment_check(name, content, kinds=ATTACHMENT_TYPES_WITH_XLSX)
    attachment = ReportedAttachment(
        name=name,
        content_type=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def reported_value_set(
    *, actor, target: Target, data: dict, attachment: tuple[str, bytes] | None = None
) -> ReportedValue:
    """填报: the value of a reported target for a region (the province, a city-level unit or a county)
    and year, with its source note and, optionally, an attachment (``(name, content)``). A change of
    an existing value keeps the old one (value, note, attachment) as a revision; the same value and
    note again with no new file changes nothing. A county's value entered by its county bureau waits
    for the city's confirmation (a change undoes an earlier one); entered by the city or the
    province it is confirmed at once."""
    errors: dict[str, list[str]] = {}
    if target.source != TargetSource.REPORTED:
        raise ValidationError({"value": [f"“{target.name}”由系统统计，不需要填报"]})
    region_code = str(data.get("region") or PROVINCE_CODE).strip()
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        errors.setdefault("region", []).append(f"地区应为全省、市级单位或区县的代码，收到“{region_code}”")
    elif not may_report(actor, region):
        require(False, f"您不能填报{region.name}的数值")
    year = _year(data.get("year"), "year", "年度", errors)
    if year and not target.period.start_year <= year <= target.period.end_year:
        errors.setdefault("year", []).append(
            f"年度 {year} 不在规划期 {target.period.start_year}—{target.period.end_year} 内"
        )
    value = _decimal(data.get("value"), "value", "数值", errors)
    if value is not None and target.kind == TargetKind.SHARE and value > 100:
        errors.setdefault("value", []).append(f"比重以百分数填写，应不超过 100，收到“{value}”")
    note = _text(data, "source_note", "数据来源说明", errors, max_length=300)
    if errors:
        raise ValidationError(errors)
    current = (
        ReportedValue.objects.select_for_update().filter(target=target, region=region, year=year).first()
    )
    if current is not None and current.value == value and current.source_note == note and attachment is None:
        return current
    stored = _attachment_store(actor=actor, name=attachment[0], content=attachment[1]) if attachment else None
    old_value, old_note, old_attachment = (
        (current.value, current.source_note, current.attachment) if current else (None, "", None)
    )
    new_attachment = stored or old_attachment
    county = is_county_region(region)
    confirmed = county and may_confirm(actor, region)
    confirmation = {
        "confirmed_by": actor if confirmed else None,
        "confirmed_at": timezone.now() if confirmed else None,
    }
    if current is None:
        current = ReportedValue.objects.create(
            target=target,
            region=region,
            year=year,
            value=value,
            source_note=note,
            entered_by=actor,
            attachment=new_attachment,
            **confirmation,
        )
    else:
        current.value, current.source_note, current.entered_by = value, note, actor
        current.attachment = new_attachment
        current.confirmed_by, current.confirmed_at = (
            confirmation["confirmed_by"],
            confirmation["confirmed_at"],
        )
        current.save()
    ReportedValueRevision.objects.create(
        reported=current,
        old_value=old_value,
        new_value=value,
        old_note=old_note,
        new_note=note,
        old_attachment=old_attachment,
        new_attachment=new_attachment,
        changed_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="target.value_reported",
        subject=current,
        payload={
            "target": target.code,
            "region": region.code,
            "year": year,
            "old": str(old_value) if old_value is not None else None,
            "new": str(value),
            "note": note,
            "attachment": new_attachment.name if new_attachment else None,
            "confirmed": bool(confirmed) if county else None,
        },
    )
    if county and not confirmed:  # the city bureau is told there is a value to confirm
        from django.urls import reverse

        from smeplan.recognition.services import bureau_users, notify
        from smeplan.regions.selectors import county_cities

        notify(
            bureau_users(county_cities().get(region.code, "")),
            kind="target_value",
            title=f"{region.name}填报了“{target.name}”{year}年的数值 {value:f}{target.unit}，待确认",
            url=reverse("target_detail", args=[target.pk]) + "#reported",
        )
    return current


@transaction.atomic
def reported_value_confirm(*, actor, reported: ReportedValue) -> ReportedValue:
    """确认: the city bureau (or the province) confirms a county's reported value as it stands."""
    reported = (
        ReportedValue.objects.select_for_update().select_related("region", "target").get(pk=reported.pk)
    )
    if not is_county_region(reported.region):
        raise ValidationError(f"{reported.region.name}的数值不需要确认，只有区县填报的数值由市级确认")
    require(may_confirm(actor, reported.region), f"只有{reported.region.name}所在市的主管部门可以确认")
    if reported.confirmed_at is not None:
        raise ValidationError(
            f"{reported.region.name}{reported.year}年的数值已于{timezone.localtime(reported.confirmed_at):%Y-%m-%d %H:%M}确认"
        )
    reported.confirmed_by, reported.confirmed_at = actor, timezone.now()
    reported.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        event_type="target.value_confirmed",
        subject=reported,
        payload={
            "target": reported.target.code,
            "region": reported.region_id,
            "year": reported.year,
            "value": str(reported.value),
        },
    )
    return reported


# --- 复制与导入 -----------------------------------------------------------------------------------


def shifted_deadline(deadline: dt.date, *, source: PlanPeriod, period: PlanPeriod) -> dt.date:
    """A copied target's deadline: moved by as many years as the new period ends after the old one,
    kept within the new period (2020-12-31 of 十三五 → 2030-12-31 of 十五五)."""
    from smeplan.recognition.clock import add_years

    moved = add_years(deadline, period.end_year - source.end_year)
    if moved.year > period.end_year:
        return dt.date(period.end_year, 12, 31)
    if moved.year < period.start_year:
        return dt.date(period.start_year, 12, 31)
    return moved


def _target_data(target: Target) -> dict:
    return {k: "" if getattr(target, k) is None else str(getattr(target, k)) for k in TARGET_FIELDS}


@transaction.atomic
def targets_copy(
    *,
    actor,
    period: PlanPeriod,
    source: PlanPeriod,
    codes: list[str] | None = None,
    deadlines: dict[str, object] | None = None,
    source_document: str = "",
) -> list[Target]:
    """复制目标: targets of an earlier period (all, or those of ``codes``) into ``period`` with their
    city shares; each deadline is ``deadlines[code]`` when given, else the old one shifted to the new
    period (``shifted_deadline``). The baseline is not copied (it belonged to the old period's
    start). ``source_document``, when given, replaces the copies' 出处文件. All or nothing: every
    problem is listed, naming the target."""
    require(is_provincial_admin(actor), "只有省级管理员可以复制目标")
    if source.pk == period.pk:
        raise ValidationError({"source": ["请选择另一个规划期作为复制来源"]})
    deadlines = deadlines or {}
    document = " ".join(str(source_document or "").split())
    if len(document) > 200:
        raise ValidationError({"source_document": [f"出处文件不能超过 200 个字，现有 {len(document)} 个"]})
    chosen = list(source.targets.prefetch_related("shares").order_by("position", "id"))
    if codes is not None:
        wanted = list(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))
        unknown = [c for c in wanted if c not in {t.code for t in chosen}]
        if unknown:
            raise ValidationError({"codes": [f"{source.name}没有代码为“{'”“'.join(unknown)}”的目标"]})
        chosen = [t for t in chosen if t.code in wanted]
    if not chosen:
        raise ValidationError({"codes": ["请至少选择一个要复制的目标"]})
    problems: list[str] = []
    planned = []
    for old in chosen:
        data = _target_data(old)
        raw = deadlines.get(old.code)
        data["deadline"] = (
            str(raw).strip()
            if raw not in (None, "")
            else shifted_deadline(old.deadline, source=source, period=period).isoformat()
        )
        data["baseline"] = ""
        if document:
            data["source_document"] = document
        try:
            values = _target_clean(data, period=period, instance=None)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                problems += [f"目标“{old.name}”（{old.code}）：{m}" for m in messages]
            continue
        planned.append((old, values))
    if problems:
        raise ValidationError(problems)
    last = period.targets.order_by("-position").values_list("position", flat=True).first() or 0
    made = []
    for offset, (old, values) in enumerate(planned, start=1):
        target = Target.objects.create(period=period, position=last + offset, created_by=actor, **values)
        TargetShare.objects.bulk_create(
            [TargetShare(target=target, region_id=s.region_id, value=s.value) for s in old.shares.all()]
        )
        made.append(target)
    audit_record(
        actor=actor,
        event_type="target.copied",
        subject=period,
        payload={"from": source.code, "codes": [t.code for t in made]},
    )
    return made


@transaction.atomic
def targets_import(*, actor, period: PlanPeriod, filename: str, content: bytes) -> dict[str, int]:
    """目标导入: the targets of a spreadsheet (``spreadsheet.read_rows``) into ``period`` — a code the
    period has is updated, a new one created, city shares set from the city columns. Every row is
    checked first; any problem and nothing is written: each is named by row and column."""
    from smeplan.targets import spreadsheet

    require(is_provincial_admin(actor), "只有省级管理员可以导入目标")
    cities = dict(Region.objects.filter(level=RegionLevel.CITY).values_list("name", "code"))
    names = {code: name for name, code in cities.items()}
    rows, problems = spreadsheet.read_rows(content, filename, cities)
    if problems:
        raise ValidationError(problems)
    existing = {t.code: t for t in period.targets.all()}
    seen: dict[str, int] = {}
    planned = []
    for row in rows:
        where = f"第{row.number}行"
        errors: dict[str, list[str]] = {}
        code = row.data.get("code", "")
        if code and code in seen:
            errors.setdefault("code", []).append(f"代码“{code}”与第{seen[code]}行重复")
        seen.setdefault(code, row.number)
        instance = existing.get(code)
        shares: dict[str, Decimal | None] | None = None
        if row.shares is not None:
            shares = {}
            for city, raw in row.shares.items():
                shares[city] = _decimal(raw, city, f"{names[city]}的目标值", errors, required=False)
        data = {k: row.data.get(k, "") for k in TARGET_FIELDS}
        if shares is not None:
            data["scope"] = TargetScope.PER_CITY if any(v for v in shares.values()) else TargetScope.PROVINCE
        else:
            data["scope"] = instance.scope if instance else TargetScope.PROVINCE
        try:
            values = _target_clean(data, period=period, instance=instance)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        for field, messages in errors.items():
            column = names.get(field) or spreadsheet.header_of(field)
            problems += [f"{where}「{column}」：{m}" for m in messages]
        if not errors:
            planned.append((instance, values, shares))
    if problems:
        raise ValidationError(problems)
    created = updated = 0
    for instance, values, shares in planned:
        if instance is None:
            target = target_create(actor=actor, period=period, data=values)
            created += 1
        else:
            target = target_update(actor=actor, target=instance, data=values)
            updated += 1
        if shares is not None:
            TargetShare.objects.filter(target=target).exclude(
                region_id__in=[c for c, v in shares.items() if v is not None]
            ).delete()
            for city, value in shares.items():
                if value is not None:
                    TargetShare.objects.update_or_create(
                        target=target, region_id=city, defaults={"value": value}
                    )
    audit_record(
        actor=actor,
        event_type="target.imported",
        subject=period,
        payload={"file": filename[:200], "created": created, "updated": updated},
    )
    return {"created": created, "updated": updated}
