"""An enterprise user's 数据填报 list holds only the campaigns it has a task in, with no other firm's
counts; the bureau's list shows the counts of the tasks it sees."""

import pytest

from tests.factories import (
    OrganisationFactory,
    campaign_make,
    city_officer,
    enterprise_user,
    province_admin,
    region,
)

pytestmark = pytest.mark.django_db


def test_an_enterprise_sees_only_its_own_campaigns(client):
    mine = OrganisationFactory(county=region("610113"))
    other = OrganisationFactory(county=region("610113"))
    admin = province_admin()
    campaign_make(actor=admin, organisations=[mine, other], title="发给本单位的填报")
    campaign_make(actor=admin, organisations=[other], title="只发给别家的填报")
    client.force_login(enterprise_user(mine))
    page = client.get("/campaigns/").content.decode()
    assert "发给本单位的填报" in page
    assert "只发给别家的填报" not in page
    assert "发起数据填报" not in page


def test_a_city_sees_the_counts_of_its_own_counties(client):
    admin = province_admin()
    orgs = [OrganisationFactory(county=region("610113")), OrganisationFactory(county=region("610302"))]
    campaign = campaign_make(actor=admin, organisations=orgs, states={orgs[0]: "accepted"}, title="全省填报")
    client.force_login(city_officer("610100"))
    response = client.get("/campaigns/")
    row = response.content.decode().split(f'id="campaign-{campaign.pk}"')[1].split("</tr>")[0]
    assert '<td class="num">1</td>' in row  # 任务数: only the 西安 firm
    assert "100%" in row  # 完成率
