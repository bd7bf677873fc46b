"""Building blocks for the targets tests: certifications as stored rows (the workflow that makes them
is tested in tests/recognition; the counts only read them) and the seeded 十三五 targets."""

import datetime as dt
import itertools

from smeplan.recognition.models import Certification
from smeplan.targets.models import PlanPeriod, Target
from tests.factories import OrganisationFactory, region, tier_of

_serials = itertools.count(1)

LEVEL_OF = {
    "growth-province": "province",
    "growth-city": "city",
    "growth-county": "county",
    "transformation": "county",
    "transformation-demo": "province",
}


def enterprise(county: str, name: str):
    return OrganisationFactory(county=region(county), name=name)


def certify(
    org,
    programme: str,
    tier: str,
    on: str,
    *,
    ended_on: str | None = None,
    state: str = "active",
    previous=None,
):
    """A certification of ``org`` in ``programme``/``tier`` made on ``on`` (ISO date)."""
    tier_obj = tier_of(programme, tier)
    level = LEVEL_OF.get(programme) or tier_obj.programme.owner_level
    return Certification.objects.create(
        organisation=org,
        programme=tier_obj.programme,
        tier=tier_obj,
        level=level,
        region_id="610000" if level == "province" else org.county_id,
        document_number=f"测试认定〔{on[:4]}〕{next(_serials)}号",
        certified_on=dt.date.fromisoformat(on),
        ended_on=dt.date.fromisoformat(ended_on) if ended_on else None,
        state=state,
        title=f"{tier_obj.name}企业",
        organisation_name=org.name,
        previous=previous,
    )


def promote(old, programme: str, tier: str, on: str):
    """晋级 as the service leaves it: the old certification superseded on the day of the new one."""
    old.state, old.ended_on = "superseded", dt.date.fromisoformat(on)
    old.save(update_fields=["state", "ended_on"])
    return certify(old.organisation, programme, tier, on, previous=old)


def period_13th() -> PlanPeriod:
    return PlanPeriod.objects.get(code="13th")


def target(code: str) -> Target:
    return Target.objects.select_related("period").get(period__code="13th", code=code)
