"""A city's platform pushes its firms' answers (``POST /api/v1/campaigns/{id}/answers``, bearer
token of a city officer): one bad row refuses the whole push with every problem by row, credit code
and field; a firm outside the city is refused; a clean push saves and submits every row."""

import json

import pytest
from django.test import Client

from smeplan.accounts.services import api_token_issue
from smeplan.campaigns.models import CampaignTask, TaskState
from tests.factories import (
    CampaignFactory,
    CampaignTaskFactory,
    OrganisationFactory,
    city_officer,
    figure_answers,
    region,
)


def _push(client, campaign, rows):
    return client.post(
        f"/api/v1/campaigns/{campaign.pk}/answers",
        json.dumps({"rows": rows}),
        content_type="application/json",
    )


@pytest.fixture
def setting():
    campaign = CampaignFactory(region=region("610000"))
    xian = [
        CampaignTaskFactory(campaign=campaign, organisation=OrganisationFactory(county=region(c)))
        for c in ("610113", "610112")
    ]
    baoji = CampaignTaskFactory(campaign=campaign, organisation=OrganisationFactory(county=region("610302")))
    _row, raw = api_token_issue(actor=None, user=city_officer("610100"), name="西安市企业服务平台")
    return campaign, xian, baoji, Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.django_db
def test_one_bad_row_refuses_the_whole_push(setting):
    campaign, (a, b), baoji, client = setting
    rows = [
        {"credit_code": a.organisation.credit_code, "answers": figure_answers(), "submit": True},
        {
            "credit_code": b.organisation.credit_code,
            "answers": figure_answers(tax_paid="abc"),
            "submit": True,
        },
        {"credit_code": baoji.organisation.credit_code, "answers": figure_answers(), "submit": False},
    ]

    response = _push(client, campaign, rows)

    assert response.status_code == 422
    problems = response.json()["rows"]
    assert {(p["row"], p["credit_code"], p["field"]) for p in problems} == {
        (1, b.organisation.credit_code, "tax_paid"),
        (2, baoji.organisation.credit_code, "credit_code"),
    }
    assert all(p["message"] for p in problems)
    assert "实缴税金" in next(p["message"] for p in problems if p["field"] == "tax_paid")
    assert set(CampaignTask.objects.values_list("state", flat=True)) == {TaskState.PENDING}
    assert not CampaignTask.objects.exclude(answers={}).exists()


@pytest.mark.django_db
def test_a_clean_push_saves_and_submits(setting):
    campaign, (a, b), _baoji, client = setting
    rows = [
        {"credit_code": a.organisation.credit_code, "answers": figure_answers(), "submit": True},
        {"credit_code": b.organisation.credit_code, "answers": {"employees": "40"}},
    ]

    response = _push(client, campaign, rows)

    assert response.status_code == 200 and response.json()["count"] == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == TaskState.SUBMITTED and a.answers["employees"] == "125"
    assert b.state == TaskState.PENDING and b.answers == {"employees": "40"}
