"""The annex-1 form is a place where figures are entered too: a plausibility warning (here tax paid
above revenue, the same words as the figures form, API and import) stops the save, nothing is kept,
until the enterprise ticks 确认无误 under exactly that warning."""

import re
from decimal import Decimal

import pytest

from smeplan.indicators.models import AnnualFigures
from smeplan.recognition.models import Application
from smeplan.recognition.services import application_start
from tests.factories import tier_of
from tests.recognition.make import YEAR, applicant
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_the_application_form_asks_for_confirmation(client):
    org, user = applicant(name="雁塔核实测试有限公司")
    application = application_start(actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR)
    client.force_login(user)
    url = f"/recognition/applications/{application.pk}/edit/"
    post = {
        "version": str(application.lock_version),
        "main_products": "工业阀门",
        "contact_person": "张三",
        "contact_phone": "029-88886666",
        f"figures-{YEAR}-tax_paid": "6000",
        "op": "save",
    }

    body = text(client.post(url, post))

    assert "实缴税金（6000万元）高于同年营业收入" in body and "确认无误，按所填数据保存" in body
    assert AnnualFigures.objects.get(organisation=org, year=YEAR).tax_paid != Decimal(6000)
    application.refresh_from_db()
    assert application.form.get("main_products") in (None, "")

    digest = re.search(r'name="warnings_digest" value="([0-9a-f]+)"', body).group(1)
    response = client.post(url, {**post, "confirm_warnings": "1", "warnings_digest": digest})
    assert response.status_code == 302
    assert AnnualFigures.objects.get(organisation=org, year=YEAR).tax_paid == Decimal(6000)
    assert Application.objects.get(pk=application.pk).form["main_products"] == "工业阀门"
