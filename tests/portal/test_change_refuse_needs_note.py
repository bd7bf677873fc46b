"""Refusing a request needs the reason; without one nothing changes. The firm is told the reason and
the refusal shows on its home as something to act on; a decided request cannot be decided again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.portal.changes import change_request_approve, change_request_refuse, change_request_withdraw
from smeplan.portal.models import ProfileChangeRequest
from tests.factories import OrganisationFactory, change_request_make, county_officer, enterprise_user

pytestmark = pytest.mark.django_db


def test_a_refusal_needs_its_reason(client):
    org = OrganisationFactory()
    firm = enterprise_user(org)
    request = change_request_make(org, actor=firm, kind="restructuring", description="资产重组完成")
    officer = county_officer("610113")

    with pytest.raises(ValidationError) as exc:
        change_request_refuse(actor=officer, request=request, note="  ")
    assert exc.value.message_dict == {"note": ["请填写不予通过的理由"]}
    assert ProfileChangeRequest.objects.get().state == "pending"
    with pytest.raises(PermissionDenied):  # the firm does not decide its own request
        change_request_refuse(actor=firm, request=request, note="自己拒绝")

    change_request_refuse(actor=officer, request=request, note="缺少重组协议")

    request.refresh_from_db()
    assert (request.state, request.decision_note, request.decided_by) == ("refused", "缺少重组协议", officer)
    assert firm.notifications.get().title == "企业信息变更申请未通过：重组（缺少重组协议）"
    with pytest.raises(ValidationError):
        change_request_approve(actor=officer, request=request)
    with pytest.raises(ValidationError):
        change_request_withdraw(actor=firm, request=request)
    client.force_login(firm)
    home = client.get("/").content.decode()
    assert "重组申请未通过" in home and "缺少重组协议" in home
