"""Bad input is 422 with Chinese messages per field, and nothing is saved."""

import pytest

from smeplan.recognition.models import Application, PublicNotice, State
from tests.recognition.make import applicant, bureaus, submitted, to_selected

pytestmark = pytest.mark.django_db


def test_return_without_a_reason_is_422(api_as):
    _, user = applicant()
    application = submitted(user)
    officers = bureaus()
    api = api_as(officers["county"])
    response = api.post(
        f"/recognition/applications/{application.pk}/actions",
        {"action": "return", "version": application.lock_version, "reason": "  "},
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == {"reason": ["「退回修改」需要填写原因"]}
    again = Application.objects.get(pk=application.pk)
    assert (again.state, again.lock_version) == (State.COUNTY_REVIEW, application.lock_version)


def test_a_version_that_is_not_a_number_is_422_in_chinese(api_as):
    _, user = applicant()
    application = submitted(user)
    api = api_as(bureaus()["county"])
    response = api.post(
        f"/recognition/applications/{application.pk}/actions", {"action": "recommend", "version": "abc"}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["version"] == ["应为整数，收到“abc”"]


def test_notice_with_a_bad_date_is_422_and_publishes_nothing(api_as):
    _, user = applicant()
    officers = bureaus()
    application = to_selected(submitted(user), officers)
    api = api_as(officers["province"])
    body = {
        "title": "",
        "starts_on": "2026-13-40",
        "days": 90,
        "items": [{"id": application.pk, "version": application.lock_version}],
    }
    response = api.post("/recognition/notices", body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert errors["starts_on"] == ["公示开始日期格式应为 YYYY-MM-DD（收到「2026-13-40」）"]
    assert errors["title"] == ["请填写公示标题"]
    assert errors["days"] == ["公示天数应在 1–60 之间（收到 90）"]
    assert not PublicNotice.objects.exists()
    assert Application.objects.get(pk=application.pk).state == State.SELECTED


def test_an_unknown_field_and_a_bad_year_are_422(api_as):
    from tests.factories import tier_of

    _, user = applicant()
    api = api_as(user)
    tier = tier_of("growth-province", "growth_star")
    response = api.post("/recognition/applications", {"tier_id": tier.pk, "year": 1990})
    assert response.status_code == 422
    assert "数据年度 1990 不在" in response.json()["errors"]["year"][0]
    response = api.post("/recognition/applications", {"tier_id": tier.pk, "year": 2024, "state": "certified"})
    assert response.status_code == 422 and response.json()["errors"]["state"] == ["不支持此字段"]
    assert not Application.objects.exists()
