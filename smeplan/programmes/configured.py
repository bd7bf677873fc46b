"""The configured programmes as data files (``data/configured/programmes/<code>.json``, the format
of ``docs/programme-configuration.md``), checked and loaded by ``programme_files_load`` — run by
``manage.py programmes_load`` and ``make run``.

Each file describes one programme completely: identity (name, plan, 依据 and 条款, level, subject
kind), tiers, each tier's criteria (every criterion with its ``basis``) and the workflow settings
(every setting with its source in ``workflow_basis``). Loading is idempotent and never overwrites
what an administrator changed: a missing programme is created whole; of an existing one only the
empty new fields (``plan``, ``basis_clause``, and contract settings whose model field is still
empty) are filled, missing tiers are added and a tier without criteria gets the file's as its
first version.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from smeplan.audit.services import audit_record
from smeplan.programmes.criteria import spec_clean
from smeplan.programmes.models import (
    WORKFLOW_FIELDS,
    AverageArea,
    CriteriaVersion,
    Criterion,
    OwnerLevel,
    Programme,
    SubjectKind,
    Tier,
)
from smeplan.programmes.services import CODE_RE, TIER_CODE_RE, rubric_clean, title_template_clean

FOLDER = Path(__file__).parent / "data" / "configured" / "programmes"

KEYS = {
    "code", "name", "plan", "basis", "basis_clause", "plan_clause", "owner_level", "subject_kind",
    "average_area", "effective_year", "tiers", "criteria", "workflow", "workflow_basis", "note",
}  # fmt: skip
REQUIRED = (
    "code",
    "name",
    "plan",
    "basis",
    "basis_clause",
    "owner_level",
    "subject_kind",
    "tiers",
    "workflow",
)
#: settings of the contract kept by other parts of the system once their model fields exist
#: (annual report due date, reminders, rename notice, expert aggregation and outliers)
EXTRA_WORKFLOW = (
    "annual_report_due",
    "report_reminders",
    "rename_requires_notice",
    "expert_aggregation",
    "expert_outlier_points",
)
INTEGER_SETTINGS = {
    "notice_days": (1, 60),
    "ban_years": (0, 10),
    "validity_years": (1, 30),
    "review_interval_years": (1, 30),
    "report_reminders": (0, 10),
    "expert_outlier_points": (0, 100),
}


def _model_fields() -> set[str]:
    return {f.name for f in Programme._meta.get_fields() if getattr(f, "concrete", False)}


def programme_file_check(path: Path) -> dict:
    """One file read and checked; raises ValidationError({file name: [Chinese messages naming the
    key]}). Returns the data with the criteria as checked specs (``criteria_specs``)."""
    from smeplan.targets.models import ActionPlan

    name = path.name
    problems: list[str] = []

    def bad(key: str, message: str) -> None:
        problems.append(f"{name}：{key}：{message}")

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError({name: [f"{name}：不是有效的 JSON 文件（{exc}）"]}) from None
    if not isinstance(data, dict):
        raise ValidationError({name: [f"{name}：文件内容应为一个对象"]})
    for key in sorted(set(data) - KEYS):
        bad(key, "不认识的键")
    for key in REQUIRED:
        if data.get(key) in (None, "", [], {}):
            bad(key, "缺少此项")
    code = str(data.get("code") or "")
    if code and code != path.stem:
        bad("code", f"代码“{code}”应与文件名“{path.stem}”一致")
    elif code and not CODE_RE.match(code):
        bad("code", f"代码“{code}”应以小写字母开头，只含小写字母、数字和 -")
    if data.get("plan") and data["plan"] not in ActionPlan.values:
        bad("plan", f"行动计划“{data['plan']}”无效（应为：{'、'.join(ActionPlan.values)}）")
    for key, choices in (
        ("owner_level", OwnerLevel),
        ("subject_kind", SubjectKind),
        ("average_area", AverageArea),
    ):
        if data.get(key) and data[key] not in choices.values:
            bad(key, f"“{data[key]}”无效（应为：{'、'.join(choices.values)}）")
    for key in ("name", "basis", "basis_clause", "plan_clause"):
        if len(str(data.get(key) or "")) > (80 if key == "name" else 200):
            bad(key, "过长")
    year = data.get("effective_year", 2017)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        bad("effective_year", f"生效年度应为 2000–2100 的整数（收到 {year!r}）")
    tiers = data.get("tiers") or []
    tier_codes: list[str] = []
    for n, pair in enumerate(tiers if isinstance(tiers, list) else [], start=1):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) and x for x in pair)):
            bad(f"tiers[{n}]", "梯队应写作 [代码, 名称]")
            continue
        if not TIER_CODE_RE.match(pair[0]) or pair[0] in tier_codes:
            bad(f"tiers[{n}]", f"梯队代码“{pair[0]}”无效或重复")
        tier_codes.append(pair[0])
    criteria = data.get("criteria") or {}
    specs: dict[str, list] = {}
    if not isinstance(criteria, dict):
        bad("criteria", "应为 {梯队代码: [条件, …]}")
        criteria = {}
    for tier_code, items in criteria.items():
        if tier_code not in tier_codes:
            bad(f"criteria.{tier_code}", "不是本项目的梯队")
            continue
        specs[tier_code] = []
        for i, item in enumerate(items or []):
            where = f"criteria.{tier_code}[{i + 1}]"
            if not isinstance(item, dict):
                bad(where, "条件应为对象")
                continue
            if not str(item.get("basis") or "").strip():
                bad(f"{where}.basis", "每条条件须注明依据（文号及条款）")
            spec, errors = spec_clean({k: v for k, v in item.items() if k != "basis"}, index=i)
            for messages in errors.values():
                for message in messages:
                    bad(where, message)
            if spec is not None:
                specs[tier_code].append(spec)
    workflow = data.get("workflow") or {}
    basis = data.get("workflow_basis") or {}
    if not isinstance(workflow, dict) or not isinstance(basis, dict):
        bad("workflow", "workflow 和 workflow_basis 应为对象")
        workflow, basis = {}, {}
    for key, value in workflow.items():
        if key not in WORKFLOW_FIELDS and key not in EXTRA_WORKFLOW:
            bad(f"workflow.{key}", "不认识的流程设置")
            continue
        if not str(basis.get(key) or "").strip():
            bad(f"workflow_basis.{key}", "每项流程设置须注明依据（文号及条款，或写明文件未规定）")
        if key in INTEGER_SETTINGS and value is not None:
            low, high = INTEGER_SETTINGS[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                bad(f"workflow.{key}", f"应为 {low}–{high} 的整数（收到 {value!r}）")
        elif key in ("expert_review", "rename_requires_notice") and not isinstance(value, bool):
            bad(f"workflow.{key}", "应为 true 或 false")
        elif key == "title_template":
            errors: dict = {}
            title_template_clean(value, errors)
            for message in errors.get("title_template", []):
                bad("workflow.title_template", message)
        elif key == "rubric":
            _rubric, rubric_problems = rubric_clean(value)
            for message in rubric_problems:
                bad("workflow.rubric", message)
    for key in sorted(set(basis) - set(workflow)):
        bad(f"workflow_basis.{key}", "没有对应的流程设置")
    if problems:
        raise ValidationError({name: problems})
    return {**data, "effective_year": year, "criteria_specs": specs}


def programme_files(folder: Path | None = None) -> list[Path]:
    return sorted(Path(folder or FOLDER).glob("*.json"))


def _settings_of(data: dict, fields: set[str]) -> dict:
    """The file's workflow settings whose model fields exist (stored form of the title)."""
    out = {}
    for key, value in (data.get("workflow") or {}).items():
        if key not in fields:
            continue
        if key == "title_template":
            value = title_template_clean(value, {})
        elif key == "rubric":
            value = rubric_clean(value)[0]
        out[key] = value
    return out


def _version_create(tier: Tier, data: dict, actor) -> int:
    specs = data["criteria_specs"].get(tier.code, [])
    number = (tier.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CriteriaVersion.objects.create(
        tier=tier,
        number=number,
        effective_year=data["effective_year"],
        note="按数据文件初始设置",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                version=version,
                position=i,
                metric=s.metric,
                operator=s.operator,
                reference=s.reference,
                threshold=Decimal(s.threshold) if s.threshold is not None else None,
                threshold_high=Decimal(s.threshold_high) if s.threshold_high is not None else None,
                choices=list(s.choices),
                years=s.years,
                role=s.role,
                label=s.label,
            )
            for i, s in enumerate(specs)
        ]
    )
    return len(specs)


def _load_one(data: dict, fields: set[str], actor, report) -> bool:
    """Create or complete one programme; True when anything was written."""
    programme = Programme.objects.select_for_update().filter(code=data["code"]).first()
    created = programme is None
    filled: list[str] = []
    if created:
        level = data["owner_level"]
        default_area = AverageArea.PROVINCE if level == OwnerLevel.PROVINCE else AverageArea.CITY
        programme = Programme.objects.create(
            code=data["code"],
            name=data["name"],
            plan=data["plan"],
            source=data["basis"],
            basis_clause=data["basis_clause"],
            owner_level=level,
            subject_kind=data["subject_kind"],
            average_area=data.get("average_area") or default_area,
            position=(Programme.objects.aggregate(n=Max("position"))["n"] or 0) + 1,
            **_settings_of(data, fields),
        )
    else:
        candidates = {"plan": data["plan"], "basis_clause": data["basis_clause"]}
        extra = _settings_of(
            {"workflow": {k: v for k, v in data["workflow"].items() if k in EXTRA_WORKFLOW}}, fields
        )
        candidates.update(extra)
        for field, value in candidates.items():
            if getattr(programme, field) in (None, "") and value not in (None, ""):
                setattr(programme, field, value)
                filled.append(field)
        if filled:
            programme.save(update_fields=filled)
    existing = {t.code: t for t in programme.tiers.all()}
    new_tiers: list[str] = []
    versions = 0
    for position, (code, name) in enumerate(data["tiers"]):
        tier = existing.get(code)
        if tier is None:
            tier = Tier.objects.create(programme=programme, code=code, name=name, position=position)
            new_tiers.append(name)
        if code in data["criteria_specs"] and not tier.versions.exists():
            _version_create(tier, data, actor)
            versions += 1
    if not (created or filled or new_tiers or versions):
        return False
    audit_record(
        actor=actor,
        event_type="programme.files_loaded",
        subject=programme,
        payload={
            "file": f"{data['code']}.json",
            "created": created,
            "filled": "、".join(str(Programme._meta.get_field(f).verbose_name) for f in filled),
            "tiers": "、".join(new_tiers),
        },
    )
    if created:
        report(f"新建认定项目 {programme.name}（{data['code']}），{len(data['tiers'])} 个梯队")
    else:
        parts = []
        if filled:
            parts.append("补充" + "、".join(str(Programme._meta.get_field(f).verbose_name) for f in filled))
        if new_tiers:
            parts.append("新增梯队" + "、".join(new_tiers))
        if versions:
            parts.append(f"{versions} 个梯队的首版认定条件")
        report(f"{programme.name}（{data['code']}）：{'；'.join(parts)}")
    return True


@transaction.atomic
def programme_files_load(folder=None, *, actor=None, report=None) -> int:
    """Check every programme file of ``folder`` (default: the delivered ones) and load them — all
    or nothing: one bad file refuses the whole load, naming file and key. Returns the number of
    programmes created or completed (0 when everything was there already)."""
    report = report or (lambda _text: None)
    errors: dict[str, list[str]] = {}
    checked = []
    for path in programme_files(folder):
        try:
            checked.append(programme_file_check(path))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    fields = _model_fields()
    return sum(_load_one(data, fields, actor, report) for data in checked)
