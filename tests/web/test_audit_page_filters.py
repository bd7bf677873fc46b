import datetime as dt
import re

import pytest
from django.utils import timezone

from smeplan.audit.models import AuditEvent
from smeplan.indicators.services import figures_update
from smeplan.registry.services import organisation_rename
from tests.web.helpers import text


@pytest.fixture
def events(yanta_officer, xian_officer, yanta_org, weiyang_org):
    figures_update(actor=xian_officer, organisation=yanta_org, year=2024, data={"tax_paid": 160})
    organisation_rename(actor=yanta_officer, organisation=yanta_org, new_name="雁塔更名后有限公司")
    organisation_rename(actor=xian_officer, organisation=weiyang_org, new_name="未央更名后有限公司")
    old = AuditEvent.objects.get(subject_label="未央更名后有限公司")
    AuditEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))


def rows(response) -> list[tuple[str, str]]:
    """(event name, subject name) of each listed event."""
    table = text(response).split('<table class="data audit">')[1].split("</table>")[0]
    names = re.findall(r'<td class="event">([^<]+)</td>', table)
    subjects = re.findall(r'<td class="subject">(?:<a href="[^"]*">)?([^<]+)', table)
    return list(zip(names, subjects, strict=True))


@pytest.mark.django_db
def test_events_filter_by_actor_type_subject_and_date(client, admin_user, events):
    client.force_login(admin_user)

    assert rows(client.get("/audit/", {"actor": "yanta"})) == [("单位更名", "雁塔更名后有限公司")]
    # the object's name today (it was renamed since), with its name at the time beside it
    assert rows(client.get("/audit/", {"event_type": "figures.updated"})) == [
        ("修改年度数据", "雁塔更名后有限公司")
    ]
    assert "（当时：雁塔精密机械有限公司）" in text(client.get("/audit/", {"event_type": "figures.updated"}))
    assert rows(client.get("/audit/", {"subject": "未央"})) == [("单位更名", "未央更名后有限公司")]
    assert rows(client.get("/audit/", {"subject_type": "registry.organisation", "actor": "xian"})) == [
        ("修改年度数据", "雁塔更名后有限公司"),
        ("单位更名", "未央更名后有限公司"),
    ]
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert rows(client.get("/audit/", {"date_from": since})) == [
        ("单位更名", "雁塔更名后有限公司"),
        ("修改年度数据", "雁塔更名后有限公司"),
    ]
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert rows(client.get("/audit/", {"date_to": until})) == [("单位更名", "未央更名后有限公司")]


@pytest.mark.django_db
def test_an_unreadable_date_is_reported_and_ignored(client, admin_user, events):
    client.force_login(admin_user)

    body = text(client.get("/audit/", {"date_from": "上周"}))

    assert "开始日期应为日期（如 2024-06-30），收到“上周”，已忽略" in body
    assert "未央更名后有限公司" in body


@pytest.mark.django_db
def test_the_audit_page_paginates_without_counting(client, admin_user, events, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(10) as captured:
        body = text(client.get("/audit/"))
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    assert "第1页" in body and "第 1–3 条" in body
