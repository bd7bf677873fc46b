"""An enterprise user edits its contact details on 本单位信息 (page and API) directly: saved at once,
through the registry's update service, with its audit event."""

import pytest

from smeplan.audit.models import AuditEvent
from tests.factories import OrganisationFactory, enterprise_user

pytestmark = pytest.mark.django_db


def test_the_contact_details_are_saved_at_once(client, api_as):
    org = OrganisationFactory(name="联系方式测试有限公司", contact_person="王经理")
    user = enterprise_user(org)
    client.force_login(user)

    page = client.get("/portal/profile/").content.decode()
    assert "联系方式测试有限公司" in page and 'value="王经理"' in page
    assert 'name="contact_phone"' in page and 'name="address"' not in page and 'name="name"' not in page

    response = client.post("/portal/profile/", {"contact_person": "张会计", "contact_phone": "029-88886666"})

    assert response.status_code == 302 and response["Location"] == "/portal/profile/"
    org.refresh_from_db()
    assert (org.contact_person, org.contact_phone) == ("张会计", "029-88886666")
    event = AuditEvent.objects.get(event_type="organisation.updated")
    assert event.actor == user and event.payload["after"] == {
        "contact_person": "张会计",
        "contact_phone": "029-88886666",
    }

    api = api_as(user)
    body = api.patch("/portal/profile", {"contact_phone": "13800000000"}).json()
    assert body["contact_phone"] == "13800000000" and body["contact_person"] == "张会计"
    assert api.get("/portal/profile").json()["organisation"]["name"] == "联系方式测试有限公司"
    assert api.patch("/portal/profile", {"address": "新地址"}).status_code == 422
