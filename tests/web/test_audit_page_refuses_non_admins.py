import pytest

from smeplan.accounts.models import Role
from tests.factories import UserFactory, region


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.PROVINCIAL_OFFICER, "610000"),
        (Role.CITY_OFFICER, "610100"),
        (Role.COUNTY_OFFICER, "610113"),
        (Role.VIEWER, "610000"),
        (Role.EXPERT, None),
    ],
)
def test_only_provincial_admins_open_the_audit_page(client, role, code):
    user = UserFactory(role=role, region=region(code) if code else None)
    client.force_login(user)

    assert client.get("/audit/").status_code == 403


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/audit/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")
