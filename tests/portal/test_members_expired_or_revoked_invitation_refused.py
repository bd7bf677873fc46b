"""An invitation past its 7 days, revoked, or already used opens no account."""

import datetime as dt

import pytest
from django.utils import timezone

from smeplan.accounts.models import User
from smeplan.portal.members import invitation_create, invitation_revoke
from smeplan.portal.models import Invitation
from tests.factories import GOOD_PASSWORD, OrganisationFactory, firm_admin
from tests.web.helpers import text

pytestmark = pytest.mark.django_db

FORM = {"display_name": "钱工", "username": "qiangong", "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD}


@pytest.fixture
def admin():
    return firm_admin(OrganisationFactory())


def test_expired(client, admin):
    invitation, token = invitation_create(actor=admin, email="late@example.com")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    response = client.post(f"/portal/invitations/{token}/", FORM)

    assert response.status_code == 404 and "该邀请已过期" in text(response)
    assert not User.objects.filter(username="qiangong").exists()


def test_revoked(client, admin):
    invitation, token = invitation_create(actor=admin, email="gone@example.com")
    invitation_revoke(actor=admin, invitation=invitation)

    response = client.post(f"/portal/invitations/{token}/", FORM)

    assert response.status_code == 404 and "该邀请已被撤回" in text(response)
    assert not User.objects.filter(username="qiangong").exists()


def test_used_once_only(client, admin):
    _invitation, token = invitation_create(actor=admin, email="once@example.com")
    client.post(f"/portal/invitations/{token}/", FORM)
    client.logout()

    response = client.post(f"/portal/invitations/{token}/", {**FORM, "username": "again"})

    assert response.status_code == 404 and "该邀请已被接受过" in text(response)
    assert not User.objects.filter(username="again").exists()


def test_unknown_token(client):
    response = client.get("/portal/invitations/not-a-token/")
    assert response.status_code == 404 and "邀请链接无效" in text(response)
