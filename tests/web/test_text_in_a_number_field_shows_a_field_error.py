import pytest

from smeplan.indicators.models import AnnualFigures
from smeplan.registry.models import Organisation
from tests.web.helpers import field_errors, figures_post, organisation_post


@pytest.mark.django_db
def test_text_in_a_figure_is_refused_with_what_was_received(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    response = client.post(
        f"/organisations/{yanta_org.pk}/figures/new/",
        figures_post(operating_revenue="约三千万", employees="85.5"),
    )

    assert field_errors(response, "operating_revenue") == ["营业收入应为数字，收到“约三千万”"]
    assert field_errors(response, "employees") == ["从业人员应为整数，收到“85.5”"]
    assert AnnualFigures.objects.filter(organisation=yanta_org).count() == 2


@pytest.mark.django_db
def test_text_in_the_registered_capital_is_refused(client, yanta_officer):
    client.force_login(yanta_officer)

    response = client.post("/organisations/new/", organisation_post(registered_capital="五百万"))

    assert field_errors(response, "registered_capital") == ["注册资本应为数字，收到“五百万”"]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_the_form_keeps_what_was_typed(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    response = client.post(
        f"/organisations/{yanta_org.pk}/figures/new/", figures_post(operating_revenue="约三千万")
    )

    body = response.content.decode()
    assert 'value="约三千万"' in body and 'value="3000"' in body
