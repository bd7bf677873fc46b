"""同行业平均 (same-industry averages), computed set-based per year and stored."""

from __future__ import annotations


def industry_averages_compute(*, actor, year, metrics=None) -> int:
    """Recompute and store the same-industry averages of ``year`` for ``metrics`` (default: every
    averageable metric); returns the number of rows stored."""
    raise NotImplementedError
