"""Scoping-matrix rows for the reporting app (附件3 汇总表, 市级年度计划, 汇总表备案), read by
``test_scoping_matrix.py``.

Targets: ``mine`` — 西安 (the city of the matrix's 雁塔 enterprise), ``foreign`` — 宝鸡 (渭滨).
Plans and filings of each target's city are stored rows made once per world (or fresh, for the
actions that move them on)."""

from tests.accounts.matrix_common import REGION_BOUND

_STATE: dict = {}


def make_world(world):
    _STATE.clear()
    return {"mine": {}, "foreign": {}, "none": {}}


def _row(method, url, allowed, key, body=None, **kw):
    return {
        "method": method,
        "url": url,
        "allowed": allowed,
        "body": body,
        "keys": [key] if key else [],
        **kw,
    }


NONE = ("none",)

ROUTES = [
    # 附件3: bureaus and viewers, each over its own area (the selector is scoped)
    _row(
        "GET",
        "/reporting/annex3/?year=2024",
        lambda r, t: r in REGION_BOUND,
        "reporting/annex3/",
        targets=NONE,
    ),
    _row(
        "GET", "/reporting/annex3/?year=2024&format=xlsx", lambda r, t: r in REGION_BOUND, None, targets=NONE
    ),
]
