"""The value-only classification used when an import reclassifies many organisations gives exactly
the values of the full rule functions (``size_class`` / ``above_scale``), for every industry code of
GB/T 4754-2017, malformed codes, every year of the threshold versions and figures around every
bound (missing figures included)."""

import csv
import random
from decimal import Decimal

import pytest

from smeplan.registry.classification import DATA_DIR as REGISTRY_DATA
from smeplan.registry.classification import (
    above_scale,
    above_scale_value,
    load_above_scale_rules,
    load_size_class_table,
    size_class,
    size_class_value,
)

INDUSTRY_CSV = REGISTRY_DATA.parent.parent / "industries" / "data" / "gbt4754-2017.csv"


def _codes() -> list:
    with open(INDUSTRY_CSV, encoding="utf-8") as fh:
        codes = [row["code"] for row in csv.DictReader(fh)]
    return [*codes, None, "", " ", "Z", "9999", "0", "C13X", "c1311"]


def _bounds() -> list[Decimal]:
    table = load_size_class_table()
    out = {Decimal(0)}
    for row in table.thresholds:
        for bound in (row.sme_upper, row.medium_min, row.small_min):
            out |= {bound - Decimal("0.01"), bound, bound + Decimal("0.01")}
    for rule in load_above_scale_rules().rules:
        if rule.threshold_wan is not None:
            t = rule.threshold_wan
            out |= {t - Decimal("0.01"), t, t + Decimal("0.01")}
    return sorted(out)


def _years() -> list[int]:
    years = {r.effective_from_year for r in load_size_class_table().thresholds}
    years |= {r.effective_from_year for r in load_above_scale_rules().rules}
    return sorted({y + d for y in years for d in (-1, 0, 1)} | {2024})


def test_size_class_value_matches_size_class_everywhere():
    rnd = random.Random(20261126)
    bounds = _bounds()
    codes, years = _codes(), _years()
    checked = 0
    for code in codes:
        for _ in range(12):
            year = rnd.choice(years)
            employees = rnd.choice([None, *(int(b) for b in bounds if b == int(b))])
            revenue = rnd.choice([None, *bounds])
            assets = rnd.choice([None, *bounds])
            full = size_class(
                industry_code=code,
                employees=employees,
                operating_revenue=revenue,
                total_assets=assets,
                year=year,
            ).value
            fast = size_class_value(
                industry_code=code,
                employees=employees,
                operating_revenue=revenue,
                total_assets=assets,
                year=year,
            )
            assert fast == full, (code, employees, revenue, assets, year)
            checked += 1
    assert checked > 10_000


@pytest.mark.parametrize("qualification", [None, "", "general", "specialised", "none"])
def test_above_scale_value_matches_above_scale_everywhere(qualification):
    rnd = random.Random(hash(qualification) & 0xFFFF)
    bounds = _bounds()
    codes, years = _codes(), _years()
    for code in codes:
        for _ in range(4):
            year = rnd.choice(years)
            main = rnd.choice([None, *bounds])
            revenue = rnd.choice([None, *bounds])
            kwargs = {
                "industry_code": code,
                "main_business_revenue": main,
                "operating_revenue": revenue,
                "construction_qualification": qualification,
                "year": year,
            }
            assert above_scale_value(**kwargs) == above_scale(**kwargs).value, kwargs


def test_value_forms_accept_int_and_float_figures_like_the_full_functions():
    for employees, revenue, assets in [
        (0, 0, 0),
        (300, 2000.0, 5000),
        (20, 299.99, 1),
        (1000, 40000, 40000.5),
    ]:
        for code in ("C1311", "F5111", "I6110", "K7010", "E4710"):
            kw = {"industry_code": code, "year": 2024}
            assert size_class_value(
                employees=employees, operating_revenue=revenue, total_assets=assets, **kw
            ) == (size_class(employees=employees, operating_revenue=revenue, total_assets=assets, **kw).value)
            assert (
                above_scale_value(
                    main_business_revenue=revenue,
                    operating_revenue=assets,
                    construction_qualification="general",
                    **kw,
                )
                == above_scale(
                    main_business_revenue=revenue,
                    operating_revenue=assets,
                    construction_qualification="general",
                    **kw,
                ).value
            )
