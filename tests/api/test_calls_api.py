"""申报批次 through the API: the same rules as the pages — a bad call is 422 with the field messages
and saves nothing; applying outside the window or over the quota is 422 with the reason; the
progress is the caller's bureau's."""

import pytest

from smeplan.recognition.models import Application, Call
from tests.factories import province_admin, tier_of
from tests.recognition.calls_make import CLOSES, at, call_data, forwarded_in, open_call
from tests.recognition.make import applicant, bureaus

pytestmark = pytest.mark.django_db


def test_a_call_with_a_window_closing_before_it_opens_is_422_and_saves_nothing(api_as):
    api = api_as(province_admin())
    response = api.post(
        "/calls", call_data(opens_at="2027-03-10T09:00", closes_at="2027-03-01T09:00", quotas={"610100": 3})
    )
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == ["closes_at"]
    assert "须晚于开始受理时间" in response.json()["errors"]["closes_at"][0]
    assert not Call.objects.exists()


def test_create_then_read_detail_with_quotas(api_as, monkeypatch):
    at(monkeypatch, CLOSES.replace(year=2026))
    api = api_as(province_admin())
    response = api.post("/calls", call_data(quotas={"西安市": 3}, total_quota=10))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "not_started" and body["state_label"] == "未开始"
    assert body["window"] == "2027年3月1日至3月31日"
    assert body["quotas"] == [{"region": "610100", "region_name": "西安市", "quota": 3, "used": 0}]
    assert api.get(f"/calls/{body['id']}").json()["total_quota"] == 10


def test_a_city_bureau_cannot_open_a_provincial_call(api_as):
    from tests.factories import city_officer

    response = api_as(city_officer()).post("/calls", call_data())
    assert response.status_code == 403
    assert not Call.objects.exists()


def test_applying_after_the_window_is_422_with_the_reason(api_as, monkeypatch):
    call = open_call(monkeypatch)
    _, user = applicant()
    at(monkeypatch, CLOSES)
    response = api_as(user).post(
        f"/calls/{call.pk}/applications", {"tier_id": tier_of("transformation-demo", "demonstration").pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["__all__"] == ["申报时间为 2027年3月1日至3月31日，现已截止"]
    assert not Application.objects.exists()


def test_applying_in_the_window_opens_a_draft_of_the_call_year(api_as, monkeypatch):
    call = open_call(monkeypatch)
    _, user = applicant()
    response = api_as(user).post(
        f"/calls/{call.pk}/applications", {"tier_id": tier_of("transformation-demo", "demonstration").pk}
    )
    assert response.status_code == 201, response.content
    assert response.json()["year"] == 2027 and response.json()["state"] == "draft"
    assert Application.objects.get().call == call


def test_a_quota_below_what_is_forwarded_is_422_and_progress_shows_the_numbers(api_as, monkeypatch):
    admin = province_admin()
    call = open_call(monkeypatch, admin=admin, quotas={"610100": 4})
    forwarded_in(call, bureaus())
    forwarded_in(call, bureaus())
    api = api_as(admin)
    response = api.put(f"/calls/{call.pk}/quotas", {"quotas": {"610100": 1}})
    assert response.status_code == 422
    assert response.json()["errors"] == {"quota-610100": ["西安市已推荐 2 家，名额不能少于 2"]}
    progress = api.get(f"/calls/{call.pk}/progress").json()
    xian = next(r for r in progress["rows"] if r["name"] == "西安市")
    assert (xian["forwarded"], xian["quota"], xian["used"], xian["remaining"]) == (2, 4, 2, 2)
