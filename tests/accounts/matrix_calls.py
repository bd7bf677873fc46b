"""Scoping-matrix rows for the calls (申报批次): pages (``smeplan/web/urls_calls.py``) and API
(``smeplan/api/calls.py``), read by ``test_scoping_matrix.py``.

Targets: ``mine`` — a provincial call of 转型升级示范企业 open to 西安市 (the matrix's 雁塔 enterprise
may apply); ``foreign`` — a city-level call of 宝鸡市 (市级成长梯队) published by 宝鸡's city bureau,
which only the province and 宝鸡 see. Both are open now. A call an action closes is made fresh for
each call (``call_fresh``).
"""

import datetime as dt
import itertools

from django.utils import timezone

from smeplan.accounts.models import Role
from smeplan.recognition import calls
from tests.accounts.matrix_common import PROVINCIAL, REGION_BOUND, SIGNED_IN, _lazy
from tests.factories import UserFactory, region, tier_of

_STATE: dict = {}
_serials = itertools.count(1)
NONE = ("none",)


def sees_call(role, target):
    """mine: open to 西安 (its bureaus, viewer and enterprise); foreign: 宝鸡's, so the province only."""
    if role in PROVINCIAL:
        return True
    return target == "mine" and role in {"city_officer", "county_officer", "viewer", "enterprise_user"}


def sees_progress(role, target):
    return sees_call(role, target) and role in REGION_BOUND


def edits_call(role, target):
    """The publishing bureau: the province for mine; 宝鸡's city bureau (not a matrix role) for foreign."""
    return role in PROVINCIAL and target == "mine"


def opens(role, target):
    """Opening a call: mine is of a provincial programme (the province), foreign of a city-level
    one (a city bureau, for its own city)."""
    return role in PROVINCIAL if target == "mine" else role == "city_officer"


def applies(role, target):
    return role == "enterprise_user" and target == "mine"


def _window() -> dict:
    now = timezone.localtime()
    return {
        "opens_at": (now - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + dt.timedelta(days=30)).strftime("%Y-%m-%d %H:%M"),
    }


def _data(target) -> dict:
    programme, regions = ("transformation-demo", ["610100"]) if target == "mine" else ("growth-city", [])
    return {
        "programme": programme,
        "year": timezone.localdate().year,
        "title": f"矩阵申报批次{next(_serials)}",
        "regions": regions,
        **_window(),
    }


def _make(world, target):
    if target == "mine":
        actor = world["users"]["provincial_admin"]
    else:
        actor = UserFactory(role=Role.CITY_OFFICER, region=region("610300"))

    def fresh():
        return calls.call_create(actor=actor, data=_data(target), quotas={}).pk

    return {"call": _lazy(fresh), "call_fresh": fresh}


def make_world(world):
    _STATE.clear()
    _STATE["mine"] = _make(world, "mine")
    _STATE["foreign"] = _make(world, "foreign")
    _STATE["none"] = _STATE["mine"]
    return {target: dict(values) for target, values in _STATE.items()}


def _page_body(target):
    data = _data(target)
    return {k: v for k, v in data.items() if k != "regions"} | {
        "regions": data["regions"],
        "quota-610100": "5",
    }


def _api_body(target):
    return _data(target) | {"quotas": {"610100": 5} if target == "mine" else {}}


def _tier_body(target):
    return {"tier": tier_of("transformation-demo", "demonstration").pk}


def _api_tier_body(target):
    return {"tier_id": tier_of("transformation-demo", "demonstration").pk}


def _row(method, url, allowed, key, body=None, **kw):
    return {"method": method, "url": url, "allowed": allowed, "body": body, "keys": [key], **kw}


ROUTES = [
    _row(
        "GET",
        "/recognition/calls/",
        lambda r, t: r in REGION_BOUND | {"enterprise_user"},
        "recognition/calls/",
        targets=NONE,
    ),
    _row(
        "GET",
        "/recognition/calls/new/",
        lambda r, t: r in PROVINCIAL | {"city_officer"},
        "recognition/calls/new/",
    ),
    _row(
        "POST",
        "/recognition/calls/new/",
        opens,
        "",
        _page_body,
    ),
    _row("GET", "/recognition/calls/{call}/", sees_call, "recognition/calls/<int:pk>/"),
    _row("GET", "/recognition/calls/{call}/edit/", edits_call, "recognition/calls/<int:pk>/edit/"),
    _row("POST", "/recognition/calls/{call}/edit/", edits_call, "", _page_body),
    _row("POST", "/recognition/calls/{call_fresh}/close/", edits_call, "recognition/calls/<int:pk>/close/"),
    _row(
        "POST", "/recognition/calls/{call}/apply/", applies, "recognition/calls/<int:pk>/apply/", _tier_body
    ),
    _row(
        "GET",
        "/recognition/calls/{call}/progress.xlsx",
        sees_progress,
        "recognition/calls/<int:pk>/progress.xlsx",
    ),
    # API
    _row("GET", "/api/v1/calls", lambda r, t: r in SIGNED_IN, "GET /api/v1/calls", targets=NONE, api=True),
    _row(
        "POST",
        "/api/v1/calls",
        opens,
        "POST /api/v1/calls",
        _api_body,
        api=True,
    ),
    _row("GET", "/api/v1/calls/{call}", sees_call, "GET /api/v1/calls/{call_id}", api=True),
    _row("PUT", "/api/v1/calls/{call}", edits_call, "PUT /api/v1/calls/{call_id}", _api_body, api=True),
    _row(
        "PUT",
        "/api/v1/calls/{call}/quotas",
        edits_call,
        "PUT /api/v1/calls/{call_id}/quotas",
        lambda t: {"quotas": {"610100": 3}},
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/calls/{call_fresh}/close",
        edits_call,
        "POST /api/v1/calls/{call_id}/close",
        {"reason": "矩阵"},
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/calls/{call}/progress",
        sees_progress,
        "GET /api/v1/calls/{call_id}/progress",
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/calls/{call}/applications",
        applies,
        "POST /api/v1/calls/{call_id}/applications",
        _api_tier_body,
        api=True,
    ),
]
for _r in ROUTES:
    if _r["keys"] == [""]:
        _r["keys"] = []
