"""A sheet with mistakes: the page lists every one (sheet, cell, value, reason), offers the report and
no confirm button, and the database is untouched."""

import pytest

from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.indicators.models import AnnualFigures
from tests.factories import OrganisationFactory, county_officer
from tests.web.helpers import text
from tests.web.import_files import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_every_error_is_listed_with_its_cell(client):
    good, other = OrganisationFactory(), OrganisationFactory()
    client.force_login(county_officer())
    rows = [
        [good.credit_code, good.name, "雁塔区", 2024, 100, 10],
        ["91610113MA6TXXXX1", "错码公司", "雁塔区", 2024, 100, 10],
        [other.credit_code, other.name, "雁塔区", 2024, -5, 10],
        [other.credit_code, other.name, "雁塔区", 2024, 7, -3],
    ]
    client.post("/imports/new/", {"file": upload(xlsx_bytes(rows))})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and batch.error_count >= 3

    body = text(client.get(f"/imports/{batch.pk}/"))
    assert "未通过校验" in body and "问题清单" in body
    assert "A4" in body and "91610113MA6TXXXX1" in body  # the bad credit code's cell and value
    assert "E5" in body and "-5" in body
    assert "确认导入" not in body
    assert "下载问题报告" in body
    assert not AnnualFigures.objects.exists()

    errors_only = text(client.get(f"/imports/{batch.pk}/?level=error"))
    assert "只看错误" in errors_only

    report = client.get(f"/imports/{batch.pk}/report.xlsx")
    assert report.status_code == 200
    assert report["Content-Disposition"].startswith("attachment")
    assert b"".join(report.streaming_content)[:2] == b"PK"


def test_committing_a_failed_batch_is_refused(client):
    client.force_login(county_officer())
    client.post("/imports/new/", {"file": upload(xlsx_bytes([["bad", "x", "雁塔区", 2024, 1, 1]]))})
    batch = ImportBatch.objects.get()
    response = client.post(f"/imports/{batch.pk}/commit/", follow=True)
    assert "不能导入" in text(response)
    assert ImportBatch.objects.get().status == ImportStatus.FAILED
