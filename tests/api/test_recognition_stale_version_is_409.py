"""Two officers on one application: the second, acting on the version it loaded, gets 409 with a
Chinese message, and nothing changes."""

import pytest

from smeplan.recognition.models import Application, State
from tests.factories import county_officer
from tests.recognition.make import applicant, submitted

pytestmark = pytest.mark.django_db


def test_a_stale_version_is_409_and_changes_nothing(api_as):
    _, user = applicant()
    application = submitted(user)
    first, second = api_as(county_officer()), api_as(county_officer())
    seen = second.get(f"/recognition/applications/{application.pk}").json()["lock_version"]

    response = first.post(
        f"/recognition/applications/{application.pk}/actions", {"action": "recommend", "version": seen}
    )
    assert response.status_code == 200, response.content
    after = Application.objects.get(pk=application.pk)
    events = after.events.count()

    response = second.post(
        f"/recognition/applications/{application.pk}/actions",
        {"action": "return", "version": seen, "reason": "材料不全"},
    )
    assert response.status_code == 409, response.content
    detail = response.json()["detail"]
    assert "请刷新页面后再处理" in detail and "市级审核" in detail
    again = Application.objects.get(pk=application.pk)
    assert (again.state, again.lock_version, again.events.count()) == (
        State.CITY_REVIEW,
        after.lock_version,
        events,
    )
    assert again.decision_reason == ""


def test_a_stale_form_is_409(api_as):
    from smeplan.recognition import services
    from tests.factories import tier_of

    _, user = applicant()
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=2024
    )
    api = api_as(user)
    body = {"version": 1, "form": {"main_products": "阀门"}}
    assert api.put(f"/recognition/applications/{application.pk}/form", body).status_code == 200
    response = api.put(
        f"/recognition/applications/{application.pk}/form", {**body, "form": {"main_products": "泵"}}
    )
    assert response.status_code == 409
    assert Application.objects.get(pk=application.pk).form["main_products"] == "阀门"
