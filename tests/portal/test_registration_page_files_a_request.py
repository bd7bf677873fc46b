"""The public page files a request, signs the applicant in and shows the status; the password policy
is stated on the page."""

import pytest

from smeplan.portal.models import EnterpriseRegistration
from tests.factories import registration_data
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_register_then_status(client):
    form = text(client.get("/register/"))
    assert "密码至少 10 位" in form and "雁塔区" in form
    data = registration_data(name="终南山数据有限公司")

    response = client.post("/register/", data, follow=True)

    page = text(response)
    assert response.redirect_chain[-1][0] == "/portal/registration/status/"
    assert "注册申请待区县主管部门审核" in page and "终南山数据有限公司" in page
    registration = EnterpriseRegistration.objects.get(credit_code=data["credit_code"])
    assert registration.user.role == "enterprise_user" and registration.user.organisation is None
    assert registration.user.display_name == "王经理" and registration.user.mobile == "13912345678"


def test_the_login_page_offers_registration(client):
    body = client.get("/login/").content.decode()
    assert 'href="/register/"' in body


def test_one_address_cannot_file_requests_without_end(client):
    from smeplan.accounts.throttle import IP_LIMIT

    for _ in range(IP_LIMIT):
        client.post("/register/", registration_data(mobile="1"), REMOTE_ADDR="10.7.7.7")

    response = client.post("/register/", registration_data(), REMOTE_ADDR="10.7.7.7")

    assert "注册尝试次数过多，已暂时锁定" in text(response)
    assert not EnterpriseRegistration.objects.exists()
