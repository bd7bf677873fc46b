"""Plausibility warnings (here: 利润总额 turning from last year's profit to a loss, 研发费用 above
营业收入) must be confirmed with an explanation: without both the submission is refused listing the
warnings in Chinese and nothing is stored; with them the task keeps the warnings and the explanation."""

import pytest

from smeplan.campaigns.answers import TaskNeedsConfirmation, task_submit
from smeplan.campaigns.models import TaskState
from tests.factories import AnnualFiguresFactory, CampaignTaskFactory, enterprise_user, figure_answers

SURPRISING = figure_answers(total_profit="-80", rd_expense="6000")


@pytest.fixture
def task():
    task = CampaignTaskFactory()
    AnnualFiguresFactory(organisation=task.organisation, year=task.campaign.year - 1, total_profit=300)
    return task


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("confirm", "explanation"), [(False, ""), (True, ""), (False, "去年计提大额减值，研发投入来自补助")]
)
def test_refused_without_confirmation_and_explanation(task, confirm, explanation):
    user = enterprise_user(task.organisation)

    with pytest.raises(TaskNeedsConfirmation) as refused:
        task_submit(
            actor=user,
            task=task,
            answers=SURPRISING,
            confirm_warnings=confirm,
            explanation=explanation,
            lock_version=0,
        )

    messages = refused.value.message_dict["confirm_warnings"]
    assert any("利润总额" in m and "由盈转亏" in m for m in messages)
    assert any("研发费用" in m and "高于同年营业收入" in m for m in messages)
    assert ("explanation" in refused.value.message_dict) == (not explanation)
    task.refresh_from_db()
    assert task.state == TaskState.PENDING and task.answers == {} and task.warnings == []


@pytest.mark.django_db
def test_stored_with_confirmation_and_explanation(task):
    user = enterprise_user(task.organisation)

    task = task_submit(
        actor=user,
        task=task,
        answers=SURPRISING,
        confirm_warnings=True,
        explanation="去年计提大额减值，研发投入来自补助",
        lock_version=0,
    )

    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED
    assert task.explanation == "去年计提大额减值，研发投入来自补助"
    assert {w["field"] for w in task.warnings} == {"total_profit", "rd_expense"}
    assert all(isinstance(w["message"], str) and w["message"] for w in task.warnings)


@pytest.mark.django_db
def test_plausible_figures_need_no_confirmation(task):
    user = enterprise_user(task.organisation)
    task = task_submit(actor=user, task=task, answers=figure_answers(), lock_version=0)
    assert task.state == TaskState.SUBMITTED and task.warnings == []
