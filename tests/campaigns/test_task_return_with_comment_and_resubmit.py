"""退回 needs a comment; the firm reads it on its page, corrects and submits again; the county then
accepts the corrected values."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.campaigns.answers import task_accept, task_return, task_submit
from smeplan.campaigns.models import TaskState
from smeplan.indicators.models import AnnualFigures
from smeplan.recognition.models import Notification
from tests.factories import CampaignTaskFactory, county_officer, enterprise_user, figure_answers


@pytest.mark.django_db
def test_return_with_comment_then_resubmit_and_accept(client):
    task = CampaignTaskFactory()
    firm = enterprise_user(task.organisation)
    officer = county_officer("610113")
    task = task_submit(actor=firm, task=task, answers=figure_answers(employees="12"), lock_version=0)

    with pytest.raises(ValidationError) as refused:
        task_return(actor=officer, task=task, comment="  ")
    assert refused.value.message_dict == {"comment": ["退回须填写意见（企业据此修改）"]}

    task = task_return(actor=officer, task=task, comment="从业人员与社保人数不符，请核实")
    assert task.state == TaskState.RETURNED
    assert Notification.objects.filter(
        user=firm, kind="campaign", title__contains="从业人员与社保人数不符"
    ).exists()
    client.force_login(firm)
    page = client.get(f"/campaigns/tasks/{task.pk}/").content.decode()
    assert "从业人员与社保人数不符，请核实" in page and "已退回" in page
    assert 'value="submit"' in page  # may submit again

    response = client.post(
        f"/campaigns/tasks/{task.pk}/",
        {"action": "submit", "lock_version": task.lock_version, **figure_answers(employees="126")},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED and task.answers["employees"] == "126"
    page = client.get(f"/campaigns/tasks/{task.pk}/").content.decode()
    assert 'name="employees"' not in page  # read-only after submission
    history = page.split('id="history"')[1]
    assert history.index("提交数据填报") < history.index("退回数据填报") < history.rindex("提交数据填报")

    task_accept(actor=officer, task=task)
    assert AnnualFigures.objects.get(organisation=task.organisation, year=task.campaign.year).employees == 126
