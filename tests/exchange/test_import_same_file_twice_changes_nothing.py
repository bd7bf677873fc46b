"""Importing the same file again is announced as a warning and changes nothing."""

import pytest

from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import FigureRevision
from tests.exchange.test_import_records_builder import figures_checksum, rec
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_second_import_is_all_unchanged():
    orgs = OrganisationFactory.create_batch(3)
    officer = county_officer()
    records = [
        rec(2 + i * 2 + k, o.credit_code, y, operating_revenue=100 + i, employees=10)
        for i, o in enumerate(orgs)
        for k, y in enumerate((2023, 2024))
    ]
    first = import_validate(actor=officer, file_name="t.xlsx", data_bytes=b"same", records=records)
    first = import_commit(actor=officer, batch=first, records=records)
    assert first.new_count == 6
    checksum, revisions = figures_checksum(), FigureRevision.objects.count()

    second = import_validate(actor=officer, file_name="t (1).xlsx", data_bytes=b"same", records=records)
    assert second.warning_count == 1
    assert second.issues[0]["message"].startswith("该文件已于")
    assert f"导入#{first.pk}" in second.issues[0]["message"]
    second = import_commit(actor=officer, batch=second, records=records, confirm_warnings=True)
    assert (second.new_count, second.updated_count, second.unchanged_count) == (0, 0, 6)
    assert figures_checksum() == checksum
    assert FigureRevision.objects.count() == revisions
