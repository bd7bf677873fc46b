"""年度报告与复核 for the bureaus (filters: 逾期, 30天内到期, 认定项目; .xlsx), the enterprise's 待办,
and 撤销建议: an officer proposes 违法违规 on the certificate's page, the certifying bureau confirms
with a 文号 on the proposals page (terminated, with the ban)."""

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from smeplan.recognition.models import CertificationState, Obligation, ObligationKind, ObligationState
from tests.recognition.obligations_make import demonstration_with_reports


@pytest.fixture
def world(db, monkeypatch):
    certification, province, enterprise, county = demonstration_with_reports(monkeypatch)
    overdue = Obligation.objects.create(
        certification=certification,
        kind=ObligationKind.ANNUAL_REPORT,
        period=2024,
        due_on=dt.date(2025, 3, 31),
        state=ObligationState.OVERDUE,
    )
    return certification, province, enterprise, county, overdue


def test_the_bureau_lists_what_is_overdue_and_exports_it(client, world):
    certification, *_, county, _ = world
    client.force_login(county)
    page = client.get("/recognition/obligations/?show=overdue").content.decode()
    assert certification.organisation_name in page and "2024年年度报告" in page and "逾期" in page
    assert (
        certification.organisation_name
        not in client.get("/recognition/obligations/?show=due_soon").content.decode()
    )
    response = client.get("/recognition/obligations/?format=xlsx&show=overdue")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("年度报告与复核").to_python()
    assert any(certification.organisation_name in [str(c) for c in row] for row in rows)


def test_the_enterprise_sees_its_own_tasks_as_its_to_do_list(client, world):
    _, _, enterprise, *_ = world
    client.force_login(enterprise)
    page = client.get("/recognition/obligations/").content.decode()
    assert "待办" in page and "2024年年度报告" in page


def test_violation_proposed_on_the_certificate_page_and_confirmed(client, world):
    certification, province, _, county, _ = world
    client.force_login(county)
    page = client.get(f"/recognition/certifications/{certification.pk}/").content.decode()
    assert "建议撤销资格" in page and "违法违规" in page
    client.post(
        f"/recognition/certifications/{certification.pk}/revocations/new/",
        {"reason": "violation", "evidence": "2029年因重大环境违法被责令停产整治"},
    )
    client.force_login(province)
    page = client.get("/recognition/revocations/").content.decode()
    assert "重大环境违法" in page and "确认撤销" in page
    proposal = certification.revocation_proposals.get()
    response = client.post(
        f"/recognition/revocations/{proposal.pk}/confirm/",
        {"document_number": "陕中小企发〔2030〕1号"},
        follow=True,
    )
    assert "已撤销" in response.content.decode()
    certification.refresh_from_db()
    assert certification.state == CertificationState.TERMINATED
    assert certification.termination_reason == "violation" and certification.bans.exists()


def test_the_termination_page_of_every_programme_offers_violation(client, world):
    """违法违规 is one of the termination reasons for the growth tiers as for any programme."""
    from smeplan.recognition.models import TerminationReason

    certification, province, *_ = world
    client.force_login(province)
    page = client.get(f"/recognition/certifications/{certification.pk}/").content.decode()
    assert '<option value="violation">违法违规</option>' in page
    assert TerminationReason.VIOLATION.label == "违法违规"
