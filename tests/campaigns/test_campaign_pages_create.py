"""发起数据填报 page: errors per field in Chinese with nothing sent; a correct form sends the tasks and
says how many; only bureau users are offered the button."""

import pytest

from smeplan.campaigns.models import Campaign
from tests.factories import OrganisationFactory, campaign_data, county_officer, enterprise_user, region

pytestmark = pytest.mark.django_db


def test_errors_then_success(client):
    OrganisationFactory(county=region("610113"))
    OrganisationFactory(county=region("610113"))
    client.force_login(county_officer("610113"))
    listing = client.get("/campaigns/").content.decode()
    assert "发起数据填报" in listing
    bad = client.post("/campaigns/new/", campaign_data(title="", regions=[]))
    assert bad.status_code == 422
    page = bad.content.decode()
    assert "请填写名称" in page and "请选择至少一个地区" in page
    assert not Campaign.objects.exists()
    ok = client.post("/campaigns/new/", campaign_data(title="雁塔区2025年数据填报"), follow=True)
    page = ok.content.decode()
    assert "已向 2 家企业发出填报任务" in page
    assert "雁塔区2025年数据填报" in page and "雁塔区" in page
    assert Campaign.objects.get().task_count == 2


def test_an_enterprise_user_is_not_offered_the_button_nor_the_form(client):
    client.force_login(enterprise_user(OrganisationFactory(county=region("610113"))))
    assert "发起数据填报" not in client.get("/campaigns/").content.decode()
    assert client.get("/campaigns/new/").status_code == 403
