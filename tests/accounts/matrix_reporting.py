"""Scoping-matrix rows for the reporting app (附件3 汇总表, 市级年度计划, 汇总表备案), read by
``test_scoping_matrix.py``.

Targets: ``mine`` — 西安 (the city of the matrix's 雁塔 enterprise), ``foreign`` — 宝鸡 (渭滨).
Plans and filings of each target's city are stored rows made once per world (or fresh, for the
actions that move them on)."""

import hashlib
import itertools

from smeplan.reporting.models import Annex3Filing, CityAnnualPlan
from tests.accounts.matrix_common import PROVINCIAL, REGION_BOUND, _lazy

_years = itertools.count(2017)
CITY = {"mine": "610100", "foreign": "610300"}


def sees_city(role, target):
    """Plans and filings follow their city: the province, and 西安's city officer and viewer for mine."""
    return role in PROVINCIAL or (role in {"city_officer", "viewer"} and target == "mine")


def provincial(role, target):
    return role in PROVINCIAL


def _fresh_plan(target, state):
    """A plan in a year of its own (a city has one plan a year)."""

    def make():
        year = 2017 + next(_years) % 10
        CityAnnualPlan.objects.filter(city_id=CITY[target], year=year).delete()
        return CityAnnualPlan.objects.create(year=year, city_id=CITY[target], state=state).pk

    return make


def _filing(target):
    return Annex3Filing.objects.create(
        year=2024,
        city_id=CITY[target],
        file_name="矩阵汇总表.xlsx",
        file_size=3,
        sha256=hashlib.sha256(b"abc").hexdigest(),
    ).pk


def make_world(world):
    out = {}
    for target in ("mine", "foreign"):
        out[target] = {
            "rp_plan": _lazy(lambda t=target: CityAnnualPlan.objects.create(year=2030, city_id=CITY[t]).pk),
            "rp_submitted": _fresh_plan(target, "submitted"),
            "rp_filing": _lazy(lambda t=target: _filing(t)),
        }
    out["none"] = dict(out["mine"])
    return out


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

ROUTES += [
    # 市级年度计划: the list for bureaus and viewers; entering for city officers (their own city)
    _row(
        "GET", "/reporting/plans/?year=2024", lambda r, t: r in REGION_BOUND, "reporting/plans/", targets=NONE
    ),
    _row(
        "GET",
        "/reporting/plans/edit/?year=2026",
        lambda r, t: r == "city_officer",
        "reporting/plans/edit/",
        targets=NONE,
    ),
    _row(
        "POST",
        "/reporting/plans/edit/",
        lambda r, t: r == "city_officer",
        None,
        {"year": "2026"},
        targets=NONE,
    ),
    _row("GET", "/reporting/plans/{rp_plan}/", sees_city, "reporting/plans/<int:pk>/"),
    # approving a submitted plan: the province only (西安's officer sees it but may not approve)
    _row(
        "POST",
        "/reporting/plans/{rp_submitted}/act/",
        provincial,
        "reporting/plans/<int:pk>/act/",
        {"action": "approve"},
    ),
    _row(
        "GET",
        "/reporting/assessment/?year=2024",
        lambda r, t: r in REGION_BOUND,
        "reporting/assessment/",
        targets=NONE,
    ),
    _row(
        "GET",
        "/reporting/assessment/?year=2024&format=xlsx",
        lambda r, t: r in REGION_BOUND,
        None,
        targets=NONE,
    ),
    # 汇总表备案: without a file a city officer gets 422 (请选择…), anyone else is refused
    _row("GET", "/reporting/filings/", lambda r, t: r in REGION_BOUND, "reporting/filings/", targets=NONE),
    _row(
        "POST", "/reporting/filings/", lambda r, t: r == "city_officer", None, {"year": "2024"}, targets=NONE
    ),
    _row("GET", "/reporting/filings/{rp_filing}/", sees_city, "reporting/filings/<int:pk>/"),
]

ROUTES += [
    _row(
        "GET",
        "/api/v1/reporting/annex3?year=2024",
        lambda r, t: r in REGION_BOUND,
        "GET /api/v1/reporting/annex3",
        targets=NONE,
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/reporting/plans",
        lambda r, t: r in REGION_BOUND,
        "GET /api/v1/reporting/plans",
        targets=NONE,
        api=True,
    ),
    # the city officer's own city (西安); anyone else 403
    _row(
        "POST",
        "/api/v1/reporting/plans",
        lambda r, t: r == "city_officer",
        "POST /api/v1/reporting/plans",
        {"year": 2027, "rows": {}},
        targets=NONE,
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/reporting/plans/{rp_plan}",
        sees_city,
        "GET /api/v1/reporting/plans/{plan_id}",
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/reporting/plans/{rp_submitted}/actions",
        provincial,
        "POST /api/v1/reporting/plans/{plan_id}/actions",
        {"action": "approve"},
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/reporting/filings",
        lambda r, t: r in REGION_BOUND,
        "GET /api/v1/reporting/filings",
        targets=NONE,
        api=True,
    ),
    # without a file: a city officer gets 422, anyone else 403
    _row(
        "POST",
        "/api/v1/reporting/filings",
        lambda r, t: r == "city_officer",
        "POST /api/v1/reporting/filings",
        targets=NONE,
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/reporting/filings/{rp_filing}",
        sees_city,
        "GET /api/v1/reporting/filings/{filing_id}",
        api=True,
    ),
]
