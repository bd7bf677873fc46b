"""更名: the enterprise reports, the city confirms, the certifying bureau re-certifies under the new name;
the organisation is renamed and the certification page shows a history chain of two."""

import pytest

from smeplan.recognition.models import Certification, CertificationState, ChangeReport
from tests.recognition.make import applicant, bureaus, certified, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_rename_is_confirmed_by_the_city_and_recertified(client, monkeypatch):
    officers = bureaus()
    org, user = applicant(name="雁塔旧名称有限公司")
    old = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)

    client.force_login(user)
    page = client.post(
        f"/recognition/certifications/{old.pk}/changes/new/",
        {"kind": "rename", "description": "经市场监管部门核准更名", "new_name": "雁塔新名称科技有限公司"},
        follow=True,
    )
    report = ChangeReport.objects.get()
    assert page.redirect_chain[-1][0] == f"/recognition/changes/{report.pk}/"
    assert "已报告更名" in text(page)

    client.force_login(officers["province"])  # not yet confirmed: no re-certification form
    assert 'id="recertify"' not in text(client.get(f"/recognition/changes/{report.pk}/"))

    client.force_login(officers["city"])
    assert 'id="confirm"' in text(client.get(f"/recognition/changes/{report.pk}/"))
    confirmed = client.post(
        f"/recognition/changes/{report.pk}/confirm/", {"note": "名称核准通知书已核"}, follow=True
    )
    assert "已确认更名为「雁塔新名称科技有限公司」" in text(confirmed)

    client.force_login(officers["province"])
    done = client.post(
        f"/recognition/changes/{report.pk}/recertify/",
        {"document_number": "陕中小企发〔2026〕30号", "certified_on": ""},
        follow=True,
    )
    new = Certification.objects.exclude(pk=old.pk).get()
    assert done.redirect_chain[-1][0] == f"/recognition/certifications/{new.pk}/"
    body = text(done)
    assert "已按新名称「雁塔新名称科技有限公司」重新认定（陕中小企发〔2026〕30号）" in body
    assert "认定记录（2）" in body
    assert "雁塔旧名称有限公司" in body  # the earlier link of the chain
    org.refresh_from_db()
    assert org.name == "雁塔新名称科技有限公司"
    old.refresh_from_db()
    assert old.state == CertificationState.SUPERSEDED
    assert new.previous_id == old.pk
