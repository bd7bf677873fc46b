"""Before the notice starts and after it ends the public page refuses objections and saves nothing."""

import datetime as dt

import pytest
from django.core.cache import cache

from smeplan.recognition import clock, services
from smeplan.recognition.models import Objection
from tests.recognition.make import applicant, bureaus, move_time, submitted, to_selected
from tests.web.helpers import text


def post(client, notice, application):
    return client.post(
        f"/public/notices/{notice.pk}/",
        {
            "application": application.pk,
            "name": "李四",
            "phone": "029-88881234",
            "text": "该企业存在违法违规行为，请核查。",
        },
    )


@pytest.mark.django_db
def test_objections_are_refused_before_the_start_and_after_the_end(client, monkeypatch):
    cache.clear()
    officers = bureaus()
    _, user = applicant()
    application = to_selected(submitted(user), officers)
    starts = clock.today() + dt.timedelta(days=3)
    notice = services.notice_publish(
        actor=officers["province"],
        items=[(application.pk, application.lock_version)],
        title="2026年省级成长梯队企业公示",
        starts_on=starts,
        days=5,
    )

    before = post(client, notice, application)
    assert before.status_code == 422
    assert "公示尚未开始，不能提出异议" in text(before)

    move_time(monkeypatch, 3 + 5)  # the day after the last day
    after = post(client, notice, application)
    assert after.status_code == 422
    assert f"公示已于 {notice.ends_on:%Y年%m月%d日} 结束，不能提出异议" in text(after)
    assert not Objection.objects.exists()
