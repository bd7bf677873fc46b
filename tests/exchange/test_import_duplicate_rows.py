"""The same enterprise and year twice in a file is an error naming the first row."""

import pytest

from smeplan.exchange.services import import_validate
from tests.exchange.test_import_records_builder import issues_of, rec
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_duplicate_code_and_year_points_to_the_first_row():
    org = OrganisationFactory()
    records = [
        rec(3, org.credit_code, 2023, operating_revenue=10),
        rec(4, org.credit_code, 2024, operating_revenue=10),
        rec(5, org.credit_code.lower(), 2024, operating_revenue=11),
    ]
    batch = import_validate(actor=county_officer(), file_name="d.csv", data_bytes=b"d", records=records)
    assert batch.error_count == 1
    (issue,) = issues_of(batch, row=5)
    assert "与第4行重复" in issue["message"]
    assert issue["column"] == "A"
