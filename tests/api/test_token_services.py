"""api_token_issue / api_token_revoke: permission, validation and one audit event each."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.accounts.models import ApiToken
from smeplan.accounts.services import api_token_issue, api_token_revoke
from smeplan.audit.models import AuditEvent
from tests.factories import county_officer, province_admin

pytestmark = pytest.mark.django_db


def test_user_issues_and_revokes_own_token_with_audit():
    officer = county_officer()
    token, _ = api_token_issue(actor=officer, user=officer, name="脚本")
    api_token_revoke(actor=officer, token=token)
    token.refresh_from_db()
    assert token.revoked
    assert list(AuditEvent.objects.order_by("id").values_list("event_type", flat=True)) == [
        "api_token.issued",
        "api_token.revoked",
    ]


def test_provincial_admin_may_issue_for_others_but_officers_may_not():
    officer, other = county_officer(), county_officer("610102")
    api_token_issue(actor=province_admin(), user=officer, name="")
    with pytest.raises(PermissionDenied):
        api_token_issue(actor=other, user=officer, name="")
    assert ApiToken.objects.count() == 1


def test_revoking_twice_is_an_error():
    officer = county_officer()
    token, _ = api_token_issue(actor=None, user=officer, name="")
    api_token_revoke(actor=None, token=token)
    with pytest.raises(ValidationError):
        api_token_revoke(actor=None, token=token)
    assert AuditEvent.objects.filter(event_type="api_token.revoked").count() == 1
