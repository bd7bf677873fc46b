"""An enterprise user sees only its own organisation's tasks: another firm's task page, its API
record and its 佐证材料 answer 404, and the lists do not name it."""

import io

import pytest

from smeplan.campaigns.answers import task_attachment_add
from tests.factories import CampaignTaskFactory, OrganisationFactory, enterprise_user

PDF = b"%PDF-1.4\n%test\n"


@pytest.mark.django_db
def test_another_firms_task_is_not_found(client):
    own = CampaignTaskFactory(organisation=OrganisationFactory(name="本单位有限公司"))
    other = CampaignTaskFactory(
        campaign=own.campaign, organisation=OrganisationFactory(name="别家科技有限公司")
    )
    upload = io.BytesIO(PDF)
    upload.name = "审计报告.pdf"
    attachment = task_attachment_add(actor=enterprise_user(other.organisation), task=other, upload=upload)
    client.force_login(enterprise_user(own.organisation))

    assert client.get(f"/campaigns/tasks/{other.pk}/").status_code == 404
    assert (
        client.post(f"/campaigns/tasks/{other.pk}/", {"action": "save", "lock_version": 1}).status_code == 404
    )
    assert client.get(f"/api/v1/campaigns/tasks/{other.pk}").status_code == 404
    assert client.get(f"/campaigns/tasks/attachments/{attachment.pk}/").status_code == 404
    assert "别家科技" not in client.get("/campaigns/tasks/").content.decode()
    listed = client.get("/api/v1/campaigns/tasks").json()["items"]
    assert [t["id"] for t in listed] == [own.pk]

    client.force_login(enterprise_user(other.organisation))
    response = client.get(f"/campaigns/tasks/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
