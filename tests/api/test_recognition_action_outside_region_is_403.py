"""An action outside one's region or level: a bureau that sees the application but is not the one it
waits for gets 403; a bureau outside the region does not even see it (404). Nothing changes."""

import pytest

from smeplan.recognition.models import Application, State
from tests.factories import county_officer
from tests.recognition.make import applicant, bureaus, submitted

pytestmark = pytest.mark.django_db


def test_the_city_cannot_act_while_the_county_reviews(api_as):
    _, user = applicant()
    application = submitted(user)  # waits for 雁塔区 (610113)
    officers = bureaus()
    url = f"/recognition/applications/{application.pk}/actions"
    body = {"action": "recommend", "version": application.lock_version}

    response = api_as(officers["city"]).post(url, body)
    assert response.status_code == 403
    assert response.json()["detail"] == "该申报正等待雁塔区处理，您无权执行「审核通过，推荐上报」"
    assert api_as(officers["province"]).post(url, body).status_code == 403
    assert api_as(user).post(url, body).status_code == 403  # the enterprise is not a reviewer
    response = api_as(county_officer("610302")).post(url, body)  # 渭滨区 (宝鸡)
    assert response.status_code == 404

    again = Application.objects.get(pk=application.pk)
    assert (again.state, again.lock_version) == (State.COUNTY_REVIEW, application.lock_version)
    assert api_as(officers["city"]).get(f"/recognition/applications/{application.pk}").json()["actions"] == []


def test_bulk_outside_the_region_is_404_naming_no_one(api_as):
    org, user = applicant()
    application = submitted(user)
    response = api_as(county_officer("610302")).post(
        "/recognition/actions",
        {"action": "recommend", "items": [{"id": application.pk, "version": application.lock_version}]},
    )
    assert response.status_code == 404 and org.name not in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == State.COUNTY_REVIEW
