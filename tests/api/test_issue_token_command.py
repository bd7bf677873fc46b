"""`manage.py issue_token <username> [--name]` prints a working token once and audits it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from smeplan.accounts.models import ApiToken
from smeplan.audit.models import AuditEvent
from tests.factories import county_officer

pytestmark = pytest.mark.django_db


def test_command_prints_a_working_token():
    officer = county_officer("610113", username="yanta")
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_token", "yanta", "--name", "统计同步", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=officer)
    assert token.name == "统计同步" and token.key_hash == ApiToken.hash_key(raw)
    assert raw.startswith(token.prefix)
    assert "只显示这一次" in err.getvalue()
    event = AuditEvent.objects.get(event_type="api_token.issued")
    assert event.actor is None and event.subject_id == str(officer.pk) and raw not in str(event.payload)
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/regions")
    assert response.status_code == 200


def test_unknown_user_is_an_error():
    with pytest.raises(CommandError, match="不存在"):
        call_command("issue_token", "nobody", stdout=io.StringIO(), stderr=io.StringIO())
    assert ApiToken.objects.count() == 0
