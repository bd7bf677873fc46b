"""The county refuses with a reason (required); the applicant reads it on the status page and in a
notification, corrects the request and sends it again."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.portal.registration import registration_refuse
from smeplan.recognition.models import Notification
from tests.factories import county_officer, registration_make
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_refusal_needs_a_reason():
    registration = registration_make()

    with pytest.raises(ValidationError) as caught:
        registration_refuse(actor=county_officer("610113"), registration=registration, reason="  ")

    assert caught.value.message_dict["reason"] == ["请填写不通过的原因（申请人将看到）"]
    registration.refresh_from_db()
    assert registration.state == "pending"


def test_the_applicant_reads_the_reason_and_resubmits(client):
    registration = registration_make(name="错字公司")
    client.force_login(county_officer("610113"))
    client.post(f"/portal/registrations/{registration.pk}/refuse/", {"reason": "单位名称与营业执照不符"})

    client.force_login(registration.user)
    page = text(client.get("/portal/registration/status/"))
    assert "注册申请未通过审核" in page and "原因：单位名称与营业执照不符" in page
    assert Notification.objects.filter(
        user=registration.user, title__contains="单位名称与营业执照不符"
    ).exists()

    response = client.post(
        "/portal/registration/status/",
        {
            "credit_code": registration.credit_code,
            "name": "正确名称有限公司",
            "county": "610113",
            "contact_name": "王经理",
            "mobile": "13912345678",
            "email": registration.email,
        },
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (
        registration.state == "pending"
        and registration.name == "正确名称有限公司"
        and registration.reason == ""
    )
    assert "注册申请待区县主管部门审核" in text(client.get("/portal/registration/status/"))
