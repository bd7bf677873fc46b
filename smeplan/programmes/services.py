"""Writes of programmes: a new version of a tier's criteria (认定条件修改). Screening runs are in
``screening.py``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from smeplan.accounts.scoping import is_provincial_admin, require
from smeplan.audit.services import audit_record
from smeplan.programmes.criteria import specs_clean
from smeplan.programmes.models import WORKFLOW_FIELDS as SETTING_FIELDS
from smeplan.programmes.models import (
    CriteriaVersion,
    Criterion,
    Programme,
    RubricVersion,
    Tier,
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
    from smeplan.programmes.models import Programme

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
    template = title_template_from_text(" ".join(str(data.get("title_template", "")).split()))
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
    values["title_template"] = template
    rubric, problems = rubric_clean(data.get("rubric", programme.rubric))
    if problems:
        errors["rubric"] = problems
    elif values["expert_review"] and not rubric:
        errors["rubric"] = ["需要专家评审时，请至少设置一项评分细则"]
    values["rubric"] = rubric
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
