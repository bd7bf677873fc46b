"""The import page: upload → every column shown as understood → confirm → the figures are stored."""

from decimal import Decimal

import pytest

from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.indicators.models import AnnualFigures, FigureRevision
from tests.factories import OrganisationFactory, county_officer
from tests.web.helpers import text
from tests.web.import_files import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_upload_shows_the_understanding_then_confirm_writes(client):
    org = OrganisationFactory()
    officer = county_officer()
    client.force_login(officer)

    page = client.get("/imports/new/")
    assert page.status_code == 200 and "上传并识别" in text(page)

    data = xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, "1,234.5", 40]])
    response = client.post("/imports/new/", {"file": upload(data)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{batch.pk}/"
    assert batch.status == ImportStatus.VALIDATED and batch.rows == 1
    assert not AnnualFigures.objects.exists(), "checking writes nothing"

    body = text(client.get(f"/imports/{batch.pk}/"))
    assert "识别结果" in body and "表头在第 2 行" in body
    assert "营业收入（万元）" in body and "单位：万元" in body
    assert "确认导入" in body

    response = client.post(f"/imports/{batch.pk}/commit/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.new_count == 1
    fig = AnnualFigures.objects.get(organisation=org, year=2024)
    assert fig.operating_revenue == Decimal("1234.50") and fig.employees == 40
    assert fig.import_batch_id == batch.pk and not FigureRevision.objects.exists()
    history = text(client.get(f"/organisations/{org.pk}/"))
    assert history.count(f"导入#{batch.pk}（新增）") == 2  # where both first values came from

    listing = text(client.get("/imports/"))
    assert "数据.xlsx" in listing and "已导入" in listing
    detail = text(client.get(f"/imports/{batch.pk}/", follow=True))
    assert "撤销本次导入" in detail


def test_the_menu_leads_to_the_import_page(client):
    client.force_login(county_officer())
    assert 'href="/imports/"' in text(client.get("/"))
