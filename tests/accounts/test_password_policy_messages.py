"""The password policy (≥ 10 characters, 3 of 4 classes, not like the login, not common) speaks
Chinese, is stated on the pages that set a password, and is what the forms enforce."""

import pytest

from smeplan.accounts.models import User
from smeplan.accounts.passwords import password_problems
from tests.factories import GOOD_PASSWORD, UserFactory, registration_data
from tests.web.helpers import field_errors, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "密码太短：至少 10 位，当前 4 位"),
        ("abcdefghij12", "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类，当前只有 2 类"),
        ("Password123", "这是常见密码，容易被猜中，请换一个"),
    ],
)
def test_each_rule_has_its_message(password, message):
    assert message in password_problems(password)


def test_a_password_like_the_login_is_refused():
    user = User(username="Hanzhong2026", email="hz@example.com")
    assert "密码与用户名、姓名或电子邮箱太相近，请换一个" in password_problems("Hanzhong2026!", user)


def test_a_good_password_passes():
    assert password_problems(GOOD_PASSWORD, User(username="someone")) == []


def test_the_registration_page_states_and_enforces_the_policy(client):
    assert "须包含大写字母、小写字母、数字、符号四类中的至少 3 类" in text(client.get("/register/"))

    response = client.post("/register/", registration_data(password="short", password2="short"))

    assert "密码太短：至少 10 位，当前 5 位" in field_errors(response, "password")


def test_the_change_password_page_states_and_enforces_the_policy(client):
    user = UserFactory()
    client.force_login(user)
    assert "密码至少 10 位" in text(client.get("/account/password/"))

    response = client.post(
        "/account/password/",
        {"old_password": "pw-test-123", "new_password1": "simple", "new_password2": "simple"},
    )

    assert "密码太短：至少 10 位，当前 6 位" in text(response)
    user.refresh_from_db()
    assert user.check_password("pw-test-123")
    response = client.post(
        "/account/password/",
        {"old_password": "pw-test-123", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    user.refresh_from_db()
    assert response.status_code == 302 and user.check_password(GOOD_PASSWORD)
