import pytest

from smeplan.audit.models import AuditEvent
from smeplan.indicators.models import AnnualFigures, FigureRevision
from tests.web.helpers import field_errors, figures_post


@pytest.mark.django_db
def test_negative_employees_are_refused_and_nothing_is_saved(client, yanta_officer, yanta_org):
    before = (AnnualFigures.objects.count(), FigureRevision.objects.count(), AuditEvent.objects.count())
    client.force_login(yanta_officer)

    response = client.post(f"/organisations/{yanta_org.pk}/figures/new/", figures_post(employees="-5"))

    assert response.status_code == 200
    assert field_errors(response, "employees") == ["从业人员不能为负数（收到 -5）"]
    assert field_errors(response, "total_profit") == []  # a loss is allowed
    assert (
        AnnualFigures.objects.count(),
        FigureRevision.objects.count(),
        AuditEvent.objects.count(),
    ) == before


@pytest.mark.django_db
def test_negative_employees_when_editing_a_year_change_nothing(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)
    data = figures_post(employees="-1")
    del data["year"]

    response = client.post(f"/organisations/{yanta_org.pk}/figures/2024/edit/", data)

    assert field_errors(response, "employees") == ["从业人员不能为负数（收到 -1）"]
    assert AnnualFigures.objects.get(organisation=yanta_org, year=2024).employees == 120
    assert FigureRevision.objects.count() == 0
