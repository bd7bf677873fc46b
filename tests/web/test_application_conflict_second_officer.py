"""Two officers load the same version of an application; the first recommends, the second's POST
gets the conflict message and the state stays as the first left it."""

import pytest

from smeplan.recognition.models import State
from tests.factories import county_officer
from tests.recognition.make import applicant, bureaus, submitted
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_the_second_officer_gets_the_conflict_message(client):
    officers = bureaus()
    _, user = applicant()
    application = submitted(user)
    second = county_officer("610113", first_name="李四")
    loaded = application.lock_version

    client.force_login(officers["county"])
    page = text(client.get(f"/recognition/applications/{application.pk}/"))
    assert 'id="act-recommend"' in page and f'name="version" value="{loaded}"' in page
    response = client.post(
        f"/recognition/applications/{application.pk}/act/", {"action": "recommend", "version": loaded}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW

    client.force_login(second)
    response = client.post(
        f"/recognition/applications/{application.pk}/act/",
        {"action": "return", "version": loaded, "reason": "材料不全"},
        follow=True,
    )
    body = text(response)
    assert response.status_code == 200
    assert "您的操作没有执行，请刷新页面后再处理" in body and "当前状态为「市级审核」" in body
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW
    assert 'id="application-state">市级审核' in body


def test_a_stale_bulk_action_is_refused_and_changes_nothing(client):
    officers = bureaus()
    _, user = applicant()
    application = submitted(user)
    loaded = application.lock_version
    client.force_login(officers["county"])
    client.post("/recognition/queue/act/", {"items": [f"{application.pk}:{loaded}"], "action": "recommend"})
    body = text(
        client.post(
            "/recognition/queue/act/",
            {"items": [f"{application.pk}:{loaded}"], "action": "recommend"},
            follow=True,
        )
    )
    assert "没有执行" in body
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW
