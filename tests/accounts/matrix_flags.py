"""Scoping-matrix rows for 虚假信息疑点 (``smeplan/web/urls_flags.py`` and ``/api/v1/flags``), read by
``test_scoping_matrix.py``.

Targets: ``mine`` — the matrix's 雁塔 enterprise; ``foreign`` — its 宝鸡 渭滨区 enterprise; ``none`` —
lists, where the placeholder ``fl_seed`` makes a flag of both targets first so a list that leaks the
foreign enterprise is caught. A decision needs an open flag: each call makes a fresh one.
"""

import itertools

from smeplan.flags.models import FigureFlag, FlagKind
from tests.accounts.matrix_common import BUREAU, PROVINCIAL

_years = itertools.count(2001)
BASE = "/api/v1/flags"
NONE = ("none",)


def bureau(role, target):
    return role in BUREAU


def decides(role, target):
    """Bureau users whose scope covers the enterprise (mine: 雁塔, foreign: 渭滨)."""
    return role in PROVINCIAL or (role in {"city_officer", "county_officer"} and target == "mine")


def _flag(org) -> int:
    return FigureFlag.objects.create(
        organisation=org, year=next(_years), kind=FlagKind.GROWTH, message=f"矩阵疑点：{org.name}"
    ).pk


def make_world(world):
    orgs = world["orgs"]
    seeded = []

    def seed():
        if not seeded:
            seeded.extend(_flag(orgs[t]) for t in ("mine", "foreign"))
        return 1

    values = {t: {"fl_open": (lambda org=orgs[t]: _flag(org))} for t in ("mine", "foreign")}
    values["none"] = {"fl_seed": seed}
    return values


def _row(method, url, allowed, key, body=None, *, api=False, **kw):
    return {
        "method": method,
        "url": url,
        "allowed": allowed,
        "body": body,
        "api": api,
        "keys": [f"{method} {BASE}{key}" if api else key],
        **kw,
    }


ROUTES = [
    _row("GET", "/flags/?seed={fl_seed}", bureau, "flags/", targets=NONE, no_leak=True),
    # a year with no evaluated enterprises: detection runs (and finds nothing) for bureau users
    _row("POST", "/flags/detect/", bureau, "flags/detect/", {"year": "2024"}, targets=NONE),
    _row(
        "POST",
        "/flags/{fl_open}/decide/",
        decides,
        "flags/<int:pk>/decide/",
        {"confirmed": "1", "note": "矩阵核实意见"},
    ),
    _row("GET", f"{BASE}?seed={{fl_seed}}", bureau, "", targets=NONE, no_leak=True, api=True),
    _row("POST", f"{BASE}/detect", bureau, "/detect", {"year": 2024}, targets=NONE, api=True),
    _row(
        "POST",
        f"{BASE}/{{fl_open}}/decision",
        decides,
        "/{flag_id}/decision",
        {"confirmed": True, "note": "矩阵核实意见"},
        api=True,
    ),
]
