"""Scoping-matrix rows for 认定项目的建立与维护 (``/programmes/new/``, ``/programmes/<code>/edit/`` …
and ``/api/v1/programmes`` create/detail/update/close/reopen), read by ``test_scoping_matrix.py``.

Targets: ``mine`` — a city-level programme owned by 西安市 (the matrix's city officer's city);
``foreign`` — one owned by 宝鸡市. Provincial admins manage every programme, the 西安 city officer
``mine`` only; nobody else. Each call makes a fresh programme (a close, reopen or delete changes it).
"""

import itertools

from smeplan.programmes.models import Programme, Tier
from tests.factories import region

_serials = itertools.count(1)
NONE = ("none",)
BASE = "/api/v1/programmes"
CITIES = {"mine": "610100", "foreign": "610300", "none": "610100"}


def creates(role, target):
    return role in {"provincial_admin", "city_officer"}


def manages(role, target):
    return role == "provincial_admin" or (role == "city_officer" and target == "mine")


def reads(role, target):
    return role in {"provincial_admin", "provincial_officer", "city_officer", "county_officer"}


def _programme(target: str, *, closed: bool = False) -> Programme:
    from django.utils import timezone

    n = next(_serials)
    programme = Programme.objects.create(
        code=f"matrix-{target}-{n}",
        name=f"矩阵{target}项目{n}",
        plan="brand",
        owner_level="city",
        owner_region=region(CITIES[target]),
        source="矩阵依据",
        basis_clause="第一条",
        closed_at=timezone.now() if closed else None,
    )
    Tier.objects.create(programme=programme, code="main", name="示范企业")
    return programme


def make_world(world):
    out = {}
    for target in ("mine", "foreign", "none"):
        out[target] = {
            "prog": lambda t=target: _programme(t).code,
            "prog_closed": lambda t=target: _programme(t, closed=True).code,
            "pid": lambda t=target: _programme(t).pk,
            "pid_closed": lambda t=target: _programme(t, closed=True).pk,
        }
    return out


def _new_body(target=None):
    n = next(_serials)
    return {
        "code": f"matrix-new-{n}",
        "name": f"矩阵新项目{n}",
        "plan": "brand",
        "source": "矩阵依据文件",
        "basis_clause": "第一条",
        "owner_level": "city",
        "subject_kind": "enterprise",
        "tier-0-code": "main",
        "tier-0-name": "示范企业",
    }


def _api_body(target=None):
    n = next(_serials)
    return {
        "code": f"matrix-api-{n}",
        "name": f"矩阵接口项目{n}",
        "plan": "brand",
        "source": "矩阵依据文件",
        "basis_clause": "第一条",
        "owner_level": "city",
        "tiers": [["main", "示范企业"]],
    }


_EDIT = {
    "name": "矩阵改名",
    "plan": "brand",
    "source": "矩阵依据",
    "basis_clause": "第二条",
    "owner_level": "city",
}
_EDIT["subject_kind"] = "enterprise"


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
    _row("GET", "/programmes/new/", creates, "programmes/new/", targets=NONE),
    _row("POST", "/programmes/new/", creates, "programmes/new/", _new_body, targets=NONE),
    _row("GET", "/programmes/{prog}/edit/", manages, "programmes/<slug:code>/edit/"),
    _row("POST", "/programmes/{prog}/edit/", manages, "programmes/<slug:code>/edit/", _EDIT),
    _row(
        "POST",
        "/programmes/{prog}/tiers/",
        manages,
        "programmes/<slug:code>/tiers/",
        {"action": "add", "code": "second", "name": "第二梯队"},
    ),
    _row("POST", "/programmes/{prog}/close/", manages, "programmes/<slug:code>/close/", {"note": "矩阵"}),
    _row("POST", "/programmes/{prog_closed}/reopen/", manages, "programmes/<slug:code>/reopen/"),
    _row("POST", "/programmes/{prog}/delete/", manages, "programmes/<slug:code>/delete/"),
    _row("GET", f"{BASE}/{{pid}}", reads, "/{programme_id}", api=True),
    _row("POST", BASE, creates, "", _api_body, targets=NONE, api=True),
    _row("PUT", f"{BASE}/{{pid}}", manages, "/{programme_id}", _EDIT, api=True),
    _row("POST", f"{BASE}/{{pid}}/close", manages, "/{programme_id}/close", {"note": "矩阵"}, api=True),
    _row("POST", f"{BASE}/{{pid_closed}}/reopen", manages, "/{programme_id}/reopen", api=True),
]
