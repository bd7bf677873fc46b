import pytest

from smeplan.indicators.models import AnnualFigures, FigureRevision
from tests.web.helpers import field_errors, figures_post


@pytest.mark.django_db
def test_a_second_row_for_the_same_organisation_and_year_is_refused(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    response = client.post(f"/organisations/{yanta_org.pk}/figures/new/", figures_post(year="2024"))

    assert field_errors(response, "year") == [f"{yanta_org.name} 2024 年度数据已存在，请修改该年度数据"]
    assert AnnualFigures.objects.filter(organisation=yanta_org).count() == 2
    assert AnnualFigures.objects.get(organisation=yanta_org, year=2024).operating_revenue == 5000
    assert FigureRevision.objects.count() == 0
