"""Certifying from the form lands on the list filtered by the document number; the .xlsx has the row."""

import io

import pytest
from python_calamine import CalamineWorkbook

from tests.recognition.make import DOCUMENT, applicant, bureaus, move_time, on_notice, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_certified_enterprise_is_in_the_list_and_its_export(client, monkeypatch):
    officers = bureaus()
    org, user = applicant(name="雁塔认定名单有限公司")
    application = to_selected(submitted(user), officers)
    application, notice = on_notice(application, officers["province"])
    move_time(monkeypatch, notice.days + 1)
    client.force_login(officers["province"])

    detail = text(client.get(f"/recognition/notices/{notice.pk}/"))
    assert "已结束" in detail
    assert f'value="{application.pk}:{application.lock_version}"' in detail  # the 认定 checkboxes

    done = client.post(
        "/recognition/certify/",
        {"items": [f"{application.pk}:{application.lock_version}"], "document_number": DOCUMENT},
        follow=True,
    )
    url, _ = done.redirect_chain[-1]
    assert url.startswith("/recognition/certifications/?document=")
    body = text(done)
    assert f"已认定 1 家企业（{DOCUMENT}）" in body
    assert "雁塔认定名单有限公司" in body
    assert "陕西省成长之星企业" in body

    client.force_login(officers["county"])  # the county sees its enterprise's certification too
    export = client.get("/recognition/certifications/?format=xlsx")
    assert export.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    rows = book.get_sheet_by_name("认定名单").to_python()
    flat = [str(v) for row in rows for v in row]
    assert "雁塔认定名单有限公司" in flat
    assert org.credit_code in flat
    assert DOCUMENT in flat
