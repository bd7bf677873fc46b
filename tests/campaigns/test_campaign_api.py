"""The API issues a campaign from a JSON list of credit codes, refuses a bad one with 422 and the
same Chinese messages, and reports the progress."""

import json

import pytest

from smeplan.campaigns.models import Campaign, CampaignTask
from tests.factories import OrganisationFactory, campaign_data, county_officer, region

pytestmark = pytest.mark.django_db


def _post(client, body):
    return client.post("/api/v1/campaigns", json.dumps(body), content_type="application/json")


def test_list_campaign_by_json_codes_then_progress(client):
    orgs = [OrganisationFactory(county=region("610113")) for _ in range(3)]
    client.force_login(county_officer("610113"))
    body = campaign_data(targeting="list", credit_codes=[o.credit_code for o in orgs[:2]])
    body["year"] = int(body["year"])
    bad = _post(client, {**body, "credit_codes": [orgs[0].credit_code, "123"]})
    assert bad.status_code == 422
    assert bad.json()["errors"]["credit_codes"][0] == "第2个：「123」不是有效的统一社会信用代码"
    assert not Campaign.objects.exists()
    response = _post(client, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["task_count"] == 2 and created["targeting"] == "list"
    assert set(CampaignTask.objects.values_list("organisation_id", flat=True)) == {orgs[0].pk, orgs[1].pk}
    progress = client.get(f"/api/v1/campaigns/{created['id']}/progress").json()
    assert progress["counties"][0]["name"] == "雁塔区" and progress["counties"][0]["pending"] == 2
    tasks = client.get(f"/api/v1/campaigns/{created['id']}/tasks?limit=1").json()
    assert len(tasks["items"]) == 1 and tasks["has_next"] is True
    closed = client.post(f"/api/v1/campaigns/{created['id']}/close")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
