"""并购 reported by the enterprise: the page shows the automatic re-check; the certifying bureau
terminates (重大变化) with a document number, and the certification shows the termination."""

import pytest

from smeplan.recognition import clock
from smeplan.recognition.models import CertificationState, ChangeReport
from tests.recognition.make import applicant, bureaus, certified, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_merger_is_rechecked_and_terminated_by_the_certifying_bureau(client, monkeypatch):
    officers = bureaus()
    _, user = applicant(name="雁塔并购有限公司")
    certification = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)

    client.force_login(user)
    client.post(
        f"/recognition/certifications/{certification.pk}/changes/new/",
        {"kind": "merger", "description": "被某集团公司整体收购，控股股东变更"},
    )
    report = ChangeReport.objects.get()
    url = f"/recognition/changes/{report.pk}/"
    page = text(client.get(url))
    assert f"重新核验（按 {clock.today().year - 1} 年度数据）" in page
    assert 'id="decide"' not in page  # the enterprise cannot decide

    client.force_login(officers["province"])
    assert 'id="decide"' in text(client.get(url))
    missing = client.post(url + "decide/", {"keep": "0", "note": "收购后不再符合中小企业条件"}, follow=True)
    assert "请填写文号" in text(missing)
    done = client.post(
        url + "decide/",
        {"keep": "0", "note": "收购后不再符合中小企业条件", "document_number": "陕中小企函〔2026〕9号"},
        follow=True,
    )
    assert "已处理：核查后终止资格" in text(done)
    detail = text(client.get(f"/recognition/certifications/{certification.pk}/"))
    assert "发生重大变化后不符合条件（陕中小企函〔2026〕9号）" in detail
    certification.refresh_from_db()
    assert certification.state == CertificationState.TERMINATED
