"""The firm's administrator invites a colleague by e-mail; the link (whose token is stored only as
its SHA-256) opens a page where the colleague chooses a login and password and joins the firm."""

import re

import pytest
from django.core import mail

from smeplan.accounts.models import User
from smeplan.portal.members import hash_token
from smeplan.portal.models import Invitation
from tests.factories import GOOD_PASSWORD, OrganisationFactory, firm_admin
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_invite_then_accept(client, django_capture_on_commit_callbacks):
    org = OrganisationFactory(name="蓝田玉器有限公司")
    admin = firm_admin(org)
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/members/invite/", {"email": "colleague@example.com", "display_name": "赵工"})

    (message,) = mail.outbox
    assert message.to == ["colleague@example.com"] and "蓝田玉器有限公司" in message.subject
    url = re.search(r"http\S*/portal/invitations/(\S+)/", message.body)
    token = url.group(1)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert "colleague@example.com" in text(client.get("/portal/members/"))

    client.logout()
    page = text(client.get(f"/portal/invitations/{token}/"))
    assert "蓝田玉器有限公司" in page and "密码至少 10 位" in page
    response = client.post(
        f"/portal/invitations/{token}/",
        {
            "display_name": "赵工",
            "username": "zhaogong",
            "password": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )

    assert response.status_code == 302
    colleague = User.objects.get(username="zhaogong")
    assert colleague.organisation == org and colleague.role == "enterprise_user"
    assert not colleague.is_organisation_admin and colleague.email == "colleague@example.com"
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague
    assert client.get(f"/organisations/{org.pk}/").status_code == 200
