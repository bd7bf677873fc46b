"""Certifying while the notice still runs is refused with the notice's last day; nothing changes."""

import pytest

from smeplan.recognition.models import Certification, State
from tests.recognition.make import DOCUMENT, applicant, bureaus, move_time, on_notice, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_certify_during_the_notice_shows_the_guard_message(client, monkeypatch):
    officers = bureaus()
    _, user = applicant(name="雁塔公示期内有限公司")
    application = to_selected(submitted(user), officers)
    application, notice = on_notice(application, officers["province"])
    move_time(monkeypatch, 3)  # day 4 of 7
    client.force_login(officers["province"])

    detail = text(client.get(f"/recognition/notices/{notice.pk}/"))
    assert "公示中" in detail
    assert f"公示期至 {notice.ends_on:%Y年%m月%d日}，公示期内不能认定" in detail

    item = f"{application.pk}:{application.lock_version}"
    form = client.post("/recognition/certify/", {"items": [item]})
    assert form.status_code == 200
    assert "雁塔公示期内有限公司" in text(form)

    refused = client.post("/recognition/certify/", {"items": [item], "document_number": DOCUMENT})
    assert refused.status_code == 422
    assert f"雁塔公示期内有限公司：公示期至 {notice.ends_on:%Y年%m月%d日}，公示期内不能认定" in text(refused)
    application.refresh_from_db()
    assert application.state == State.ON_NOTICE
    assert not Certification.objects.exists()
