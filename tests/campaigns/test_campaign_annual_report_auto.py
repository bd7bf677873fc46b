"""The yearly annual report campaign (转型 四(四)): created by the daily job from the programme's
annual report due date, once (run twice → one campaign), issued by the province, with one task per
open annual report task (Obligation), linked to it."""

import datetime as dt

import pytest

from smeplan.campaigns.models import Campaign, CampaignTask
from smeplan.campaigns.services import annual_report_campaigns_open
from smeplan.programmes.models import Programme
from smeplan.recognition import clock
from smeplan.recognition.models import Obligation
from smeplan.recognition.obligations import obligations_due
from tests.campaigns.helpers import certify
from tests.factories import OrganisationFactory, region

pytestmark = pytest.mark.django_db


def test_run_twice_one_campaign_linked_to_the_obligations(monkeypatch):
    day = dt.date(2026, 1, 2)
    monkeypatch.setattr(clock, "today", lambda: day)
    Programme.objects.filter(code="growth-province").update(annual_report_due="03-31")
    first = certify(
        OrganisationFactory(name="报告甲", county=region("610113")), certified_on=dt.date(2025, 5, 1)
    )
    certify(OrganisationFactory(name="报告乙", county=region("610302")), certified_on=dt.date(2024, 5, 1))
    certify(OrganisationFactory(name="今年才认定", county=region("610302")), certified_on=dt.date(2026, 1, 1))
    obligations_due(today=day)
    assert annual_report_campaigns_open(today=day) == 2
    assert annual_report_campaigns_open(today=day) == 0

    campaign = Campaign.objects.get()
    assert campaign.auto_key == "annual_report:growth-province:2026"
    assert (campaign.year, campaign.deadline, campaign.region_id) == (2025, dt.date(2026, 3, 31), "610000")
    assert campaign.targeting == "programme" and campaign.programme.code == "growth-province"
    assert campaign.task_count == 2
    tasks = CampaignTask.objects.filter(campaign=campaign).select_related("obligation__certification")
    assert {t.organisation.name for t in tasks} == {"报告甲", "报告乙"}
    for task in tasks:
        assert task.obligation.certification.organisation_id == task.organisation_id
        assert task.obligation.period == 2025

    # a certification found later (e.g. the job missed a day) joins the same campaign
    later = certify(
        OrganisationFactory(name="补报丙", county=region("610113")), certified_on=dt.date(2025, 9, 1)
    )
    Obligation.objects.create(
        certification=later, kind="annual_report", period=2025, due_on=dt.date(2026, 3, 31)
    )
    assert annual_report_campaigns_open(today=day) == 1
    assert Campaign.objects.count() == 1
    assert Campaign.objects.get().task_count == 3
    assert first.obligations.get().campaign_task.campaign_id == campaign.pk


def test_the_daily_command_opens_it(monkeypatch):
    from django.core.management import call_command

    day = dt.date(2026, 1, 5)
    monkeypatch.setattr(clock, "today", lambda: day)
    Programme.objects.filter(code="growth-province").update(annual_report_due="03-31")
    certify(OrganisationFactory(county=region("610113")), certified_on=dt.date(2025, 5, 1))
    call_command("recognition_daily")
    call_command("recognition_daily")
    assert Campaign.objects.filter(auto_key="annual_report:growth-province:2026").count() == 1
    assert CampaignTask.objects.filter(obligation__isnull=False).count() == 1
