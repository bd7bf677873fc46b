"""忘记密码: the login page links it; the e-mail (Chinese) carries a link that sets a new password
(checked against the policy) with which the user then signs in. The request is audited."""

import re

import pytest
from django.core import mail

from smeplan.audit.models import AuditEvent
from tests.factories import GOOD_PASSWORD, UserFactory
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_reset_by_e_mail(client):
    user = UserFactory(username="zhangsan", email="zhangsan@example.com", display_name="张三")
    assert 'href="/password-reset/"' in client.get("/login/").content.decode()

    response = client.post("/password-reset/", {"email": "zhangsan@example.com"})

    assert response.status_code == 302 and response["Location"] == "/password-reset/done/"
    (message,) = mail.outbox
    assert message.to == ["zhangsan@example.com"] and "重设密码" in message.subject
    assert "张三" in message.body and "zhangsan" in message.body
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "设置新密码" in text(form_page)
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "abc", "new_password2": "abc"})
    assert "密码太短" in text(weak)
    done = client.post(set_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/password-reset/complete/"
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    assert client.login(username="zhangsan", password=GOOD_PASSWORD)
    event = AuditEvent.objects.get(event_type="auth.password_reset_requested")
    assert event.subject_id == str(user.pk) and event.payload["known"] is True


def test_an_unknown_address_reads_the_same_and_is_audited(client):
    response = client.post("/password-reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302 and response["Location"] == "/password-reset/done/"
    assert mail.outbox == []
    event = AuditEvent.objects.get(event_type="auth.password_reset_requested")
    assert event.payload["known"] is False and "nobody@example.com" in event.subject_label


def test_too_many_requests_are_refused(client):
    UserFactory(email="many@example.com")
    for _ in range(5):
        client.post("/password-reset/", {"email": "many@example.com"})

    response = client.post("/password-reset/", {"email": "many@example.com"})

    assert response.status_code == 200 and "找回密码尝试次数过多，已暂时锁定" in text(response)
    assert len(mail.outbox) == 5  # the fifth request is still served; it locks the next ones
