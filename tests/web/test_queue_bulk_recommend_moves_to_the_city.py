"""The county's queue lists a submitted application with its eligibility outcome; a bulk
「审核通过，推荐上报」 moves it to the city's queue."""

import re

import pytest

from smeplan.recognition.models import State
from tests.recognition.make import applicant, bureaus, submitted
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_county_queue_shows_the_item_and_bulk_recommend_moves_it(client):
    officers = bureaus()
    org, user = applicant(name="雁塔待办测试有限公司")
    application = submitted(user)
    other_org, other_user = applicant(name="雁塔另一家有限公司")
    other = submitted(other_user)

    client.force_login(officers["county"])
    body = text(client.get("/recognition/queue/"))
    assert org.name in body and other_org.name in body
    assert "县级审核" in body
    label = {"pass": "符合", "fail": "不符合", "incomplete": "数据不全"}[application.eligibility_outcome]
    row = re.search(rf'<tr id="queue-row-{application.pk}">(.*?)</tr>', body, re.S).group(1)
    assert f"outcome-{application.eligibility_outcome}" in row and label in row
    assert f'value="{application.pk}:{application.lock_version}"' in row

    # the city sees nothing yet
    client.force_login(officers["city"])
    assert org.name not in text(client.get("/recognition/queue/"))

    client.force_login(officers["county"])
    response = client.post(
        "/recognition/queue/act/",
        {
            "items": [f"{application.pk}:{application.lock_version}", f"{other.pk}:{other.lock_version}"],
            "action": "recommend",
        },
        follow=True,
    )
    body = text(response)
    assert "已对 2 项申报办理「审核通过，推荐上报」" in body
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW and application.waiting_region_id == "610100"
    assert f'id="queue-row-{application.pk}"' not in body, "no longer waits for the county"

    client.force_login(officers["city"])
    body = text(client.get("/recognition/queue/"))
    assert org.name in body and "市级审核" in body


def test_return_without_a_reason_lists_the_refusal_and_changes_nothing(client):
    officers = bureaus()
    org, user = applicant(name="雁塔退回测试有限公司")
    application = submitted(user)
    client.force_login(officers["county"])
    body = text(
        client.post(
            "/recognition/queue/act/",
            {"items": [f"{application.pk}:{application.lock_version}"], "action": "return"},
            follow=True,
        )
    )
    assert "没有执行" in body and f"{org.name}：「退回修改」需要填写原因" in body
    application.refresh_from_db()
    assert application.state == State.COUNTY_REVIEW
