"""The evaluation engine (综合测评): normalise, weight and rank at once over numpy arrays. Pure — no
database; the run service, the what-if page and the bench call the same :func:`evaluate`.

Input: ``values`` (n × k float; NaN where the indicator is missing or undefined — growth with a base
≤ 0, a ratio with a denominator missing or ≤ 0: ``indicators.derived``), ``weights`` (k, ≥ 0, any
positive sum), the method, for the tie-breaks each enterprise's operating revenue (NaN: last) and
credit code, and the exact value of each indicator (``exact``: numerator and denominator arrays of
integers, as :func:`indicators_from_figures` gives them from the figures in cents; without it each
float is taken as exact).

- min-max: x′ = 100·(x − min)/(max − min) over the defined values of the column; all 100 when
  max = min;
- percentile: x′ = 100·r/n, r the ascending rank among the n defined values, ties (equal exact
  values) sharing the average of their ranks;
- a missing or undefined value scores 0 and is flagged;
- score = Σ wᵢx′ᵢ / Σ wᵢ, nothing rounded on the way (round only to show it);
- rank by score descending, then operating revenue descending, then credit code ascending (the
  codes may be given as a function, asked only for the rows whose score and revenue tie).

Exact ties. The scores are computed in float64, whose last bits depend on the order of the
additions: two enterprises whose exact scores are equal can differ by an ulp, and two whose exact
scores differ by less than an ulp can come out equal. Ranks are therefore decided on exact scores:

- percentile: the (average) ranks are exact (values compared exactly where their floats are
  equal), so every score is an integer combination of them over one common denominator — all rows
  at once in integers (:func:`_percentile_key`);
- min-max: every score carries a bound of its float error (from each column's conditioning), and
  rows whose scores lie within twice that bound of each other are compared again on their exact
  scores (:class:`fractions.Fraction` over the exact indicator values and the weights as entered);
  only those few rows are computed exactly, the rest stays vectorised.

Equal exact scores tie and go to the revenue and the code; their stored float scores are equal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

import numpy as np

MINMAX, PERCENTILE = "minmax", "percentile"
U = 2.0**-53  # unit roundoff of float64
#: a min-max column with max(|min|, |max|) / (max − min) above this is normalised exactly
ILL_CONDITIONED = 1e8


@dataclass(frozen=True)
class Scored:
    normalised: np.ndarray  # (n, k) float, 0–100
    missing: np.ndarray  # (n, k) bool
    score: np.ndarray  # (n,) float, unrounded (exact ties equal)
    rank: np.ndarray  # (n,) int, 1 = best


# --- the indicators from the figures -------------------------------------------------------------------


def indicators_from_figures(figures: dict[str, tuple[np.ndarray, np.ndarray]]):
    """The five indicators (in ``models.INDICATORS`` order) of n enterprises from their figures, the
    ``indicators.derived`` definitions vectorised. ``figures``: name → (int64 values in cents,
    present mask) for ``operating_revenue``, ``operating_revenue_prev``, ``total_profit``,
    ``total_profit_prev``, ``tax_paid``, ``rd_expense``.

    Returns (values n × 5 float with NaN where missing or undefined, (numerators, denominators)
    n × 5 int64 with den > 0 where defined): each value is the correctly rounded quotient, so equal
    exact indicators are equal floats. Growth is (x − x₀)/x₀, undefined when x₀ ≤ 0; the ratios'
    denominator is the operating revenue, undefined when it is missing or ≤ 0."""
    rev, rev_ok = figures["operating_revenue"]
    rev0, rev0_ok = figures["operating_revenue_prev"]
    prof, prof_ok = figures["total_profit"]
    prof0, prof0_ok = figures["total_profit_prev"]
    tax, tax_ok = figures["tax_paid"]
    rd, rd_ok = figures["rd_expense"]
    den_ok = rev_ok & (rev > 0)
    pairs = [
        (rev - rev0, rev0, rev_ok & rev0_ok & (rev0 > 0)),
        (prof - prof0, prof0, prof_ok & prof0_ok & (prof0 > 0)),
        (prof, rev, den_ok & prof_ok),
        (tax, rev, den_ok & tax_ok),
        (rd, rev, den_ok & rd_ok),
    ]
    n = len(rev)
    num = np.zeros((n, len(pairs)), dtype=np.int64)
    den = np.ones((n, len(pairs)), dtype=np.int64)
    values = np.full((n, len(pairs)), np.nan)
    for j, (a, b, ok) in enumerate(pairs):
        num[ok, j] = a[ok]
        den[ok, j] = b[ok]
        values[ok, j] = a[ok].astype(float) / b[ok].astype(float)  # exact integers < 2^53: one rounding
    return values, (num, den)


# --- exact values ----------------------------------------------------------------------------------------


class _Exact:
    """The exact value of each indicator: ``value(i, j)``, ``same(rows, j)`` (do these rows have one
    exact value in column j?) and a ``signature(i)`` of row i's exact inputs (equal signatures,
    equal exact values; None: not known)."""

    def __init__(self, values: np.ndarray, exact):
        self.floats_exact = exact is None
        self._values = values
        self._fn = self._pair = None
        if callable(exact):
            self._fn = exact
        elif exact is not None:  # numerators and denominators in lowest terms (den > 0 where defined)
            num, den = (np.asarray(x, dtype=np.int64) for x in exact)
            g = np.gcd(num, den)
            g[g == 0] = 1
            self._pair = (num // g, den // g)

    def value(self, i: int, j: int) -> Fraction:
        if self._fn is not None:
            return self._fn(i, j)
        if self._pair is not None:
            return Fraction(int(self._pair[0][i, j]), int(self._pair[1][i, j]))
        return Fraction(float(self._values[i, j]))

    def same(self, rows: np.ndarray, j: int) -> bool:
        if self.floats_exact:
            return True
        if self._pair is not None:  # lowest terms: equal values, equal pairs
            num, den = self._pair[0][rows, j], self._pair[1][rows, j]
            return bool((num == num[0]).all() and (den == den[0]).all())
        first = self.value(int(rows[0]), j)
        return all(self.value(int(i), j) == first for i in rows[1:])

    def cell(self, i: int, j: int):
        """A hashable stand-in for the exact value of cell (i, j) (None: not known)."""
        if self._fn is not None:
            return None
        if self._pair is not None:
            return (int(self._pair[0][i, j]), int(self._pair[1][i, j]))
        return float(self._values[i, j])

    def signature(self, i: int, defined: np.ndarray):
        if self._fn is not None:
            return None
        if self._pair is not None:
            num, den = self._pair
            return tuple(
                (int(a), int(b)) if ok else None
                for a, b, ok in zip(num[i].tolist(), den[i].tolist(), defined[i].tolist(), strict=True)
            )
        return tuple(
            v if ok else None for v, ok in zip(self._values[i].tolist(), defined[i].tolist(), strict=True)
        )


def _equal_groups(rows: np.ndarray, j: int, value: float, exact: _Exact) -> list[list[int]]:
    """``rows`` share the float ``value`` in column ``j``: their groups of equal exact value, in
    ascending order (one group unless distinct exact values rounded to the same float)."""
    if value == 0.0 or len(rows) < 2 or exact.same(rows, j):  # a correctly rounded quotient is 0 only for 0
        return [rows.tolist()]
    found: dict[Fraction, list[int]] = {}
    for i in rows.tolist():
        found.setdefault(exact.value(i, j), []).append(i)
    return [found[x] for x in sorted(found)]


@dataclass
class _Column:
    """How a column was normalised, to give any row's exact normalised value."""

    method: str
    defined: int = 0
    low: Fraction | None = None  # min-max: the exact min and max
    high: Fraction | None = None
    average_rank: np.ndarray | None = None  # percentile: each row's (average) ascending rank
    error: float = 0.0  # bound of |float x′ − exact x′|

    def exact(self, i: int, value: Callable[[], Fraction]) -> Fraction:
        """Row i's exact min-max x′ (``value``: its exact indicator value)."""
        if self.high == self.low:
            return Fraction(100)
        return 100 * (value() - self.low) / (self.high - self.low)


def _minmax(col, ok, j, exact: _Exact) -> tuple[np.ndarray, _Column]:
    out = np.zeros(len(col))
    info = _Column(MINMAX, defined=int(ok.sum()))
    if not info.defined:
        return out, info
    defined = col[ok]
    low, high = defined.min(), defined.max()
    rows = np.flatnonzero(ok)
    lows = _equal_groups(rows[defined == low], j, low, exact)
    highs = _equal_groups(rows[defined == high], j, high, exact)
    info.low, info.high = exact.value(lows[0][0], j), exact.value(highs[-1][0], j)
    if info.high == info.low:
        out[ok] = 100.0
        info.error = 0.0
        return out, info
    scale = max(abs(low), abs(high))
    if high == low or scale > ILL_CONDITIONED * (high - low):
        # the float differences mean little: every value of the column exactly (rare, small tiers)
        for i in rows.tolist():
            out[i] = float(info.exact(i, lambda i=i: exact.value(i, j)))
        info.error = 100 * U
        return out, info
    out[ok] = 100.0 * ((defined - low) / (high - low))  # the max exactly 100, the min 0
    # x̂, min̂, max̂ within u·|x| of the exact values (each one correctly rounded quotient), two
    # subtractions and a product and a quotient: first-order bound, doubled
    info.error = 100 * (8 * U * scale / (high - low) + 8 * U)
    return out, info


def _percentile(col, ok, j, exact: _Exact) -> tuple[np.ndarray, _Column]:
    n_rows = len(col)
    out = np.zeros(n_rows)
    info = _Column(PERCENTILE, defined=int(ok.sum()), average_rank=np.zeros(n_rows), error=100 * 2 * U)
    n = info.defined
    if not n:
        return out, info
    rows = np.flatnonzero(ok)
    vals = col[rows]
    order = np.argsort(vals, kind="stable")
    ordered = vals[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, n])
    average = starts + 1 + (counts - 1) / 2.0  # ascending ranks from 1; equal floats share theirs
    ranks = np.repeat(average, counts)
    if not exact.floats_exact:  # distinct exact values that rounded to one float get their own ranks
        for g in np.flatnonzero(counts > 1).tolist():
            start, count = int(starts[g]), int(counts[g])
            members = rows[order[start : start + count]]
            groups = _equal_groups(members, j, float(ordered[start]), exact)
            if len(groups) > 1:
                position = {i: k for k, i in enumerate(members.tolist())}
                first = start + 1
                for group in groups:
                    for i in group:
                        ranks[start + position[i]] = first + (len(group) - 1) / 2.0
                    first += len(group)
    info.average_rank[rows[order]] = ranks
    out[rows] = 100.0 * info.average_rank[rows] / n
    return out, info


# --- ranks ----------------------------------------------------------------------------------------------


def rank_order(score: np.ndarray, revenue: np.ndarray, codes) -> np.ndarray:
    """Positions in rank order: score desc, operating revenue desc (NaN last), credit code asc.
    ``score`` is compared as given (:func:`evaluate` passes a key of the exact scores: equal for an
    exact tie). ``codes``: the credit codes, or a function positions → their codes, asked only for
    the rows that share their score and revenue with another row (elsewhere the code decides
    nothing)."""
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


def _percentile_key(score, weights, columns) -> np.ndarray:
    """Percentile scores exactly, all rows at once in integers: x′ⱼ = 100·Aⱼ/(2nⱼ) with Aⱼ twice
    the average rank (an integer) and the weights Pⱼ/Q as entered, so Σ wⱼx′ⱼ / Σ wⱼ =
    50·S/(L·Σ Pⱼ) with S = Σ Pⱼ·(L/nⱼ)·Aⱼ and L = lcm(nⱼ): S orders the rows exactly. Returns the
    dense rank of S (larger = better); ``score`` becomes 50·S/(L·Σ Pⱼ) (equal for an exact tie)."""
    w_exact = [Fraction(repr(float(w))) for w in weights]
    q = math.lcm(*(w.denominator for w in w_exact))
    p = [int(w * q) for w in w_exact]
    used = [j for j, c in enumerate(columns) if p[j] and c.defined]
    big = math.lcm(*(columns[j].defined for j in used)) if used else 1
    coefficients = {j: p[j] * (big // columns[j].defined) for j in used}
    bound = sum(c * 2 * columns[j].defined for j, c in coefficients.items())
    dtype = np.int64 if bound < 2**62 else object  # Python integers beyond int64
    total = np.zeros(len(score), dtype=dtype)
    for j, c in coefficients.items():
        doubled = np.rint(2 * columns[j].average_rank).astype(np.int64)  # 0 where missing
        total = total + (doubled.astype(dtype) * c if dtype is object else doubled * c)
    _distinct, key = np.unique(total, return_inverse=True)
    scale = 50.0 / (big * sum(p))
    score[:] = np.array([float(x) for x in total.tolist()]) * scale if dtype is object else total * scale
    return key.reshape(-1).astype(np.float64)


def _exact_key(score, defined, weights, columns, exact: _Exact) -> np.ndarray:
    """Min-max: a key ordering the rows as their exact scores do (larger = better; equal for equal
    exact scores). Scores within twice their error bound of a neighbour are compared exactly (``score``
    of those rows is set to the correctly rounded exact score)."""
    n = len(score)
    key = np.empty(n, dtype=np.float64)
    if not n:
        return key
    order = np.argsort(-score, kind="stable")
    key[order] = -np.arange(n, dtype=np.float64)  # the float order: position 0 the best
    error = sum(float(w) * c.error for w, c in zip(weights, columns, strict=True)) / float(np.sum(weights))
    error += 100 * U * (len(weights) + 4)  # the weighted sum and the division
    s = score[order]
    near = (s[:-1] - s[1:]) <= 4 * error  # each within ±2·error of its exact value
    if not near.any():
        return key
    w_exact = [Fraction(repr(float(w))) for w in weights]  # the weights as entered (shortest repr)
    w_sum = sum(w_exact)
    cluster = np.r_[0, np.cumsum(~near)]  # cluster id per sorted position
    starts = np.flatnonzero(np.r_[True, cluster[1:] != cluster[:-1]])
    sizes = np.diff(np.r_[starts, n])
    known: dict[tuple, Fraction] = {}  # row signature → exact score
    terms: list[dict] = [{} for _ in columns]  # per column: exact value → wⱼ·x′ⱼ

    def term(i: int, j: int) -> Fraction:
        cell = exact.cell(i, j)
        if cell is not None and cell in terms[j]:
            return terms[j][cell]
        value = w_exact[j] * columns[j].exact(i, lambda: exact.value(i, j))
        if cell is not None:
            terms[j][cell] = value
        return value

    def exact_score(i: int) -> Fraction:
        signature = exact.signature(i, defined)  # equal exact inputs, equal score
        if signature is not None and signature in known:
            return known[signature]
        total = sum((term(i, j) for j in range(len(columns)) if w_exact[j] and defined[i, j]), Fraction(0))
        total /= w_sum
        if signature is not None:
            known[signature] = total
        return total

    for c in np.flatnonzero(sizes > 1).tolist():
        start, size = int(starts[c]), int(sizes[c])
        members = order[start : start + size].tolist()
        exact_scores = {i: exact_score(i) for i in members}
        ranked = sorted(members, key=lambda i: exact_scores[i], reverse=True)
        position = start
        for k, i in enumerate(ranked):
            if k and exact_scores[i] != exact_scores[ranked[k - 1]]:
                position = start + k
            key[i] = -float(position)
            score[i] = float(exact_scores[i])
    return key


def evaluate(
    values: np.ndarray,
    weights,
    method: str,
    *,
    revenue: np.ndarray | None = None,
    codes=None,
    exact=None,
) -> Scored:
    """Normalise, weight and rank (module docstring). ``exact``: None (the floats are exact), a
    pair (numerators, denominators) of integer arrays n × k, or a function (row, column) → the
    exact value as a :class:`~fractions.Fraction`."""
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
    values = values.reshape(n, k)
    defined = ~np.isnan(values)
    exact = _Exact(values, exact)
    normalise = _minmax if method == MINMAX else _percentile
    normalised = np.zeros((n, k))
    columns = []
    for j in range(k):  # k columns (five indicators), each vectorised over the enterprises
        normalised[:, j], info = normalise(values[:, j], defined[:, j], j, exact)
        columns.append(info)
    score = normalised @ w / w.sum()
    if method == PERCENTILE:
        key = _percentile_key(score, w, columns)
    else:
        key = _exact_key(score, defined, w, columns, exact)
    revenue = np.full(n, np.nan) if revenue is None else np.asarray(revenue, dtype=float)
    codes = np.array([""] * n) if codes is None else codes if callable(codes) else np.asarray(codes)
    order = rank_order(key, revenue, codes)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return Scored(normalised=normalised, missing=~defined, score=score, rank=rank)


def bottom_count(n: int, share) -> int:
    """⌈share × n⌉ (exact for a Decimal share): the number of enterprises in the bottom share."""
    return int((Decimal(str(share)) * n).to_integral_value(rounding=ROUND_CEILING)) if n else 0
