"""Bearer tokens: an issued token works; a revoked, unknown or inactive user's token gets 401."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from smeplan.accounts.models import ApiToken
from smeplan.accounts.services import api_token_issue, api_token_revoke
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db
URL = "/api/v1/organisations"


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_issued_token_authenticates_and_records_last_use():
    officer = county_officer("610113")
    org = OrganisationFactory()
    token, raw = api_token_issue(actor=None, user=officer, name="同步")
    assert token.key_hash == ApiToken.hash_key(raw) and raw not in token.key_hash
    response = bearer(raw).get(URL)
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [org.pk]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute():
    token, raw = api_token_issue(actor=None, user=county_officer(), name="")
    recent = timezone.now() - dt.timedelta(seconds=20)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    assert bearer(raw).get(URL).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == recent  # not rewritten within the minute
    stale = timezone.now() - dt.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    assert bearer(raw).get(URL).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > stale


def test_revoked_token_gets_401():
    officer = county_officer()
    token, raw = api_token_issue(actor=None, user=officer, name="")
    api_token_revoke(actor=officer, token=token)
    response = bearer(raw).get(URL)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_unknown_token_gets_401_with_chinese_message():
    response = bearer("smp_not-a-real-token").get(URL)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("未登录或令牌无效")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_gets_401():
    response = Client().get(URL)
    assert response.status_code == 401
    assert "未登录" in response.json()["detail"]


def test_token_of_inactive_user_gets_401():
    officer = county_officer()
    _, raw = api_token_issue(actor=None, user=officer, name="")
    officer.is_active = False
    officer.save()
    assert bearer(raw).get(URL).status_code == 401


def test_token_writes_need_no_csrf():
    officer = county_officer("610113")
    _, raw = api_token_issue(actor=None, user=officer, name="")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    org = OrganisationFactory()
    response = client.patch(
        f"{URL}/{org.pk}", '{"address": "西安市雁塔区科技路1号"}', content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["address"] == "西安市雁塔区科技路1号"
