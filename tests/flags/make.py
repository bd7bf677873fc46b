"""Building blocks for the flags tests: evaluated (actively certified) enterprises with hand-made
figures, made as stored rows (the workflow itself is tested in tests/recognition)."""

import itertools

from smeplan.flags.services import flags_detect
from smeplan.recognition import clock
from smeplan.recognition.models import Certification, CertificationState
from tests.factories import AnnualFiguresFactory, OrganisationFactory, province_admin, region, tier_of

YEAR = 2024
_serial = itertools.count(1)
EMPTY = dict.fromkeys(
    ["main_business_revenue", "total_profit", "tax_paid", "rd_expense", "employees", "total_assets",
     "total_liabilities", "new_product_revenue", "export_value"]
)  # fmt: skip


def certify(org, *, programme: str = "growth-province", state: str = CertificationState.ACTIVE):
    tier = tier_of(programme, "growth_star")
    return Certification.objects.create(
        organisation=org,
        programme=tier.programme,
        tier=tier,
        level=tier.programme.owner_level,
        region_id="610000",
        document_number=f"测试认定〔2026〕{next(_serial)}号",
        certified_on=clock.today(),
        title="测试成长之星企业",
        organisation_name=org.name,
        state=state,
    )


def evaluated(years: dict[int, dict], *, county: str = "610113", name: str | None = None, **cert):
    """An actively certified enterprise of ``county`` with only the given figures per year (every
    other figure missing)."""
    org = OrganisationFactory(county=region(county), **({"name": name} if name else {}))
    for year, values in years.items():
        AnnualFiguresFactory(organisation=org, year=year, **{**EMPTY, "operating_revenue": None, **values})
    certify(org, **cert)
    return org


def revenues(*values, **others):
    """{year: {"operating_revenue": v}} for consecutive years ending in YEAR."""
    first = YEAR - len(values) + 1
    return {first + i: {"operating_revenue": v, **others} for i, v in enumerate(values)}


def detect(actor=None, year: int = YEAR, **kw):
    return flags_detect(actor=actor or province_admin(), year=year, **kw)
