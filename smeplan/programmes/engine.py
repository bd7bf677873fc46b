"""The screening engine (筛选引擎): evaluates criterion specs over a frame (``frame.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from smeplan.programmes.criteria import CriterionSpec


@dataclass
class ExplanationItem:
    spec: CriterionSpec
    status: str  # pass | fail | incomplete | manual | priority_met | priority_not_met
    line: str
    values: dict = field(default_factory=dict)


@dataclass
class Explanation:
    outcome: str  # pass | fail | incomplete
    version: object  # CriteriaVersion
    items: list[ExplanationItem] = field(default_factory=list)


def explain(*, actor, organisation, tier, year) -> Explanation:
    """Why ``organisation`` passes or fails ``tier`` in ``year``: one Chinese line per criterion,
    computed by the same engine on a one-organisation frame with the stored averages."""
    raise NotImplementedError
