"""The evaluation engine (综合测评): normalise, weight and rank at once over numpy arrays. Pure — no
database; the run service, the what-if page and the bench call the same :func:`evaluate`.

Input: ``values`` (n × k float; NaN where the indicator is missing or undefined — growth with a base
≤ 0, a ratio with a denominator missing or ≤ 0: ``indicators.derived``), ``weights`` (k, ≥ 0, any
positive sum), the method, and for the tie-breaks each enterprise's operating revenue (NaN: last)
and credit code.

- min-max: x′ = 100·(x − min)/(max − min) over the defined values of the column; all 100 when
  max = min;
- percentile: x′ = 100·r/n, r the ascending rank among the n defined values, ties sharing the
  average of their ranks;
- a missing or undefined value scores 0 and is flagged;
- score = Σ wᵢx′ᵢ / Σ wᵢ, kept to 1e-9 (so that equal scores computed in another order tie);
- rank by score descending, then operating revenue descending, then credit code ascending (the
  codes may be given as a function, asked only for the rows whose score and revenue tie).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MINMAX, PERCENTILE = "minmax", "percentile"


@dataclass(frozen=True)
class Scored:
    normalised: np.ndarray  # (n, k) float, 0–100
    missing: np.ndarray  # (n, k) bool
    score: np.ndarray  # (n,) float
    rank: np.ndarray  # (n,) int, 1 = best


def _minmax(col: np.ndarray, ok: np.ndarray) -> np.ndarray:
    out = np.zeros(len(col))
    if not ok.any():
        return out
    defined = col[ok]
    low, high = defined.min(), defined.max()
    out[ok] = 100.0 if high == low else 100.0 * (defined - low) / (high - low)
    return out


def _percentile(col: np.ndarray, ok: np.ndarray) -> np.ndarray:
    out = np.zeros(len(col))
    n = int(ok.sum())
    if not n:
        return out
    _uniq, inverse, counts = np.unique(col[ok], return_inverse=True, return_counts=True)
    first = np.cumsum(counts) - counts + 1  # the first ascending rank of each distinct value
    average = first + (counts - 1) / 2.0
    out[ok] = 100.0 * average[inverse.reshape(-1)] / n
    return out


def rank_order(score: np.ndarray, revenue: np.ndarray, codes) -> np.ndarray:
    """Positions in rank order: score desc, operating revenue desc (NaN last), credit code asc.
    ``codes``: the credit codes, or a function positions → their codes, asked only for the rows
    that share their score and revenue with another row (elsewhere the code decides nothing)."""
    rev = np.where(np.isnan(revenue), -np.inf, revenue)
    if callable(codes):
        codes = _tie_codes(score, rev, codes)
    return np.lexsort((np.asarray(codes, dtype=str), -rev, -score))


def _tie_codes(score: np.ndarray, rev: np.ndarray, lookup) -> np.ndarray:
    n = len(score)
    order = np.lexsort((-rev, -score))
    s, r = score[order], rev[order]
    same = (s[1:] == s[:-1]) & (r[1:] == r[:-1])
    tied = np.zeros(n, dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    positions = np.sort(order[tied])
    found = np.asarray(lookup(positions) if len(positions) else [], dtype=str)
    out = np.full(n, "", dtype=found.dtype if len(found) else "<U1")
    out[positions] = found
    return out


def evaluate(
    values: np.ndarray,
    weights,
    method: str,
    *,
    revenue: np.ndarray | None = None,
    codes=None,
) -> Scored:
    values = np.asarray(values, dtype=float)
    n = values.shape[0]
    k = values.shape[1] if values.ndim == 2 else 0
    w = np.asarray(weights, dtype=float)
    if w.shape != (k,):
        raise ValueError(f"{len(w)} weights for {k} indicators")
    if (w < 0).any() or not w.sum() > 0:
        raise ValueError("weights must be ≥ 0 with a positive sum")
    if method not in (MINMAX, PERCENTILE):
        raise ValueError(f"unknown method {method!r}")
    defined = ~np.isnan(values)
    normalise = _minmax if method == MINMAX else _percentile
    normalised = np.zeros((n, k))
    for j in range(k):  # k columns (five indicators), each vectorised over the enterprises
        normalised[:, j] = normalise(values[:, j], defined[:, j])
    normalised = np.round(normalised, 9)  # 100·(x − min)/(max − min) may come out as 100.00000000000001
    score = np.round(normalised @ w / w.sum(), 9)
    revenue = np.full(n, np.nan) if revenue is None else np.asarray(revenue, dtype=float)
    codes = np.array([""] * n) if codes is None else codes if callable(codes) else np.asarray(codes)
    order = rank_order(score, revenue, codes)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return Scored(normalised=normalised, missing=~defined, score=score, rank=rank)


def bottom_count(n: int, share) -> int:
    """⌈share × n⌉ (exact for a Decimal share): the number of enterprises in the bottom share."""
    from decimal import ROUND_CEILING, Decimal

    return int((Decimal(str(share)) * n).to_integral_value(rounding=ROUND_CEILING)) if n else 0
