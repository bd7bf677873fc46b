import pytest

from tests.web.helpers import text


@pytest.mark.django_db
def test_the_login_page_is_in_chinese_and_logs_in(client, yanta_officer):
    page = text(client.get("/login/"))
    assert "陕西省中小企业行动计划管理系统" in page and "用户名" in page and "密码" in page

    response = client.post("/login/", {"username": "yanta", "password": "pw-test-123"})

    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_a_wrong_password_is_refused_on_the_page(client, yanta_officer):
    response = client.post("/login/", {"username": "yanta", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_pages_send_anonymous_users_to_login(client):
    for url in ("/", "/organisations/", "/regions/", "/organisations/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client, yanta_officer):
    client.force_login(yanta_officer)
    body = text(client.get("/"))
    assert '<form class="logout" action="/logout/" method="post">' in body

    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")

    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/").status_code == 302
