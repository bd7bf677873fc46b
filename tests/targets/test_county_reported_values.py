"""Reported values by every level: a county bureau enters its own county's value (with reporter, date,
source note and an attachment checked by content); its city sees and confirms it (confirmed /
unconfirmed shown; a later change needs a new confirmation); the province sees all; every change
keeps a revision and an audit event; a city's value shows the sum of its counties' confirmed values
beside its own entry."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from smeplan.audit.models import AuditEvent
from smeplan.recognition import clock
from smeplan.recognition.models import Notification
from smeplan.targets.models import ReportedAttachment, ReportedValue, ReportedValueRevision
from smeplan.targets.services import reported_value_confirm, reported_value_set
from tests.factories import city_officer, county_officer, province_admin
from tests.targets.make import target

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("统计").write(0, 0, "上市挂牌企业")
    book.close()
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _report(actor, region="610113", value="12", note="雁塔区金融办统计", year="2018", attachment=None):
    return reported_value_set(
        actor=actor,
        target=target("financing-listed"),
        data={"region": region, "year": year, "value": value, "source_note": note},
        attachment=attachment,
    )


def _snapshot():
    return (
        list(ReportedValue.objects.values_list("region_id", "value", "confirmed_at", "attachment_id")),
        ReportedValueRevision.objects.count(),
        ReportedAttachment.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_county_enters_its_own_value_with_an_attachment_and_waits_for_its_city():
    yanta = county_officer("610113")
    rv = _report(yanta, attachment=("统计表.pdf", PDF))
    assert (rv.region_id, rv.value, rv.entered_by, rv.confirmed_at) == ("610113", Decimal("12"), yanta, None)
    assert (rv.attachment.name, rv.attachment.content_type, rv.attachment.size) == (
        "统计表.pdf",
        "application/pdf",
        len(PDF),
    )
    assert rv.attachment.file.read() == PDF and "统计表" not in rv.attachment.file.name  # a random name
    assert rv.entered_at is not None
    event = AuditEvent.objects.get(event_type="target.value_reported")
    assert (event.payload["region"], event.payload["attachment"], event.payload["confirmed"]) == (
        "610113",
        "统计表.pdf",
        False,
    )
    before = _snapshot()
    for actor, region in ((yanta, "610302"), (yanta, "610100"), (city_officer("610300"), "610113")):
        with pytest.raises(PermissionDenied):
            _report(actor, region=region)
    assert _snapshot() == before


def test_the_city_confirms_and_a_later_change_needs_a_new_confirmation():
    yanta, xian = county_officer("610113"), city_officer("610100")
    rv = _report(yanta, attachment=("统计表.pdf", PDF))
    (told,) = Notification.objects.filter(user=xian)  # the city is told there is a value to confirm
    assert told.title == "雁塔区填报了“主板、新三板上市挂牌企业”2018年的数值 12户，待确认"
    assert told.url == f"/targets/{rv.target_id}/#reported"
    for outsider in (county_officer("610113", username="other-county"), city_officer("610300")):
        with pytest.raises(PermissionDenied):
            reported_value_confirm(actor=outsider, reported=rv)
    confirmed = reported_value_confirm(actor=xian, reported=rv)
    assert (confirmed.confirmed_by, confirmed.confirmed_at is not None) == (xian, True)
    assert AuditEvent.objects.filter(event_type="target.value_confirmed", actor=xian).count() == 1
    with pytest.raises(ValidationError) as again:
        reported_value_confirm(actor=xian, reported=rv)
    assert "已于" in again.value.messages[0] and "确认" in again.value.messages[0]
    changed = _report(yanta, value="15", attachment=("统计表.xlsx", _xlsx()))
    assert (changed.value, changed.confirmed_at, changed.confirmed_by) == (Decimal("15"), None, None)
    latest = changed.revisions.first()
    assert (latest.old_value, latest.new_value) == (Decimal("12.00"), Decimal("15"))
    assert (latest.old_attachment.name, latest.new_attachment.name) == ("统计表.pdf", "统计表.xlsx")
    assert latest.old_attachment.file.read() == PDF  # the old file stays readable
    # entered by the city itself: confirmed at once
    by_city = _report(xian, region="610113", value="16", note="市金融办核定")
    assert by_city.confirmed_by == xian


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("统计表.pdf", PNG, "统计表.pdf：文件内容是 PNG，与扩展名「.pdf」不符"),
        ("统计表.docx", _docx(), "统计表.docx：只接受 PDF、PNG、JPEG、XLSX 文件"),
        ("统计表.xlsx", b"MZ\x90\x00", "统计表.xlsx：只接受 PDF、PNG、JPEG、XLSX 文件"),
        ("统计表.pdf", b"", "统计表.pdf：文件是空的"),
        ("统计表.pdf", PDF + b"x" * 2048, "统计表.pdf：文件 0.0 MB，超过 0 MB 的上限"),
    ],
)
def test_an_attachment_is_checked_by_content_and_size_and_nothing_is_written(
    settings, name, content, message
):
    settings.SMEPLAN_ATTACHMENT_MAX_BYTES = 1024
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        _report(county_officer("610113"), attachment=(name, content))
    assert any(m.startswith(message) for m in refused.value.message_dict["file"]), refused.value.message_dict
    assert _snapshot() == before


def test_the_city_sees_its_entry_beside_the_sum_of_its_counties_confirmed_values(client, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2018, 7, 2))
    xian = city_officer("610100")
    _report(xian, region="610100", value="40", note="市金融办统计")
    confirmed = _report(county_officer("610113"), value="12")
    reported_value_confirm(actor=xian, reported=confirmed)
    _report(county_officer("610112"), region="610112", value="9", note="未央区统计", year="2017")
    reported_value_confirm(actor=xian, reported=ReportedValue.objects.get(region_id="610112"))
    _report(county_officer("610104"), region="610104", value="100", note="莲湖区统计")  # not confirmed
    client.force_login(xian)
    page = client.get("/targets/").content.decode()
    row = re.search(r'<tr data-code="financing-listed">(.*?)</tr>', page, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    assert " 40 " in text
    assert "区县合计 21（2 个区县已确认，1 个区县的填报待确认）" in text
    detail = client.get(f"/targets/{target('financing-listed').pk}/").content.decode()
    listed = dict(re.findall(r'<tr data-region="(\d+)" data-year="\d+">(.*?)</tr>', detail, re.S))
    assert set(listed) == {"610100", "610113", "610112", "610104"}
    assert (
        "已确认" in listed["610113"] and "待市级确认" in listed["610104"] and "无需确认" in listed["610100"]
    )
    assert 'action="/targets/values/' in listed["610104"]  # the city may confirm it here
    # the county sees its own value only, marked as waiting
    client.force_login(county_officer("610104", username="lianhu"))
    county_page = client.get("/targets/").content.decode()
    county_row = re.search(r'<tr data-code="financing-listed">(.*?)</tr>', county_page, re.S).group(1)
    assert "100" in county_row and "待市级确认" in county_row
    county_detail = client.get(f"/targets/{target('financing-listed').pk}/").content.decode()
    assert set(re.findall(r'<tr data-region="(\d+)"', county_detail)) == {"610104"}
    # the province sees all
    client.force_login(province_admin())
    province_detail = client.get(f"/targets/{target('financing-listed').pk}/").content.decode()
    assert set(re.findall(r'<tr data-region="(\d+)"', province_detail)) == {
        "610100",
        "610113",
        "610112",
        "610104",
    }


def test_through_the_pages_a_county_reports_with_a_file_and_the_city_confirms(client, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2018, 7, 2))
    pk = target("financing-listed").pk
    client.force_login(county_officer("610113"))
    form = client.get(f"/targets/{pk}/").content.decode()
    assert (
        re.findall(r'<select id="f-region" name="region">(.*?)</select>', form, re.S)[0].count("<option") == 1
    )
    response = client.post(
        f"/targets/{pk}/",
        {
            "region": "610113",
            "year": "2018",
            "value": "12",
            "source_note": "雁塔区金融办",
            "attachment": SimpleUploadedFile("统计表.pdf", PDF),
        },
    )
    assert response.status_code == 302
    rv = ReportedValue.objects.get(region_id="610113")
    assert rv.attachment.name == "统计表.pdf" and rv.confirmed_at is None
    bad = client.post(
        f"/targets/{pk}/",
        {
            "region": "610113",
            "year": "2018",
            "value": "13",
            "source_note": "雁塔区金融办",
            "attachment": SimpleUploadedFile("统计表.pdf", PNG),
        },
    )
    assert bad.status_code == 422 and "与扩展名「.pdf」不符" in bad.content.decode()
    assert ReportedValue.objects.get(region_id="610113").value == Decimal("12")
    client.force_login(city_officer("610100"))
    assert client.post(f"/targets/values/{rv.pk}/confirm/").status_code == 302
    rv.refresh_from_db()
    assert rv.confirmed_at is not None
    download = client.get(f"/targets/attachments/{rv.attachment_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(city_officer("610300"))
    assert client.get(f"/targets/attachments/{rv.attachment_id}/").status_code == 404
    assert client.post(f"/targets/values/{rv.pk}/confirm/").status_code == 404
