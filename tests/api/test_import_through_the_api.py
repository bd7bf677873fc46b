"""The import flow through the API: upload → issues → mapping correction → commit → undo."""

from decimal import Decimal

import pytest

from smeplan.exchange.models import ImportBatch
from smeplan.indicators.models import AnnualFigures
from tests.factories import OrganisationFactory, UserFactory, county_officer, region
from tests.web.import_files import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "年度", "从业人员（人）", "经营所得"]


def test_upload_correct_commit_undo(api_as):
    org = OrganisationFactory()
    api = api_as(county_officer())
    data = xlsx_bytes([[org.credit_code, org.name, 2024, 12, 3_000_000]], HEADER)

    response = api.upload("/imports", {"file": upload(data, "年报.xlsx")})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "validated" and body["job_state"] == ""
    columns = {c["letter"]: c for c in body["layout"]["sheets"][0]["columns"]}
    assert columns["E"]["target"] == "ignored" and columns["D"]["target"] == "employees"
    batch_id = body["id"]

    response = api.put(
        f"/imports/{batch_id}/mapping",
        {"corrections": {"企业数据": {"E": {"target": "operating_revenue", "unit": "元"}}}},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "validated"

    response = api.post(f"/imports/{batch_id}/commit", {})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "committed" and response.json()["new_count"] == 1
    assert AnnualFigures.objects.get(organisation=org, year=2024).operating_revenue == Decimal("300.00")

    response = api.post(f"/imports/{batch_id}/undo")
    assert response.status_code == 200 and response.json()["status"] == "undone"
    assert not AnnualFigures.objects.filter(organisation=org).exists()

    listed = api.get("/imports").json()
    assert [b["id"] for b in listed["items"]] == [batch_id]


def test_errors_are_listed_and_commit_is_refused(api_as):
    api = api_as(county_officer())
    data = xlsx_bytes(
        [["91610113XXXXXXXXX1", "某公司", "雁塔区", 2024, 100, 5], ["bad", "乙", "雁塔区", 2024, -1, 5]]
    )
    body = api.upload("/imports", {"file": upload(data)}).json()
    assert body["status"] == "failed" and body["error_count"] >= 3
    issues = api.get(f"/imports/{body['id']}/issues", {"level": "error"}).json()
    assert issues["total"] == body["error_count"]
    first = issues["items"][0]
    assert first["sheet"] == "企业数据" and first["row"] == 3 and first["column"] == "A" and first["message"]

    response = api.post(f"/imports/{body['id']}/commit", {})
    assert response.status_code == 422 and "不能导入" in response.json()["errors"]["__all__"][0]
    assert not AnnualFigures.objects.exists()


def test_a_bad_file_is_422_and_stores_nothing(api_as):
    api = api_as(county_officer())
    response = api.upload("/imports", {"file": upload(b"MZ\x90\x00" + b"\x00" * 64, "a.xlsx")})
    assert response.status_code == 422 and "可执行程序" in response.json()["errors"]["__all__"][0]
    assert not ImportBatch.objects.exists()


def test_other_regions_batches_are_404(api_as):
    org = OrganisationFactory()
    mine = api_as(county_officer())
    batch_id = mine.upload(
        "/imports", {"file": upload(xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 1, 1]]))}
    ).json()["id"]
    baoji = api_as(UserFactory(role="county_officer", region=region("610302")))
    assert baoji.get(f"/imports/{batch_id}").status_code == 404
    assert baoji.post(f"/imports/{batch_id}/commit", {}).status_code == 404
    assert baoji.get("/imports").json()["items"] == []
