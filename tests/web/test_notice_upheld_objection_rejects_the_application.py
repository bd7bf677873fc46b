"""The bureau upholds an objection on the notice page: the application is rejected with the reason."""

import pytest
from django.core.cache import cache

from smeplan.recognition.models import State
from tests.recognition.make import applicant, bureaus, on_notice, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_upholding_an_objection_rejects_the_application(client):
    cache.clear()
    officers = bureaus()
    _, user = applicant(name="雁塔异议成立有限公司")
    application = to_selected(submitted(user), officers)
    application, notice = on_notice(application, officers["province"])
    client.post(
        f"/public/notices/{notice.pk}/",
        {
            "application": application.pk,
            "name": "王五",
            "phone": "13900001111",
            "text": "该企业存在重大安全事故。",
        },
    )
    objection = application.objections.get()

    client.force_login(officers["city"])  # not the notice's bureau: refused by the service
    assert client.post(
        f"/recognition/objections/{objection.pk}/resolve/", {"upheld": "1", "resolution": "属实"}
    ).status_code in (403, 404)

    client.force_login(officers["province"])
    page = client.post(
        f"/recognition/objections/{objection.pk}/resolve/",
        {"upheld": "1", "resolution": "经核实存在重大安全事故"},
        follow=True,
    )
    body = text(page)
    assert "异议成立：该企业的申报已不予认定" in body
    assert "未通过" in body
    assert "异议成立：经核实存在重大安全事故" in body
    application.refresh_from_db()
    assert application.state == State.REJECTED
