"""The 审核待办 page offers each bureau only the actions the workflow table lets it take on the listed
applications: a county never sees the province's 初选/确认 or 提交专家评审, the province never
推荐上报, and 发布公示 / 认定 appear only for the bureau that owns those steps."""

import re

import pytest

from smeplan.recognition.models import State
from tests.recognition.make import act, applicant, bureaus, submitted, to_selected
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def offered(client, user) -> list[str]:
    client.force_login(user)
    body = text(client.get("/recognition/queue/"))
    if 'id="bulk-actions"' not in body:
        return []
    bulk = body.split('id="bulk-actions"')[1].split("</div>")[0]
    return re.findall(r"<button[^>]*>([^<]+)</button>", bulk)


def test_a_county_officer_may_recommend_return_or_reject_only(client):
    officers = bureaus()
    _, user = applicant()
    submitted(user)  # a provincial programme: the county is the first of three steps

    buttons = offered(client, officers["county"])

    assert buttons == ["审核通过，推荐上报", "退回修改", "不予推荐"]
    assert "原因（退回、不予推荐时必填）" in text(client.get("/recognition/queue/"))


def test_a_city_officer_in_the_middle_of_the_chain_recommends(client):
    officers = bureaus()
    _, user = applicant()
    act(officers["county"], submitted(user), "recommend")

    assert offered(client, officers["city"]) == ["审核通过，推荐上报", "退回修改", "不予推荐"]
    assert offered(client, officers["county"]) == []  # nothing waits for the county any more


def test_the_province_selects_and_never_recommends(client):
    officers = bureaus()
    _, user = applicant()
    application = act(officers["city"], act(officers["county"], submitted(user), "recommend"), "recommend")
    assert application.state == State.PROVINCE_REVIEW

    assert offered(client, officers["province"]) == ["审核通过（初选/确认）", "退回修改", "不予推荐"]


def test_the_province_sends_an_expert_programme_to_the_experts(client):
    officers = bureaus()
    _, user = applicant()
    application = submitted(user, programme="transformation-demo", tier="demonstration")
    application = act(officers["city"], act(officers["county"], application, "recommend"), "recommend")

    assert offered(client, officers["province"]) == ["提交专家评审", "退回修改", "不予推荐"]


def test_a_county_owning_the_programme_confirms_then_publishes(client):
    officers = bureaus()
    _, user = applicant()
    application = submitted(user, programme="transformation", tier="upgrade_library")

    assert offered(client, officers["county"]) == ["审核通过（初选/确认）", "退回修改", "不予推荐"]

    to_selected(application, officers)
    body_buttons = offered(client, officers["county"])
    assert "发布公示" in body_buttons
    assert "审核通过（初选/确认）" not in body_buttons and "退回修改" not in body_buttons


def test_the_state_filter_offers_only_states_waiting_for_the_bureau(client):
    officers = bureaus()
    _, user = applicant()
    submitted(user)
    client.force_login(officers["county"])

    body = text(client.get("/recognition/queue/"))

    select = body.split('<select name="state"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\w+)"', select) == ["county_review"]
