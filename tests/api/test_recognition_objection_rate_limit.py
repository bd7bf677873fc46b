"""Objections are limited per client address: five an hour, the sixth is 429 in Chinese."""

import pytest
from django.test import Client

from smeplan.recognition.models import Objection
from tests.recognition.make import applicant, bureaus, on_notice, submitted, to_selected

pytestmark = pytest.mark.django_db


def test_the_sixth_objection_within_the_hour_is_429():
    _, user = applicant()
    officers = bureaus()
    application, notice = on_notice(to_selected(submitted(user), officers), officers["province"])
    url = f"/api/v1/recognition/public/notices/{notice.pk}/objections"
    body = {
        "application_id": application.pk,
        "name": "王五",
        "phone": "13800000000",
        "text": "该企业营业收入数据与实际不符。",
    }

    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        assert client.post(url, body, content_type="application/json").status_code == 201
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["detail"] == "提交异议过于频繁：同一来源每小时最多提交 5 条，请稍后再试"
    assert Objection.objects.count() == 5

    other = Client(REMOTE_ADDR="203.0.113.8")  # another address is not affected
    assert other.post(url, body, content_type="application/json").status_code == 201
