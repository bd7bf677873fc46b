"""Missing values score 0 and are flagged; weights summing to anything; rank tie-breaks."""

import numpy as np
import pytest

from smeplan.evaluation.engine import bottom_count, evaluate


def test_missing_scores_zero_and_is_flagged():
    values = np.array([[0.1, np.nan], [0.3, 0.2], [np.nan, 0.4]])
    out = evaluate(values, [1, 1], "minmax")
    assert out.missing.tolist() == [[False, True], [False, False], [True, False]]
    assert np.allclose(out.normalised, [[0, 0], [100, 0], [0, 100]])
    assert out.score.tolist() == pytest.approx([0, 50, 50])


@pytest.mark.parametrize("weights", [[1, 3], [0.25, 0.75], [10, 30], [2.5, 7.5]])
def test_weights_summing_to_anything_give_the_same_scores(weights):
    values = np.array([[0.1, 0.05], [0.3, 0.05], [0.2, 0.15]])
    out = evaluate(values, weights, "minmax")
    # 0·¼ + 0·¾ = 0; 100·¼ + 0 = 25; 50·¼ + 100·¾ = 87.5
    assert out.score.tolist() == pytest.approx([0, 25, 87.5])


def test_zero_weight_ignores_the_indicator():
    values = np.array([[0.1, 0.9], [0.3, 0.1]])
    out = evaluate(values, [1, 0], "minmax")
    assert out.score.tolist() == pytest.approx([0, 100])


def test_ties_broken_by_revenue_then_credit_code():
    values = np.array([[0.2], [0.2], [0.2], [0.2]])
    revenue = np.array([5000.0, 8000.0, 5000.0, np.nan])
    codes = np.array(["91610000C", "91610000B", "91610000A", "91610000D"])
    out = evaluate(values, [1], "minmax", revenue=revenue, codes=codes)
    # all score 100: 8000 first; the two 5000s by credit code (A before C); missing revenue last
    assert out.rank.tolist() == [3, 1, 2, 4]


def test_scores_equal_up_to_float_noise_tie():
    values = np.array([[0.1, 0.3, 0.2], [0.3, 0.1, 0.2], [0.2, 0.2, 0.2]])
    out = evaluate(values, [1, 1, 1], "minmax", codes=np.array(["B", "A", "C"]))
    assert out.score[0] == out.score[1]
    assert out.rank[1] < out.rank[0]


@pytest.mark.parametrize(("n", "expected"), [(0, 0), (1, 1), (20, 1), (21, 2), (40, 2), (41, 3), (100, 5)])
def test_bottom_count_is_the_ceiling_of_five_percent(n, expected):
    assert bottom_count(n, "0.05") == expected
