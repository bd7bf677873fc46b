"""An enterprise's home gathers its obligations: annual reports and re-reviews due (逾期 marked, due
within 7 days highlighted), data campaign tasks, applications returned for correction, its
certifications with validity and next re-review, its latest notifications and pending change
requests — one query per section, whatever their number."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from smeplan.campaigns.models import Campaign, CampaignTask
from smeplan.recognition.models import Notification, Obligation
from tests.factories import (
    OrganisationFactory,
    certification_make,
    change_request_make,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db


def rows_of(body: str, section: str) -> list[str]:
    part = body.split(f'id="{section}"')[1].split("</section>")[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip()
        for r in re.findall(r"<tr[^>]*>.*?</tr>", part, re.S)
    ]


def world(org, today, n=1):
    cert = certification_make(
        org, valid_until=today + dt.timedelta(days=400), next_review_on=today + dt.timedelta(days=5)
    )
    for i in range(n):
        Obligation.objects.create(
            certification=cert, kind="annual_report", period=today.year - 1 - i,
            due_on=today - dt.timedelta(days=3 + i), state="overdue",
        )  # fmt: skip
    Obligation.objects.create(
        certification=cert, kind="re_review", period=today.year, due_on=today + dt.timedelta(days=6)
    )
    Obligation.objects.create(
        certification=cert, kind="re_review", period=today.year - 3, due_on=today, state="passed"
    )
    for i in range(n):
        campaign = Campaign.objects.create(
            title=f"{today.year - 1}年度数据填报{i}", year=today.year - 1, region=region("610000"),
            targeting="region", opens_on=today - dt.timedelta(days=10), deadline=today + dt.timedelta(days=20),
        )  # fmt: skip
        CampaignTask.objects.create(campaign=campaign, organisation=org, county=org.county)
    return cert


def test_the_home_lists_what_is_due_with_dates_and_urgency(client):
    today = timezone.localdate()
    org = OrganisationFactory(name="首页待办有限公司")
    other = OrganisationFactory(name="别家企业有限公司")
    cert = world(org, today)
    world(other, today)
    user = enterprise_user(org)
    change_request_make(org, actor=user, kind="rename", new_name="首页待办新名有限公司")
    Notification.objects.create(
        user=user, kind="queue", title="您的申报已受理", url="/recognition/applications/"
    )
    Obligation.objects.create(  # an annual report returned for correction (退回补正) is back with the firm
        certification=cert, kind="annual_report", period=today.year - 5, due_on=today + dt.timedelta(days=30),
        submitted_at=timezone.now(), review_note="请补充审计报告",
    )  # fmt: skip
    client.force_login(user)

    body = client.get("/").content.decode()

    due = rows_of(body, "home-due")
    overdue = f"{today.year - 1}年度报告"
    assert any(overdue in r and f"{today - dt.timedelta(days=3):%Y-%m-%d} 逾期" in r for r in due), due
    assert any(f"{today.year}年复核" in r and "7天内到期" in r for r in due), due
    assert any(
        f"{today.year - 1}年度数据填报0" in r and f"{today + dt.timedelta(days=20):%Y-%m-%d}" in r
        for r in due
    )
    assert overdue in due[1] and "逾期" in due[1]  # overdue first (due[0] is the header)
    assert not any(f"{today.year - 3}年复核" in r for r in due)  # passed: not due
    assert any(f"{today.year - 5}年度报告" in r and "退回补正：请补充审计报告" in r for r in due), due
    assert "别家企业" not in body
    (cert_row,) = rows_of(body, "home-certifications")[1:]
    assert cert.document_number in cert_row
    assert f"{cert.valid_until:%Y-%m-%d}" in cert_row and f"{cert.next_review_on:%Y-%m-%d}" in cert_row
    assert "您的申报已受理" in body and 'href="/notifications/"' in body
    assert "更名" in body.split('id="home-changes"')[1].split("</section>")[0]
    assert 'class="tag due-overdue"' in body and 'class="tag due-soon"' in body


def test_one_query_per_section_whatever_the_number_of_items(client):
    today = timezone.localdate()

    def queries(n):
        org = OrganisationFactory()
        world(org, today, n)
        client.force_login(enterprise_user(org))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    assert queries(1) == queries(4)
