"""Screening runs (筛选): services and the live preview."""

from __future__ import annotations

from smeplan.programmes.criteria import CriterionSpec
from smeplan.programmes.models import ScreeningRun


def screening_run(*, actor, tier, year, version=None) -> ScreeningRun:
    """Screen every enterprise in ``actor``'s scope against ``tier`` for ``year`` (the version in
    force unless given); stores the run, its counts and the 符合/数据不全 results; one audit event."""
    raise NotImplementedError


def screening_preview(*, actor, tier, year, specs: list[CriterionSpec]) -> dict:
    """How many would pass ``specs`` (no writes): {"evaluated", "passed", "failed", "incomplete",
    "seconds"}."""
    raise NotImplementedError


def runs_compare(*, actor, run_a, run_b) -> dict:
    """Who entered / left between two runs: {"entered": [org ids], "left": [org ids]} (entered: 符合
    in ``run_b`` but not in ``run_a``)."""
    raise NotImplementedError
