"""An enterprise user sees and acts on its own organisation's requests only: another firm's request
is 404 on the pages and in the API, and filing for another firm is refused."""

import pytest

from smeplan.portal.models import ProfileChangeRequest
from tests.factories import OrganisationFactory, change_request_make, enterprise_user

pytestmark = pytest.mark.django_db


def test_another_firms_request_is_out_of_reach(client, api_as):
    own = OrganisationFactory(name="本企业有限公司")
    neighbour = OrganisationFactory(name="同县邻居有限公司")
    theirs = change_request_make(neighbour, kind="merger", description="并购了一家上游企业")
    user = enterprise_user(own)
    client.force_login(user)

    assert client.get(f"/portal/changes/{theirs.pk}/").status_code == 404
    assert client.post(f"/portal/changes/{theirs.pk}/act/", {"action": "withdraw"}).status_code == 404
    assert "同县邻居有限公司" not in client.get("/portal/changes/").content.decode()

    api = api_as(user)
    assert api.get(f"/portal/changes/{theirs.pk}").status_code == 404
    assert api.post(f"/portal/changes/{theirs.pk}/withdraw", {}).status_code == 404
    assert api.get("/portal/changes").json()["items"] == []
    response = api.post(
        "/portal/changes", {"kind": "rename", "new_name": "冒名有限公司", "organisation_id": neighbour.pk}
    )
    assert response.status_code == 404
    assert ProfileChangeRequest.objects.get().state == "pending"
