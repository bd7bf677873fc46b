"""At most 5 objections an hour from one address: the 6th gets a clear message and nothing is saved."""

import pytest
from django.core.cache import cache

from smeplan.recognition.models import Objection
from tests.recognition.make import applicant, bureaus, on_notice, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_the_sixth_objection_in_an_hour_from_one_address_is_refused(client):
    cache.clear()
    officers = bureaus()
    _, user = applicant()
    application = to_selected(submitted(user), officers)
    _, notice = on_notice(application, officers["province"])
    data = {
        "application": application.pk,
        "name": "赵六",
        "phone": "13800002222",
        "text": "该企业申报材料存在虚假内容。",
    }
    url = f"/public/notices/{notice.pk}/"
    for _ in range(5):
        assert client.post(url, data).status_code == 302
    sixth = client.post(url, data)
    assert sixth.status_code == 429
    assert "每小时最多提出 5 条异议，您的异议未提交" in text(sixth)
    assert Objection.objects.count() == 5
    other = client.post(url, data, REMOTE_ADDR="10.1.2.3")  # another address is not affected
    assert other.status_code == 302
    assert Objection.objects.count() == 6
