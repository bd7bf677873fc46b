"""A registration with a credit code whose check character is wrong is refused with the precise
Chinese reason, every other problem at once, and nothing is written (no account, no request)."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.accounts.models import User
from smeplan.audit.models import AuditEvent
from smeplan.portal.models import EnterpriseRegistration
from smeplan.portal.registration import registration_submit
from tests.factories import registration_data
from tests.web.helpers import field_errors

pytestmark = pytest.mark.django_db


def _bad_code(data):
    code = data["credit_code"]
    wrong = "0" if code[-1] != "0" else "1"
    return code[:-1] + wrong


def test_the_service_refuses_and_writes_nothing():
    data = registration_data()
    data["credit_code"] = _bad_code(data)
    data["mobile"] = "1234"
    before = (User.objects.count(), AuditEvent.objects.count())

    with pytest.raises(ValidationError) as caught:
        registration_submit(data=data)

    errors = caught.value.message_dict
    assert errors["credit_code"][0].startswith("第18位校验码应为")
    assert errors["mobile"] == ["手机号码应为 11 位中国大陆手机号（以 1 开头，如 13912345678）"]
    assert (User.objects.count(), AuditEvent.objects.count()) == before
    assert not EnterpriseRegistration.objects.exists()


def test_the_page_shows_the_reason_beside_the_field(client):
    data = registration_data()
    data["credit_code"] = _bad_code(data)

    response = client.post("/register/", data)

    assert response.status_code == 200
    assert field_errors(response, "credit_code")[0].startswith("第18位校验码应为")
    assert not User.objects.filter(username=data["username"]).exists()
