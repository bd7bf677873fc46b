"""填报值: a bureau enters the value of a target whose data belongs to another agency; a change keeps
a revision (old → new, who, note); the same value again changes nothing; a bad entry is refused in
Chinese, naming the field, and writes nothing; a city officer reports for its own city only (county
bureaus: tests/targets/test_county_reported_values.py); the dashboard shows 未填报 before any value
and the value with its source after."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.recognition import clock
from smeplan.targets.models import ReportedValue, ReportedValueRevision
from smeplan.targets.services import reported_value_set
from tests.factories import city_officer, county_officer, province_admin
from tests.targets.make import target

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(ReportedValue.objects.values_list("target_id", "region_id", "year", "value", "source_note")),
        ReportedValueRevision.objects.count(),
        AuditEvent.objects.filter(event_type="target.value_reported").count(),
    )


def _report(actor, code="financing-listed", **data):
    values = {"region": "610000", "year": "2018", "value": "120", "source_note": "省金融办 2018 年统计"}
    values.update(data)
    return reported_value_set(actor=actor, target=target(code), data=values)


def test_entering_then_changing_a_value_keeps_a_revision():
    first, second = province_admin(username="first"), province_admin(username="second")
    rv = _report(first)
    assert (rv.region_id, rv.year, rv.value, rv.source_note, rv.entered_by) == (
        "610000",
        2018,
        Decimal("120"),
        "省金融办 2018 年统计",
        first,
    )
    changed = _report(second, value="1,50", source_note="省金融办更正")
    assert changed.pk == rv.pk and ReportedValue.objects.count() == 1
    changed.refresh_from_db()
    assert (changed.value, changed.source_note, changed.entered_by) == (
        Decimal("150"),
        "省金融办更正",
        second,
    )
    latest, original = changed.revisions.all()
    assert (original.old_value, original.new_value, original.changed_by) == (None, Decimal("120"), first)
    assert (latest.old_value, latest.new_value, latest.changed_by) == (Decimal("120"), Decimal("150"), second)
    assert (latest.old_note, latest.new_note) == ("省金融办 2018 年统计", "省金融办更正")
    event = AuditEvent.objects.filter(event_type="target.value_reported").order_by("id").last()
    assert event.actor == second
    assert (event.payload["old"], event.payload["new"], event.payload["year"]) == ("120.00", "150", 2018)


def test_the_same_value_and_note_again_changes_nothing():
    actor = province_admin()
    rv = _report(actor, value="120")
    before = (_snapshot(), ReportedValue.objects.get().entered_at)
    again = _report(province_admin(username="other"), value="120.00")
    assert again.pk == rv.pk
    assert (_snapshot(), ReportedValue.objects.get().entered_at) == before
    assert ReportedValue.objects.get().entered_by == actor


def test_another_year_or_region_is_another_value():
    actor = province_admin()
    _report(actor, year="2017", value="80")
    _report(actor, year="2018", value="120")
    _report(actor, region="610100", year="2018", value="30")
    assert sorted(ReportedValue.objects.values_list("region_id", "year", "value")) == [
        ("610000", 2017, Decimal("80")),
        ("610000", 2018, Decimal("120")),
        ("610100", 2018, Decimal("30")),
    ]


@pytest.mark.parametrize(
    ("code", "data", "field", "message"),
    [
        ("financing-listed", {"value": "-5"}, "value", "数值不能为负数，收到“-5”"),
        ("financing-listed", {"value": "三百"}, "value", "数值应为数字，收到“三百”"),
        ("financing-listed", {"value": ""}, "value", "请填写数值"),
        ("financing-listed", {"value": "1.234"}, "value", "数值最多保留两位小数"),
        ("transformation-hightech-share", {"value": "120"}, "value", "比重以百分数填写，应不超过 100"),
        ("financing-listed", {"year": "2021"}, "year", "年度 2021 不在规划期 2016—2020 内"),
        ("financing-listed", {"year": "二〇一八"}, "year", "年度应为 2000—2100 之间的四位年份"),
        ("financing-listed", {"source_note": " "}, "source_note", "请填写数据来源说明"),
        (
            "financing-listed",
            {"region": "619999"},
            "region",
            "地区应为全省、市级单位或区县的代码，收到“619999”",
        ),
        ("growth-province-tier", {}, "value", "“省级梯队企业”由系统统计，不需要填报"),
    ],
)
def test_a_bad_entry_is_refused_naming_the_field_and_writes_nothing(code, data, field, message):
    actor = province_admin()
    _report(actor, code="financing-listed", year="2017", value="80")
    _report(actor, code="transformation-hightech-share", year="2017", value="20")
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        _report(actor, code=code, **data)
    assert any(message in m for m in refused.value.message_dict[field]), refused.value.message_dict
    assert _snapshot() == before


def test_every_problem_is_named_at_once():
    with pytest.raises(ValidationError) as refused:
        _report(province_admin(), year="2030", value="abc", source_note="")
    assert set(refused.value.message_dict) == {"year", "value", "source_note"}
    assert ReportedValue.objects.count() == 0


def test_a_city_officer_reports_for_its_own_city_only():
    xian = city_officer("610100")
    rv = _report(xian, region="610100", value="12")
    assert (rv.region_id, rv.value, rv.entered_by) == ("610100", Decimal("12"), xian)
    before = _snapshot()
    for region in ("610300", "610000"):
        with pytest.raises(PermissionDenied) as refused:
            _report(xian, region=region, value="99")
        assert "您不能填报" in str(refused.value)
    assert _snapshot() == before
    with pytest.raises(PermissionDenied):
        _report(county_officer("610113"), region="610100", value="99")
    assert _snapshot() == before


def _row(page: str, code: str) -> str:
    match = re.search(rf'<tr data-code="{code}">(.*?)</tr>', page, re.S)
    assert match, f"no row {code}"
    return match.group(1)


def test_the_dashboard_shows_no_value_then_the_value_with_its_source(client, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2018, 7, 2))
    actor = province_admin()
    client.force_login(actor)
    before = _row(client.get("/targets/").content.decode(), "financing-listed")
    assert "未填报" in before and "省金融办" not in before
    _report(actor, year="2017", value="90", source_note="省金融办 2017 年统计")
    _report(actor, year="2018", value="150", source_note="省金融办 2018 年上半年统计")
    after = _row(client.get("/targets/").content.decode(), "financing-listed")
    assert "未填报" not in after
    assert 'title="2018年：省金融办 2018 年上半年统计">150<' in after
    assert "— → 90 → 150" in re.sub(r"<[^>]+>", "", after)  # the trend: 2016 none, 2017, 2018
    assert "进度正常" in after  # 150 of 300 halfway through the period
    detail = client.get(f"/targets/{target('financing-listed').pk}/").content.decode()
    assert "150户（2018年：省金融办 2018 年上半年统计）" in detail
