"""Implausible changes and a different name are warnings: the import waits for the user's confirmation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from smeplan.exchange.models import ImportStatus
from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import AnnualFigures
from tests.exchange.test_import_records_builder import issues_of, rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_jump_flip_and_name_are_warnings_until_confirmed():
    org = OrganisationFactory(name="秦川机床有限公司")
    AnnualFiguresFactory(organisation=org, year=2023, operating_revenue=1000, total_profit=800, tax_paid=10)
    officer = county_officer()
    records = [
        rec(2, org.credit_code, 2024, name="秦川机床集团有限公司", operating_revenue=5000, total_profit=-900),
    ]
    batch = import_validate(actor=officer, file_name="w.xlsx", data_bytes=b"w", records=records)
    assert batch.status == ImportStatus.VALIDATED
    assert batch.error_count == 0
    assert batch.warning_count == 3
    messages = [i["message"] for i in issues_of(batch, row=2, level="warning")]
    assert any("营业收入由2023年的1000万元变为2024年的5000万元" in m for m in messages)
    assert any("利润总额由2023年的800万元变为2024年的-900万元" in m for m in messages)
    assert any("与名录中的名称“秦川机床有限公司”不一致" in m for m in messages)

    with pytest.raises(ValidationError) as exc:
        import_commit(actor=officer, batch=batch, records=records)
    assert "3条警告" in exc.value.messages[0]
    assert not AnnualFigures.objects.filter(year=2024).exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED

    batch = import_commit(actor=officer, batch=batch, records=records, confirm_warnings=True)
    assert batch.status == ImportStatus.COMMITTED and batch.warnings_confirmed
    assert AnnualFigures.objects.get(year=2024).operating_revenue == Decimal(5000)
    org.refresh_from_db()
    assert org.name == "秦川机床有限公司"  # no rename by an import
    assert AnnualFigures.objects.get(year=2024).import_batch_id == batch.pk  # its first values' history


def test_jump_between_two_years_of_the_same_file_and_any_sign_flip_are_warnings():
    org = OrganisationFactory()
    records = [
        rec(2, org.credit_code, 2022, operating_revenue=100, total_profit=10),
        rec(3, org.credit_code, 2023, operating_revenue=19, total_profit=-10),
    ]
    batch = import_validate(actor=county_officer(), file_name="w.xlsx", data_bytes=b"w2", records=records)
    assert batch.warning_count == 2
    messages = [i["message"] for i in issues_of(batch, row=3)]
    assert any("营业收入由2022年的100万元变为2023年的19万元" in m for m in messages)
    assert any("利润总额由2022年的10万元变为2023年的-10万元" in m and "由盈转亏" in m for m in messages)
