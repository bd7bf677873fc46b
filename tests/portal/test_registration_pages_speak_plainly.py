"""The registration, review, colleagues, account and password pages read as a person reads them: no
English words, codes or Python reprs (login names and e-mail addresses aside)."""

import re

import pytest

from smeplan.portal.members import invitation_create
from tests.factories import (
    OrganisationFactory,
    county_officer,
    enterprise_user,
    firm_admin,
    registration_make,
)
from tests.web.test_pages_speak_plainly import problems_of, shown_text

pytestmark = pytest.mark.django_db


def _names(body: str, users) -> frozenset:
    text = shown_text(body)
    emails = set(re.findall(r"[\w.+-]+@[\w.-]+", text))
    words = {w for e in emails for w in re.findall(r"[A-Za-z]{3,}", e)}
    domains = {e.split("@", 1)[1] for e in emails}
    return frozenset({u.username for u in users} | words | domains)


def test_pages_are_plain_chinese(client):
    registration = registration_make()
    officer = county_officer("610113")
    org = OrganisationFactory()
    admin = firm_admin(org)
    colleague = enterprise_user(org)
    _invitation, token = invitation_create(actor=admin, email="colleague@example.com")
    users = [registration.user, officer, admin, colleague]
    pages = {
        None: ["/register/", "/password-reset/", "/password-reset/done/", f"/portal/invitations/{token}/"]
    }
    pages[registration.user] = ["/portal/registration/status/", "/account/", "/account/password/"]
    pages[officer] = ["/portal/registrations/", f"/portal/registrations/{registration.pk}/"]
    pages[admin] = ["/portal/members/", "/account/"]
    found = {}
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            problems = problems_of(body, _names(body, users))
            if problems:
                found[url] = problems
    assert found == {}
