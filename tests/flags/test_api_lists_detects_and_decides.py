"""/api/v1/flags: the list in the caller's scope with filters, detection for a year, a decision with a
note (422 without, 404 outside the scope, 403 for a non-bureau user) — the same services as the page."""

import json

import pytest
from django.test import Client

from smeplan.accounts.services import api_token_issue
from smeplan.flags.models import FigureFlag, FlagState
from tests.factories import city_officer, county_officer, enterprise_user, province_admin
from tests.flags.make import YEAR, evaluated, revenues


def _api(user) -> Client:
    _, raw = api_token_issue(actor=None, user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client, path, body):
    return client.post("/api/v1/flags" + path, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_detect_list_and_decide():
    mine = evaluated(revenues(1000, 6000), name="雁塔接口企业")
    foreign = evaluated(revenues(1000, 6000), county="610302", name="渭滨接口企业")
    province = _api(province_admin())
    response = _post(province, "/detect", {"year": YEAR})
    assert response.status_code == 200
    assert response.json()["created"] == 2 and response.json()["year"] == YEAR

    city = _api(city_officer())
    items = city.get("/api/v1/flags", {"year": YEAR, "state": "open"}).json()["items"]
    assert [i["organisation_name"] for i in items] == ["雁塔接口企业"]
    assert items[0]["kind"] == "growth" and items[0]["may_decide"] is True
    assert "为上年的6倍" in items[0]["message"] and items[0]["detail"]["threshold"] == "5"
    assert city.get("/api/v1/flags", {"kind": "identical"}).json()["items"] == []

    flag_id = items[0]["id"]
    assert _post(city, f"/{flag_id}/decision", {"confirmed": True, "note": " "}).status_code == 422
    other = FigureFlag.objects.get(organisation=foreign).pk
    assert _post(city, f"/{other}/decision", {"confirmed": True, "note": "越权"}).status_code == 404
    assert (
        _post(
            _api(enterprise_user(mine)), f"/{flag_id}/decision", {"confirmed": True, "note": "x"}
        ).status_code
        == 403
    )
    assert FigureFlag.objects.filter(state=FlagState.OPEN).count() == 2

    response = _post(_api(county_officer()), f"/{flag_id}/decision", {"confirmed": True, "note": "虚增收入"})
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "confirmed" and body["decision_note"] == "虚增收入" and body["decided_at"]
    assert body["may_decide"] is False  # only the province changes a decision


@pytest.mark.django_db
def test_bad_input_is_422():
    province = _api(province_admin())
    assert _post(province, "/detect", {"year": "abc"}).status_code == 422
    assert _post(province, "/detect", {"year": YEAR, "programme": "nope"}).status_code == 422
