"""The province confirms proposals in bulk: terminations with bans, tier moves as a new
certification in the new tier; anyone else is refused and bad input changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.evaluation import services
from smeplan.evaluation.models import TerminationProposal, TierMoveProposal
from smeplan.recognition.models import Ban, Certification
from tests.evaluation.make import DOCUMENT, YEAR
from tests.evaluation.test_proposals import tier_of_21
from tests.factories import city_officer, province_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    admin = province_admin()
    growth, certs = tier_of_21(admin)
    return admin, services.evaluation_run(actor=admin, tier=growth, year=YEAR), certs


def test_confirm_terminates_with_a_ban(run):
    admin, run, certs = run
    (proposal,) = TerminationProposal.objects.filter(run=run)
    services.proposals_confirm(actor=admin, proposal_ids=[proposal.pk], document_number=DOCUMENT)
    certification = Certification.objects.get(pk=certs[0].pk)
    assert certification.state == "terminated"
    assert certification.termination_reason == "evaluation"
    assert certification.termination_document == DOCUMENT
    assert Ban.objects.filter(certification=certification).exists()
    proposal.refresh_from_db()
    assert proposal.state == "confirmed" and proposal.document_number == DOCUMENT


def test_confirm_moves_issue_a_certification_in_the_new_tier(run):
    admin, run, certs = run
    move = TierMoveProposal.objects.get(run=run, certification=certs[20])
    services.moves_confirm(actor=admin, move_ids=[move.pk], document_number=DOCUMENT)
    old = Certification.objects.get(pk=certs[20].pk)
    new = Certification.objects.get(previous=old)
    assert old.state == "superseded"
    assert new.state == "active" and new.tier.code == "startup_star"
    assert new.title == "陕西省创业之星企业" and new.document_number == DOCUMENT


def test_non_provincial_users_are_refused(run):
    _, run, certs = run
    (proposal,) = TerminationProposal.objects.filter(run=run)
    move = TierMoveProposal.objects.get(run=run, certification=certs[20])
    city = city_officer()
    with pytest.raises(PermissionDenied):
        services.proposals_confirm(actor=city, proposal_ids=[proposal.pk], document_number=DOCUMENT)
    with pytest.raises(PermissionDenied):
        services.moves_confirm(actor=city, move_ids=[move.pk], document_number=DOCUMENT)
    assert Certification.objects.filter(state="active").count() == 21


def test_bad_input_changes_nothing(run):
    admin, run, certs = run
    (proposal,) = TerminationProposal.objects.filter(run=run)
    with pytest.raises(ValidationError) as e:
        services.proposals_confirm(actor=admin, proposal_ids=[proposal.pk, 999999], document_number=DOCUMENT)
    assert "终止建议「999999」不存在" in str(e.value)
    with pytest.raises(ValidationError) as e:
        services.proposals_confirm(actor=admin, proposal_ids=[proposal.pk], document_number=" ")
    assert "document_number" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.proposals_confirm(actor=admin, proposal_ids=[], document_number=DOCUMENT)
    assert Certification.objects.get(pk=certs[0].pk).state == "active"
    assert not Ban.objects.exists()
    services.proposals_confirm(actor=admin, proposal_ids=[proposal.pk], document_number=DOCUMENT)
    with pytest.raises(ValidationError) as e:
        services.proposals_confirm(actor=admin, proposal_ids=[proposal.pk], document_number=DOCUMENT)
    assert "已确认" in str(e.value)


def test_the_province_confirms_the_proposals_of_a_city_list():
    """A city-level list (市级成长之星, certified by 西安) is evaluated; the province confirms the
    termination the run proposes: the certification ends with its ban, still as 西安's."""
    from smeplan.recognition.services import may_end_certification
    from tests.evaluation.make import certify, enterprise
    from tests.factories import tier_of

    admin = province_admin()
    tier = tier_of("growth-city", "growth_star")
    services.evaluation_scheme_create(
        actor=admin,
        programme=tier.programme,
        data={"effective_year": "2024", "weights": {"profit_margin": "1"}, "method": "minmax"},
    )
    worst = certify(
        enterprise(revenue=12000, revenue0=10000, profit=12, profit0=10, tax=1000),
        programme="growth-city",
        region_code="610100",
    )
    for i in range(5):
        certify(
            enterprise(revenue=4000 + 40 * i, revenue0=4000, profit=300 + 10 * i),
            programme="growth-city",
            region_code="610100",
        )
    run = services.evaluation_run(actor=admin, tier=tier, year=YEAR)
    (proposal,) = TerminationProposal.objects.filter(run=run)
    assert proposal.certification_id == worst.pk
    assert may_end_certification(admin, worst) and not may_end_certification(city_officer("610300"), worst)
    services.proposals_confirm(actor=admin, proposal_ids=[proposal.pk], document_number=DOCUMENT)
    worst.refresh_from_db()
    assert worst.state == "terminated" and worst.region_id == "610100"
    assert Ban.objects.filter(certification=worst).exists()
