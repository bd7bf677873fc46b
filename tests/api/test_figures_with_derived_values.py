"""GET /organisations/{id}/figures: every figure as 万元 strings, and derived values with their status."""

import pytest

from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_years_with_money_strings_and_derived_values(api_as):
    org = OrganisationFactory()
    AnnualFiguresFactory(organisation=org, year=2022, operating_revenue=4000, total_profit=-10, tax_paid=None)
    AnnualFiguresFactory(
        organisation=org, year=2023, operating_revenue=5000, total_profit=300, tax_paid=150, total_assets=0
    )
    AnnualFiguresFactory(organisation=org, year=2025, operating_revenue=6000)
    body = api_as(county_officer()).get(f"/organisations/{org.pk}/figures").json()
    assert body["organisation_id"] == org.pk
    years = {y["year"]: y for y in body["years"]}
    assert list(years) == [2022, 2023, 2025]
    y23 = years[2023]
    assert y23["operating_revenue"] == "5000.00" and y23["employees"] == 120 and y23["export_value"] is None
    derived = y23["derived"]
    assert derived["operating_revenue_growth"] == {"value": "0.2500", "status": "ok", "reason": ""}
    assert derived["profit_margin"]["value"] == "0.0600"
    assert derived["total_profit_growth"]["status"] == "undefined"  # base year's profit ≤ 0
    assert "≤0" in derived["total_profit_growth"]["reason"]
    assert derived["tax_paid_growth"]["status"] == "missing"  # 2022 tax missing
    assert derived["debt_ratio"]["status"] == "undefined"  # total assets 0
    # growth compares with year − 1 only: 2024 is absent, so 2025's growth is missing
    assert years[2025]["derived"]["operating_revenue_growth"]["status"] == "missing"
    assert years[2022]["derived"]["operating_revenue_growth"]["reason"] == "上年营业收入缺失"
