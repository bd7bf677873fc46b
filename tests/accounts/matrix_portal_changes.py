"""Scoping-matrix rows for 本单位信息 and 企业信息变更申请 (``smeplan/web/urls_portal_changes.py`` and
``/api/v1/portal/…``), read by ``test_scoping_matrix.py``.

Targets: ``mine`` — the matrix's 雁塔 enterprise; ``foreign`` — its 宝鸡 渭滨区 enterprise; ``none`` —
lists, where ``pc_seed`` first makes a request of both so a list leaking the foreign one is caught.
Requests an action changes are made fresh per call (filed by the firm's own user, through the service).
"""

import itertools

from smeplan.portal.changes import change_request_file
from smeplan.portal.models import ProfileChangeRequest
from smeplan.registry.models import Organisation
from tests.accounts.matrix_common import BUREAU, _lazy, sees, signed_in
from tests.factories import enterprise_user

_serials = itertools.count(1)
_STATE: dict = {}


def _request(org) -> int:
    kind = ("merger", "restructuring", "transfer")[next(_serials) % 3]
    # one pending request per firm and kind: an earlier fresh one of that kind is set aside first
    ProfileChangeRequest.objects.filter(organisation_id=org.pk, kind=kind, state="pending").update(
        state="withdrawn"
    )
    org = Organisation.objects.get(pk=org.pk)
    data = {"kind": kind, "description": f"矩阵：{kind}的变更情况{next(_serials)}"}
    return change_request_file(actor=enterprise_user(org), organisation=org, data=data).pk


def _make(world, target):
    org = world["orgs"][target]
    return {
        "pc_request": _lazy(lambda: _request(org)),
        "pc_fresh": lambda: _request(org),
    }


def _seed():
    for target in ("mine", "foreign"):
        _STATE[target]["pc_request"]()
    return 1


def make_world(world):
    _STATE.clear()
    _STATE["mine"] = _make(world, "mine")
    _STATE["foreign"] = _make(world, "foreign")
    _STATE["none"] = {**_STATE["mine"], "pc_seed": _seed}
    return {target: dict(values) for target, values in _STATE.items()}


def decides(role, target):
    """The bureau over the request's county (雁塔 for mine; the province for both)."""
    return role in BUREAU and sees(role, target)


def firm(role, target):
    """The firm's own user (the matrix's enterprise user belongs to ``mine``)."""
    return role == "enterprise_user" and target == "mine"


def own_organisation(role, target):
    """本单位信息: an organisation's own users (enterprise and agency)."""
    return role in {"enterprise_user", "agency_user"}


def reviewer(role, target):
    return role in BUREAU


def sees_request(role, target):
    return sees(role, target)


NONE = ("none",)


def _row(method, url, allowed, key, body=None, **kw):
    return {
        "method": method,
        "url": url,
        "allowed": allowed,
        "body": body,
        "keys": [key] if key else [],
        **kw,
    }


ROUTES = [
    _row("GET", "/portal/profile/", own_organisation, "portal/profile/", targets=NONE),
    _row("POST", "/portal/profile/", own_organisation, None, {"contact_person": "矩阵联系人"}, targets=NONE),
    _row("GET", "/portal/changes/?kind=rename", own_organisation, "portal/changes/", targets=NONE),
    _row(
        "POST",
        "/portal/changes/",
        own_organisation,
        None,
        lambda t: {"kind": "rename", "new_name": f"矩阵新名称{next(_serials)}有限公司"},
        targets=NONE,
    ),
    _row(
        "GET",
        "/portal/changes/queue/?show=all&seed={pc_seed}",
        reviewer,
        "portal/changes/queue/",
        targets=NONE,
        no_leak=True,
    ),
    _row("GET", "/portal/changes/{pc_request}/", sees_request, "portal/changes/<int:pk>/", no_leak=True),
    _row(
        "POST",
        "/portal/changes/{pc_fresh}/act/",
        decides,
        "portal/changes/<int:pk>/act/",
        {"action": "approve", "note": "矩阵同意"},
    ),
    _row(
        "POST", "/portal/changes/{pc_fresh}/act/", decides, None, {"action": "refuse", "note": "矩阵不同意"}
    ),
    _row("POST", "/portal/changes/{pc_fresh}/act/", firm, None, {"action": "withdraw"}),
    # API
    _row(
        "GET",
        "/api/v1/portal/changes?seed={pc_seed}",
        signed_in,
        "GET /api/v1/portal/changes",
        targets=NONE,
        api=True,
        no_leak=True,
    ),
    _row(
        "POST",
        "/api/v1/portal/changes",
        lambda r, t: r in {"enterprise_user", "agency_user"},
        "POST /api/v1/portal/changes",
        {"kind": "merger", "description": "矩阵：并购了一家上游企业"},
        targets=NONE,
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/portal/changes/{pc_request}",
        sees_request,
        "GET /api/v1/portal/changes/{change_id}",
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/portal/changes/{pc_fresh}/approve",
        decides,
        "POST /api/v1/portal/changes/{change_id}/approve",
        {"note": "矩阵同意"},
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/portal/changes/{pc_fresh}/refuse",
        decides,
        "POST /api/v1/portal/changes/{change_id}/refuse",
        {"note": "矩阵不同意"},
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/portal/changes/{pc_fresh}/withdraw",
        firm,
        "POST /api/v1/portal/changes/{change_id}/withdraw",
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/portal/profile",
        own_organisation,
        "GET /api/v1/portal/profile",
        targets=NONE,
        api=True,
    ),
    _row(
        "PATCH",
        "/api/v1/portal/profile",
        own_organisation,
        "PATCH /api/v1/portal/profile",
        {"contact_phone": "029-12345678"},
        targets=NONE,
        api=True,
    ),
]
