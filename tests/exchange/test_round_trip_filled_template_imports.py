"""A blank import template, filled in as a user would (rows typed under its headers, its styles and
merged year headers kept), imports without errors, and the stored figures are exactly what was
typed — for the long and the wide template; new enterprises are registered with the typed name and
county (by name or by code)."""

from decimal import Decimal

import pytest

from smeplan.exchange.models import ImportStatus
from smeplan.exchange.services import import_commit, import_validate
from smeplan.exchange.templates_xlsx import build
from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.exchange.round_trip import extracted, fill_xlsx
from tests.factories import AnnualFiguresFactory, OrganisationFactory, province_admin, region

pytestmark = pytest.mark.django_db

# (operating_revenue, main_business_revenue, total_profit, tax_paid, rd_expense, employees,
#  total_assets, total_liabilities, new_product_revenue, export_value) — None: left empty
FILLED = {
    2023: [1234.56, 1200, -35.5, 12.3, None, 120, 5000, 2100.75, None, 0],
    2024: [2000, 1900.1, 80, 20, 15.5, 131, 5200, 2000, 300, 12.01],
}


def _expected(values):
    return {
        name: None
        if v is None
        else (int(v) if name == "employees" else Decimal(str(v)).quantize(Decimal("0.01")))
        for name, v in zip(FIGURE_NAMES, values, strict=True)
    }


def _commit(data: bytes, name: str):
    admin = province_admin()
    records, issues = extracted(data, name)
    batch = import_validate(
        actor=admin, file_name=name, data_bytes=data, records=records, sheet_issues=issues
    )
    assert batch.status == ImportStatus.VALIDATED, batch.issues
    batch = import_commit(
        actor=admin, batch=batch, records=records, sheet_issues=issues, confirm_warnings=True
    )
    assert batch.status == ImportStatus.COMMITTED
    return batch


def _stored(code: str) -> dict:
    return {
        f.year: {n: getattr(f, n) for n in FIGURE_NAMES}
        for f in AnnualFigures.objects.filter(organisation__credit_code=code)
    }


def test_filled_long_template_imports_what_was_typed():
    existing = OrganisationFactory(name="雁塔精密机械有限公司", county=region("610113"))
    AnnualFiguresFactory(organisation=existing, year=2023, operating_revenue=1, rd_expense=77)
    before = _stored(existing.credit_code)[2023]
    new_code = make_credit_code("610112", 4242)
    rows = [
        [existing.credit_code, existing.name, "雁塔区", 2023, *FILLED[2023]],
        [existing.credit_code, existing.name, "雁塔区", 2024, *FILLED[2024]],
        [new_code, "未央新材料有限公司", "610112", 2024, *FILLED[2024]],
    ]
    data = fill_xlsx(build("figures-long", this_year=2026), rows, first_row=2)

    batch = _commit(data, "模板长表.xlsx")

    assert (batch.rows, batch.new_organisations) == (3, 1)
    # an empty cell leaves an existing figure as it was (the template's notes say so)
    updated = before | {k: v for k, v in _expected(FILLED[2023]).items() if v is not None}
    assert updated["rd_expense"] == Decimal(77)
    assert _stored(existing.credit_code) == {2023: updated, 2024: _expected(FILLED[2024])}
    assert _stored(new_code) == {2024: _expected(FILLED[2024])}
    new = Organisation.objects.get(credit_code=new_code)
    assert (new.name, new.county_id) == ("未央新材料有限公司", "610112")


def test_filled_wide_template_imports_what_was_typed():
    new_code = make_credit_code("610113", 4343)
    # the wide template of 2026 has the year groups 2023, 2024, 2025; 2025 is left empty
    row = [
        new_code,
        "雁塔新能源有限公司",
        "雁塔区",
        *FILLED[2023],
        *FILLED[2024],
        *([None] * len(FIGURE_NAMES)),
    ]
    data = fill_xlsx(build("figures-wide", this_year=2026), [row], first_row=3)

    batch = _commit(data, "模板宽表.xlsx")

    assert batch.new_organisations == 1
    assert _stored(new_code) == {2023: _expected(FILLED[2023]), 2024: _expected(FILLED[2024])}
    assert Organisation.objects.get(credit_code=new_code).county_id == "610113"
