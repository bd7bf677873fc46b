"""Implausible changes are warnings: the page asks the user to confirm them before writing."""

import pytest

from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.indicators.models import AnnualFigures
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer
from tests.web.helpers import text
from tests.web.import_files import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_warnings_must_be_confirmed(client):
    org = OrganisationFactory()
    AnnualFiguresFactory(organisation=org, year=2023, operating_revenue=100)
    client.force_login(county_officer())
    client.post(
        "/imports/new/", {"file": upload(xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 900, 10]]))}
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.VALIDATED and batch.warning_count == 1
    body = text(client.get(f"/imports/{batch.pk}/"))
    assert "我已逐条核实以上 1 条警告" in body

    response = client.post(f"/imports/{batch.pk}/commit/", follow=True)
    assert "请逐条核实后勾选" in text(response)
    assert not AnnualFigures.objects.filter(year=2024).exists()

    client.post(f"/imports/{batch.pk}/commit/", {"confirm_warnings": "1"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.warnings_confirmed
    assert AnnualFigures.objects.get(organisation=org, year=2024).operating_revenue == 900
