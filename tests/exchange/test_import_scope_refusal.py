"""An officer may only import figures of organisations in its own area."""

import pytest

from smeplan.exchange.services import import_validate
from smeplan.registry.credit_code import make_credit_code
from tests.exchange.test_import_records_builder import issues_of, rec
from tests.factories import OrganisationFactory, county_officer, enterprise_user, region

pytestmark = pytest.mark.django_db


def test_rows_outside_the_officers_county_are_errors():
    mine = OrganisationFactory()
    other = OrganisationFactory(county=region("610102"))  # 新城区
    records = [
        rec(2, mine.credit_code, 2024, operating_revenue=1),
        rec(3, other.credit_code, 2024, operating_revenue=1),
        rec(4, make_credit_code("610102", 77), 2024, name="新城某公司", county="新城区", operating_revenue=1),
    ]
    batch = import_validate(
        actor=county_officer("610113"), file_name="s.xlsx", data_bytes=b"s", records=records
    )
    assert batch.error_count == 2
    assert issues_of(batch, row=3)[0]["message"] == "该单位不在您的管辖范围内"
    assert issues_of(batch, row=4)[0]["message"] == "该单位不在您的管辖范围内"
    assert not issues_of(batch, row=2)


def test_an_enterprise_user_cannot_import():
    org = OrganisationFactory()
    batch = import_validate(
        actor=enterprise_user(org),
        file_name="e.xlsx",
        data_bytes=b"e",
        records=[rec(2, org.credit_code, 2024, operating_revenue=1)],
    )
    assert issues_of(batch, row=2)[0]["message"] == "该单位不在您的管辖范围内"
