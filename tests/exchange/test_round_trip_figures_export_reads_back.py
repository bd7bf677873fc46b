"""A figures export — long and wide, .xlsx and .csv — read back through the importer's own steps
(read_workbook → understand_workbook → extract) gives exactly the exported enterprises, years and
figures: the exports are importable as they are."""

from decimal import Decimal

import pytest

from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures
from tests.exchange.round_trip import extracted
from tests.factories import AnnualFiguresFactory, OrganisationFactory, province_admin, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures():
    """Three enterprises in two counties; missing figures, negatives, cents, a year without data."""
    a = OrganisationFactory(name="雁塔精密机械有限公司", county=region("610113"))
    b = OrganisationFactory(name="=未央食品有限公司", county=region("610112"), industry_id="1391")
    c = OrganisationFactory(name="宝鸡机床有限公司", county=region("610302"))
    AnnualFiguresFactory(organisation=a, year=2023, operating_revenue=Decimal("5234.56"), total_profit=-50)
    AnnualFiguresFactory(
        organisation=a, year=2024, operating_revenue=Decimal("5000.01"), rd_expense=None, employees=0
    )
    AnnualFiguresFactory(
        organisation=b,
        year=2024,
        operating_revenue=Decimal("99999999.99"),
        total_profit=Decimal("-0.5"),
        tax_paid=None,
        employees=3,
        new_product_revenue=Decimal("12.30"),
        export_value=Decimal("7"),
    )
    AnnualFiguresFactory(organisation=c, year=2023, employees=None, total_assets=None)
    return {
        (o.credit_code, f.year): {name: getattr(f, name) for name in FIGURE_NAMES}
        for f in AnnualFigures.objects.select_related("organisation")
        for o in [f.organisation]
    }


def _read_back(client, url, name):
    client.force_login(province_admin())
    response = client.get(url, {"year_from": "2023", "year_to": "2024"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    records, issues = extracted(data, name)
    assert [i for i in issues if i.level == "error"] == []
    return records


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/organisations/figures-long.xlsx", "long.xlsx"),
        ("/organisations/figures-long.csv", "long.csv"),
        ("/organisations/figures-wide.xlsx", "wide.xlsx"),
        ("/organisations/figures-wide.csv", "wide.csv"),
    ],
)
def test_export_reads_back_with_the_same_values(client, figures, url, name):
    records = _read_back(client, url, name)

    got = {}
    for record in records:
        values = {f: record.values.get(f) for f in FIGURE_NAMES}
        if all(v is None for v in values.values()) and (record.credit_code, record.year) not in figures:
            continue  # a wide row's empty year group: no data that year
        assert (record.credit_code, record.year) not in got
        got[record.credit_code, record.year] = values
    assert got == figures
    for values in got.values():
        for field, value in values.items():
            if value is not None:
                assert isinstance(value, int if field == "employees" else Decimal), (field, value)


def _import(client, url, name):
    from smeplan.exchange.services import import_commit, import_validate

    admin = province_admin()
    client.force_login(admin)
    data = b"".join(client.get(url, {"year_from": "2023", "year_to": "2024"}).streaming_content)
    records, issues = extracted(data, name)
    batch = import_validate(
        actor=admin, file_name=name, data_bytes=data, records=records, sheet_issues=issues
    )
    validated = (batch.status, list(batch.issues))
    if batch.status == "validated":
        batch = import_commit(
            actor=admin, batch=batch, records=records, sheet_issues=issues, confirm_warnings=True
        )
    return validated, batch


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/organisations/figures-long.xlsx", "long.xlsx"),
        ("/organisations/figures-wide.xlsx", "wide.xlsx"),
        ("/organisations/figures-long.csv", "long.csv"),
        ("/organisations/figures-wide.csv", "wide.csv"),
    ],
)
def test_export_imported_again_changes_nothing(client, figures, url, name):
    (status, issues), batch = _import(client, url, name)

    assert status == "validated", issues
    assert batch.status == "committed"
    assert (batch.new_count, batch.updated_count, batch.new_organisations) == (0, 0, 0)
    assert batch.unchanged_count == len(figures)
    assert {
        (f.organisation.credit_code, f.year): {n: getattr(f, n) for n in FIGURE_NAMES}
        for f in AnnualFigures.objects.select_related("organisation")
    } == figures


@pytest.mark.parametrize(
    ("url", "name"),
    [("/organisations/figures-long.xlsx", "long.xlsx"), ("/organisations/figures-long.csv", "long.csv")],
)
def test_export_imported_again_raises_no_name_warning(client, figures, url, name):
    """A name such as “=未央食品有限公司” is guarded with a quote in the .csv and comes back as written."""
    (_status, issues), _batch = _import(client, url, name)

    assert [i["message"] for i in issues if i["field"] == "name"] == []
