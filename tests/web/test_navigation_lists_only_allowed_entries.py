import pytest

from smeplan.accounts.models import Role
from smeplan.web.navigation import menu_for
from tests.factories import UserFactory, enterprise_user, region


def keys(user, path="/"):
    return [item.key for item in menu_for(user, path)]


@pytest.mark.django_db
def test_each_role_gets_the_entries_it_may_open(yanta_org):
    everyone_last = ["api_docs"]
    admin = UserFactory(role=Role.PROVINCIAL_ADMIN, region=region("610000"))
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, region=region("610000"))
    county = UserFactory(role=Role.COUNTY_OFFICER, region=region("610113"))
    viewer = UserFactory(role=Role.VIEWER, region=region("610100"))
    expert = UserFactory(role=Role.EXPERT, region=None)
    company = enterprise_user(yanta_org)

    bureau = ["home", "organisations", "organisation_create", "imports", "programmes", "regions"]
    assert keys(admin) == [*bureau, "audit", "admin", *everyone_last]
    assert keys(officer) == [*bureau, *everyone_last]
    assert keys(county) == [*bureau, *everyone_last]
    assert keys(viewer) == ["home", "organisations", "regions", *everyone_last]
    assert keys(expert) == ["home", *everyone_last]
    assert keys(company) == ["home", "own_organisation", *everyone_last]


@pytest.mark.django_db
def test_the_entry_of_the_current_page_is_marked_active(yanta_officer):
    def active(path):
        return [item.key for item in menu_for(yanta_officer, path) if item.active]

    assert active("/") == ["home"]
    assert active("/organisations/") == ["organisations"]
    assert active("/organisations/12/") == ["organisations"]
    assert active("/organisations/new/") == ["organisation_create"]
    assert active("/regions/610113/") == ["regions"]
    assert active("/imports/7/") == ["imports"]
    assert active("/programmes/runs/3/") == ["programmes"]


@pytest.mark.django_db
def test_every_entry_opens_for_its_user(client, admin_user, yanta_officer, yanta_enterprise_user, viewer):
    for user in (admin_user, yanta_officer, yanta_enterprise_user, viewer):
        client.force_login(user)
        for item in menu_for(user, "/"):
            response = client.get(item.url, follow=True)
            assert response.status_code == 200, (user.role, item.url)


@pytest.mark.django_db
def test_the_menu_is_in_the_page(client, yanta_officer):
    client.force_login(yanta_officer)

    body = client.get("/").content.decode()

    assert '<a href="/organisations/" class="">企业名录</a>' in body
    assert "审计日志" not in body and "后台管理" not in body
