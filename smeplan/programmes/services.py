"""Writes of programmes: a new version of a tier's criteria (认定条件修改). Screening runs are in
``screening.py``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from smeplan.accounts.scoping import is_provincial_admin, require
from smeplan.audit.services import audit_record
from smeplan.programmes.criteria import specs_clean
from smeplan.programmes.models import CriteriaVersion, Criterion, Tier

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
