"""Profit, tax or R&D above that year's operating revenue is flagged, each as its own kind; equal to it
is not."""

import pytest

from smeplan.flags.models import FigureFlag, FlagKind
from tests.flags.make import YEAR, detect, evaluated


def _one(**values):
    return evaluated({YEAR: {"operating_revenue": 1000, **values}})


@pytest.mark.django_db
def test_each_figure_just_above_revenue_is_flagged_and_equal_is_not():
    profit = _one(total_profit="1000.01")
    tax = _one(tax_paid="1000.01")
    rd = _one(rd_expense="1000.01")
    equal = _one(total_profit=1000, tax_paid=1000, rd_expense=1000)
    no_revenue = evaluated({YEAR: {"total_profit": 50}})

    detect()

    kinds = {(f.organisation_id, f.kind) for f in FigureFlag.objects.all()}
    assert kinds == {
        (profit.pk, FlagKind.PROFIT_ABOVE_REVENUE),
        (tax.pk, FlagKind.TAX_ABOVE_REVENUE),
        (rd.pk, FlagKind.RD_ABOVE_REVENUE),
    }
    assert not {equal.pk, no_revenue.pk} & {k[0] for k in kinds}
    flag = FigureFlag.objects.get(organisation=tax)
    assert flag.message == "2024年实缴税金1000.01万元大于营业收入（营业收入1000万元，占比100.0%）"
    assert flag.detail == {
        "years": [YEAR],
        "field": "tax_paid",
        "value": "1000.01",
        "operating_revenue": "1000.00",
        "threshold": "1",
    }


@pytest.mark.django_db
def test_zero_revenue_with_a_profit_is_flagged_without_a_share():
    org = _one(operating_revenue=0, total_profit=5)
    detect()
    flag = FigureFlag.objects.get(organisation=org)
    assert flag.kind == FlagKind.PROFIT_ABOVE_REVENUE
    assert flag.message == "2024年利润总额5万元大于营业收入（营业收入0万元）"
