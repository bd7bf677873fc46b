"""Reported values by every level through the API: a county reports its own value and uploads its
attachment (checked by content), its city confirms, the values list shows who, when, the attachment
and the confirmation; the city's progress shows the sum of confirmed county values beside its own."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smeplan.recognition import clock
from tests.factories import city_officer, county_officer
from tests.targets.make import target

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_county_reports_and_its_city_confirms(api_as, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2018, 7, 2))
    pk = target("financing-listed").pk
    xian = city_officer("610100")
    county, city = api_as(county_officer("610113")), api_as(xian)
    body = {"region": "610113", "year": 2018, "value": "12", "source_note": "雁塔区金融办统计"}
    created = county.post(f"/targets/{pk}/values", body)
    assert created.status_code == 200, created.content
    value = created.json()
    assert (value["region"], value["confirmed"], value["attachment"]) == ("610113", False, None)

    refused = county.upload(
        f"/targets/values/{value['id']}/attachment", {"file": SimpleUploadedFile("统计表.pdf", b"GIF89a")}
    )
    assert refused.status_code == 422 and "只接受 PDF、PNG、JPEG、XLSX 文件" in refused.content.decode()
    attached = county.upload(
        f"/targets/values/{value['id']}/attachment", {"file": SimpleUploadedFile("统计表.pdf", PDF)}
    )
    assert attached.status_code == 200, attached.content
    attachment = attached.json()["attachment"]
    assert (attachment["name"], attachment["content_type"]) == ("统计表.pdf", "application/pdf")
    assert attached.json()["revisions"][0]["new_attachment"]["name"] == "统计表.pdf"

    assert api_as(city_officer("610300")).post(f"/targets/values/{value['id']}/confirm").status_code == 404
    assert county.post(f"/targets/values/{value['id']}/confirm").status_code == 403
    confirmed = city.post(f"/targets/values/{value['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"] is True
    assert confirmed.json()["confirmed_by"] == xian.username

    download = city.get(f"/targets/attachments/{attachment['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    city.post(
        f"/targets/{pk}/values", {"region": "610100", "year": 2018, "value": "40", "source_note": "市金融办"}
    )
    progress = {r["code"]: r for r in city.get("/targets/periods/13th/progress").json()}
    listed = progress["financing-listed"]
    assert (listed["value"], listed["county_sum"], listed["county_note"]) == (
        "40.00",
        "12.00",
        "1 个区县已确认",
    )
