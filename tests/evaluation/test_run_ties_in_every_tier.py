"""Tied enterprises in an evaluation run, in each of the three growth tiers, by either method: the
documented tie rule (higher operating revenue first, then the credit code) decides between
enterprises whose exact scores are equal, and the stored scores of a tie are equal.

* identical indicators from figures of firms of different size (every figure × 1, 1.5, 2, 2);
* equal scores from different figures (the cases where summing rounded parts put the wrong one
  first);
* the what-if with the run's own weights and method changes no rank."""

from decimal import Decimal

import pytest

from smeplan.evaluation import selectors, services
from smeplan.evaluation.models import EvaluationResult
from tests.evaluation.make import YEAR, certify, enterprise
from tests.factories import province_admin, tier_of

pytestmark = pytest.mark.django_db

#: tier → a revenue (万元) inside its band, ×2 still inside
BASE = {"industry_star": Decimal(12000), "growth_star": Decimal(3000), "startup_star": Decimal(600)}
TIERS = list(BASE)
WEIGHTS = {"revenue_growth": 1, "profit_growth": 1, "profit_margin": 1, "tax_ratio": 1, "rd_ratio": 1}


def scheme(admin, method, weights):
    services.evaluation_scheme_create(
        actor=admin,
        programme=tier_of("growth-province", "growth_star").programme,
        data={"effective_year": str(YEAR), "weights": weights, "method": method},
    )


def firm(tier, revenue, *, revenue0, profit, profit0, tax, rd):
    return certify(
        enterprise(revenue=revenue, revenue0=revenue0, profit=profit, profit0=profit0, tax=tax, rd=rd),
        tier=tier,
    )


def results(run) -> dict:
    return {r.certification_id: r for r in EvaluationResult.objects.filter(run=run)}


def runs_of(admin) -> dict:
    programme = tier_of("growth-province", "growth_star").programme
    return {
        run.tier.code: run for run in services.evaluation_runs(actor=admin, programme=programme, year=YEAR)
    }


@pytest.mark.parametrize("method", ["minmax", "percentile"])
def test_identical_figures_rank_by_revenue_then_credit_code(method):
    admin = province_admin()
    scheme(admin, method, WEIGHTS)
    tied, others = {}, {}
    for tier in TIERS:
        b = BASE[tier]
        # one firm's figures and the same firm 1.5 and 2 times bigger (twice: same revenue)
        tied[tier] = [
            firm(tier, b * k, revenue0=b * k * Decimal("0.8"), profit=b * k / 20, profit0=b * k / 25,
                 tax=b * k / 50, rd=b * k / 40)
            for k in (Decimal(1), Decimal("1.5"), Decimal(2), Decimal(2))
        ]  # fmt: skip
        others[tier] = [
            firm(tier, b * Decimal("1.2"), revenue0=b, profit=b / 10, profit0=b / 20, tax=b / 30, rd=b / 20),
            firm(tier, b, revenue0=b, profit=b / 50, profit0=b / 40, tax=b / 100, rd=b / 100),
            firm(tier, b * Decimal("1.1"), revenue0=b, profit=b / 20, profit0=b / 25, tax=b / 60, rd=b / 30),
        ]
    runs = runs_of(admin)
    for tier in TIERS:
        rows = results(runs[tier])
        group = [rows[c.pk] for c in tied[tier]]
        assert len({r.score for r in group}) == 1, tier
        ranks = [r.rank for r in group]
        # consecutive, the biggest (2×, 2×) first by credit code, then 1.5×, then 1×
        first = min(ranks)
        twins = sorted(group[2:], key=lambda r: r.organisation.credit_code)
        assert [twins[0].rank, twins[1].rank, group[1].rank, group[0].rank] == [
            first,
            first + 1,
            first + 2,
            first + 3,
        ]
        assert first > 1  # the group is not at the top: the others are ranked around it by score
        assert all(r.rank != rows[o.pk].rank for r in group for o in others[tier])


@pytest.mark.parametrize("tier", TIERS)
def test_equal_percentile_scores_from_different_figures(tier):
    """Three firms ranked 3rd/1st, 1st/3rd and 2nd/2nd on two indicators: every score exactly
    66.67; revenue decides (the third used to come first by a rounding difference)."""
    admin = province_admin()
    scheme(admin, "percentile", {"profit_margin": 1, "tax_ratio": 1})
    b = BASE[tier]
    # (revenue, margin, tax ratio): margins high/low/middle, tax ratios low/high/middle
    spec = [(b * Decimal("1.6"), "0.08", "0.01"), (b * Decimal("1.4"), "0.02", "0.05"), (b, "0.05", "0.03")]
    certs = [
        firm(tier, r, revenue0=r, profit=r * Decimal(m), profit0=r, tax=r * Decimal(t), rd=0)
        for r, m, t in spec
    ]
    rows = results(runs_of(admin)[tier])
    got = [rows[c.pk] for c in certs]
    assert [r.score for r in got] == [pytest.approx(200 / 3)] * 3
    assert got[0].score == got[1].score == got[2].score
    assert [r.rank for r in got] == [1, 2, 3]


@pytest.mark.parametrize("tier", TIERS)
def test_equal_minmax_scores_from_different_figures(tier):
    """Margins 4%, 6%, 5%, 3%, 0% weighted 2 and tax ratios 3%, 5%, 2%, 5%, 4% weighted 1: the
    first and the third both score exactly 55.56; the third has the higher revenue and ranks
    before (it used to come after by a rounding difference)."""
    admin = province_admin()
    scheme(admin, "minmax", {"profit_margin": 2, "tax_ratio": 1})
    b = BASE[tier]
    revenue = [b * Decimal(k) for k in ("1.32", "1.85", "1.58", "1.95", "1.70")]
    margin = ["0.04", "0.06", "0.05", "0.03", "0"]
    tax = ["0.03", "0.05", "0.02", "0.05", "0.04"]
    certs = [
        firm(tier, r, revenue0=r, profit=r * Decimal(m), profit0=r, tax=r * Decimal(t), rd=0)
        for r, m, t in zip(revenue, margin, tax, strict=True)
    ]
    rows = results(runs_of(admin)[tier])
    got = [rows[c.pk] for c in certs]
    assert got[0].score == got[2].score == pytest.approx(500 / 9)
    assert [r.rank for r in got] == [4, 1, 3, 2, 5]


@pytest.mark.parametrize("method", ["minmax", "percentile"])
def test_what_if_with_the_runs_own_settings_changes_nothing(method):
    admin = province_admin()
    weights = {"profit_margin": 2, "tax_ratio": 1}
    scheme(admin, method, weights)
    b = BASE["growth_star"]
    for r, m, t in [("1.32", "0.04", "0.03"), ("1.85", "0.06", "0.05"), ("1.58", "0.05", "0.02"),
                    ("1.95", "0.03", "0.05"), ("1.70", "0", "0.04"), ("1.10", "0.04", "0.03")]:  # fmt: skip
        rev = b * Decimal(r)
        firm(
            "growth_star", rev, revenue0=rev, profit=rev * Decimal(m), profit0=rev, tax=rev * Decimal(t), rd=0
        )
    run = runs_of(admin)["growth_star"]
    full = {k: Decimal(weights.get(k, 0)) for k in WEIGHTS}
    assert selectors.what_if(admin, run, weights=full, method=method) == []
