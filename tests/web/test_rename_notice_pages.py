"""更名公示 in the pages: the certifying bureau publishes the confirmed rename from the change report's
page, the public notice lists it (new and former name), objections are filed there, and after the
notice the bureau re-certifies."""

import datetime as dt

import pytest

from smeplan.recognition import services
from smeplan.recognition.models import ChangeState
from tests.recognition.make import applicant, bureaus, certified, move_time, submitted, to_selected


@pytest.mark.django_db
def test_rename_published_objected_and_recertified(client, monkeypatch):
    officers = bureaus()
    _, user = applicant()
    old = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)
    old.programme.rename_requires_notice = True
    old.programme.save(update_fields=["rename_requires_notice"])
    report = services.change_report_file(
        actor=user,
        certification=old,
        kind="rename",
        description="股东会决议更名",
        new_name="陕西新名称科技有限公司",
    )
    services.rename_confirm(actor=officers["city"], report=report)
    client.force_login(officers["province"])
    page = client.get(f"/recognition/changes/{report.pk}/").content.decode()
    assert 'id="publish"' in page and 'id="recertify"' not in page
    response = client.post(
        f"/recognition/changes/{report.pk}/publish/", {"title": "关于企业更名的公示", "days": "5"}
    )
    report.refresh_from_db()
    assert report.state == ChangeState.ON_NOTICE
    assert response["Location"] == f"/recognition/notices/{report.notice_id}/"
    client.logout()
    public = client.get(f"/public/notices/{report.notice_id}/").content.decode()
    assert f"陕西新名称科技有限公司（原名称：{old.organisation_name}）" in public
    client.post(
        f"/public/notices/{report.notice_id}/",
        {
            "application": f"rename-{report.pk}",
            "name": "李四",
            "phone": "13800000000",
            "text": "新名称与我公司商标近似请核实",
        },
    )
    assert report.objections.count() == 1
    client.force_login(officers["province"])
    assert "更名公示名单与异议" in client.get(f"/recognition/notices/{report.notice_id}/").content.decode()
    services.objection_resolve(
        actor=officers["province"], objection=report.objections.get(), upheld=False, resolution="不近似"
    )
    move_time(monkeypatch, (report.notice.ends_on - dt.date.today()).days + 1)
    assert 'id="recertify"' in client.get(f"/recognition/changes/{report.pk}/").content.decode()
    response = client.post(
        f"/recognition/changes/{report.pk}/recertify/", {"document_number": "陕中小企发〔2027〕5号"}
    )
    report.refresh_from_db()
    assert report.state == ChangeState.RECERTIFIED
