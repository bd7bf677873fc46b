"""Scoping-matrix rows for 数据填报, the bureau side (``smeplan/web/urls_campaigns.py`` and
``/api/v1/campaigns…``), read by ``test_scoping_matrix.py``.

Targets: ``mine`` — a campaign issued by the 雁塔 county officer with a task for the matrix's 雁塔
enterprise; ``foreign`` — one issued by a 渭滨 county officer for its 宝鸡 enterprise; ``none`` — lists
and creation. Campaigns an action changes (close, reopen, edit) are made fresh per call.
"""

import datetime as dt

from smeplan.campaigns.models import CampaignState
from smeplan.recognition import clock
from tests.accounts.matrix_common import BUREAU, _lazy, sees
from tests.factories import campaign_data, campaign_make


def _campaign(world, target, state=CampaignState.OPEN) -> int:
    return campaign_make(
        actor=world["uploaders"][target],
        organisations=[world["orgs"][target]],
        title=f"矩阵数据填报（{target}）",
        state=state,
    ).pk


def _make(world, target):
    return {
        "cp": _lazy(lambda: _campaign(world, target)),
        "cp_fresh": lambda: _campaign(world, target),
        "cp_closed": lambda: _campaign(world, target, CampaignState.CLOSED),
    }


def _seed(world):
    def seed():
        _STATE["mine"]["cp"]()
        _STATE["foreign"]["cp"]()
        return 1

    return seed


_STATE: dict = {}


def make_world(world):
    _STATE.clear()
    _STATE["mine"] = _make(world, "mine")
    _STATE["foreign"] = _make(world, "foreign")
    _STATE["none"] = {**_STATE["mine"], "cp_seed": _seed(world)}
    return {target: dict(values) for target, values in _STATE.items()}


def lists(role, target):
    """数据填报 list: bureau users and enterprise users (their own tasks' campaigns)."""
    return role in BUREAU | {"enterprise_user"}


def issues(role, target):
    return role in BUREAU


def follows(role, target):
    """A campaign's page, progress and tasks: bureau users who see its firms; managing it: the issuing
    bureau (雁塔 for ``mine``) or a bureau above it — the same users in this world."""
    return role in BUREAU and sees(role, target)


NONE = ("none",)


def _new_body(target=None):
    today = clock.today()
    return campaign_data(
        title="矩阵发起的数据填报",
        regions=["610113"],
        opens_on=today.isoformat(),
        deadline=(today + dt.timedelta(days=10)).isoformat(),
    )


def _api_body(target=None):
    body = _new_body()
    body["year"] = int(body["year"])
    return body


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
    _row("GET", "/campaigns/?seed={cp_seed}", lists, "campaigns/", targets=NONE, no_leak=True),
    _row("GET", "/campaigns/new/", issues, "campaigns/new/", targets=NONE),
    _row("POST", "/campaigns/new/", issues, None, _new_body, targets=NONE),
    _row("GET", "/campaigns/{cp}/", follows, "campaigns/<int:pk>/", no_leak=True),
    _row("GET", "/campaigns/{cp}/progress.xlsx", follows, "campaigns/<int:pk>/progress.xlsx"),
    _row("GET", "/campaigns/{cp}/tasks/", follows, "campaigns/<int:pk>/tasks/", no_leak=True),
    _row(
        "POST", "/campaigns/{cp_fresh}/edit/", follows, "campaigns/<int:pk>/edit/", {"note": "矩阵修改说明"}
    ),
    _row("POST", "/campaigns/{cp_fresh}/close/", follows, "campaigns/<int:pk>/close/"),
    _row("POST", "/campaigns/{cp_closed}/reopen/", follows, "campaigns/<int:pk>/reopen/"),
    # API
    _row(
        "GET",
        "/api/v1/campaigns?seed={cp_seed}",
        lists,
        "GET /api/v1/campaigns",
        targets=NONE,
        api=True,
        no_leak=True,
    ),
    _row("POST", "/api/v1/campaigns", issues, "POST /api/v1/campaigns", _api_body, targets=NONE, api=True),
    _row("GET", "/api/v1/campaigns/{cp}", follows, "GET /api/v1/campaigns/{campaign_id}", api=True),
    _row(
        "GET",
        "/api/v1/campaigns/{cp}/progress",
        follows,
        "GET /api/v1/campaigns/{campaign_id}/progress",
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/campaigns/{cp}/tasks",
        follows,
        "GET /api/v1/campaigns/{campaign_id}/tasks",
        api=True,
        no_leak=True,
    ),
    _row(
        "POST",
        "/api/v1/campaigns/{cp_fresh}/close",
        follows,
        "POST /api/v1/campaigns/{campaign_id}/close",
        api=True,
    ),
]
