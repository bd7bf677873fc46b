import datetime as dt
import re

import pytest
from django.db import connection
from django.utils import timezone

from smeplan.accounts.models import Role
from smeplan.recognition.models import Certification, CertificationState
from tests.factories import OrganisationFactory, UserFactory, region, tier_of
from tests.web.helpers import text


def certify(org, *, programme="growth-county", tier="growth_star", certified_on=None, **fields):
    t = tier_of(programme, tier)
    return Certification.objects.create(
        organisation=org, programme=t.programme, tier=t, level=t.programme.owner_level, region_id="610113",
        document_number=f"雁中小企发〔2026〕{Certification.objects.count() + 1}号",
        certified_on=certified_on or timezone.localdate(), title=f"雁塔区{t.name}企业", organisation_name=org.name,
        **fields,
    )  # fmt: skip


def desk(body: str) -> dict[str, str]:
    """The desk's lines: label → number as shown."""
    return dict(re.findall(r"<span>(.*?)</span> <strong[^>]*>(.*?)</strong>", body))


@pytest.mark.django_db
def test_a_county_officers_desk_shows_what_waits_and_the_counts_of_its_county(
    client, yanta_officer, yanta_org
):
    from tests.recognition.make import applicant, submitted

    submitted(applicant()[1])
    certify(yanta_org)
    OrganisationFactory(county=region("610402"))  # another county: not counted
    client.force_login(yanta_officer)

    body = text(client.get("/"))

    assert "县级工作人员" in body and "所属辖区：雁塔区" in body
    assert "待我处理" in body and "审核待办：县级审核" in body
    assert 'href="/recognition/queue/?state=county_review"' in body
    assert "雁塔区概况" in body and "辖区包含 1 个县（市、区）" in body
    lines = desk(body)
    assert lines["审核待办：县级审核"] == "1"
    assert lines["登记企业"] == "2"  # its own and the applicant, not the other county's
    assert lines["县级梯队企业"] == "1" and lines[f"{timezone.localdate().year}年新认定"] == "1"
    assert 'href="/recognition/certifications/?' in body


@pytest.mark.django_db
def test_the_provincial_desk_never_counts_the_organisation_table_on_postgresql(
    client, admin_user, django_assert_max_num_queries
):
    OrganisationFactory()
    client.force_login(admin_user)

    with django_assert_max_num_queries(30) as captured:
        body = text(client.get("/"))

    assert "辖区包含 107 个县（市、区）" in body and "登记企业" in body
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    if connection.vendor == "postgresql":  # the planner's estimate, or a count stopped early
        assert not any('FROM "registry_organisation"' in sql and "LIMIT" not in sql for sql in counts)
    assert 'href="/audit/"' in body and 'href="/admin/"' in body


@pytest.mark.django_db
def test_the_desk_shows_the_targets_most_behind_with_links(client, admin_user):
    client.force_login(admin_user)

    body = text(client.get("/"))

    assert "目标：全省" in body and 'href="/targets/"' in body
    # 十三五 (the only period) has ended: its final results, and the admin is offered a new period
    assert "已于 2020 年底结束，目前没有进行中的规划期" in body and 'href="/targets/periods/new/"' in body
    assert "期末未完成的目标" in body and 'href="/targets/' in body and "逾期未完成" in body


@pytest.mark.django_db
def test_the_desk_shows_the_current_period_behind_its_pace(client, admin_user):
    from decimal import Decimal

    from smeplan.targets.models import PlanPeriod, Target

    year = timezone.localdate().year
    period = PlanPeriod.objects.create(code="p-now", name="本期规划", start_year=year - 1, end_year=year + 3)
    Target.objects.create(
        period=period, code="tiers", plan="growth", name="省级梯队企业", value=Decimal(500), unit="户",
        kind="cumulative", deadline=dt.date(year + 3, 12, 31), scope="province", source="computed",
        metric="growth.province", position=1,
    )  # fmt: skip
    client.force_login(admin_user)

    body = text(client.get("/"))

    assert "本期规划目标：全省" in body and "目前没有进行中的规划期" not in body
    assert "进度落后的目标 1 项" in body and "省级梯队企业" in body and "进度滞后" in body


@pytest.mark.django_db
def test_a_city_officer_covers_its_counties(client, xian_officer):
    client.force_login(xian_officer)

    body = text(client.get("/"))

    assert "辖区包含 13 个县（市、区）" in body and "西安市概况" in body


@pytest.mark.django_db
def test_an_enterprise_sees_its_own_status_and_what_is_due(client, yanta_enterprise_user, yanta_org):
    today = timezone.localdate()
    cert = certify(yanta_org, valid_until=today + dt.timedelta(days=30), state=CertificationState.ACTIVE)
    client.force_login(yanta_enterprise_user)

    body = text(client.get("/"))

    assert yanta_org.name in body and yanta_org.credit_code in body
    assert f'href="/organisations/{yanta_org.pk}/"' in body
    assert f'href="/organisations/{yanta_org.pk}/#figures"' in body
    assert (
        f"填报 {today.year - 1} 年度数据" in body
        and f'href="/organisations/{yanta_org.pk}/figures/new/"' in body
    )
    assert cert.document_number in body and f"有效期至 {cert.valid_until:%Y-%m-%d}" in body
    assert "待我处理" not in body and "/recognition/queue/" not in body


@pytest.mark.django_db
def test_an_expert_is_told_honestly_that_nothing_is_assigned(client):
    client.force_login(UserFactory(role=Role.EXPERT, region=None))

    body = text(client.get("/"))

    assert "目前没有待评分的任务" in body and 'href="/recognition/expert/"' in body
    assert 'href="/organisations/"' not in body
