"""The firm's page shows each standard figure with last year's value and the registry's current
value for the year beside the input; the county's page shows the submitted values with the same
comparison, the confirmed warnings and explanation, and 通过 / 退回 — which the firm does not get."""

import pytest

from smeplan.campaigns.answers import task_submit
from tests.factories import (
    AnnualFiguresFactory,
    CampaignTaskFactory,
    county_officer,
    enterprise_user,
    figure_answers,
)


@pytest.mark.django_db
def test_firm_and_county_pages(client):
    task = CampaignTaskFactory()
    year = task.campaign.year
    AnnualFiguresFactory(
        organisation=task.organisation, year=year - 1, operating_revenue=4321, total_profit=300
    )
    AnnualFiguresFactory(organisation=task.organisation, year=year, operating_revenue=4999)
    firm = enterprise_user(task.organisation)
    client.force_login(firm)

    page = client.get(f"/campaigns/tasks/{task.pk}/").content.decode()

    row = page.split('id="figure-operating_revenue"')[1].split("</tr>")[0]
    assert 'name="operating_revenue"' in row and ">4321<" in row and ">4999<" in row
    assert "暂存" in page and 'value="submit"' in page and "通过</button>" not in page

    response = client.post(
        f"/campaigns/tasks/{task.pk}/",
        {"action": "submit", "lock_version": 0, **figure_answers(total_profit="-10")},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "由盈转亏" in body and "确认无误" in body
    task_submit(
        actor=firm,
        task=task,
        answers=figure_answers(total_profit="-10"),
        confirm_warnings=True,
        explanation="新厂投产当年亏损",
        lock_version=0,
    )

    client.force_login(county_officer("610113"))
    page = client.get(f"/campaigns/tasks/{task.pk}/").content.decode()
    row = page.split('id="figure-total_profit"')[1].split("</tr>")[0]
    assert ">-10<" in row and ">300<" in row and "<input" not in row
    assert "新厂投产当年亏损" in page and "由盈转亏" in page
    assert "通过</button>" in page and "退回（意见）" in page
