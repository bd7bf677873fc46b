"""The plan pages: the city enters and submits, the province returns and approves, the assessment
shows plan vs actual with bars and as .xlsx."""

import io

import pytest
from python_calamine import CalamineWorkbook

from smeplan.reporting.models import CityAnnualPlan
from smeplan.reporting.services import plan_regions
from tests.factories import city_officer, province_admin, region
from tests.reporting.make import small_world

pytestmark = pytest.mark.django_db


def test_enter_submit_return_resubmit_approve_and_assess(client):
    small_world()
    city, province = city_officer("610100"), province_admin()
    client.force_login(city)
    assert client.get("/reporting/plans/edit/?year=2024").status_code == 200
    bad = client.post("/reporting/plans/edit/", {"year": "2024", "610100-enterprises": "很多"})
    assert bad.status_code == 422 and "“梯队企业总数”应为数字，收到“很多”" in bad.content.decode()
    form = {"year": "2024", **{f"{r.code}-enterprises": "0" for r in plan_regions(region("610100"))}}
    form.update({"610100-enterprises": "4", "610100-revenue": "400", "610100-revenue_growth": "5"})
    response = client.post("/reporting/plans/edit/", form)
    plan = CityAnnualPlan.objects.get()
    assert response.status_code == 302
    client.post(f"/reporting/plans/{plan.pk}/act/", {"action": "submit"})
    client.force_login(province)
    client.post(f"/reporting/plans/{plan.pk}/act/", {"action": "return", "reason": "请补充新增数"})
    plan.refresh_from_db()
    assert plan.state == "returned" and plan.return_reason == "请补充新增数"
    client.force_login(city)
    client.post("/reporting/plans/edit/", {**form, "610100-new_enterprises": "1"})
    client.post(f"/reporting/plans/{plan.pk}/act/", {"action": "submit"})
    client.force_login(province)
    client.post(f"/reporting/plans/{plan.pk}/act/", {"action": "approve"})
    plan.refresh_from_db()
    assert plan.state == "approved"
    detail = client.get(f"/reporting/plans/{plan.pk}/").content.decode()
    assert "已上报 → 退回修改" in detail and "请补充新增数" in detail and 'id="plan-approve"' not in detail

    page = client.get("/reporting/assessment/?year=2024").content.decode()
    assert 'data-code="610100"' in page and "75.00%" in page  # 3 actual of 4 planned
    response = client.get("/reporting/assessment/?year=2024&format=xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    data = rows.get_sheet_by_name("计划完成情况").to_python()
    xian = next(r for r in data if r[0] == "西安市")
    assert xian[1] == "已核准" and xian[2] == 4 and xian[3] == 3 and xian[7] == 400 and xian[8] == 380


def test_a_bad_upload_on_the_page_is_refused_in_chinese(client):
    client.force_login(city_officer("610100"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/reporting/filings/",
        {"year": "2024", "file": SimpleUploadedFile("汇总表.xlsx", b"MZ" + b"\x00" * 100)},
    )
    assert response.status_code == 422 and "可执行程序" in response.content.decode()
