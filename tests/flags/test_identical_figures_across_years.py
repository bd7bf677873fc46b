"""The same figures two years running (at least three present, none present in only one year) are
flagged; one figure different, two figures only, or a figure added the second year are not."""

import pytest

from smeplan.flags.models import FigureFlag, FlagKind
from tests.flags.make import YEAR, detect, evaluated

SAME = {"operating_revenue": 3000, "total_profit": 200, "tax_paid": 90}


@pytest.mark.django_db
def test_identical_years_are_flagged_at_three_figures():
    two_years = evaluated({YEAR - 2: {**SAME, "operating_revenue": 2500}, YEAR - 1: SAME, YEAR: SAME})
    three_years = evaluated({YEAR - 2: SAME, YEAR - 1: SAME, YEAR: SAME})
    only_two_figures = evaluated({YEAR - 1: {"operating_revenue": 3000, "total_profit": 200},
                                  YEAR: {"operating_revenue": 3000, "total_profit": 200}})  # fmt: skip
    one_differs = evaluated({YEAR - 1: SAME, YEAR: {**SAME, "tax_paid": "90.01"}})
    one_added = evaluated({YEAR - 1: SAME, YEAR: {**SAME, "rd_expense": 10}})

    detect()

    flagged = set(
        FigureFlag.objects.filter(kind=FlagKind.IDENTICAL).values_list("organisation_id", flat=True)
    )
    assert flagged == {two_years.pk, three_years.pk}
    assert not {only_two_figures.pk, one_differs.pk, one_added.pk} & flagged
    flag = FigureFlag.objects.get(organisation=two_years)
    assert flag.message == (
        "2023–2024年连续2年的3项数据完全相同（营业收入、利润总额、实缴税金），如营业收入均为3000万元（阈值：至少3项相同）"
    )
    assert flag.detail["values"] == {
        "operating_revenue": "3000.00",
        "total_profit": "200.00",
        "tax_paid": "90.00",
    }
    assert FigureFlag.objects.get(organisation=three_years).detail["years"] == [YEAR - 2, YEAR - 1, YEAR]
