"""Building blocks for evaluation tests: enterprises with two years of figures and active
certifications stored as the recognition services leave them (the full workflow is tested in
tests/recognition; here only the certified state matters)."""

import datetime as dt
import itertools

from smeplan.recognition.models import Certification
from tests.factories import AnnualFiguresFactory, OrganisationFactory, region, tier_of

YEAR = 2024
DOCUMENT = "陕中小企发〔2026〕30号"
_serial = itertools.count(1)


def enterprise(
    *, county="610113", revenue=5000, revenue0=4000, profit=300, profit0=250, tax=150, rd=120, **org
):
    """An enterprise with figures for YEAR − 1 and YEAR (None leaves a figure missing)."""
    o = OrganisationFactory(county=region(county), **org)
    AnnualFiguresFactory(
        organisation=o,
        year=YEAR - 1,
        operating_revenue=revenue0,
        total_profit=profit0,
        tax_paid=100,
        rd_expense=80,
    )
    AnnualFiguresFactory(
        organisation=o, year=YEAR, operating_revenue=revenue, total_profit=profit, tax_paid=tax, rd_expense=rd
    )
    return o


def certify(org, *, programme="growth-province", tier="growth_star", region_code="610000") -> Certification:
    t = tier_of(programme, tier)
    return Certification.objects.create(
        organisation=org,
        programme=t.programme,
        tier=t,
        level=t.programme.owner_level,
        region=region(region_code),
        document_number=f"陕中小企发〔2023〕{next(_serial)}号",
        certified_on=dt.date(2023, 6, 1),
        title=f"陕西省{t.name}企业",
        organisation_name=org.name,
    )
