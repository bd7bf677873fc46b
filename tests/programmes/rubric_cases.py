"""Hand-made inputs for rubric scoring tests (no database): numbers come as answers."""

import json
from pathlib import Path

import numpy as np

from smeplan.programmes import rubric

FILES = Path(rubric.__file__).parent / "data" / "configured" / "rubrics"


def design_of(code: str, year: int) -> dict:
    return rubric.design_check(
        json.loads((FILES / f"{code}.{year}.json").read_text(encoding="utf-8"))["design"]
    )


def inputs(forms: list[dict], *, metrics: dict | None = None, holds: dict | None = None, experts=None):
    """``metrics``: {(code, offset): [value or None per row]} given as plain numbers."""
    n = len(forms)
    out = rubric.Inputs(n=n, reference_years=np.full(n, 2024), answers=forms)
    from fractions import Fraction

    for key, values in (metrics or {}).items():
        value = np.array([0.0 if v is None else float(v) for v in values])
        state = np.array([rubric.MISSING if v is None else rubric.OK for v in values], dtype=np.int8)
        exact = [Fraction(str(v)) if v is not None else Fraction(0) for v in values]
        out.metrics[key] = rubric.Num(value, state, lambda i, exact=exact: exact[i])
    out.holds = {k: np.array(v, dtype=bool) for k, v in (holds or {}).items()}
    if experts is not None:
        out.experts, out.expert_notes = experts
    return out


def points(design: dict, scores: rubric.Scores, row: int = 0) -> dict:
    return {item["code"]: scores.lines[row]["i"][j][0] for j, item in enumerate(design["indicators"])}
