"""An objection filed on the public page while the notice runs reaches the bureau's notice page."""

import pytest
from django.core.cache import cache

from smeplan.recognition.models import Objection
from tests.recognition.make import applicant, bureaus, on_notice, submitted, to_selected
from tests.web.helpers import field_errors, text


@pytest.mark.django_db
def test_an_objection_while_the_notice_runs_is_saved_and_shown_to_the_bureau(client):
    cache.clear()
    officers = bureaus()
    _, user = applicant(name="雁塔异议对象有限公司")
    application = to_selected(submitted(user), officers)
    _, notice = on_notice(application, officers["province"])
    url = f"/public/notices/{notice.pk}/"

    bad = client.post(url, {"application": application.pk, "name": "", "phone": "1", "text": "短"})
    assert bad.status_code == 422
    assert field_errors(bad, "name") and field_errors(bad, "phone") and field_errors(bad, "text")
    assert not Objection.objects.exists()

    done = client.post(
        url,
        {
            "application": application.pk,
            "name": "王五",
            "phone": "13900001111",
            "text": "该企业营业收入数据与实际不符，请核实。",
        },
        follow=True,
    )
    assert "您的异议已提交" in text(done)
    assert Objection.objects.count() == 1

    client.force_login(officers["province"])
    page = text(client.get(f"/recognition/notices/{notice.pk}/"))
    assert "该企业营业收入数据与实际不符" in page
    assert "待处理" in page
    assert "提交处理结果" in page
