"""Scoping-matrix rows for 数据填报任务 (``smeplan/web/urls_campaign_tasks.py`` and
``/api/v1/campaigns/tasks…``, ``/api/v1/campaigns/{campaign_id}/answers``), read by
``test_scoping_matrix.py``.

Targets: ``mine`` — the matrix's 雁塔 enterprise; ``foreign`` — its 宝鸡 渭滨区 enterprise; ``none`` —
lists, where ``ct_seed`` first makes the tasks of both targets so a list leaking the foreign
enterprise is caught. Campaigns are the province's (so every bureau over the firm's county may
review); tasks an action changes are made fresh per call.
"""

import datetime as dt

from smeplan.campaigns.models import Campaign, CampaignTask, TaskAttachment, TaskState
from smeplan.recognition import clock
from tests.accounts.matrix_common import BUREAU, PROVINCIAL, _lazy

_STATE: dict = {}
_FIGURES = {
    "operating_revenue": "5200",
    "main_business_revenue": "5000",
    "total_profit": "320",
    "tax_paid": "160",
    "rd_expense": "130",
    "employees": "125",
    "total_assets": "6100",
    "total_liabilities": "2600",
}


def _campaign() -> Campaign:
    today = clock.today()
    return Campaign.objects.create(
        title="矩阵数据填报",
        year=today.year - 1,
        region_id="610000",
        targeting="region",
        opens_on=today - dt.timedelta(days=1),
        deadline=today + dt.timedelta(days=30),
    )


def _task(org, state=TaskState.PENDING) -> int:
    campaign = _campaign()
    answers = dict(_FIGURES) if state == TaskState.SUBMITTED else {}
    return CampaignTask.objects.create(
        campaign=campaign, organisation=org, county=org.county, state=state, answers=answers
    ).pk


def _attachment(org) -> int:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    task = CampaignTask.objects.get(pk=_task(org))
    stored = f"matrix{task.pk}.pdf"
    default_storage.save(f"campaign_tasks/{stored}", ContentFile(b"%PDF-1.4 matrix"))
    return TaskAttachment.objects.create(
        task=task,
        original_name="佐证.pdf",
        stored_name=stored,
        content_type="application/pdf",
        size=15,
    ).pk


def _make(world, target):
    org = world["orgs"][target]
    task = _lazy(lambda: _task(org))
    return {
        "ct_task": task,
        "ct_fresh": lambda: _task(org),
        "ct_submitted": lambda: _task(org, TaskState.SUBMITTED),
        "ct_attachment": _lazy(lambda: _attachment(org)),
        "ct_campaign": lambda: CampaignTask.objects.get(pk=_task(org)).campaign_id,
        "ct_code": org.credit_code,
    }


def _seed():
    for target in ("mine", "foreign"):
        _STATE[target]["ct_task"]()
        _STATE[target]["ct_submitted"]()
    return 1


def make_world(world):
    _STATE.clear()
    _STATE["mine"] = _make(world, "mine")
    _STATE["foreign"] = _make(world, "foreign")
    _STATE["none"] = {**_STATE["mine"], "ct_seed": _seed}
    return {target: dict(values) for target, values in _STATE.items()}


def _sees(role, target):
    """A task: the firm's users and the bureaus and viewers over it."""
    if role in PROVINCIAL:
        return True
    return role in {"city_officer", "county_officer", "viewer", "enterprise_user"} and target == "mine"


def _fills(role, target):
    """暂存 / 提交: the firm's users, and the bureaus over it (a city's platform)."""
    return _sees(role, target) and role != "viewer"


def _reviews(role, target):
    return role in BUREAU and _sees(role, target)


def _pushes(role, target):
    """The push: bureau users whose scope holds the firm."""
    return _reviews(role, target)


def _version(key):
    return lambda t: {"lock_version": 0, **key}


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
    # 我的填报 (enterprise) / the area's tasks: everyone with a scope, scoped
    _row(
        "GET",
        "/campaigns/tasks/?seed={ct_seed}",
        lambda r, t: (
            r in {"provincial_admin", "provincial_officer", "city_officer", "county_officer", "viewer"}
            or r in {"enterprise_user", "agency_user"}
        ),
        "campaigns/tasks/",
        targets=NONE,
        no_leak=True,
    ),
    _row("GET", "/campaigns/tasks/{ct_task}/", _sees, "campaigns/tasks/<int:pk>/", no_leak=True),
    # filling on the page: the firm's own users only (bureaus push through the API)
    _row(
        "POST",
        "/campaigns/tasks/{ct_fresh}/",
        lambda r, t: r == "enterprise_user" and t == "mine",
        None,
        {"action": "save", "lock_version": "0", **_FIGURES},
    ),
    _row(
        "POST",
        "/campaigns/tasks/{ct_submitted}/review/",
        _reviews,
        "campaigns/tasks/<int:pk>/review/",
        {"action": "accept", "lock_version": "0"},
    ),
    _row(
        "GET",
        "/campaigns/tasks/attachments/{ct_attachment}/",
        _fills,
        "campaigns/tasks/attachments/<int:pk>/",
    ),
    # 填报审核: bureau users (scoped)
    _row(
        "GET",
        "/campaigns/review/?seed={ct_seed}",
        lambda r, t: r in BUREAU,
        "campaigns/review/",
        targets=NONE,
        no_leak=True,
    ),
    _row(
        "POST",
        "/campaigns/review/accept/",
        lambda r, t: r in BUREAU,
        "campaigns/review/accept/",
        {"items": []},
        targets=NONE,
    ),
    # API
    _row(
        "GET",
        "/api/v1/campaigns/tasks?seed={ct_seed}",
        lambda r, t: r != "anonymous",
        "GET /api/v1/campaigns/tasks",
        targets=NONE,
        api=True,
        no_leak=True,
    ),
    _row(
        "GET",
        "/api/v1/campaigns/tasks/{ct_task}",
        _sees,
        "GET /api/v1/campaigns/tasks/{task_id}",
        api=True,
        no_leak=True,
    ),
    _row(
        "PUT",
        "/api/v1/campaigns/tasks/{ct_fresh}/answers",
        _fills,
        "PUT /api/v1/campaigns/tasks/{task_id}/answers",
        {"answers": _FIGURES, "lock_version": 0},
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/campaigns/tasks/{ct_fresh}/submit",
        _fills,
        "POST /api/v1/campaigns/tasks/{task_id}/submit",
        {"answers": _FIGURES, "lock_version": 0},
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/campaigns/tasks/{ct_submitted}/accept",
        _reviews,
        "POST /api/v1/campaigns/tasks/{task_id}/accept",
        {"lock_version": 0},
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/campaigns/tasks/{ct_submitted}/return",
        _reviews,
        "POST /api/v1/campaigns/tasks/{task_id}/return",
        {"lock_version": 0, "comment": "矩阵退回：请补充研发费用说明"},
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/campaigns/{ct_campaign}/answers",
        _pushes,
        "POST /api/v1/campaigns/{campaign_id}/answers",
        lambda t: {"rows": [{"credit_code": _STATE[t]["ct_code"], "answers": _FIGURES, "submit": True}]},
        api=True,
    ),
]
