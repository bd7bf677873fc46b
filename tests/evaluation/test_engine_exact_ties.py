"""Ties are decided on exact scores: enterprises whose exact scores are equal tie (and go to the
higher operating revenue, then the credit code) whatever the float noise, and enterprises whose
exact scores differ are never tied by rounding. Checked by hand-made cases and against a
reference computation in fractions."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smeplan.evaluation.engine import MINMAX, PERCENTILE, evaluate


def reference(num, den, defined, weights, method, revenue, codes):
    """Annex 2 in exact fractions: (scores, ranks)."""
    n, k = num.shape
    norm = [[Fraction(0)] * k for _ in range(n)]
    for j in range(k):
        rows = [i for i in range(n) if defined[i, j]]
        x = {i: Fraction(int(num[i, j]), int(den[i, j])) for i in rows}
        if not rows:
            continue
        ordered = sorted(x.values())
        low, high = ordered[0], ordered[-1]
        for i in rows:
            if method == MINMAX:
                norm[i][j] = Fraction(100) if high == low else 100 * (x[i] - low) / (high - low)
            else:
                first = ordered.index(x[i]) + 1
                norm[i][j] = 100 * (first + Fraction(ordered.count(x[i]) - 1, 2)) / len(rows)
    w = [Fraction(repr(float(v))) for v in weights]
    score = [sum(w[j] * norm[i][j] for j in range(k)) / sum(w) for i in range(n)]
    rev = [float("-inf") if r != r else r for r in revenue]
    order = sorted(range(n), key=lambda i: (-score[i], -rev[i], codes[i]))
    rank = [0] * n
    for r, i in enumerate(order):
        rank[i] = r + 1
    return score, rank


def run(num, den, weights, method, revenue, codes=None, defined=None):
    num, den = np.asarray(num, dtype=np.int64), np.asarray(den, dtype=np.int64)
    defined = np.ones(num.shape, dtype=bool) if defined is None else np.asarray(defined)
    codes = codes or [f"9161000{i:02d}" for i in range(len(num))]
    values = np.where(defined, num / den, np.nan)
    out = evaluate(
        values,
        weights,
        method,
        revenue=np.asarray(revenue, dtype=float),
        codes=np.array(codes),
        exact=(num, den),
    )
    return out, reference(num, den, defined, weights, method, list(map(float, revenue)), codes)


def test_percentile_three_way_tie_goes_to_revenue():
    # ranks (3, 1), (1, 3), (2, 2) of three: every score exactly 200/3; rounding the normalised
    # parts first (33.333333333 + 100 vs 66.666666667 · 2) used to put the third first
    out, (score, rank) = run([[4, 0], [0, 6], [3, 5]], [[4, 4]] * 3, [1, 1], PERCENTILE, [80, 19, 18])
    assert score == [Fraction(200, 3)] * 3
    assert out.rank.tolist() == rank == [1, 2, 3]
    assert out.score[0] == out.score[1] == out.score[2]


def test_minmax_tie_of_different_figures_goes_to_revenue():
    # margin 4%, 6%, 5%, 3%, 0% (min-max: 66.7, 100, 83.3, 50, 0) weighted 2; tax ratio 3%, 5%,
    # 2%, 5%, 4% (33.3, 100, 0, 100, 66.7) weighted 1: rows 0 and 2 both score exactly 500/9
    num = [[4, 3], [6, 5], [5, 2], [3, 5], [0, 4]]
    out, (score, rank) = run(num, [[100, 100]] * 5, [2, 1], MINMAX, [32, 85, 58, 95, 85])
    assert score[0] == score[2] == Fraction(500, 9)
    assert out.rank.tolist() == rank == [4, 1, 3, 2, 5]  # 2 (58) before 0 (32)
    assert out.score[0] == out.score[2]


def test_scores_apart_by_less_than_rounding_are_not_tied():
    # profit margins differing by 10⁻¹⁵ over a spread of 1: exact scores 100·10⁻¹⁵ apart; the lower
    # one has the higher revenue but must still rank below
    big = 10**15
    num = [[big + 1], [big], [0]]
    den = [[2 * big], [2 * big], [2 * big]]
    out, (score, rank) = run(num, den, [1], MINMAX, [10, 999, 1])
    assert score[0] > score[1]
    assert out.rank.tolist() == rank == [1, 2, 3]


def test_distinct_values_rounding_to_one_float_get_their_own_percentile():
    # 1 and 1 + 10⁻¹⁷ are the same float64 but not the same value
    big = 10**17
    num, den = [[big + 1], [big]], [[big], [big]]
    assert num[0][0] / den[0][0] == num[1][0] / den[1][0]
    out, (_score, rank) = run(num, den, [1], PERCENTILE, [1, 2])
    assert out.normalised[:, 0].tolist() == [100, 50]
    assert out.rank.tolist() == rank == [1, 2]


def test_equal_values_in_other_terms_tie():
    # 1/3 and 2/6 (another firm twice the size): one value, one percentile, one score
    out, (_score, rank) = run([[1], [2], [1]], [[3], [6], [2]], [1], PERCENTILE, [5, 10, 1])
    assert out.normalised[0, 0] == out.normalised[1, 0] == pytest.approx(100 * 1.5 / 3)
    assert out.rank.tolist() == rank == [3, 2, 1]


@st.composite
def tiers(draw):
    n = draw(st.integers(2, 9))
    k = draw(st.integers(1, 4))
    cell = st.integers(-5, 8)
    num = draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=n, max_size=n))
    common = draw(st.booleans())  # a common denominator makes exact ties between different rows likely
    den_cell = st.integers(1, 7)
    d = draw(den_cell)
    den = (
        [[d] * k for _ in range(n)]
        if common
        else draw(st.lists(st.lists(den_cell, min_size=k, max_size=k), min_size=n, max_size=n))
    )
    defined = draw(st.lists(st.lists(st.booleans(), min_size=k, max_size=k), min_size=n, max_size=n))
    weights = draw(st.lists(st.sampled_from([0, 1, 2, 3, 0.5, 0.3, 1.7]), min_size=k, max_size=k))
    if not sum(weights):
        weights[0] = 1
    revenue = draw(st.lists(st.sampled_from([1.0, 2.0, 3.0, float("nan")]), min_size=n, max_size=n))
    return num, den, defined, weights, revenue


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tier=tiers(), method=st.sampled_from([MINMAX, PERCENTILE]))
def test_ranks_and_scores_equal_the_exact_computation(tier, method):
    num, den, defined, weights, revenue = tier
    out, (score, rank) = run(num, den, weights, method, revenue, defined=defined)
    assert out.rank.tolist() == rank
    assert out.score.tolist() == pytest.approx([float(s) for s in score], abs=1e-9)
    for a in range(len(score)):
        for b in range(len(score)):
            if score[a] == score[b]:
                assert out.score[a] == out.score[b]  # an exact tie is a tie in the stored float too
