"""Termination proposals: the ⌈bottom share × n⌉ lowest-ranked that also fail the tier's criteria,
false information confirmed by a person, failed re-checks after a major change; tier moves by
revenue band."""

import pytest

from smeplan.evaluation import services
from smeplan.evaluation.models import EvaluationResult, TerminationProposal, TierMoveProposal
from smeplan.recognition.models import ChangeReport
from tests.evaluation.make import YEAR, certify, enterprise
from tests.factories import province_admin, tier_of

pytestmark = pytest.mark.django_db


def tier_of_21(admin):
    """21 成长之星 ranked by the revenue profit margin only: e0 (0.1%, revenue 12,000万元: out of the
    band, fails the criteria), e1 (1%, meets the criteria of the year), e2…e19 (≈ 7.5%),
    e20 (20%, revenue 1,500万元)."""
    growth = tier_of("growth-province", "growth_star")
    services.evaluation_scheme_create(
        actor=admin,
        programme=growth.programme,
        data={"effective_year": "2024", "weights": {"profit_margin": "1"}, "method": "minmax"},
    )
    orgs = [enterprise(revenue=12000, revenue0=10000, profit=12, profit0=10, tax=1000)]
    orgs.append(enterprise(revenue=5000, revenue0=4000, profit=50, profit0=10, rd=2000, tax=1000))
    orgs += [enterprise(revenue=4000 + 40 * i, revenue0=4000, profit=300 + 10 * i) for i in range(2, 20)]
    orgs.append(enterprise(revenue=1500, revenue0=1000, profit=300))
    return growth, [certify(o) for o in orgs]


def test_bottom_share_that_fails_the_criteria_is_proposed():
    admin = province_admin()
    growth, certs = tier_of_21(admin)
    run = services.evaluation_run(actor=admin, tier=growth, year=YEAR)
    assert run.evaluated == 21 and run.bottom == 2  # ⌈5% × 21⌉
    results = {r.certification_id: r for r in EvaluationResult.objects.filter(run=run)}
    assert results[certs[0].pk].rank == 21 and results[certs[0].pk].bottom
    assert results[certs[1].pk].rank == 20 and results[certs[1].pk].bottom
    assert results[certs[0].pk].fails_criteria and not results[certs[1].pk].fails_criteria
    (proposal,) = TerminationProposal.objects.filter(run=run)
    assert proposal.certification_id == certs[0].pk
    assert proposal.reason == "evaluation"
    assert "名次 21/21" in proposal.explanation and "末位 2 名" in proposal.explanation


def test_tier_moves_follow_the_revenue_bands():
    admin = province_admin()
    growth, certs = tier_of_21(admin)
    run = services.evaluation_run(actor=admin, tier=growth, year=YEAR)
    moves = {m.certification_id: m for m in TierMoveProposal.objects.filter(run=run)}
    # e0 (12,000万元) → 行业之星, proposed for termination too (both kept: tests of the choice in
    # test_termination_and_move_together.py); e20 (1,500万元) → 创业之星
    assert set(moves) == {certs[0].pk, certs[20].pk}
    assert moves[certs[0].pk].to_tier.code == "industry_star"
    assert moves[certs[20].pk].to_tier.code == "startup_star"
    assert str(moves[certs[20].pk].operating_revenue) == "1500.00"
    assert moves[certs[20].pk].explanation == (
        f"{YEAR}年营业收入 1,500.00 万元，属于创业之星的区间，建议由成长之星调整为创业之星"
    )


def test_bands_from_the_criteria():
    bands = services.tier_bands(tier_of("growth-province", "growth_star").programme, YEAR)
    assert {t.code: b for t, b in bands.items()} == {
        "industry_star": (10000, None),
        "growth_star": (2000, 10000),
        "startup_star": (None, 2000),
    }


def test_false_information_and_failed_recheck_are_proposed(monkeypatch):
    admin = province_admin()
    growth = tier_of("growth-province", "growth_star")
    services.evaluation_scheme_create(
        actor=admin,
        programme=growth.programme,
        data={"effective_year": "2024", "weights": {"rd_ratio": 1}, "bottom_share": "0"},
    )  # no bottom share: only the other two grounds
    liar, changed, fine = (certify(enterprise()) for _ in range(3))
    monkeypatch.setattr(services, "_false_information", lambda year, ids: {liar.organisation_id})
    ChangeReport.objects.create(
        certification=changed, kind="merger", description="被某集团并购重组", recheck={"outcome": "fail"}
    )
    run = services.evaluation_run(actor=admin, tier=growth, year=YEAR)
    reasons = dict(TerminationProposal.objects.filter(run=run).values_list("certification_id", "reason"))
    assert reasons[liar.pk] == "false_information"
    assert reasons[changed.pk] == "major_change"
    assert fine.pk not in reasons
