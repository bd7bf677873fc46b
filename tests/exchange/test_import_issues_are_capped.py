"""A batch stores at most ISSUES_STORED_MAX issues and counts the rest; counts stay exact."""

import pytest

from smeplan.exchange import services
from smeplan.exchange.services import import_validate
from tests.exchange.test_import_records_builder import rec
from tests.factories import county_officer

pytestmark = pytest.mark.django_db


def test_issues_beyond_the_cap_are_counted(monkeypatch):
    monkeypatch.setattr(services, "ISSUES_STORED_MAX", 3)
    records = [rec(2 + i, f"bad{i}", 2024, operating_revenue=1) for i in range(10)]
    batch = import_validate(actor=county_officer(), file_name="c.xlsx", data_bytes=b"c", records=records)
    assert batch.error_count == 10
    assert len(batch.issues) == 3 and batch.issues_omitted == 7
