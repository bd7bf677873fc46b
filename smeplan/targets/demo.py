"""Demo lists of past years for the demo province (``manage.py demo_targets``, run by ``make run``).

The demo workflow (``demo_recognition``) certifies a handful of enterprises through the services;
the targets dashboard, the county map and the charts need the lists a province builds over years.
This lays out, for each year from 2017 to the demo's latest figures year, growth-tier lists at the
county, city and provincial level (tier by the enterprise's latest operating revenue: ≥ 10,000 万元
行业之星, ≥ 2,000 成长之星, else 创业之星), entries in the transformation library and certified
transformation-demonstration enterprises, spread over every county; about one in twenty is later
terminated. Every document number ends in （演示历年）, so they are recognisable as demo data. No
reported value of another agency is invented: those targets stay 未填报.

Deterministic (seeded), idempotent with ``--if-empty``; inserted in bulk like the demo province's
enterprises (nothing here is a bureau decision to audit).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

MARK = "（演示历年）"
FIRST_YEAR = 2017
# per year: (programme, level, how many per certifying region)
PER_REGION = [
    ("growth-county", "county", 2),
    ("growth-city", "city", 6),
    ("growth-province", "province", 160),
    ("transformation", "county", 2),
    ("transformation-demo", "province", 45),
]


def _tier_for_revenue(revenue) -> str:
    if revenue is None:
        return "startup_star"
    if revenue >= 10000:
        return "industry_star"
    if revenue >= 2000:
        return "growth_star"
    return "startup_star"


def load_demo_targets(*, if_empty: bool = True, say=lambda _m: None) -> dict:
    from django.db.models import Max

    from smeplan.indicators.models import AnnualFigures
    from smeplan.programmes.models import Programme
    from smeplan.recognition.models import Certification, CertificationState, TerminationReason
    from smeplan.regions.models import PROVINCE_CODE, Region
    from smeplan.regions.selectors import city_level_units, county_cities
    from smeplan.registry.models import Organisation

    if Certification.objects.filter(document_number__endswith=MARK).exists():
        if if_empty:
            return {"skipped": True}
        raise ValueError("演示历年名单已加载")
    last_year = AnnualFigures.objects.aggregate(y=Max("year"))["y"]
    if last_year is None:
        raise ValueError("请先加载演示省份（manage.py demo_province）")
    rng = random.Random(2017)
    programmes = {p.code: p for p in Programme.objects.prefetch_related("tiers")}
    taken = set(Certification.objects.values_list("organisation_id", flat=True))
    # latest revenue per organisation (one grouped read)
    latest = dict(
        AnnualFigures.objects.filter(year=last_year).values_list("organisation_id", "operating_revenue")
    )
    by_county: dict[str, list[int]] = {}
    for org_id, county in Organisation.objects.filter(kind="enterprise").values_list("id", "county_id"):
        if org_id not in taken:
            by_county.setdefault(county, []).append(org_id)
    for ids in by_county.values():
        rng.shuffle(ids)
    names = dict(Organisation.objects.values_list("id", "name"))
    city_of = county_cities()
    county_codes = sorted(by_county)
    cities = {c.code: c.name for c in city_level_units()}
    regions = {r.code: r.name for r in Region.objects.all()}
    rows = []
    serial = 0

    def take(county_pool: list[str]) -> int | None:
        for _ in range(len(county_pool) * 2):
            county = rng.choice(county_pool)
            if by_county.get(county):
                return by_county[county].pop()
        return None

    for year in range(FIRST_YEAR, last_year + 1):
        for code, level, per_region in PER_REGION:
            programme = programmes.get(code)
            if programme is None:
                continue
            tiers = {t.code: t for t in programme.tiers.all()}
            if level == "county":
                certifying = [(c, [c]) for c in county_codes]
            elif level == "city":
                certifying = [(c, [k for k in county_codes if city_of[k] == c]) for c in cities]
            else:
                certifying = [(PROVINCE_CODE, county_codes)]
            for region_code, pool in certifying:
                if not pool:
                    continue
                for _ in range(per_region):
                    org_id = take(pool)
                    if org_id is None:
                        break
                    serial += 1
                    if code.startswith("growth-"):
                        tier = tiers[_tier_for_revenue(latest.get(org_id))]
                    elif code == "transformation":
                        tier = tiers["demo_recommend" if rng.random() < 0.3 else "upgrade_library"]
                    else:
                        tier = next(iter(tiers.values()))
                    certified_on = dt.date(year, rng.randint(3, 11), rng.randint(1, 28))
                    ended = rng.random() < 0.05 and year < last_year
                    region_name = "陕西省" if region_code == PROVINCE_CODE else regions[region_code]
                    rows.append(
                        Certification(
                            organisation_id=org_id,
                            programme=programme,
                            tier=tier,
                            level=programme.owner_level,
                            region_id=region_code,
                            document_number=f"陕中小企发〔{year}〕{serial}号{MARK}",
                            certified_on=certified_on,
                            title=programme.title_for(region_name=region_name, tier_name=tier.name),
                            organisation_name=names[org_id],
                            valid_until=(
                                dt.date(year + programme.validity_years, certified_on.month, certified_on.day)
                                if programme.validity_years
                                else None
                            ),
                            state=CertificationState.TERMINATED if ended else CertificationState.ACTIVE,
                            ended_on=dt.date(year + 1, 6, 30) if ended else None,
                            termination_reason=TerminationReason.EVALUATION if ended else "",
                            termination_document=f"陕中小企发〔{year + 1}〕终{serial}号{MARK}"
                            if ended
                            else "",
                        )
                    )
    with transaction.atomic():
        Certification.objects.bulk_create(rows, batch_size=2000)
    say(f"演示历年名单：{len(rows)} 条认定（{FIRST_YEAR}—{last_year} 年）")
    return {"certifications": len(rows)}
