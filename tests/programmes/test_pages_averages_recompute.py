"""A provincial admin recomputes a year's same-industry averages from the averages page; the stored
rows then appear with their values and group sizes."""

import pytest

from smeplan.programmes.models import IndustryAverage
from tests.factories import province_admin
from tests.programmes.helpers import firm

pytestmark = pytest.mark.django_db


def test_recompute_and_see_the_rows(client):
    for before, after in ((100, 110), (100, 130), (200, 210), (100, 90), (300, 330)):
        firm(y2023={"operating_revenue": before}, y2024={"operating_revenue": after})
    client.force_login(province_admin())

    response = client.post("/programmes/averages/compute/", {"year": "2024"})

    assert response.status_code == 302 and response["Location"] == "/programmes/averages/?year=2024"
    assert IndustryAverage.objects.filter(year=2024, metric="growth.operating_revenue").exists()
    body = client.get(response["Location"] + "&metric=growth.operating_revenue&area=610000").content.decode()
    assert "已重新计算 2024 年的同行业平均" in body
    table = body.split('id="averages"', 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("</tr>") if ">33<" in r)
    # Σ 2024 / Σ 2023 − 1 = (110 + 130 + 210 + 90 + 330) / (100 + 100 + 200 + 100 + 300) − 1 = 8.75%
    assert ">8.75%<" in row and ">5<" in row and ">870.00<" in row and ">800.00<" in row
