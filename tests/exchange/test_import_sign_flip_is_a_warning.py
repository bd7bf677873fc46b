"""A figure whose sign flips between two years (利润总额 from profit to loss or back) is a warning on
that cell — its growth rate is undefined — whether the other year is in the same file or already in
the registry; the import then waits for the importer's confirmation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from smeplan.exchange.models import ImportStatus
from smeplan.exchange.pipeline import parse_file
from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import AnnualFigures
from tests.exchange.bureau_sheets import simple_xlsx
from tests.exchange.fixtures.sheets import xlsx_bytes
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db

LONG = ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "利润总额（万元）"]


def _check(data: bytes, name: str = "利润.xlsx"):
    officer = county_officer()
    parsed = parse_file(data, name)
    batch = import_validate(
        actor=officer, file_name=name, data_bytes=data, records=parsed.records, sheet_issues=parsed.issues
    )
    return officer, parsed, batch


def _warnings(batch) -> list[dict]:
    return [i for i in batch.issues if i["level"] == "warning"]


def test_profit_to_loss_within_the_file():
    org = OrganisationFactory()
    data = simple_xlsx(
        LONG, [[org.credit_code, org.name, 2023, 800, 120], [org.credit_code, org.name, 2024, 820, -35.5]]
    )

    officer, parsed, batch = _check(data)

    (warning,) = _warnings(batch)
    assert (warning["sheet"], warning["row"], warning["column"]) == ("数据", 4, "E")  # 2024 row
    assert warning["field"] == "total_profit" and warning["value"] == "-35.50"
    assert "利润总额由2023年的120万元变为2024年的-35.50万元" in warning["message"]
    assert "由盈转亏" in warning["message"] and "增长率无法计算" in warning["message"]
    assert batch.status == ImportStatus.VALIDATED

    with pytest.raises(ValidationError):
        import_commit(actor=officer, batch=batch, records=parsed.records, sheet_issues=parsed.issues)
    assert not AnnualFigures.objects.exists()
    batch = import_commit(
        actor=officer, batch=batch, records=parsed.records, sheet_issues=parsed.issues, confirm_warnings=True
    )
    assert batch.status == ImportStatus.COMMITTED
    assert AnnualFigures.objects.get(organisation=org, year=2024).total_profit == Decimal("-35.50")


def test_loss_to_profit_against_the_stored_previous_year():
    org = OrganisationFactory()
    AnnualFiguresFactory(organisation=org, year=2023, operating_revenue=500, total_profit=-50)

    _, _, batch = _check(simple_xlsx(LONG, [[org.credit_code, org.name, 2024, 520, 3]]))

    (warning,) = _warnings(batch)
    assert (warning["row"], warning["column"], warning["value"]) == (3, "E", "3")
    assert (
        "利润总额由2023年的-50万元变为2024年的3万元" in warning["message"]
        and "由亏转盈" in warning["message"]
    )


def test_an_earlier_year_in_the_file_against_a_later_year_stored():
    org = OrganisationFactory()
    AnnualFiguresFactory(organisation=org, year=2024, operating_revenue=500, total_profit=-10)

    _, _, batch = _check(simple_xlsx(LONG, [[org.credit_code, org.name, 2023, 510, 5]]))

    (warning,) = _warnings(batch)
    assert warning["column"] == "E" and warning["value"] == "5"
    assert "由2023年的5万元变为2024年的-10万元" in warning["message"]


def test_a_wide_sheet_with_merged_year_headers():
    org = OrganisationFactory()
    data = xlsx_bytes(
        {
            "宽表": [
                ["统一社会信用代码", "企业名称", "2023年", None, "2024年", None],
                [None, None, "营业收入（万元）", "利润总额（万元）", "营业收入（万元）", "利润总额（万元）"],
                [org.credit_code, org.name, 300, -20, 310, 15],
            ]
        },
        merges={"宽表": [("C1:D1", "2023年"), ("E1:F1", "2024年")]},
    )

    _, _, batch = _check(data, "宽表.xlsx")

    (warning,) = _warnings(batch)
    assert (warning["row"], warning["column"]) == (3, "F") and "由亏转盈" in warning["message"]


def test_no_flip_no_warning():
    org = OrganisationFactory()
    rows = [
        [org.credit_code, org.name, 2022, 100, 0],  # zero is no sign
        [org.credit_code, org.name, 2023, 100, -5],
        [org.credit_code, org.name, 2024, 100, -7],
    ]
    _, _, batch = _check(simple_xlsx(LONG, rows))
    assert _warnings(batch) == []
