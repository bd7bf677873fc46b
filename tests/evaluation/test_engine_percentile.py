"""Percentile normalisation: x′ = 100·r/n, ties sharing the average of their ranks."""

import numpy as np
import pytest

from smeplan.evaluation.engine import evaluate


def test_percentile_hand_computed():
    values = np.array([[30.0], [10.0], [20.0], [40.0]])
    out = evaluate(values, [1], "percentile")
    # ascending ranks 3, 1, 2, 4 of n = 4
    assert out.normalised[:, 0].tolist() == pytest.approx([75, 25, 50, 100])
    assert out.rank.tolist() == [2, 4, 3, 1]


def test_ties_get_the_average_rank():
    values = np.array([[5.0], [7.0], [5.0], [9.0], [5.0]])
    out = evaluate(values, [1], "percentile")
    # the three 5s share ranks 1, 2, 3 → 2; 7 is 4th, 9 is 5th; n = 5
    assert out.normalised[:, 0].tolist() == pytest.approx([40, 80, 40, 100, 40])


def test_n_counts_the_defined_values_only():
    values = np.array([[1.0], [np.nan], [2.0]])
    out = evaluate(values, [1], "percentile")
    assert out.normalised[:, 0].tolist() == pytest.approx([50, 0, 100])
    assert out.missing[:, 0].tolist() == [False, True, False]
