"""Two people on one task: the second, acting on the version it loaded, is refused naming who acted
first and nothing changes — a service ValidationError on the page, 409 in the API."""

import json

import pytest

from smeplan.campaigns.answers import TaskConflict, task_accept, task_return, task_submit
from smeplan.campaigns.models import TaskState
from tests.factories import CampaignTaskFactory, county_officer, enterprise_user, figure_answers


@pytest.mark.django_db
def test_a_stale_version_is_refused_naming_who_acted(client):
    task = CampaignTaskFactory()
    firm = enterprise_user(task.organisation, username="zhangsan")
    task = task_submit(actor=firm, task=task, answers=figure_answers(), lock_version=0)
    seen = task.lock_version
    first, second = county_officer("610113", username="li"), county_officer("610113", username="wang")
    task_return(actor=first, task=task, comment="请补充说明", lock_version=seen)

    with pytest.raises(TaskConflict) as refused:
        task_accept(actor=second, task=task, lock_version=seen)

    message = refused.value.messages[0]
    assert "li" in message and "退回" in message and "已退回" in message
    task.refresh_from_db()
    assert task.state == TaskState.RETURNED

    client.force_login(firm)
    response = client.put(
        f"/api/v1/campaigns/tasks/{task.pk}/answers",
        json.dumps({"answers": figure_answers(), "lock_version": seen - 1}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "li" in response.json()["detail"]
