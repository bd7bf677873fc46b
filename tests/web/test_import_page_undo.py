"""The undo button reverts a committed import; another officer of the county cannot undo it."""

from decimal import Decimal

import pytest

from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.indicators.models import AnnualFigures
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer, province_admin
from tests.web.helpers import text
from tests.web.import_files import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _committed(client, officer, org):
    client.force_login(officer)
    client.post(
        "/imports/new/", {"file": upload(xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 130, 10]]))}
    )
    batch = ImportBatch.objects.get()
    client.post(f"/imports/{batch.pk}/commit/")
    return batch


def test_undo_restores_the_old_value(client):
    org = OrganisationFactory()
    AnnualFiguresFactory(organisation=org, year=2024, operating_revenue=120)
    batch = _committed(client, county_officer(), org)
    assert AnnualFigures.objects.get(organisation=org, year=2024).operating_revenue == 130

    response = client.post(f"/imports/{batch.pk}/undo/", follow=True)
    assert "已撤销导入" in text(response)
    assert ImportBatch.objects.get().status == ImportStatus.UNDONE
    assert AnnualFigures.objects.get(organisation=org, year=2024).operating_revenue == Decimal("120.00")


def test_only_the_uploader_or_a_provincial_admin_may_undo(client):
    org = OrganisationFactory()
    batch = _committed(client, county_officer(), org)
    client.force_login(county_officer(username="another_yanta"))
    assert "撤销本次导入" not in text(client.get(f"/imports/{batch.pk}/"))
    assert client.post(f"/imports/{batch.pk}/undo/").status_code == 403
    assert ImportBatch.objects.get().status == ImportStatus.COMMITTED

    client.force_login(province_admin())
    client.post(f"/imports/{batch.pk}/undo/")
    assert ImportBatch.objects.get().status == ImportStatus.UNDONE
