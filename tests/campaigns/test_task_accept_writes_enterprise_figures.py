"""通过 writes the submitted figures into the registry as yearly figures with source 企业填报: a new
year is created, a changed value becomes a FigureRevision (old → new), an empty cell leaves the
registry's value alone — and the screening frame reads the new value. The firm is notified."""

from decimal import Decimal

import pytest

from smeplan.campaigns.answers import task_accept, task_submit
from smeplan.campaigns.models import TaskState
from smeplan.indicators.models import AnnualFigures, FigureRevision, FigureSource
from smeplan.programmes.frame import frame_cached
from smeplan.recognition.models import Notification
from tests.factories import (
    AnnualFiguresFactory,
    CampaignTaskFactory,
    county_officer,
    enterprise_user,
    figure_answers,
)


@pytest.mark.django_db
def test_accept_updates_the_year_with_revisions_and_the_frame_sees_it():
    task = CampaignTaskFactory()
    year = task.campaign.year
    AnnualFiguresFactory(organisation=task.organisation, year=year, operating_revenue=5000, export_value=77)
    firm = enterprise_user(task.organisation)
    task = task_submit(
        actor=firm,
        task=task,
        answers=figure_answers(operating_revenue="5321.5", export_value=""),
        lock_version=0,
    )
    officer = county_officer("610113")

    task = task_accept(actor=officer, task=task, lock_version=task.lock_version)

    assert task.state == TaskState.ACCEPTED and task.decided_by == officer
    row = AnnualFigures.objects.get(organisation=task.organisation, year=year)
    assert row.operating_revenue == Decimal("5321.50")
    assert row.export_value == Decimal("77.00")  # not entered: left as it was
    revision = FigureRevision.objects.get(
        organisation=task.organisation, year=year, field="operating_revenue"
    )
    assert (revision.old_value, revision.new_value) == (Decimal("5000.00"), Decimal("5321.50"))
    assert revision.source == FigureSource.ENTERPRISE and revision.get_source_display() == "企业填报"
    assert not FigureRevision.objects.filter(organisation=task.organisation, field="export_value").exists()
    frame = frame_cached(year=year, years_back=0, fields=("operating_revenue",))
    values, present = frame.figure("operating_revenue", year)
    (i,) = [i for i, pk in enumerate(frame.ids) if pk == task.organisation_id]
    assert present[i] and values[i] == 532150  # cents
    assert Notification.objects.filter(user=firm, kind="campaign", title__contains="已审核通过").exists()


@pytest.mark.django_db
def test_accept_creates_a_missing_year():
    task = CampaignTaskFactory()
    firm = enterprise_user(task.organisation)
    task = task_submit(actor=firm, task=task, answers=figure_answers(), lock_version=0)

    task_accept(actor=county_officer("610113"), task=task)

    row = AnnualFigures.objects.get(organisation=task.organisation, year=task.campaign.year)
    assert row.employees == 125 and row.new_product_revenue is None
    sources = set(
        FigureRevision.objects.filter(organisation=task.organisation).values_list("source", flat=True)
    )
    assert sources == {FigureSource.ENTERPRISE}


@pytest.mark.django_db
def test_only_a_bureau_over_the_county_accepts():
    from django.core.exceptions import PermissionDenied

    task = CampaignTaskFactory()
    firm = enterprise_user(task.organisation)
    task = task_submit(actor=firm, task=task, answers=figure_answers(), lock_version=0)

    for outsider in (firm, county_officer("610302")):
        with pytest.raises(PermissionDenied):
            task_accept(actor=outsider, task=task)
    assert not AnnualFigures.objects.filter(organisation=task.organisation).exists()
