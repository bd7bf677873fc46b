"""``writing.organisations_reclassify`` (many organisations at once: one query on PostgreSQL, the
value-only rule forms) caches exactly what ``indicators.services.organisation_reclassify`` (one
organisation, the full rule functions) does — on SQLite and on PostgreSQL."""

import random
from decimal import Decimal

import pytest

from smeplan.exchange.writing import organisations_reclassify
from smeplan.indicators.models import AnnualFigures
from smeplan.indicators.services import organisation_reclassify
from smeplan.industries.models import Industry
from smeplan.registry.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

AMOUNTS = [
    None,
    Decimal(0),
    Decimal("99.99"),
    Decimal(300),
    Decimal("1999.99"),
    Decimal(2000),
    Decimal(40000),
]
STAFF = [None, 0, 7, 20, 99, 100, 300, 1000]


def _cached():
    return sorted(Organisation.objects.values_list("id", "size_class", "above_scale", "classified_year"))


def test_many_at_once_equals_one_by_one():
    rnd = random.Random(7)
    codes = list(Industry.objects.order_by("code").values_list("code", flat=True))
    sample = rnd.sample(codes, 60) + [
        c for c in ("1311", "4710", "5111", "7010", "6610", "C", "F", "70") if c in codes
    ]
    orgs = []
    for i, code in enumerate(sample):
        org = OrganisationFactory(
            industry_id=code,
            construction_qualification=rnd.choice(["", "general", "specialised", "none"]),
        )
        orgs.append(org)
        for year in sorted(rnd.sample([2019, 2021, 2023, 2024], k=i % 3)):  # some have no figures
            AnnualFigures.objects.create(
                organisation=org,
                year=year,
                employees=rnd.choice(STAFF),
                operating_revenue=rnd.choice(AMOUNTS),
                main_business_revenue=rnd.choice(AMOUNTS),
                total_assets=rnd.choice(AMOUNTS),
            )
    # a stale cache on some, to be corrected
    Organisation.objects.filter(pk__in=[o.pk for o in orgs[::4]]).update(
        size_class="large", above_scale=True, classified_year=2000
    )
    stale = _cached()

    for org in orgs:
        organisation_reclassify(organisation=Organisation.objects.get(pk=org.pk))
    expected = _cached()

    rows = list(
        Organisation.objects.order_by("id").values_list("id", "size_class", "above_scale", "classified_year")
    )
    for pk, size, scale, year in stale:  # back to the stale state
        Organisation.objects.filter(pk=pk).update(size_class=size, above_scale=scale, classified_year=year)
    assert _cached() == stale != rows
    changed = organisations_reclassify([o.pk for o in orgs])
    assert _cached() == expected
    assert changed == sum(1 for a, b in zip(stale, expected, strict=True) if a != b)
    assert {s for _, s, _, _ in expected} >= {"", "micro"}  # the sample covers several outcomes
    assert organisations_reclassify([o.pk for o in orgs]) == 0  # nothing left to change
