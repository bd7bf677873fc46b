"""The city returns an application with a reason: the enterprise is notified and sees the reason;
after correcting and resubmitting, it goes straight back to the city (the returning step)."""

import pytest

from smeplan.recognition.models import State
from tests.recognition.make import act, applicant, bureaus, submitted
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_return_with_reason_then_resubmission_goes_back_to_the_city(client):
    officers = bureaus()
    _, user = applicant()
    application = act(officers["county"], submitted(user), "recommend")
    assert application.state == State.CITY_REVIEW

    client.force_login(officers["city"])
    response = client.post(
        f"/recognition/applications/{application.pk}/act/",
        {"action": "return", "version": application.lock_version, "reason": "请补充研发情况"},
        follow=True,
    )
    assert "已办理「退回修改」" in text(response)
    application.refresh_from_db()
    assert application.state == State.RETURNED

    client.force_login(user)
    notes = text(client.get("/notifications/"))
    # the county's 审核通过 and then the city's return, both unread
    assert "已通过审核" in notes and "被退回修改：请补充研发情况" in notes and "2 条未读" in notes
    assert f'href="/recognition/applications/{application.pk}/"' in notes
    form = text(client.get(f"/recognition/applications/{application.pk}/edit/"))
    assert "本申报已被退回修改：请补充研发情况" in form and "保存并重新提交" in form

    response = client.post(
        f"/recognition/applications/{application.pk}/edit/",
        {
            "version": application.lock_version,
            "main_products": "工业阀门",
            "rd_note": "设有省级企业技术中心",
            "declare": "1",
            "op": "submit",
        },
        follow=True,
    )
    assert "已提交，等待西安市审核" in text(response)
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW and application.waiting_region_id == "610100"

    body = text(client.post("/notifications/read/", follow=True))
    assert "已将 2 条通知标为已读" in body and "未读" not in body.split("<tbody>")[1]
