"""Scoping-matrix rows for 年度报告与复核 and 撤销建议 (``smeplan/web/urls_obligations.py``, the
rename notice route and ``/api/v1/recognition/obligations…``), read by ``test_scoping_matrix.py``.

Targets: ``mine`` — the matrix's 雁塔 enterprise; ``foreign`` — its 宝鸡 渭滨区 enterprise; ``none`` —
lists, where ``ob_seed`` first makes the objects of both targets so a list leaking the foreign
enterprise is caught. Certifications are stored rows certified by the province (so the provincial
users are the certifying bureau); tasks and proposals an action changes are made fresh per call.
"""

import datetime as dt

from smeplan.recognition import clock
from smeplan.recognition.models import (
    ChangeState,
    Obligation,
    ObligationKind,
    ObligationState,
    RevocationProposal,
)
from tests.accounts.matrix_common import BUREAU, PROVINCIAL, WITH_SCOPE, _lazy, _only, sees, signed_in
from tests.accounts.matrix_notices import _certification, _report

_STATE: dict = {}


def _task(org, state=ObligationState.PENDING) -> int:
    return Obligation.objects.create(
        certification=_certification(org, "province"),
        kind=ObligationKind.ANNUAL_REPORT,
        period=clock.today().year - 1,
        due_on=clock.today() + dt.timedelta(days=30),
        state=state,
    ).pk


def _proposal(org) -> int:
    return RevocationProposal.objects.create(
        certification=_certification(org, "province"),
        reason="violation",
        evidence="矩阵：违法违规的事实与依据",
    ).pk


def _make(world, target):
    org = world["orgs"][target]
    return {
        "ob_task": _lazy(lambda: _task(org)),
        "ob_fresh": lambda: _task(org),
        "ob_submitted": lambda: _task(org, ObligationState.SUBMITTED),
        "rv_proposal": _lazy(lambda: _proposal(org)),
        "rv_fresh": lambda: _proposal(org),
        "rv_cert": lambda: _certification(org, "province").pk,
        "rn_confirmed_rename": lambda: (
            _report(_certification(org, "province"), "rename", ChangeState.CONFIRMED).pk
        ),
    }


def _seed():
    for target in ("mine", "foreign"):
        for name in ("ob_task", "rv_proposal"):
            _STATE[target][name]()
    return 1


def make_world(world):
    _STATE.clear()
    _STATE["mine"] = _make(world, "mine")
    _STATE["foreign"] = _make(world, "foreign")
    _STATE["none"] = {**_STATE["mine"], "ob_seed": _seed}
    return {target: dict(values) for target, values in _STATE.items()}


def proposes(role, target):
    """建议撤销: a bureau that sees the enterprise."""
    return role in BUREAU and sees(role, target)


def provincial(role, target):
    return role in PROVINCIAL


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
    # 年度报告与复核 (待办 for enterprises) and its .xlsx: everyone with a scope, scoped
    _row(
        "GET",
        "/recognition/obligations/?show=open&seed={ob_seed}",
        lambda r, t: r in WITH_SCOPE,
        "recognition/obligations/",
        targets=NONE,
        no_leak=True,
    ),
    _row(
        "GET",
        "/recognition/obligations/?format=xlsx&seed={ob_seed}",
        lambda r, t: r in WITH_SCOPE,
        None,
        targets=NONE,
    ),
    _row(
        "GET", "/recognition/obligations/{ob_task}/", sees, "recognition/obligations/<int:pk>/", no_leak=True
    ),
    # submitting: the enterprise's own users only
    _row(
        "POST",
        "/recognition/obligations/{ob_fresh}/",
        _only("enterprise_user"),
        None,
        {"statement": "矩阵：本年度经营情况说明"},
    ),
    # reviewing: the certifying bureau (the province here)
    _row(
        "POST",
        "/recognition/obligations/{ob_submitted}/review/",
        provincial,
        "recognition/obligations/<int:pk>/review/",
        {"action": "accept", "note": "矩阵审核通过"},
    ),
    # 撤销建议: bureaus (scoped); confirm / dismiss by the certifying bureau or the province
    _row(
        "GET",
        "/recognition/revocations/?state=all&seed={ob_seed}",
        lambda r, t: r in BUREAU,
        "recognition/revocations/",
        targets=NONE,
        no_leak=True,
    ),
    _row(
        "POST",
        "/recognition/revocations/{rv_fresh}/confirm/",
        provincial,
        "recognition/revocations/<int:pk>/confirm/",
        {"document_number": "矩阵撤销文号"},
    ),
    _row(
        "POST",
        "/recognition/revocations/{rv_fresh}/dismiss/",
        provincial,
        "recognition/revocations/<int:pk>/dismiss/",
        {"note": "矩阵：不予撤销"},
    ),
    _row(
        "POST",
        "/recognition/certifications/{rv_cert}/revocations/new/",
        proposes,
        "recognition/certifications/<int:pk>/revocations/new/",
        {"reason": "violation", "evidence": "矩阵：违法违规的事实与依据"},
    ),
    # 更名公示: the certifying bureau (the growth tiers need none: the province is told so, 302)
    _row(
        "POST",
        "/recognition/changes/{rn_confirmed_rename}/publish/",
        provincial,
        "recognition/changes/<int:pk>/publish/",
        {"title": "矩阵更名公示"},
    ),
    # API
    _row(
        "GET",
        "/api/v1/recognition/obligations?seed={ob_seed}",
        signed_in,
        "GET /api/v1/recognition/obligations",
        targets=NONE,
        api=True,
        no_leak=True,
    ),
    _row(
        "POST",
        "/api/v1/recognition/obligations/{ob_fresh}/submit",
        _only("enterprise_user"),
        "POST /api/v1/recognition/obligations/{obligation_id}/submit",
        {"statement": "矩阵：本年度经营情况说明"},
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/recognition/obligations/{ob_submitted}/review",
        provincial,
        "POST /api/v1/recognition/obligations/{obligation_id}/review",
        {"action": "accept", "note": "矩阵审核通过"},
        api=True,
    ),
]
