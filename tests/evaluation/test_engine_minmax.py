"""Min-max normalisation over a hand-computed tier of three."""

import numpy as np
import pytest

from smeplan.evaluation.engine import evaluate

NAN = np.nan


def test_minmax_hand_computed():
    # revenue growth 10%, 30%, 20%; profit margin 5%, 5%, 15%
    values = np.array([[0.10, 0.05], [0.30, 0.05], [0.20, 0.15]])
    out = evaluate(values, [1, 1], "minmax", codes=np.array(["A", "B", "C"]))
    assert np.allclose(out.normalised, [[0, 0], [100, 0], [50, 100]])
    assert out.score.tolist() == pytest.approx([0, 50, 75])
    assert out.rank.tolist() == [3, 2, 1]


def test_equal_min_and_max_scores_everyone_100():
    values = np.array([[0.2, 0.1], [0.2, 0.3]])
    out = evaluate(values, [1, 1], "minmax")
    assert out.normalised[:, 0].tolist() == [100, 100]
    assert out.normalised[:, 1].tolist() == [0, 100]


def test_a_single_defined_value_scores_100():
    out = evaluate(np.array([[0.5], [NAN]]), [1], "minmax")
    assert out.normalised[:, 0].tolist() == [100, 0]
