"""Progress per county: totals by state and 逾期 (not submitted after the deadline), rolled up per
city for the province; a county officer sees only its county."""

import datetime as dt

import pytest

from smeplan.campaigns.selectors import campaign_progress
from smeplan.recognition import clock
from tests.factories import OrganisationFactory, campaign_make, county_officer, province_admin, region

pytestmark = pytest.mark.django_db


def _campaign(deadline):
    orgs = {
        "yt1": OrganisationFactory(county=region("610113")),
        "yt2": OrganisationFactory(county=region("610113")),
        "yt3": OrganisationFactory(county=region("610113")),
        "bl1": OrganisationFactory(county=region("610103")),
        "wb1": OrganisationFactory(county=region("610302")),
        "wb2": OrganisationFactory(county=region("610302")),
    }
    states = {
        orgs["yt1"]: "pending",
        orgs["yt2"]: "submitted",
        orgs["yt3"]: "returned",
        orgs["bl1"]: "accepted",
        orgs["wb1"]: "pending",
        orgs["wb2"]: "accepted",
    }
    return campaign_make(
        actor=province_admin(), organisations=list(orgs.values()), states=states, deadline=deadline
    )


def _row(rows, name):
    return next(r for r in rows if r["name"] == name)


def test_counts_per_county_and_city_with_overdue_after_the_deadline():
    campaign = _campaign(deadline=clock.today() - dt.timedelta(days=1))
    progress = campaign_progress(user=province_admin(), campaign=campaign)
    yanta = _row(progress["counties"], "雁塔区")
    assert (yanta["total"], yanta["pending"], yanta["submitted"], yanta["returned"], yanta["accepted"]) == (
        3,
        1,
        1,
        1,
        0,
    )
    assert yanta["overdue"] == 2  # 待填报 and 已退回
    assert _row(progress["counties"], "渭滨区")["overdue"] == 1
    xian = _row(progress["cities"], "西安市")
    assert (xian["total"], xian["accepted"], xian["overdue"]) == (4, 1, 2)
    assert xian["rate"] == pytest.approx(0.25)
    assert _row(progress["cities"], "宝鸡市")["total"] == 2
    total = progress["total"]
    assert (total["total"], total["accepted"], total["overdue"]) == (6, 2, 3)


def test_nothing_is_overdue_before_the_deadline_and_a_county_sees_only_itself():
    campaign = _campaign(deadline=clock.today())
    progress = campaign_progress(user=county_officer("610113"), campaign=campaign)
    assert [r["name"] for r in progress["counties"]] == ["雁塔区"]
    assert progress["cities"] == []
    assert progress["total"]["total"] == 3
    assert progress["total"]["overdue"] == 0
