"""Loads the programmes of the seed (``data/programmes-2017.json``) — used by the data migration,
with the historical models it is given. Idempotent: existing programmes/tiers are left as they are."""

import json
from decimal import Decimal
from pathlib import Path

from smeplan.programmes.models import WORKFLOW_FIELDS

DATA = Path(__file__).parent / "data" / "programmes-2017.json"


def seed() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def workflow_settings(spec: dict) -> dict:
    """The recognition workflow settings of one programme of the seed (公示天数, 禁入年限, 有效期 …)."""
    wf = spec.get("workflow", {})
    return {k: wf[k] for k in WORKFLOW_FIELDS if k in wf}


def _has_workflow_fields(Programme) -> bool:
    """Migration 0002 runs with the historical model, before the workflow fields existed."""
    return any(f.name == "notice_days" for f in Programme._meta.get_fields())


def apply_workflow_settings(Programme) -> None:
    """Set the seed's workflow settings on programmes created before those settings existed."""
    for spec in seed()["programmes"]:
        Programme.objects.filter(code=spec["code"]).update(**workflow_settings(spec))


def basis_of(spec: dict, data: dict | None = None) -> str:
    """A programme's 依据 as stored on ``Programme.source``: the document (文号 and title) and the
    plan's section, e.g. "陕中企规发〔2017〕69号《…》 中小企业成长梯队培育行动计划 四、五"."""
    return f"{(data or seed())['source']} {spec['section']}"


# What the seed data said before it was checked against the document (migration 0004 rewrites it).
WRONG_BASIS = (
    ("陕政办发〔2017〕69号《陕西省中小企业八个专项行动计划》", None),  # → the seed's source
    ("陕政办发〔2017〕69号", "陕中企规发〔2017〕69号"),
    ("中小企业转型升级行动计划", "“千企示范万企转型”行动计划"),
)


def correct_basis(Programme) -> int:
    """Rewrite the wrong 文号 and plan name in stored programmes' 依据 (any programme, also ones
    an administrator added). Returns the number of programmes changed."""
    source = seed()["source"]
    changed = 0
    for programme in Programme.objects.all():
        text = programme.source
        for wrong, right in WRONG_BASIS:
            text = text.replace(wrong, source if right is None else right)
        if text != programme.source:
            programme.source = text
            programme.save(update_fields=["source"])
            changed += 1
    return changed


def load_programmes(Programme, Tier, CriteriaVersion, Criterion) -> int:
    data = seed()
    created = 0
    for position, spec in enumerate(data["programmes"]):
        programme, _ = Programme.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "owner_level": spec["owner_level"],
                "average_area": spec["average_area"],
                "source": basis_of(spec, data),
                "position": position,
                **(workflow_settings(spec) if _has_workflow_fields(Programme) else {}),
            },
        )
        for tier_position, (code, name) in enumerate(spec["tiers"]):
            tier, made = Tier.objects.get_or_create(
                programme=programme, code=code, defaults={"name": name, "position": tier_position}
            )
            if not made:
                continue
            version = CriteriaVersion.objects.create(
                tier=tier, number=1, effective_year=data["effective_year"], note="按文件初始设置"
            )
            for n, c in enumerate(data["criteria"][code]):
                Criterion.objects.create(
                    version=version,
                    position=n,
                    metric=c["metric"],
                    operator=c.get("operator", ""),
                    reference=c.get("reference", "threshold"),
                    threshold=Decimal(c["threshold"]) if "threshold" in c else None,
                    threshold_high=Decimal(c["threshold_high"]) if "threshold_high" in c else None,
                    choices=c.get("choices", []),
                    years=c.get("years", 1),
                    role=c.get("role", "required"),
                    label=c.get("label", ""),
                )
            created += 1
    return created
