"""撤销建议: a missed annual report after the configured 催报, a failed re-review, or an officer's
violation report; confirmed (terminated with its 文号 and the ban) or dismissed by the certifying
bureau; withdrawn when the certification ends otherwise."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.recognition import obligations, services
from smeplan.recognition.models import (
    CertificationState,
    Obligation,
    ObligationState,
    RevocationProposal,
    RevocationState,
    TerminationReason,
)
from tests.recognition.obligations_make import demonstration_with_reports, run_days, set_today


@pytest.mark.django_db
def test_missed_report_is_proposed_after_the_reminders(monkeypatch):
    certification, *_ = demonstration_with_reports(monkeypatch, reminders=2)
    year = certification.certified_on.year + 1
    run_days(monkeypatch, dt.date(year, 1, 1), dt.date(year, 1, 1))
    task = Obligation.objects.get()
    due = task.due_on
    run_days(monkeypatch, due - dt.timedelta(days=14), due + dt.timedelta(days=20))
    assert not RevocationProposal.objects.exists()
    task.refresh_from_db()
    assert task.overdue_reminders == 2
    run_days(monkeypatch, due + dt.timedelta(days=21), due + dt.timedelta(days=40))
    proposal = RevocationProposal.objects.get()
    assert proposal.reason == TerminationReason.REPORT_MISSED
    assert proposal.obligation == task and proposal.proposed_by is None
    assert "逾期催报2次" in proposal.evidence
    task.refresh_from_db()
    assert task.overdue_reminders == 2, "no further 催报 once revocation is proposed"


@pytest.mark.django_db
def test_failed_re_review_proposes_and_confirming_terminates_with_a_ban(monkeypatch):
    certification, province, enterprise, _ = demonstration_with_reports(monkeypatch, due="")
    set_today(monkeypatch, certification.next_review_on)
    obligations.obligations_due()
    task = Obligation.objects.get()
    obligations.obligation_submit(actor=enterprise, obligation=task, statement="近三年经营情况说明及佐证材料")
    with pytest.raises(ValidationError):
        obligations.obligation_review(actor=province, obligation=task, action="return", note="退回")
    obligations.obligation_review(actor=province, obligation=task, action="fail", note="示范带动作用不明显")
    task.refresh_from_db()
    assert task.state == ObligationState.FAILED
    certification.refresh_from_db()
    assert certification.state == CertificationState.ACTIVE, "a failed re-review only proposes"
    proposal = RevocationProposal.objects.get()
    assert proposal.reason == TerminationReason.REVIEW_FAILED
    with pytest.raises(ValidationError):
        obligations.revocation_confirm(actor=province, proposal=proposal, document_number="")
    obligations.revocation_confirm(actor=province, proposal=proposal, document_number="陕中小企发〔2030〕3号")
    certification.refresh_from_db()
    proposal.refresh_from_db()
    assert proposal.state == RevocationState.CONFIRMED
    assert certification.state == CertificationState.TERMINATED
    assert certification.termination_reason == TerminationReason.REVIEW_FAILED
    assert certification.termination_document == "陕中小企发〔2030〕3号"
    assert certification.bans.get().until
    assert AuditEvent.objects.filter(event_type="revocation.confirmed").count() == 1


@pytest.mark.django_db
def test_passed_re_review_schedules_the_next(monkeypatch):
    certification, province, *_ = demonstration_with_reports(monkeypatch, due="")
    review_on = set_today(monkeypatch, certification.next_review_on)
    obligations.obligations_due()
    task = Obligation.objects.get()
    obligations.obligation_review(actor=province, obligation=task, action="accept", note="符合示范企业条件")
    certification.refresh_from_db()
    task.refresh_from_db()
    assert task.state == ObligationState.PASSED
    assert certification.last_reviewed_on == review_on
    assert certification.next_review_on is None  # 3 more years would pass the 5-year validity


@pytest.mark.django_db
def test_review_on_the_certificate_page_closes_the_task(monkeypatch):
    certification, province, *_ = demonstration_with_reports(monkeypatch, due="")
    set_today(monkeypatch, certification.next_review_on)
    obligations.obligations_due()
    services.certification_review(actor=province, certification=certification, passed=True, note="予以确认")
    assert Obligation.objects.get().state == ObligationState.PASSED


@pytest.mark.django_db
def test_officer_proposes_violation_and_it_can_be_dismissed(monkeypatch):
    certification, province, enterprise, county = demonstration_with_reports(monkeypatch)
    with pytest.raises(PermissionDenied):
        obligations.revocation_propose(
            actor=enterprise,
            certification=certification,
            reason="violation",
            evidence="企业存在违法违规行为，被处罚",
        )
    with pytest.raises(ValidationError) as refused:
        obligations.revocation_propose(
            actor=county, certification=certification, reason="criteria", evidence="短"
        )
    assert set(refused.value.message_dict) == {"reason", "evidence"}
    proposal = obligations.revocation_propose(
        actor=county,
        certification=certification,
        reason=TerminationReason.VIOLATION,
        evidence="2029年因重大安全生产事故被应急管理部门行政处罚",
    )
    with pytest.raises(ValidationError, match="已有待确认"):
        obligations.revocation_propose(
            actor=county,
            certification=certification,
            reason="violation",
            evidence="再次建议撤销资格的事实依据",
        )
    with pytest.raises(PermissionDenied):
        obligations.revocation_dismiss(actor=county, proposal=proposal, note="不成立")
    obligations.revocation_dismiss(actor=province, proposal=proposal, note="经核实处罚已撤销")
    proposal.refresh_from_db()
    assert proposal.state == RevocationState.DISMISSED
    certification.refresh_from_db()
    assert certification.state == CertificationState.ACTIVE


@pytest.mark.django_db
def test_violation_confirmed_terminates_with_that_reason(monkeypatch):
    certification, province, _, county = demonstration_with_reports(monkeypatch)
    proposal = obligations.revocation_propose(
        actor=county, certification=certification, reason="violation", evidence="因环境违法被责令停产整治"
    )
    obligations.revocation_confirm(actor=province, proposal=proposal, document_number="陕中小企发〔2030〕8号")
    certification.refresh_from_db()
    assert certification.termination_reason == "violation"
    assert certification.get_termination_reason_display() == "违法违规"


@pytest.mark.django_db
def test_violation_is_a_termination_reason_of_every_programme(monkeypatch):
    """The growth tiers' termination page offers 违法违规 too (one list for every programme)."""
    assert ("violation", "违法违规") in [(v, str(label)) for v, label in TerminationReason.choices]


@pytest.mark.django_db
def test_proposal_withdrawn_when_the_certification_ends_otherwise(monkeypatch):
    certification, province, _, county = demonstration_with_reports(monkeypatch)
    proposal = obligations.revocation_propose(
        actor=county, certification=certification, reason="violation", evidence="因环境违法被责令停产整治"
    )
    services.certification_terminate(
        actor=province,
        certification=certification,
        reason="voluntary",
        document_number="陕中小企发〔2030〕9号",
    )
    proposal.refresh_from_db()
    assert proposal.state == RevocationState.WITHDRAWN
    assert "企业主动申请退出" in proposal.decision_note
    with pytest.raises(ValidationError, match="已处理"):
        obligations.revocation_confirm(
            actor=province, proposal=proposal, document_number="陕中小企发〔2030〕10号"
        )
    set_today(monkeypatch, dt.date(certification.certified_on.year + 1, 1, 2))
    assert obligations.obligations_due()["created"] == 0, "an ended certification owes no report"
