"""The administrator manages the firm's accounts — deactivate, grant and withdraw the administrator
right — but the firm never loses its last active administrator; other firms' accounts are out of reach."""

import pytest

from tests.factories import OrganisationFactory, enterprise_user, firm_admin
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_admin_rights_move_but_never_vanish(client):
    org = OrganisationFactory()
    admin = firm_admin(org)
    colleague = enterprise_user(org)
    client.force_login(admin)

    page = text(client.get("/portal/members/"))
    assert colleague.username in page

    client.post(f"/portal/members/{admin.pk}/withdraw_admin/")
    admin.refresh_from_db()
    assert admin.is_organisation_admin
    assert "本单位至少要保留一名企业管理员" in text(client.get("/portal/members/"))

    client.post(f"/portal/members/{colleague.pk}/grant_admin/")
    client.post(f"/portal/members/{admin.pk}/withdraw_admin/")
    admin.refresh_from_db()
    colleague.refresh_from_db()
    assert colleague.is_organisation_admin and not admin.is_organisation_admin
    assert client.get("/portal/members/").status_code == 403  # no longer the administrator


def test_deactivate_a_colleague_only_of_the_own_firm(client):
    org = OrganisationFactory()
    admin = firm_admin(org)
    colleague = enterprise_user(org)
    stranger = enterprise_user(OrganisationFactory())
    client.force_login(admin)

    client.post(f"/portal/members/{colleague.pk}/deactivate/")
    response = client.post(f"/portal/members/{stranger.pk}/deactivate/")

    colleague.refresh_from_db()
    stranger.refresh_from_db()
    assert not colleague.is_active and stranger.is_active and response.status_code == 404
