"""An enterprise user opens an application, corrects a figure on the annex-1 form, declares and
submits: the correction becomes a figure revision and the application waits for its county."""

from decimal import Decimal

import pytest

from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.recognition.models import Application, State
from tests.factories import tier_of
from tests.recognition.make import YEAR, applicant
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_enterprise_fills_the_form_and_submits(client):
    org, user = applicant(name="雁塔登记表测试有限公司")
    client.force_login(user)
    tier = tier_of("growth-province", "growth_star")

    listing = text(client.get("/recognition/applications/"))
    assert "我的申报" in listing and "省级中小企业成长梯队" in listing and "申报" in listing

    response = client.post("/recognition/applications/new/", {"tier": tier.pk, "year": str(YEAR)})
    application = Application.objects.get(organisation=org)
    assert response.status_code == 302
    assert response["Location"] == f"/recognition/applications/{application.pk}/edit/"

    page = client.get(response["Location"])
    body = text(page)
    assert org.name in body and org.credit_code in body and "雁塔区" in body
    assert 'name="figures-2024-operating_revenue" id="id_figures-2024-operating_revenue" value="5000"' in body
    assert "本企业承诺所填报内容真实、准确、完整，如有虚假，愿承担相应责任" in body

    post = {
        "version": str(application.lock_version),
        "main_products": "工业阀门",
        "contact_person": "张三",
        "contact_phone": "029-88886666",
        "figures-2024-operating_revenue": "5,200",
        "declare": "1",
        "op": "submit",
    }
    response = client.post(f"/recognition/applications/{application.pk}/edit/", post, follow=True)
    body = text(response)
    assert "已提交，等待雁塔区审核" in body
    application.refresh_from_db()
    assert application.state == State.COUNTY_REVIEW
    assert application.form["main_products"] == "工业阀门"
    assert AnnualFigures.objects.get(organisation=org, year=2024).operating_revenue == Decimal("5200")
    revision = FigureRevision.objects.get(organisation=org, year=2024, field="operating_revenue")
    assert revision.old_value == Decimal("5000") and revision.new_value == Decimal("5200")
    assert f"认定申报#{application.pk}" in revision.note
    assert "县级审核" in body and "提交申报" in body  # state and history on the detail page
