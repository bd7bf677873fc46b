"""After the notice, an open objection still blocks certification until the bureau resolves it."""

import pytest
from django.core.cache import cache

from smeplan.recognition.models import Certification, State
from tests.recognition.make import DOCUMENT, applicant, bureaus, move_time, on_notice, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_an_open_objection_blocks_certification_until_dismissed(client, monkeypatch):
    cache.clear()
    officers = bureaus()
    _, user = applicant(name="雁塔被异议有限公司")
    application = to_selected(submitted(user), officers)
    application, notice = on_notice(application, officers["province"])
    client.post(
        f"/public/notices/{notice.pk}/",
        {
            "application": application.pk,
            "name": "王五",
            "phone": "13900001111",
            "text": "该企业纳税数据与实际不符。",
        },
    )
    move_time(monkeypatch, notice.days + 1)
    client.force_login(officers["province"])
    application.refresh_from_db()
    item = f"{application.pk}:{application.lock_version}"

    refused = client.post("/recognition/certify/", {"items": [item], "document_number": DOCUMENT})
    assert refused.status_code == 422
    assert "还有 1 条异议未处理，处理完毕后才能认定" in text(refused)
    assert not Certification.objects.exists()

    objection = application.objections.get()
    client.post(
        f"/recognition/objections/{objection.pk}/resolve/", {"upheld": "0", "resolution": "经核实数据无误"}
    )
    application.refresh_from_db()
    item = f"{application.pk}:{application.lock_version}"
    done = client.post("/recognition/certify/", {"items": [item], "document_number": DOCUMENT}, follow=True)
    assert "已认定 1 家企业" in text(done)
    application.refresh_from_db()
    assert application.state == State.CERTIFIED
