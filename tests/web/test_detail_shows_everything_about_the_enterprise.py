"""企业详情 in one place: certifications (current and past, 文号, validity), applications and their
state, evaluation results by year (score, rank, tier), flags, figures with revisions and the imports
that changed it — each linked to its own page where the user may open it — in a number of queries
that does not grow with the rows. The enterprise sees the same about itself."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smeplan.evaluation.models import EvaluationResult, EvaluationRun
from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.flags.models import FigureFlag
from smeplan.indicators.models import FigureRevision, FigureSource
from smeplan.recognition.models import Certification, CertificationState
from tests.factories import AnnualFiguresFactory, province_admin, tier_of
from tests.recognition.make import applicant, submitted
from tests.web.helpers import text

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def certification(org, *, tier="growth_star", state=CertificationState.ACTIVE, year=2023, valid_until=None):
    t = tier_of("growth-province", tier)
    return Certification.objects.create(
        organisation=org,
        programme=t.programme,
        tier=t,
        level=t.programme.owner_level,
        region_id="610000",
        document_number=f"陕中小企发〔{year}〕{next(_serial)}号",
        certified_on=dt.date(year, 6, 1),
        valid_until=valid_until,
        title=f"陕西省{t.name}企业",
        organisation_name=org.name,
        state=state,
        ended_on=None if state == CertificationState.ACTIVE else dt.date(year + 1, 6, 1),
    )


def evaluation_result(org, cert, *, year, rank, score):
    run = EvaluationRun.objects.create(
        programme=cert.programme,
        tier=cert.tier,
        year=year,
        method="minmax",
        bottom_share=Decimal("0.05"),
        evaluated=120,
    )
    return EvaluationResult.objects.create(
        run=run, certification=cert, organisation=org, score=score, rank=rank, operating_revenue=5000
    )


def imported_revision(org, uploader, *, year, file_name):
    batch = ImportBatch.objects.create(
        file_name=file_name, checksum="0" * 64, uploaded_by=uploader, region_id=uploader.region_id,
        status=ImportStatus.COMMITTED,
    )  # fmt: skip
    FigureRevision.objects.create(
        organisation=org, year=year, field="operating_revenue", old_value=4000, new_value=4500,
        source=FigureSource.STATISTICS_IMPORT, actor=uploader, import_batch=batch,
    )  # fmt: skip
    return batch


def everything(org, uploader, *, n: int):
    """``n`` of each kind of record about ``org``."""
    for i in range(n):
        year = 2015 + i
        AnnualFiguresFactory(organisation=org, year=year)
        cert = certification(
            org, year=year, state=CertificationState.SUPERSEDED if i else CertificationState.ACTIVE
        )
        evaluation_result(org, cert, year=year, rank=3 + i, score=81.5 - i)
        FigureFlag.objects.create(
            organisation=org, year=year, kind="growth", message=f"{year}年营业收入增长超过阈值"
        )
        imported_revision(org, uploader, year=year, file_name=f"{year}年规上企业.xlsx")


@pytest.fixture
def firm():
    org, user = applicant(name="雁塔全景科技有限公司")
    return org, user


def test_a_bureau_user_sees_every_record_with_its_link(client, firm):
    org, ent = firm
    admin = province_admin()
    application = submitted(ent)
    active = certification(org, year=2024, valid_until=dt.date(2027, 12, 31))
    past = certification(org, tier="startup_star", state=CertificationState.TERMINATED, year=2021)
    evaluation_result(org, active, year=2024, rank=7, score=88.254)
    FigureFlag.objects.create(organisation=org, year=2024, kind="growth", message="营业收入增长超过阈值 5 倍")
    batch = imported_revision(org, admin, year=2024, file_name="2024年雁塔区规上企业.xlsx")
    client.force_login(admin)

    body = text(client.get(f"/organisations/{org.pk}/"))

    assert active.document_number in body and "2027-12-31" in body and past.document_number in body
    assert "已终止" in body and "当前有效 1 项" in body
    assert f'href="/recognition/certifications/{active.pk}/"' in body
    assert f'href="/recognition/applications/{application.pk}/"' in body
    assert str(application.get_state_display()) in body
    assert "88.25" in body and "7 / 120" in body and "成长之星" in body
    assert f'href="/evaluation/runs/{EvaluationRun.objects.get().pk}/"' in body
    assert "营业收入增长超过阈值 5 倍" in body and "待核实" in body
    assert f'href="/flags/?organisation={org.pk}"' in body
    assert "2024年雁塔区规上企业.xlsx" in body and f'href="/imports/{batch.pk}/"' in body


def test_the_enterprise_sees_the_same_about_itself_but_no_link_it_may_not_open(client, firm):
    org, ent = firm
    admin = province_admin()
    application = submitted(ent)
    active = certification(org, year=2024, valid_until=dt.date(2027, 12, 31))
    evaluation_result(org, active, year=2024, rank=7, score=88.254)
    FigureFlag.objects.create(organisation=org, year=2024, kind="growth", message="营业收入增长超过阈值 5 倍")
    imported_revision(org, admin, year=2024, file_name="2024年雁塔区规上企业.xlsx")
    client.force_login(ent)

    home = text(client.get("/"))
    assert f'href="/organisations/{org.pk}/"' in home  # its own page, from the menu and the home page
    body = text(client.get(f"/organisations/{org.pk}/"))

    assert active.document_number in body and f'href="/recognition/certifications/{active.pk}/"' in body
    assert f'href="/recognition/applications/{application.pk}/"' in body
    assert "88.25" in body and "7 / 120" in body and "/evaluation/runs/" not in body
    assert "营业收入增长超过阈值" not in body and "/flags/" not in body  # flags are the bureaus' to check
    assert "2024年雁塔区规上企业.xlsx" not in body and "/imports/" not in body
    assert "另有 1 次由其他单位导入的数据" in body
    # the page it cannot open is refused as well
    assert client.get("/flags/", {"organisation": org.pk}).status_code == 403


def test_the_number_of_queries_does_not_grow_with_the_records(client, firm):
    org, _ent = firm
    admin = province_admin()
    other, _user = applicant(name="雁塔对照机械有限公司")
    everything(other, admin, n=1)
    everything(org, admin, n=5)
    client.force_login(admin)

    client.get(f"/organisations/{other.pk}/")  # warm the process-wide caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/organisations/{other.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as five:
        body = text(client.get(f"/organisations/{org.pk}/"))

    assert body.count("年规上企业.xlsx") == 5 and body.count("陕中小企发〔") >= 5
    assert len(five.captured_queries) == len(one.captured_queries)
