"""The issuing bureau extends the deadline, closes and reopens a campaign (a past deadline must be
renewed when reopening); a shorter deadline is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.campaigns.services import campaign_close, campaign_reopen, campaign_update
from smeplan.recognition import clock
from tests.factories import OrganisationFactory, campaign_make, city_officer, county_officer

pytestmark = pytest.mark.django_db


def test_extend_close_reopen():
    officer = county_officer("610113")
    today = clock.today()
    campaign = campaign_make(
        actor=officer, organisations=[OrganisationFactory()], deadline=today + dt.timedelta(days=5)
    )
    with pytest.raises(ValidationError) as exc:
        campaign_update(
            actor=officer, campaign=campaign, data={"deadline": (today + dt.timedelta(days=2)).isoformat()}
        )
    assert "截止日期只能延长" in exc.value.message_dict["deadline"][0]
    later = today + dt.timedelta(days=20)
    campaign = campaign_update(
        actor=city_officer("610100"), campaign=campaign, data={"deadline": later.isoformat()}
    )
    assert campaign.deadline == later
    campaign = campaign_close(actor=officer, campaign=campaign)
    assert campaign.state == "closed" and campaign.closed_at is not None
    with pytest.raises(ValidationError):
        campaign_close(actor=officer, campaign=campaign)
    campaign = campaign_reopen(actor=officer, campaign=campaign)
    assert campaign.state == "open" and campaign.closed_at is None
    assert list(
        AuditEvent.objects.filter(subject_id=str(campaign.pk))
        .values_list("event_type", flat=True)
        .order_by("id")
    ) == [
        "campaign.updated",
        "campaign.closed",
        "campaign.reopened",
    ]


def test_reopening_after_the_deadline_needs_a_new_one():
    officer = county_officer("610113")
    today = clock.today()
    campaign = campaign_make(
        actor=officer,
        organisations=[OrganisationFactory()],
        deadline=today - dt.timedelta(days=1),
        opens_on=today - dt.timedelta(days=30),
        state="closed",
    )
    with pytest.raises(ValidationError) as exc:
        campaign_reopen(actor=officer, campaign=campaign)
    assert "重新开放时请同时设定新的截止日期" in exc.value.message_dict["deadline"][0]
    campaign = campaign_reopen(
        actor=officer, campaign=campaign, deadline=(today + dt.timedelta(days=7)).isoformat()
    )
    assert campaign.state == "open" and campaign.deadline == today + dt.timedelta(days=7)
