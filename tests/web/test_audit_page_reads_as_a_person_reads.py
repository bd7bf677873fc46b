"""The audit log reads as a person reads it: the event's Chinese name (never its code), the object's
name linking to its page, and each change as “字段：旧值 → 新值” with Chinese labels, 万元 amounts,
dates and the labels of choices and of referenced objects; its filter lists every event type present."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smeplan.audit.events import event_name
from smeplan.audit.models import AuditEvent
from smeplan.indicators.services import figures_update
from smeplan.registry.services import organisation_rename, organisation_update
from tests.recognition.make import applicant, submitted
from tests.web.helpers import text

CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")  # application.submit, registry.organisation …


def _content(body: str) -> str:
    return body.split('<table class="data audit">')[1].split("</table>")[0]


@pytest.mark.django_db
def test_a_figures_change_reads_field_old_and_new_in_wan(client, admin_user, xian_officer, yanta_org):
    figures_update(
        actor=xian_officer, organisation=yanta_org, year=2024, data={"operating_revenue": "6000.5"}
    )
    client.force_login(admin_user)

    body = text(client.get("/audit/"))

    assert "修改年度数据" in body
    assert "营业收入：5,000.00 万元 → 6,000.50 万元" in body
    assert "年度：2024年" in body
    assert "来源：主管部门录入" in body
    assert f'<a href="/organisations/{yanta_org.pk}/">雁塔精密机械有限公司</a>' in body


@pytest.mark.django_db
def test_an_organisation_change_reads_choice_and_region_names(client, admin_user, xian_officer, yanta_org):
    organisation_update(
        actor=xian_officer,
        organisation=yanta_org,
        data={"county": "610112", "ownership_type": "private", "founded_on": "2015-03-09"},
    )
    organisation_rename(actor=xian_officer, organisation=yanta_org, new_name="雁塔新名称有限公司")
    client.force_login(admin_user)

    table = _content(text(client.get("/audit/")))

    assert "所属区县：雁塔区 → 未央区" in table
    assert "登记注册类型：（空） → 民营" in table
    assert "成立日期：（空） → 2015-03-09" in table
    assert "名称：雁塔精密机械有限公司 → 雁塔新名称有限公司" in table
    assert "单位更名" in table and "修改单位信息" in table


@pytest.mark.django_db
def test_an_application_step_reads_its_states_and_links_the_application(client, admin_user):
    _, user = applicant(name="秦川阀门有限公司")
    application = submitted(user)
    client.force_login(admin_user)

    table = _content(text(client.get("/audit/", {"event_type": "application.submit"})))

    assert "提交申报" in table
    assert "状态：草稿 → 县级审核" in table
    assert f'<a href="/recognition/applications/{application.pk}/">秦川阀门有限公司 · ' in table


@pytest.mark.django_db
def test_no_codes_model_labels_or_python_dicts_are_shown(client, admin_user, xian_officer, yanta_org):
    figures_update(actor=xian_officer, organisation=yanta_org, year=2024, data={"tax_paid": 160})
    organisation_update(
        actor=xian_officer, organisation=yanta_org, data={"address": "西安市雁塔区科技路 1 号"}
    )
    _, user = applicant()
    submitted(user)
    client.force_login(admin_user)

    body = text(client.get("/audit/"))
    table = _content(body)

    assert CODE.findall(table) == []
    assert "{'" not in body and "'}" not in body and "None" not in table
    options = re.findall(r'<option value="[^"]*"[^>]*>([^<]+)</option>', body)
    assert all(CODE.search(o) is None for o in options)


@pytest.mark.django_db
def test_the_event_type_filter_lists_every_type_present(client, admin_user, xian_officer, yanta_org):
    figures_update(actor=xian_officer, organisation=yanta_org, year=2024, data={"tax_paid": 160})
    _, user = applicant()
    submitted(user)
    client.force_login(admin_user)

    body = text(client.get("/audit/"))

    select = body.split('<select name="event_type">')[1].split("</select>")[0]
    offered = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select))
    present = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert set(offered) == present
    assert {"application.started", "application.updated", "application.submit", "figures.updated"} <= present
    assert all(offered[code] == event_name(code) for code in present)


@pytest.mark.django_db
def test_a_page_of_events_costs_the_same_queries_however_many_objects_it_names(client, admin_user):
    client.force_login(admin_user)
    _, user = applicant()
    submitted(user)
    client.get("/audit/")  # once, so that what is cached per process is cached
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    for _ in range(4):
        _, user = applicant()
        submitted(user)
    with CaptureQueriesContext(connection) as many:
        client.get("/audit/")
    assert AuditEvent.objects.count() >= 15
    assert len(many.captured_queries) == len(few.captured_queries)
