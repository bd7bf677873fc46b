"""Tax paid above operating revenue is a warning — not an error — that the person entering the figures
confirms, decided by ONE module (``indicators.plausibility``) for the figures form, the API and the
import alike: the same words everywhere; refused without confirmation, nothing changes."""

import re
from decimal import Decimal

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.exchange.pipeline import parse_file
from smeplan.exchange.services import import_validate
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.indicators.services import FiguresNeedConfirmation, figures_create, figures_update
from tests.exchange.bureau_sheets import simple_xlsx
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer
from tests.web.helpers import text

pytestmark = pytest.mark.django_db

MESSAGE = "实缴税金（150万元）高于同年营业收入（100万元），请核实；确认无误后可照常保存"


def test_the_service_refuses_until_confirmed_and_audits_the_confirmation():
    org, officer = OrganisationFactory(), county_officer()
    data = {"year": 2024, "operating_revenue": "100", "tax_paid": "150"}

    with pytest.raises(FiguresNeedConfirmation) as exc:
        figures_create(actor=officer, organisation=org, data=data)
    assert exc.value.message_dict == {"tax_paid": [MESSAGE]}
    assert not AnnualFigures.objects.exists() and not FigureRevision.objects.exists()

    figures_create(actor=officer, organisation=org, data=data, confirm_warnings=True)
    assert AnnualFigures.objects.get(organisation=org, year=2024).tax_paid == Decimal(150)
    event = AuditEvent.objects.get(event_type="figures.created")
    assert event.payload["warnings_confirmed"] == [MESSAGE]


def test_an_unrelated_edit_does_not_ask_again():
    org, officer = OrganisationFactory(), county_officer()
    AnnualFiguresFactory(organisation=org, year=2024, operating_revenue=100, tax_paid=150, rd_expense=1)
    figures_update(actor=officer, organisation=org, year=2024, data={"employees": "80"})
    with pytest.raises(FiguresNeedConfirmation):
        figures_update(actor=officer, organisation=org, year=2024, data={"operating_revenue": "90"})
    assert AnnualFigures.objects.get(organisation=org).operating_revenue == 100


def _digest(body: str) -> str:
    return re.search(r'name="warnings_digest" value="([0-9a-f]+)"', body).group(1)


def test_the_figures_form_shows_it_with_a_confirm_box(client):
    org, officer = OrganisationFactory(), county_officer()
    client.force_login(officer)
    url = f"/organisations/{org.pk}/figures/new/"
    post = {"year": "2024", "operating_revenue": "100", "tax_paid": "150", "note": ""}

    body = text(client.post(url, post))
    assert MESSAGE in body and "确认无误，按所填数据保存" in body
    assert not AnnualFigures.objects.exists()

    stale = {**post, "tax_paid": "160", "confirm_warnings": "1", "warnings_digest": _digest(body)}
    body = text(client.post(url, stale))  # ticked under another warning: asked again
    assert "实缴税金（160万元）高于同年营业收入" in body and not AnnualFigures.objects.exists()

    response = client.post(url, {**stale, "warnings_digest": _digest(body)})
    assert response.status_code == 302
    assert AnnualFigures.objects.get(organisation=org, year=2024).tax_paid == Decimal(160)


def test_the_api_answers_422_until_confirm_warnings(api_as):
    org, officer = OrganisationFactory(), county_officer()
    api = api_as(officer)
    body = {"year": 2024, "operating_revenue": "100", "tax_paid": "150"}

    response = api.post(f"/organisations/{org.pk}/figures", body)
    assert response.status_code == 422
    assert response.json()["warnings"] is True
    assert (
        response.json()["errors"]["tax_paid"] == [MESSAGE] and "confirm_warnings" in response.json()["errors"]
    )
    assert not AnnualFigures.objects.exists()

    response = api.post(f"/organisations/{org.pk}/figures", {**body, "confirm_warnings": True})
    assert response.status_code == 201, response.content
    assert AnnualFigures.objects.get(organisation=org, year=2024).tax_paid == Decimal(150)


def test_the_import_gives_the_same_warning_on_the_cell():
    org, officer = OrganisationFactory(), county_officer()
    data = simple_xlsx(
        ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "实缴税金（万元）"],
        [[org.credit_code, org.name, 2024, 100, 150]],
    )
    parsed = parse_file(data, "税金.xlsx")

    batch = import_validate(
        actor=officer,
        file_name="税金.xlsx",
        data_bytes=data,
        records=parsed.records,
        sheet_issues=parsed.issues,
    )

    assert batch.status == "validated" and batch.error_count == 0
    (warning,) = batch.issues
    assert (warning["level"], warning["row"], warning["column"], warning["message"]) == (
        "warning",
        3,
        "E",
        MESSAGE,
    )
