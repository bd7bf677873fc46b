"""公布名单 without login: active certifications by name, county and tier, filterable, and as .xlsx."""

import io

import pytest
from python_calamine import CalamineWorkbook

from tests.recognition.make import DOCUMENT, applicant, bureaus, certified, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_the_public_certified_list_and_its_export(client, monkeypatch):
    officers = bureaus()
    org, user = applicant(name="雁塔公布名单有限公司")
    certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)

    page = client.get("/public/certified/?programme=growth-province")
    assert page.status_code == 200
    body = text(page)
    assert "雁塔公布名单有限公司" in body
    assert "雁塔区" in body
    assert "成长之星" in body
    assert org.credit_code not in body
    assert "雁塔公布名单有限公司" not in text(client.get("/public/certified/?programme=growth-city"))

    export = client.get("/public/certified/?format=xlsx")
    assert export.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    flat = [str(v) for row in book.get_sheet_by_name("认定名单").to_python() for v in row]
    assert "雁塔公布名单有限公司" in flat
    assert DOCUMENT in flat
    assert org.credit_code not in flat
