"""A certification terminated on its own page (not through the evaluation's proposals) has nothing
left to decide: its pending termination proposal and tier move are withdrawn, with the reason and
an audit event each, and can no longer be confirmed."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.evaluation import services
from smeplan.evaluation.models import TerminationProposal, TierMoveProposal
from smeplan.recognition.services import certification_terminate
from tests.evaluation.make import DOCUMENT, YEAR
from tests.evaluation.test_proposals import tier_of_21
from tests.factories import province_admin

pytestmark = pytest.mark.django_db


def test_terminating_on_the_certificate_page_withdraws_both_proposals():
    admin = province_admin()
    growth, certs = tier_of_21(admin)
    run = services.evaluation_run(actor=admin, tier=growth, year=YEAR)
    termination = TerminationProposal.objects.get(run=run, certification=certs[0])
    move = TierMoveProposal.objects.get(run=run, certification=certs[0])

    certification_terminate(
        actor=admin,
        certification=certs[0],
        reason="false_information",
        document_number="陕中小企发〔2026〕99号",
    )

    termination.refresh_from_db()
    move.refresh_from_db()
    assert termination.state == move.state == "withdrawn"
    assert termination.withdrawn_reason == "已终止资格：提供虚假信息（陕中小企发〔2026〕99号）"
    assert move.withdrawn_by == admin
    assert set(
        AuditEvent.objects.filter(event_type__endswith="_withdrawn").values_list("event_type", flat=True)
    ) == {"evaluation.proposal_withdrawn", "evaluation.move_withdrawn"}
    with pytest.raises(ValidationError):
        services.proposals_confirm(actor=admin, proposal_ids=[termination.pk], document_number=DOCUMENT)


def test_confirming_a_proposal_withdraws_only_the_others_once():
    admin = province_admin()
    growth, certs = tier_of_21(admin)
    run = services.evaluation_run(actor=admin, tier=growth, year=YEAR)
    termination = TerminationProposal.objects.get(run=run, certification=certs[0])

    services.proposals_confirm(actor=admin, proposal_ids=[termination.pk], document_number=DOCUMENT)

    termination.refresh_from_db()
    assert termination.state == "confirmed"
    assert AuditEvent.objects.filter(event_type="evaluation.proposal_withdrawn").count() == 0
    assert AuditEvent.objects.filter(event_type="evaluation.move_withdrawn").count() == 1
