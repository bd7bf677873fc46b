"""Through the pages: the firm files a 迁址 request with the form of that kind, the county finds it in
信息变更审核 and approves it, and the enterprise page and 本单位信息 show it in 信息变更记录 with
who, when and before → after."""

import pytest

from tests.factories import OrganisationFactory, county_officer, enterprise_user

pytestmark = pytest.mark.django_db


def test_a_relocation_from_the_form_to_the_registrys_history(client):
    org = OrganisationFactory(name="页面迁址有限公司", address="雁塔路1号")
    firm = enterprise_user(org, display_name="李企业")
    officer = county_officer("610113", display_name="赵科长")
    client.force_login(firm)

    form = client.get("/portal/changes/?kind=relocation").content.decode()
    assert 'name="new_county"' in form and 'name="new_name"' not in form
    bad = client.post("/portal/changes/", {"kind": "relocation", "new_county": "610113"})
    assert bad.status_code == 422 and "迁入区县与现所在区县相同" in bad.content.decode()
    response = client.post(
        "/portal/changes/",
        {"kind": "relocation", "new_county": "610302", "new_address": "经二路8号", "description": "整体搬迁"},
    )
    assert response.status_code == 302
    detail_url = response["Location"]

    client.force_login(officer)
    queue = client.get("/portal/changes/queue/").content.decode()
    assert "页面迁址有限公司" in queue and "所属区县：雁塔区 → 渭滨区" in queue
    page = client.get(detail_url).content.decode()
    assert 'value="approve"' in page and 'value="refuse"' in page
    assert client.post(detail_url + "act/", {"action": "approve", "note": "同意"}).status_code == 302

    client.force_login(firm)
    for url in (f"/organisations/{org.pk}/", "/portal/profile/"):
        body = client.get(url).content.decode()
        assert "信息变更记录" in body
        assert "所属区县：雁塔区 → 渭滨区" in body and "地址：雁塔路1号 → 经二路8号" in body
        assert "李企业" in body and "赵科长" in body
    assert 'href="/portal/changes/queue/"' not in client.get(detail_url).content.decode()
