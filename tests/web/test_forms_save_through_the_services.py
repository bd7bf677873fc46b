from decimal import Decimal

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.registry.models import Organisation
from tests.web.helpers import figures_post, organisation_post, text


@pytest.mark.django_db
def test_registering_an_organisation_redirects_to_it_with_a_message_and_an_audit_event(client, yanta_officer):
    client.force_login(yanta_officer)

    response = client.post("/organisations/new/", organisation_post())

    org = Organisation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/organisations/{org.pk}/"
    assert (
        org.county_id == "610113" and org.industry_id == "3311" and org.registered_capital == Decimal("1000")
    )
    assert AuditEvent.objects.filter(event_type="organisation.created", actor=yanta_officer).count() == 1
    assert "已登记单位“雁塔新登记科技有限公司”" in text(client.get(response["Location"]))


@pytest.mark.django_db
def test_editing_an_organisation_changes_only_what_changed(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)
    form = client.get(f"/organisations/{yanta_org.pk}/edit/")
    assert 'value="3311 金属结构制造"' in text(form)

    response = client.post(
        f"/organisations/{yanta_org.pk}/edit/",
        {"kind": "enterprise", "county": "610113", "industry": "3311 金属结构制造", "address": "科技路2号"},
    )

    assert response.status_code == 302
    yanta_org.refresh_from_db()
    assert yanta_org.address == "科技路2号"
    event = AuditEvent.objects.get(event_type="organisation.updated")
    assert event.payload["after"] == {"address": "科技路2号"}


@pytest.mark.django_db
def test_adding_a_year_saves_the_figures_and_one_revision_per_value(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    response = client.post(f"/organisations/{yanta_org.pk}/figures/new/", figures_post(note="年报"))

    assert response.status_code == 302 and response["Location"].endswith("#figures")
    figures = AnnualFigures.objects.get(organisation=yanta_org, year=2022)
    assert figures.operating_revenue == Decimal("3200.50") and figures.total_profit == Decimal("-20")
    assert figures.new_product_revenue is None  # left empty: missing, not 0
    assert FigureRevision.objects.filter(organisation=yanta_org, year=2022).count() == 8


@pytest.mark.django_db
def test_editing_a_year_records_old_and_new_values(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)
    form = text(client.get(f"/organisations/{yanta_org.pk}/figures/2024/edit/"))
    assert 'value="5000.00"' in form
    data = figures_post(operating_revenue="5500")
    del data["year"]
    data.update(
        main_business_revenue="4800",
        total_profit="300",
        tax_paid="150",
        rd_expense="120",
        employees="120",
        total_assets="6000",
        total_liabilities="2500",
    )

    response = client.post(f"/organisations/{yanta_org.pk}/figures/2024/edit/", data)

    assert response.status_code == 302
    (revision,) = FigureRevision.objects.filter(organisation=yanta_org, year=2024)
    assert (revision.field, revision.old_value, revision.new_value) == ("operating_revenue", 5000, 5500)


@pytest.mark.django_db
def test_a_read_only_viewer_may_not_open_the_forms(client, viewer, yanta_org):
    client.force_login(viewer)

    assert client.get(f"/organisations/{yanta_org.pk}/").status_code == 200
    for suffix in ("edit/", "rename/", "figures/new/", "figures/2024/edit/"):
        assert client.get(f"/organisations/{yanta_org.pk}/{suffix}").status_code == 403
    assert client.get("/organisations/new/").status_code == 403
    assert client.post(f"/organisations/{yanta_org.pk}/figures/new/", figures_post()).status_code == 403
    assert AnnualFigures.objects.filter(organisation=yanta_org).count() == 2
