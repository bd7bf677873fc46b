"""Building blocks for the reporting tests: certifications as stored rows (the annex-3 selector reads
them; the workflow that makes them is tested in tests/recognition) and a small hand-computed world."""

import datetime as dt
import itertools

from smeplan.recognition.models import Certification
from tests.factories import AnnualFiguresFactory, OrganisationFactory, region, tier_of

_serials = itertools.count(1)
PROGRAMME_OF_LEVEL = {"province": "growth-province", "city": "growth-city", "county": "growth-county"}


def certification(org, *, level: str, tier: str, on: str, ended_on: str | None = None, state="active"):
    tier_obj = tier_of(PROGRAMME_OF_LEVEL[level], tier)
    return Certification.objects.create(
        organisation=org,
        programme=tier_obj.programme,
        tier=tier_obj,
        level=level,
        region_id="610000" if level == "province" else org.county_id,
        document_number=f"测试认定〔2024〕{next(_serials)}号",
        certified_on=dt.date.fromisoformat(on),
        ended_on=dt.date.fromisoformat(ended_on) if ended_on else None,
        state=state,
        title="测试企业",
        organisation_name=org.name,
    )


def enterprise(county: str, revenue: dict[int, int | None], name: str | None = None):
    org = OrganisationFactory(county=region(county), **({"name": name} if name else {}))
    for year, value in revenue.items():
        AnnualFiguresFactory(organisation=org, year=year, operating_revenue=value)
    return org


def small_world():
    """The fixture of the hand-computed figures (year 2024):

    雁塔 610113: A 省级成长之星 certified 2024 (revenue 100 → 150); B 县级创业之星 2023 (2024: 50, no 2023);
      C 市级行业之星 2022, terminated 2024-06-30 (not counted); F certified 2025 (not counted);
      G 转型升级 (not a growth tier: not counted).
    长安 610116: D 县级成长之星 2023 (200 → 180).
    渭滨 610302 (宝鸡): E 省级行业之星 2024 (1000 → 1200).
    """
    a = enterprise("610113", {2023: 100, 2024: 150}, "甲企业")
    certification(a, level="province", tier="growth_star", on="2024-03-01")
    b = enterprise("610113", {2024: 50}, "乙企业")
    certification(b, level="county", tier="startup_star", on="2023-05-01")
    c = enterprise("610113", {2023: 900, 2024: 900}, "丙企业")
    certification(
        c, level="city", tier="industry_star", on="2022-01-01", ended_on="2024-06-30", state="terminated"
    )
    f = enterprise("610113", {2023: 70, 2024: 70}, "己企业")
    certification(f, level="county", tier="growth_star", on="2025-01-10")
    g = enterprise("610113", {2023: 10, 2024: 20}, "庚企业")
    transformation = tier_of()
    Certification.objects.create(
        organisation=g,
        programme=transformation.programme,
        tier=transformation,
        level="province",
        region_id="610000",
        document_number="测试转型〔2024〕1号",
        certified_on=dt.date(2024, 1, 1),
        title="转型",
        organisation_name=g.name,
    )
    d = enterprise("610116", {2023: 200, 2024: 180}, "丁企业")
    certification(d, level="county", tier="growth_star", on="2023-01-01")
    e = enterprise("610302", {2023: 1000, 2024: 1200}, "戊企业")
    certification(e, level="province", tier="industry_star", on="2024-02-01")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


def plan_rows(city_code: str = "610100", enterprises: int = 10) -> dict:
    """Filled rows for every region of ``city_code``'s plan."""
    from smeplan.regions.models import Region
    from smeplan.reporting.services import plan_regions

    return {
        r.code: {"enterprises": enterprises, "new_enterprises": 2, "revenue": "1000.5", "revenue_growth": "8"}
        for r in plan_regions(Region.objects.get(pk=city_code))
    }


def plan_in_state(state: str, city_officer, province_officer, year: int = 2025):
    """A plan of the officer's city moved to ``state`` through the services."""
    from smeplan.reporting.services import plan_act, plan_save

    plan = plan_save(actor=city_officer, year=year, rows=plan_rows(city_officer.region_id))
    if state == "draft":
        return plan
    plan = plan_act(actor=city_officer, plan=plan, action="submit")
    if state == "approved":
        plan = plan_act(actor=province_officer, plan=plan, action="approve")
    elif state == "returned":
        plan = plan_act(actor=province_officer, plan=plan, action="return", reason="新增数偏低，请调整")
    return plan
