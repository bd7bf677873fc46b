"""An enterprise both proposed for termination and in another tier's revenue band: the run keeps
both proposals with their reasons, the pages and the API show each beside the other, and the
confirming officer chooses — confirming one withdraws the other (audited, with Chinese event
names), and the withdrawn one can no longer be confirmed."""

import json

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.events import EVENT_NAMES
from smeplan.audit.models import AuditEvent
from smeplan.evaluation import selectors, services
from smeplan.evaluation.models import TerminationProposal, TierMoveProposal
from smeplan.recognition.models import Certification
from tests.evaluation.make import DOCUMENT, YEAR
from tests.evaluation.test_proposals import tier_of_21
from tests.factories import province_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def both():
    """e0 of ``tier_of_21``: last, failing the criteria (termination) and with 12,000万元 in the
    行业之星 band (tier move)."""
    admin = province_admin()
    growth, certs = tier_of_21(admin)
    run = services.evaluation_run(actor=admin, tier=growth, year=YEAR)
    termination = TerminationProposal.objects.get(run=run, certification=certs[0])
    move = TierMoveProposal.objects.get(run=run, certification=certs[0])
    return admin, run, certs, termination, move


def test_both_are_proposed_with_their_reasons(both):
    admin, run, _certs, termination, move = both
    assert termination.reason == "evaluation" and "名次 21/21" in termination.explanation
    assert move.to_tier.code == "industry_star" and "12,000.00 万元，属于行业之星的区间" in move.explanation
    (shown,) = selectors.with_counterparts(list(selectors.proposals_of(admin, run)))
    assert shown.also == move
    moves = selectors.with_counterparts(list(selectors.moves_of(admin, run)))
    assert {m.pk: m.also for m in moves}[move.pk] == termination


def test_confirming_the_termination_withdraws_the_move(both):
    admin, _run, certs, termination, move = both
    (done,) = services.proposals_confirm(actor=admin, proposal_ids=[termination.pk], document_number=DOCUMENT)
    assert done.withdrawn == [move]
    move.refresh_from_db()
    assert move.state == "withdrawn" and move.get_state_display() == "已撤回"
    assert move.withdrawn_by == admin and move.withdrawn_reason == f"已确认终止资格（{DOCUMENT}）"
    assert Certification.objects.get(pk=certs[0].pk).state == "terminated"
    event = AuditEvent.objects.get(event_type="evaluation.move_withdrawn")
    assert event.subject_label == f"{certs[0].organisation_name}的梯队调整建议（调整至行业之星）"
    assert EVENT_NAMES[event.event_type] == "撤回梯队调整建议"
    with pytest.raises(ValidationError) as e:
        services.moves_confirm(actor=admin, move_ids=[move.pk], document_number=DOCUMENT)
    assert f"（{certs[0].organisation_name}）已撤回：已确认终止资格" in str(e.value)
    assert not Certification.objects.filter(previous=certs[0]).exists()


def test_confirming_the_move_withdraws_the_termination(both):
    admin, _run, certs, termination, move = both
    (done,) = services.moves_confirm(actor=admin, move_ids=[move.pk], document_number=DOCUMENT)
    assert done.withdrawn == [termination]
    termination.refresh_from_db()
    assert (
        termination.state == "withdrawn" and termination.withdrawn_reason == f"已确认梯队调整（{DOCUMENT}）"
    )
    new = Certification.objects.get(previous=certs[0])
    assert new.state == "active" and new.tier.code == "industry_star"
    event = AuditEvent.objects.get(event_type="evaluation.proposal_withdrawn")
    assert EVENT_NAMES[event.event_type] == "撤回终止建议" and event.actor == admin
    with pytest.raises(ValidationError):
        services.proposals_confirm(actor=admin, proposal_ids=[termination.pk], document_number=DOCUMENT)
    assert new.state == "active" and Certification.objects.get(pk=certs[0].pk).state == "superseded"


def test_the_pages_show_both_and_let_the_officer_choose(both, client):
    admin, run, certs, termination, move = both
    client.force_login(admin)
    page = client.get(f"/evaluation/runs/{run.pk}/proposals/").content.decode()
    assert "同时建议" in page and move.explanation in page and "请二选一" in page
    # the enterprise with two proposals is not pre-ticked: the officer chooses
    assert f'value="{termination.pk}" checked' not in page and f'value="{termination.pk}"' in page
    moves_page = client.get(f"/evaluation/runs/{run.pk}/moves/").content.decode()
    assert termination.explanation in moves_page and f'value="{move.pk}" checked' not in moves_page
    other = TierMoveProposal.objects.get(run=run, certification=certs[20])
    assert f'value="{other.pk}" checked' in moves_page  # one proposal only: ticked as before
    response = client.post(
        f"/evaluation/runs/{run.pk}/moves/", {"ids": [move.pk], "document_number": DOCUMENT}, follow=True
    )
    assert "已确认 1 条" in response.content.decode() and "终止建议 1 条已撤回" in response.content.decode()
    page = client.get(f"/evaluation/runs/{run.pk}/proposals/").content.decode()
    assert "已撤回：已确认梯队调整" in page and f'value="{termination.pk}"' not in page


def test_the_api_shows_both_and_reports_the_withdrawal(both):
    from tests.evaluation.test_api import client_of, post

    admin, run, certs, termination, move = both
    api = client_of(admin)
    (shown,) = api.get(f"/api/v1/evaluation/runs/{run.pk}/proposals").json()
    assert shown["also_proposed"] == {
        "kind": "move",
        "id": move.pk,
        "explanation": move.explanation,
        "state": "proposed",
        "state_label": "待确认",
    }
    moves = {m["id"]: m for m in api.get(f"/api/v1/evaluation/runs/{run.pk}/moves").json()}
    assert moves[move.pk]["also_proposed"]["kind"] == "termination"
    ok = post(api, "/proposals/confirm", {"ids": [termination.pk], "document_number": DOCUMENT})
    assert ok.status_code == 200
    assert ok.json()["withdrawn"] == [
        {
            "kind": "move",
            "id": move.pk,
            "certification_id": certs[0].pk,
            "organisation": certs[0].organisation_name,
        }
    ]
    moves = {m["id"]: m for m in api.get(f"/api/v1/evaluation/runs/{run.pk}/moves").json()}
    assert moves[move.pk]["state"] == "withdrawn" and moves[move.pk]["state_label"] == "已撤回"
    refused = post(api, "/moves/confirm", {"ids": [move.pk], "document_number": DOCUMENT})
    assert refused.status_code == 422 and "已撤回" in json.dumps(refused.json(), ensure_ascii=False)


def test_bulk_confirmation_withdraws_each_counterpart(both):
    """Confirming all termination proposals at once (a second enterprise of the tier with both)
    withdraws every counterpart; other moves stay proposed."""
    admin, run, certs, termination, move = both
    other = TierMoveProposal.objects.get(run=run, certification=certs[20])
    extra = TerminationProposal.objects.create(
        run=run, certification=certs[20], reason="false_information", explanation="提供虚假信息：经核实"
    )
    done = services.proposals_confirm(
        actor=admin, proposal_ids=[termination.pk, extra.pk], document_number=DOCUMENT
    )
    assert sorted(w.pk for p in done for w in p.withdrawn) == sorted([move.pk, other.pk])
    assert set(TierMoveProposal.objects.filter(run=run).values_list("state", flat=True)) == {"withdrawn"}
    assert AuditEvent.objects.filter(event_type="evaluation.move_withdrawn").count() == 2


def test_every_evaluation_event_has_a_chinese_name():
    import re
    from pathlib import Path

    import smeplan.evaluation.services as module

    recorded = set(re.findall(r'"(evaluation\.[a-z_]+)"', Path(module.__file__).read_text(encoding="utf-8")))
    assert recorded and recorded <= set(EVENT_NAMES)
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in EVENT_NAMES.values())
