"""Writes of programmes: a new version of a tier's criteria (认定条件修改). Screening runs are in
``screening.py``."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from smeplan.accounts.scoping import is_provincial_admin, require
from smeplan.audit.services import audit_record
from smeplan.programmes.criteria import specs_clean
from smeplan.programmes.models import WORKFLOW_FIELDS as SETTING_FIELDS
from smeplan.programmes.models import (
    AverageArea,
    CriteriaVersion,
    Criterion,
    OwnerLevel,
    Programme,
    RubricVersion,
    ScreeningRun,
    SubjectKind,
    Tier,
    title_template_as_text,
    title_template_from_text,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100


@transaction.atomic
def criteria_version_create(
    *, actor, tier: Tier, effective_year, criteria: list[dict], note: str = ""
) -> CriteriaVersion:
    """Save ``criteria`` (dicts as from the form or the API) as the next version of ``tier``, in force
    from ``effective_year``. Only provincial admins; every problem in one ValidationError."""
    require(is_provincial_admin(actor), "只有省级管理员可以修改认定条件")
    errors = {}
    try:
        year = int(effective_year)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError
    except (TypeError, ValueError):
        errors["effective_year"] = [f"生效年度“{effective_year}”无效（应为 {FIRST_YEAR}–{LAST_YEAR} 的年份）"]
        year = None
    try:
        specs = specs_clean(criteria)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    tier = Tier.objects.select_for_update().get(pk=tier.pk)
    number = (tier.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CriteriaVersion.objects.create(
        tier=tier, number=number, effective_year=year, note=(note or "").strip()[:200], created_by=actor
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                version=version,
                position=i,
                metric=s.metric,
                operator=s.operator,
                reference=s.reference,
                threshold=s.threshold,
                threshold_high=s.threshold_high,
                choices=list(s.choices),
                years=s.years,
                role=s.role,
                label=s.label,
            )
            for i, s in enumerate(specs)
        ]
    )
    audit_record(
        actor=actor,
        event_type="criteria.version_created",
        subject=version,
        payload={
            "tier": str(tier),
            "number": number,
            "effective_year": year,
            "note": version.note,
            "criteria": [s.to_dict() for s in specs],
        },
    )
    return version


# --- recognition workflow settings (公示天数、不再受理年限、有效期、复核周期、专家评审细则、称号) --------


def _int_in(value, low: int, high: int, label: str, errors: dict, field: str, *, blank_ok: bool = False):
    text = str(value if value is not None else "").strip()
    if not text:
        if blank_ok:
            return None
        errors[field] = [f"请填写{label}"]
        return None
    try:
        number = int(text)
    except ValueError:
        errors[field] = [f"{label}应为整数（收到「{text}」）"]
        return None
    if not low <= number <= high:
        errors[field] = [f"{label}应在 {low}–{high} 之间（收到 {number}）"]
        return None
    return number


def title_template_clean(text, errors: dict) -> str:
    """The certificate title format as stored ({地区}/{梯队} → {region}/{tier}); a problem goes to
    ``errors["title_template"]``."""
    template = title_template_from_text(" ".join(str(text or "").split()))
    try:
        sample = template.format(region="陕西省", tier="行业之星")
    except (KeyError, IndexError, ValueError):
        errors["title_template"] = [
            "称号格式只能使用 {地区}（认定部门所在地）和 {梯队}（梯队名称）两个占位符"
        ]
    else:
        if "{tier}" not in template:
            errors["title_template"] = ["称号格式须包含 {梯队}（梯队名称）"]
        elif len(sample) > 60:
            errors["title_template"] = ["称号过长（不超过60个字）"]
    return template


def _month_day(value, errors: dict) -> str:
    """年度报告截止日 as 月-日 ("03-31", "3-31", "3月31日"); blank: no annual report."""
    import datetime as dt
    import re

    text = str(value if value is not None else "").strip()
    if not text:
        return ""
    match = re.fullmatch(r"(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?", text)
    try:
        if not match:
            raise ValueError
        month, day = int(match.group(1)), int(match.group(2))
        dt.date(2024, month, day)  # a leap year: 02-29 is a day
    except ValueError:
        errors["annual_report_due"] = [f"年度报告截止日应为“月-日”，如 03-31（收到「{text}」）"]
        return ""
    return f"{month:02d}-{day:02d}"


def rubric_clean(rubric) -> tuple[list[dict], list[str]]:
    """Check an expert rubric: items with a unique code, a label, a weight > 0 and score bands
    within 0–100. Returns (clean rubric, problems)."""
    problems: list[str] = []
    clean: list[dict] = []
    if not isinstance(rubric, list):
        return [], ["评分细则格式不正确"]
    codes = {str(i.get("code", "")).strip() for i in rubric if isinstance(i, dict)} - {""}
    seen: set[str] = set()
    for n, item in enumerate(rubric, start=1):
        if not isinstance(item, dict):
            problems.append(f"第 {n} 项格式不正确")
            continue
        code = str(item.get("code", "")).strip()
        if not code:  # a new item: its key (the experts' form field) is the system's business
            code = next(f"item{k}" for k in range(n, n + len(rubric) + 2) if f"item{k}" not in codes)
            codes.add(code)
        label = " ".join(str(item.get("label", "")).split())
        if not code or not code.replace("_", "").isalnum():
            problems.append(f"第 {n} 项：代码只能由字母、数字和下划线组成（收到「{code}」）")
        elif code in seen:
            problems.append(f"第 {n} 项：代码「{code}」重复")
        seen.add(code)
        if not label:
            problems.append(f"第 {n} 项：请填写评分项名称")
        try:
            weight = float(item.get("weight"))
            if weight <= 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"第 {n} 项：权重应为正数（收到「{item.get('weight')}」）")
            weight = 0
        bands = []
        for band in item.get("bands") or []:
            try:
                low, high = int(band["low"]), int(band["high"])
                if not 0 <= low <= high <= 100:
                    raise ValueError
                bands.append({"label": str(band.get("label", "")).strip()[:10], "low": low, "high": high})
            except (KeyError, TypeError, ValueError):
                problems.append(f"第 {n} 项：分档应为 0–100 内的「名称:下限-上限」（收到 {band}）")
        clean.append({"code": code, "label": label, "weight": weight, "bands": bands})
    return clean, problems


@transaction.atomic
def programme_settings_update(*, actor, programme, data: dict):
    """修改认定流程设置 (provincial admins): notice days, ban years, validity, re-review interval, expert
    review with its rubric, certificate title. Certifications and bans already issued keep the values
    they were issued with; the change applies to what is decided from now on."""
    require(is_provincial_admin(actor), "只有省级管理员可以修改认定流程设置")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    errors: dict[str, list[str]] = {}
    values = {
        "notice_days": _int_in(data.get("notice_days"), 1, 60, "公示天数", errors, "notice_days"),
        "ban_years": _int_in(data.get("ban_years"), 0, 10, "不再受理年数", errors, "ban_years"),
        "validity_years": _int_in(
            data.get("validity_years"), 1, 30, "认定有效期", errors, "validity_years", blank_ok=True
        ),
        "review_interval_years": _int_in(
            data.get("review_interval_years"),
            1,
            30,
            "复核周期",
            errors,
            "review_interval_years",
            blank_ok=True,
        ),
        "expert_review": str(data.get("expert_review", "")).lower() in ("1", "true", "on", "yes"),
    }
    if (
        values["validity_years"]
        and values["review_interval_years"]
        and values["review_interval_years"] > values["validity_years"]
    ):
        errors["review_interval_years"] = ["复核周期不能长于认定有效期"]
    values["title_template"] = title_template_clean(data.get("title_template", ""), errors)
    rubric, problems = rubric_clean(data.get("rubric", programme.rubric))
    if problems:
        errors["rubric"] = problems
    elif (
        values["expert_review"]
        and not rubric
        and not RubricVersion.objects.filter(programme=programme).exists()
    ):  # a programme with a points rubric (评分细则) is scored on its expert indicators
        errors["rubric"] = ["需要专家评审时，请至少设置一项评分细则"]
    values["rubric"] = rubric
    values["annual_report_due"] = _month_day(data.get("annual_report_due"), errors)
    values["report_reminders"] = _int_in(
        data.get("report_reminders", programme.report_reminders),
        0,
        12,
        "逾期催报次数",
        errors,
        "report_reminders",
    )
    values["rename_requires_notice"] = str(data.get("rename_requires_notice", "")).lower() in (
        "1",
        "true",
        "on",
        "yes",
    )
    if errors:
        raise ValidationError(errors)
    before = {f: getattr(programme, f) for f in SETTING_FIELDS}
    for field, value in values.items():
        setattr(programme, field, value)
    programme.save(update_fields=list(SETTING_FIELDS))
    audit_record(
        actor=actor,
        event_type="programme.settings_updated",
        subject=programme,
        payload={"before": before, "after": values},
    )
    return programme


# --- the programme itself: create, edit, close, reopen, delete; its tiers (认定项目的建立与维护) --------

CODE_RE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
TIER_CODE_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
#: what the identity form edits (the workflow settings are ``programme_settings_update``'s)
IDENTITY_FIELDS = (
    "name",
    "plan",
    "source",
    "basis_clause",
    "owner_level",
    "owner_region",
    "subject_kind",
    "average_area",
    "title_template",
)


def _city_unit_of(user):
    """The city-level unit a city officer works for (None for anyone else)."""
    from smeplan.accounts.models import Role
    from smeplan.regions.models import RegionLevel

    if not (user.is_authenticated and user.is_active and user.role == Role.CITY_OFFICER and user.region_id):
        return None
    return user.region if user.region.level == RegionLevel.CITY else None


def may_create_programme(user) -> bool:
    """新建认定项目: provincial admins (any level), city officers of a city-level unit (their city's
    city- or county-level programmes)."""
    return bool(user.is_authenticated and user.is_active) and (
        is_provincial_admin(user) or _city_unit_of(user) is not None
    )


def may_manage_programme(user, programme) -> bool:
    """Edit, close, reopen, tiers: provincial admins any programme; a city officer the city- or
    county-level programmes its own city-level unit owns."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_provincial_admin(user):
        return True
    city = _city_unit_of(user)
    return (
        city is not None
        and programme.owner_level in (OwnerLevel.CITY, OwnerLevel.COUNTY)
        and programme.owner_region_id == city.pk
    )


def programme_usage(programme) -> dict[str, int]:
    """What refers to ``programme`` (a programme in use is closed, never deleted)."""
    return {
        "applications": programme.applications.count(),
        "certifications": programme.certifications.count(),
        "calls": programme.calls.count(),
        "notices": programme.notices.count(),
        "screening_runs": ScreeningRun.objects.filter(tier__programme=programme).count(),
        "form_versions": programme.form_versions.count(),
        "rubric_versions": programme.rubric_versions.count(),
    }


USAGE_LABELS = {
    "applications": ("申报", "份"),
    "certifications": ("认定", "项"),
    "calls": ("申报批次", "个"),
    "notices": ("公示", "次"),
    "screening_runs": ("筛选记录", "条"),
    "form_versions": ("申报表版本", "个"),
    "rubric_versions": ("评分细则版本", "个"),
}


def usage_text(usage: dict[str, int]) -> str:
    """ "3份申报、2项认定" — the uses that are there."""
    return "、".join(f"{n}{USAGE_LABELS[k][1]}{USAGE_LABELS[k][0]}" for k, n in usage.items() if n)


def _text(data: dict, key: str, label: str, limit: int, errors: dict, *, required: bool = True) -> str:
    value = " ".join(str(data.get(key) or "").split())
    if required and not value:
        errors[key] = [f"请填写{label}"]
    elif len(value) > limit:
        errors[key] = [f"{label}不能超过{limit}个字（现为{len(value)}个字）"]
    return value


def _choice(data: dict, key: str, label: str, choices, errors: dict) -> str:
    value = str(data.get(key) or "").strip()
    valid = dict(choices)
    if not value:
        errors[key] = [f"请选择{label}"]
    elif value not in valid:
        errors[key] = [f"{label}“{value}”无效（应为：{'、'.join(str(v) for v in valid.values())}）"]
    return value


def _identity_clean(actor, data: dict, *, programme=None) -> dict:
    """The identity fields from ``data`` (form or API), every problem in one ValidationError."""
    from smeplan.regions.models import Region, RegionLevel
    from smeplan.regions.selectors import region_resolve
    from smeplan.targets.models import ActionPlan

    errors: dict[str, list[str]] = {}
    values = {
        "name": _text(data, "name", "项目名称", 80, errors),
        "plan": _choice(data, "plan", "所属行动计划", ActionPlan.choices, errors),
        "source": _text(data, "source", "依据（文号及文件名称）", 200, errors),
        "basis_clause": _text(data, "basis_clause", "依据条款", 200, errors),
        "owner_level": _choice(data, "owner_level", "认定层级", OwnerLevel.choices, errors),
        "subject_kind": _choice(data, "subject_kind", "认定对象", SubjectKind.choices, errors),
    }
    area = str(data.get("average_area") or "").strip()
    if not area:
        area = AverageArea.PROVINCE if values["owner_level"] == OwnerLevel.PROVINCE else AverageArea.CITY
    elif area not in dict(AverageArea.choices):
        errors["average_area"] = [f"同行业平均的范围“{area}”无效（应为：全省、本市（区））"]
    values["average_area"] = area
    title = data.get("title_template")
    if programme is not None and not str(title or "").strip():
        title = title_template_as_text(programme.title_template)
    values["title_template"] = title_template_clean(title or "{地区}{梯队}", errors)
    # the owning bureau: a city officer's own city-level unit; a provincial admin may name one for
    # a city- or county-level programme (none: every city runs it, as 市级成长梯队)
    city = None if is_provincial_admin(actor) else _city_unit_of(actor)
    raw_region = str(data.get("owner_region") or "").strip()
    owner_region = None
    if city is not None:
        if values["owner_level"] == OwnerLevel.PROVINCE:
            errors["owner_level"] = ["市级工作人员只能建立和管理本市（区）的市级、县级认定项目"]
        owner_region = city
        if raw_region and raw_region not in (city.pk, city.name):
            errors["owner_region"] = [f"市级工作人员只能建立和管理{city.name}的认定项目"]
    elif raw_region:
        owner_region = region_resolve(raw_region)
        if owner_region is None or owner_region.level != RegionLevel.CITY:
            errors["owner_region"] = [f"主管部门“{raw_region}”不是市级单位（市、杨凌示范区或韩城市）"]
        elif values["owner_level"] == OwnerLevel.PROVINCE:
            errors["owner_region"] = ["省级认定项目由省中小企业局管理，不设市级主管部门"]
    values["owner_region"] = owner_region if isinstance(owner_region, Region) else None
    if programme is not None and not errors:
        usage = programme_usage(programme)
        in_use = usage["applications"] or usage["certifications"] or usage["calls"]
        for field, label in (("owner_level", "认定层级"), ("subject_kind", "认定对象")):
            if in_use and values[field] != getattr(programme, field):
                errors[field] = [
                    f"该认定项目已有{usage_text(usage)}，不能再修改{label}（可关闭后新建认定项目）"
                ]
    if errors:
        raise ValidationError(errors)
    return values


def _tiers_clean(rows, errors: dict) -> list[tuple[str, str]]:
    """[[code, name], …] or [{"code", "name"}, …] → checked pairs (at least one)."""
    out: list[tuple[str, str]] = []
    problems: list[str] = []
    seen_codes: set[str] = set()
    seen_names: set[str] = set()
    for n, row in enumerate(rows or [], start=1):
        code, name = (row.get("code"), row.get("name")) if isinstance(row, dict) else [*list(row), "", ""][:2]
        code, name = str(code or "").strip(), " ".join(str(name or "").split())
        if not code and not name:
            continue
        problems.extend(_tier_problems(n, code, name, seen_codes, seen_names))
        seen_codes.add(code)
        seen_names.add(name)
        out.append((code, name))
    if not out and not problems:
        problems.append("请至少设置一个梯队（层级），如“示范企业”")
    if problems:
        errors["tiers"] = problems
    return out


def _tier_problems(n, code: str, name: str, codes: set[str], names: set[str]) -> list[str]:
    where = f"第 {n} 个梯队" if n else "梯队"
    problems = []
    if not TIER_CODE_RE.match(code):
        problems.append(
            f"{where}：代码应以小写字母开头，只含小写字母、数字、- 和 _，不超过40个字符（收到「{code}」）"
        )
    elif code in codes:
        problems.append(f"{where}：代码「{code}」重复")
    if not name:
        problems.append(f"{where}：请填写梯队名称")
    elif len(name) > 80:
        problems.append(f"{where}：名称不能超过80个字")
    elif name in names:
        problems.append(f"{where}：名称「{name}」重复")
    return problems


def _identity_payload(values: dict) -> dict:
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in values.items()}


@transaction.atomic
def programme_create(*, actor, data: dict) -> Programme:
    """新建认定项目: code, name, plan, 依据 (document and clause), level, owning city, subject kind,
    certificate title and its tiers (``data["tiers"]``: [[code, name], …]). Criteria, workflow
    settings, forms and rubrics are set afterwards on their own pages."""
    require(may_create_programme(actor), "只有省级管理员和市级工作人员可以新建认定项目")
    errors: dict[str, list[str]] = {}
    code = str(data.get("code") or "").strip()
    if not CODE_RE.match(code):
        errors["code"] = [
            f"项目代码应以小写字母开头，只含小写字母、数字和 -，2–40 个字符（收到「{code}」），如 innovative-sme"
        ]
    else:
        taken = Programme.objects.filter(code=code).first()
        if taken is not None:
            errors["code"] = [f"项目代码「{code}」已被「{taken.name}」使用"]
    tiers = _tiers_clean(data.get("tiers"), errors)
    try:
        values = _identity_clean(actor, data)
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    position = (Programme.objects.aggregate(n=Max("position"))["n"] or 0) + 1
    programme = Programme.objects.create(code=code, position=position, **values)
    Tier.objects.bulk_create(
        [Tier(programme=programme, code=c, name=n, position=i) for i, (c, n) in enumerate(tiers)]
    )
    audit_record(
        actor=actor,
        event_type="programme.created",
        subject=programme,
        payload={
            "values": {"code": code, **_identity_payload(values)},
            "tiers": "、".join(n for _, n in tiers),
        },
    )
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, data: dict) -> Programme:
    """修改认定项目 (name, plan, 依据, level, owning city, subject kind, certificate title). The code
    stays: targets and data files name the programme by it. Level and subject kind are fixed once
    the programme has applications, certifications or calls."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    require(may_manage_programme(actor, programme), "您无权修改该认定项目")
    code = str(data.get("code") or "").strip()
    if code and code != programme.code:
        raise ValidationError({"code": ["项目代码建立后不能修改（规划目标和数据文件按代码引用该项目）"]})
    values = _identity_clean(actor, data, programme=programme)
    before = {f: getattr(programme, f"{f}_id" if f == "owner_region" else f) for f in IDENTITY_FIELDS}
    after = _identity_payload(values)
    for field, value in values.items():
        setattr(programme, field, value)
    programme.save(update_fields=list(IDENTITY_FIELDS))
    audit_record(
        actor=actor,
        event_type="programme.updated",
        subject=programme,
        payload={"before": before, "after": after},
    )
    return programme


@transaction.atomic
def programme_close(*, actor, programme: Programme, note: str = "") -> Programme:
    """关闭认定项目: it accepts no new applications or calls from now on; its certifications, lists
    and history stay and remain visible. ``programme_reopen`` undoes it."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    require(may_manage_programme(actor, programme), "您无权关闭该认定项目")
    if programme.closed_at is not None:
        raise ValidationError({"closed_at": [f"{programme.name}已于{programme.closed_at:%Y-%m-%d}关闭"]})
    programme.closed_at = timezone.now()
    programme.save(update_fields=["closed_at"])
    audit_record(
        actor=actor,
        event_type="programme.closed",
        subject=programme,
        payload={"note": " ".join(str(note or "").split())[:200]},
    )
    return programme


@transaction.atomic
def programme_reopen(*, actor, programme: Programme) -> Programme:
    """重新开放已关闭的认定项目."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    require(may_manage_programme(actor, programme), "您无权重新开放该认定项目")
    if programme.closed_at is None:
        raise ValidationError({"closed_at": [f"{programme.name}没有关闭，无需重新开放"]})
    closed_at = programme.closed_at
    programme.closed_at = None
    programme.save(update_fields=["closed_at"])
    audit_record(
        actor=actor,
        event_type="programme.reopened",
        subject=programme,
        payload={"closed_at": closed_at.isoformat()},
    )
    return programme


@transaction.atomic
def programme_delete(*, actor, programme: Programme) -> None:
    """删除认定项目 — only one nothing refers to yet (made by mistake); a programme in use is closed."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    require(may_manage_programme(actor, programme), "您无权删除该认定项目")
    usage = programme_usage(programme)
    if any(usage.values()):
        raise ValidationError(
            {
                "programme": [
                    f"{programme.name}已有{usage_text(usage)}，不能删除；如不再受理，请关闭该认定项目"
                ]
            }
        )
    audit_record(
        actor=actor,
        event_type="programme.deleted",
        subject=programme,
        payload={"values": {"code": programme.code, "name": programme.name}},
    )
    programme.delete()


# --- tiers (梯队/层级): add, rename, reorder, delete -------------------------------------------------


def _tier_usage(tier: Tier) -> str:
    usage = {
        "applications": tier.applications.count(),
        "certifications": tier.certifications.count(),
        "screening_runs": tier.runs.count(),
    }
    return usage_text(usage)


@transaction.atomic
def tier_create(*, actor, programme: Programme, code: str, name: str) -> Tier:
    """增加梯队 at the end of the programme's tiers (its criteria are set in the criteria editor)."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    require(may_manage_programme(actor, programme), "您无权修改该认定项目的梯队")
    code, name = str(code or "").strip(), " ".join(str(name or "").split())
    tiers = list(programme.tiers.all())
    problems = _tier_problems(0, code, name, {t.code for t in tiers}, {t.name for t in tiers})
    if problems:
        raise ValidationError({"tiers": problems})
    tier = Tier.objects.create(
        programme=programme, code=code, name=name, position=max((t.position for t in tiers), default=-1) + 1
    )
    audit_record(
        actor=actor,
        event_type="programme.tier_created",
        subject=tier,
        payload={"values": {"code": code, "name": name}},
    )
    return tier


@transaction.atomic
def tier_rename(*, actor, tier: Tier, name: str) -> Tier:
    """梯队更名: certificates already issued keep their title; new ones use the new name."""
    tier = Tier.objects.select_for_update().select_related("programme").get(pk=tier.pk)
    require(may_manage_programme(actor, tier.programme), "您无权修改该认定项目的梯队")
    name = " ".join(str(name or "").split())
    others = {t.name for t in tier.programme.tiers.exclude(pk=tier.pk)}
    problems = _tier_problems(0, tier.code, name, set(), others)
    if problems:
        raise ValidationError({"name": problems})
    before = tier.name
    tier.name = name
    tier.save(update_fields=["name"])
    audit_record(
        actor=actor,
        event_type="programme.tier_renamed",
        subject=tier,
        payload={"before": {"name": before}, "after": {"name": name}},
    )
    return tier


@transaction.atomic
def tiers_reorder(*, actor, programme: Programme, order: list) -> list[Tier]:
    """梯队排序: ``order`` lists every tier of the programme (ids or codes) in the new order."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    require(may_manage_programme(actor, programme), "您无权修改该认定项目的梯队")
    tiers = list(programme.tiers.all())
    by_key = {str(t.pk): t for t in tiers} | {t.code: t for t in tiers}
    chosen = [by_key.get(str(k).strip()) for k in order or []]
    if None in chosen or len({t.pk for t in chosen}) != len(chosen) or len(chosen) != len(tiers):
        raise ValidationError(
            {
                "order": [
                    f"梯队排序应列出本项目的全部 {len(tiers)} 个梯队，各一次（{'、'.join(t.name for t in tiers)}）"
                ]
            }
        )
    before = [t.name for t in sorted(tiers, key=lambda t: (t.position, t.code))]
    for position, tier in enumerate(chosen):
        tier.position = position
    Tier.objects.bulk_update(chosen, ["position"])
    audit_record(
        actor=actor,
        event_type="programme.tiers_reordered",
        subject=programme,
        payload={"order_before": "、".join(before), "order_after": "、".join(t.name for t in chosen)},
    )
    return chosen


@transaction.atomic
def tier_delete(*, actor, tier: Tier) -> None:
    """删除梯队 — never one with applications, certifications or screening runs."""
    tier = Tier.objects.select_for_update().select_related("programme").get(pk=tier.pk)
    require(may_manage_programme(actor, tier.programme), "您无权修改该认定项目的梯队")
    used = _tier_usage(tier)
    if used:
        raise ValidationError({"tiers": [f"梯队「{tier.name}」已有{used}，不能删除"]})
    if tier.programme.tiers.count() == 1:
        raise ValidationError({"tiers": [f"「{tier.name}」是{tier.programme.name}唯一的梯队，不能删除"]})
    audit_record(
        actor=actor,
        event_type="programme.tier_deleted",
        subject=tier.programme,
        payload={"values": {"code": tier.code, "name": tier.name}},
    )
    tier.delete()


# --- points rubrics (评分细则) ----------------------------------------------------------------------


@transaction.atomic
def rubric_version_create(
    *, actor, programme, design, effective_year, title: str, note: str = ""
) -> RubricVersion:
    """Save ``design`` (checked by ``rubric.design_check``) as the programme's next rubric version,
    in force from ``effective_year``. Provincial admins only; stored scores are never changed."""
    from smeplan.programmes.rubric import design_check

    require(is_provincial_admin(actor), "只有省级管理员可以修改评分细则")
    errors: dict[str, list[str]] = {}
    year = _int_in(effective_year, FIRST_YEAR, LAST_YEAR, "生效年度", errors, "effective_year")
    title = str(title or "").strip()
    if not title:
        errors["title"] = ["请填写细则名称"]
    elif len(title) > 120:
        errors["title"] = ["细则名称不超过 120 个字"]
    try:
        clean = design_check(design)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    number = (programme.rubric_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = RubricVersion.objects.create(
        programme=programme,
        number=number,
        effective_year=year,
        title=title,
        design=clean,
        note=str(note or "").strip()[:200],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="rubric_version.created",
        subject=version,
        payload={"number": number, "effective_year": year, "title": title},
    )
    return version
