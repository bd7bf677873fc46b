"""/api/v1/recognition/obligations: the enterprise lists and submits its tasks, the certifying bureau
reviews them — through the same services as the pages (a bad body is 422 with the same message)."""

import datetime as dt
import json

import pytest

from smeplan.recognition.models import Obligation, ObligationKind, ObligationState
from tests.recognition.obligations_make import demonstration_with_reports


@pytest.fixture
def task(db, monkeypatch):
    certification, province, enterprise, county = demonstration_with_reports(monkeypatch)
    task = Obligation.objects.create(
        certification=certification, kind=ObligationKind.RE_REVIEW, period=2029, due_on=dt.date(2029, 9, 1)
    )
    return task, province, enterprise, county


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_list_submit_and_review(client, task):
    task, province, enterprise, county = task
    client.force_login(enterprise)
    items = client.get("/api/v1/recognition/obligations?show=open").json()["items"]
    assert [(i["id"], i["kind_label"], i["actions"]) for i in items] == [(task.pk, "复核", ["submit"])]
    refused = _post(client, f"/api/v1/recognition/obligations/{task.pk}/submit", {"statement": ""})
    assert refused.status_code == 422 and "请填写复核材料说明" in refused.content.decode()
    done = _post(client, f"/api/v1/recognition/obligations/{task.pk}/submit", {"statement": "复核材料已上报"})
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    client.force_login(county)
    assert (
        _post(
            client, f"/api/v1/recognition/obligations/{task.pk}/review", {"action": "accept", "note": "好"}
        ).status_code
        == 403
    )
    client.force_login(province)
    reviewed = _post(
        client, f"/api/v1/recognition/obligations/{task.pk}/review", {"action": "fail", "note": "不合格"}
    )
    assert reviewed.json()["state_label"] == "未通过"
    task.refresh_from_db()
    assert task.state == ObligationState.FAILED and task.revocation_proposals.count() == 1
