import pytest
from django.utils import timezone

from smeplan.indicators.models import AnnualFigures
from tests.web.helpers import field_errors, figures_post


@pytest.mark.django_db
def test_a_future_year_is_refused_and_nothing_is_saved(client, yanta_officer, yanta_org):
    current = timezone.localdate().year
    client.force_login(yanta_officer)

    response = client.post(f"/organisations/{yanta_org.pk}/figures/new/", figures_post(year=str(current + 1)))

    assert field_errors(response, "year") == [f"年度不能晚于当前年度（{current}），收到 {current + 1}"]
    assert AnnualFigures.objects.filter(organisation=yanta_org).count() == 2
