import pytest

from smeplan.accounts.models import Role
from smeplan.web.navigation import menu_for
from tests.factories import UserFactory, enterprise_user, region


def keys(user, path="/"):
    return [item.key for item in menu_for(user, path)]


@pytest.mark.django_db
def test_each_role_gets_the_entries_it_may_open(yanta_org):
    everyone_last = ["notifications", "api_docs"]
    admin = UserFactory(role=Role.PROVINCIAL_ADMIN, region=region("610000"))
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, region=region("610000"))
    county = UserFactory(role=Role.COUNTY_OFFICER, region=region("610113"))
    viewer = UserFactory(role=Role.VIEWER, region=region("610100"))
    expert = UserFactory(role=Role.EXPERT, region=None)
    company = enterprise_user(yanta_org)

    recognition = [
        "calls",
        "queue",
        "applications",
        "notices",
        "scores",
        "certifications",
        "obligations",
        "revocations",
    ]
    bureau = [
        "home",
        "organisations",
        "organisation_create",
        "imports",
        "campaigns",
        "campaign_review",
        "registrations",
        "change_queue",
        "programmes",
        *recognition,
        "evaluation",
        "reporting",
        "flags",
        "regions",
        "targets",
        "charts",
    ]
    assert keys(admin) == [*bureau, "audit", "admin", *everyone_last]
    assert keys(officer) == [*bureau, *everyone_last]
    assert keys(county) == [*bureau, *everyone_last]
    assert keys(viewer) == [
        "home",
        "organisations",
        "calls",
        "applications",
        "notices",
        "certifications",
        "obligations",
        "reporting",
        "regions",
        "targets",
        "charts",
        *everyone_last,
    ]
    assert keys(expert) == ["home", "expert", *everyone_last]
    assert keys(company) == [
        "home",
        "own_organisation",
        "profile",
        "campaign_tasks",
        "calls",
        "applications",
        "certifications",
        "obligations",
        *everyone_last,
    ]


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
    assert active("/recognition/queue/") == ["queue"]
    assert active("/recognition/applications/5/") == ["applications"]
    assert active("/recognition/notices/2/") == ["notices"]
    assert active("/recognition/certifications/") == ["certifications"]
    assert active("/targets/12/") == ["targets"]


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


@pytest.mark.django_db
def test_unread_notifications_are_counted_in_the_menu(yanta_officer):
    from smeplan.recognition.models import Notification

    Notification.objects.create(user=yanta_officer, kind="queue", title="待办：测试")
    (item,) = [i for i in menu_for(yanta_officer, "/") if i.key == "notifications"]
    assert item.label == "通知（1）"


@pytest.mark.django_db
def test_the_login_page_links_the_public_notices(client):
    body = client.get("/login/").content.decode()
    assert 'href="/public/notices/"' in body and 'href="/public/certified/"' in body


@pytest.mark.django_db
def test_the_menu_is_grouped_under_headings_each_shown_once(client, admin_user):
    import re

    client.force_login(admin_user)
    body = client.get("/").content.decode()
    headings = re.findall(r'<li class="nav-group"[^>]*>([^<]+)</li>', body)
    assert headings == ["企业与数据", "认定工作", "年度管理", "目标与统计", "系统"]
    # each entry sits under its heading: 目标进度 after 目标与统计, 审计日志 after 系统
    assert (
        body.index("目标与统计") < body.index(">目标进度<") < body.index(">系统<") < body.index(">审计日志<")
    )
