"""A submission with invalid figures is refused with a Chinese message on each wrong field, all at
once, and nothing is stored: the task stays 待填报 with its draft, no yearly figures are written."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.campaigns.answers import task_save, task_submit
from smeplan.campaigns.models import TaskState
from smeplan.indicators.models import AnnualFigures
from tests.factories import CampaignTaskFactory, enterprise_user, figure_answers


@pytest.mark.django_db
def test_every_wrong_figure_is_named_and_nothing_is_stored():
    task = CampaignTaskFactory()
    user = enterprise_user(task.organisation)
    task = task_save(actor=user, task=task, answers=figure_answers(employees="12.5"), lock_version=0)

    with pytest.raises(ValidationError) as refused:
        task_submit(
            actor=user,
            task=task,
            answers=figure_answers(operating_revenue="很多", tax_paid="-5", total_assets=""),
            lock_version=task.lock_version,
        )

    errors = refused.value.message_dict
    assert set(errors) == {"operating_revenue", "tax_paid", "total_assets"}
    assert "营业收入" in errors["operating_revenue"][0]
    assert "实缴税金" in errors["tax_paid"][0]
    assert errors["total_assets"] == ["请填写资产总额（没有的填 0）"]
    task.refresh_from_db()
    assert task.state == TaskState.PENDING and task.submitted_at is None
    assert task.answers["employees"] == "12.5"  # the draft as it was saved
    assert not AnnualFigures.objects.filter(organisation=task.organisation).exists()


@pytest.mark.django_db
def test_a_draft_is_checked_for_types_only():
    task = CampaignTaskFactory()
    user = enterprise_user(task.organisation)

    with pytest.raises(ValidationError) as refused:
        task_save(actor=user, task=task, answers={"turnover": "5", "employees": ["1"]}, lock_version=0)

    assert set(refused.value.message_dict) == {"turnover", "employees"}
    saved = task_save(actor=user, task=task, answers={"operating_revenue": "abc"}, lock_version=0)
    assert saved.answers == {"operating_revenue": "abc"} and saved.lock_version == 1
