from decimal import Decimal

from smeplan.indicators.derived import DerivedStatus, growth, ratio, year_derived


def test_growth_is_relative_change():
    g = growth(Decimal("1200"), Decimal("1000"))
    assert g.status == DerivedStatus.OK and g.value == Decimal("0.2")
    assert g.as_percent() == "20.0%"


def test_growth_missing_when_either_year_is_absent():
    assert growth(None, 100).status == DerivedStatus.MISSING
    assert growth(100, None).status == DerivedStatus.MISSING
    assert growth(None, 100).as_percent() == "数据不全"


def test_growth_undefined_when_base_is_not_positive():
    for base in (0, -50):
        g = growth(100, base, label="利润总额")
        assert g.status == DerivedStatus.UNDEFINED and g.value is None
        assert "≤0" in g.reason and "利润总额" in g.reason
        assert g.as_percent() == "无法计算"


def test_negative_current_value_gives_negative_growth():
    assert growth(-100, 100).value == Decimal(-2)


def test_ratio_missing_and_undefined_are_kept_apart():
    assert ratio(None, 100).status == DerivedStatus.MISSING
    assert ratio(5, 0).status == DerivedStatus.UNDEFINED
    assert ratio(5, 100).value == Decimal("0.05")


def test_year_derived_computes_every_value_from_two_years():
    cur = {
        "operating_revenue": 1100,
        "total_profit": 50,
        "tax_paid": 33,
        "rd_expense": 22,
        "total_assets": 2000,
        "total_liabilities": 800,
    }
    prev = {"operating_revenue": 1000, "total_profit": -10, "tax_paid": 30, "rd_expense": None}
    d = year_derived(cur, prev)
    assert d["operating_revenue_growth"].value == Decimal("0.1")
    assert d["total_profit_growth"].status == DerivedStatus.UNDEFINED
    assert d["rd_expense_growth"].status == DerivedStatus.MISSING
    assert d["profit_margin"].value == Decimal(50) / Decimal(1100)
    assert d["debt_ratio"].value == Decimal("0.4")
    assert year_derived(cur, None)["tax_paid_growth"].status == DerivedStatus.MISSING
