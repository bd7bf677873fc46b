"""Scoping-matrix rows for 年度综合测评 (pages ``smeplan/web/urls_evaluation.py`` and the API
``/api/v1/evaluation``), read by ``test_scoping_matrix.py``.

Targets: ``mine`` — a run made by 雁塔's county officer over the matrix's 雁塔 enterprise (in the
转型升级企业库: a programme no other matrix module applies to, since a firm holds one tier of a
programme at a time); ``foreign`` — one made by a 渭滨 county officer over the 宝鸡 enterprise;
``none`` — lists. Runs are read by bureau users: the province all, a city or county the runs of its
region (viewers, experts and organisations are refused). Confirming proposals and tier moves is the
province's; editing schemes the provincial admin's. Confirm bodies carry no ids (provincial users get
the "请选择" refusal as 200 / 422, everyone else 403), so no object has to be made per call.
"""

from tests.accounts.matrix_common import BUREAU, PROVINCIAL
from tests.evaluation.make import certify
from tests.factories import tier_of

_STATE: dict = {}
NONE = ("none",)


def sees_run(role, target):
    return role in PROVINCIAL or (role in {"city_officer", "county_officer"} and target == "mine")


def bureau(role, target):
    return role in BUREAU


def provincial(role, target):
    return role in PROVINCIAL


def provincial_admin(role, target):
    return role == "provincial_admin"


def make_world(world):
    from smeplan.evaluation.services import evaluation_run

    tier = tier_of("transformation", "upgrade_library")  # a programme no other matrix module applies to
    certify(world["orgs"]["mine"], programme="transformation", tier="upgrade_library")
    certify(world["orgs"]["foreign"], programme="transformation", tier="upgrade_library")
    _STATE["tier"] = tier.pk
    mine = evaluation_run(actor=world["users"]["county_officer"], tier=tier, year=2024)
    foreign = evaluation_run(actor=world["baoji_officer"], tier=tier, year=2024)
    return {"mine": {"ev_run": mine.pk}, "foreign": {"ev_run": foreign.pk}, "none": {"ev_run": mine.pk}}


def _run_body(target):
    return {"tier": _STATE["tier"], "year": "2024"}


def _api_run_body(target):
    return {"tier_id": _STATE["tier"], "year": 2024}


def _row(method, url, allowed, key, body=None, **kw):
    return {"method": method, "url": url, "allowed": allowed, "body": body, "keys": [key], **kw}


RUN = "evaluation/runs/<int:pk>/"
API = "/api/v1/evaluation"
ROUTES = [
    _row("GET", "/evaluation/", bureau, "evaluation/", targets=NONE, no_leak=True),
    _row("POST", "/evaluation/", bureau, "evaluation/", _run_body, targets=NONE),
    _row("GET", "/evaluation/runs/{ev_run}/", sees_run, RUN, no_leak=True),
    _row("GET", "/evaluation/runs/{ev_run}/export.xlsx", sees_run, RUN + "export.xlsx"),
    _row(
        "GET",
        "/evaluation/runs/{ev_run}/what-if/?method=percentile",
        sees_run,
        RUN + "what-if/",
        no_leak=True,
    ),
    _row("GET", "/evaluation/runs/{ev_run}/proposals/", sees_run, RUN + "proposals/", no_leak=True),
    _row(
        "POST",
        "/evaluation/runs/{ev_run}/proposals/",
        provincial,
        RUN + "proposals/",
        {"document_number": "X"},
    ),
    _row("GET", "/evaluation/runs/{ev_run}/moves/", sees_run, RUN + "moves/", no_leak=True),
    _row("POST", "/evaluation/runs/{ev_run}/moves/", provincial, RUN + "moves/", {"document_number": "X"}),
    _row("GET", "/evaluation/schemes/", bureau, "evaluation/schemes/", targets=NONE),
    _row("POST", "/evaluation/schemes/", provincial_admin, "evaluation/schemes/", {}, targets=NONE),
    # API
    _row("GET", f"{API}/runs", bureau, f"GET {API}/runs", targets=NONE, api=True, no_leak=True),
    _row("POST", f"{API}/runs", bureau, f"POST {API}/runs", _api_run_body, targets=NONE, api=True),
    _row("GET", f"{API}/runs/{{ev_run}}", sees_run, f"GET {API}/runs/{{run_id}}", api=True, no_leak=True),
    _row(
        "GET", f"{API}/runs/{{ev_run}}/proposals", sees_run, f"GET {API}/runs/{{run_id}}/proposals", api=True
    ),
    _row("GET", f"{API}/runs/{{ev_run}}/moves", sees_run, f"GET {API}/runs/{{run_id}}/moves", api=True),
    _row(
        "POST",
        f"{API}/proposals/confirm",
        provincial,
        f"POST {API}/proposals/confirm",
        {"ids": [], "document_number": "X"},
        targets=NONE,
        api=True,
    ),
    _row(
        "POST",
        f"{API}/moves/confirm",
        provincial,
        f"POST {API}/moves/confirm",
        {"ids": [], "document_number": "X"},
        targets=NONE,
        api=True,
    ),
    _row("GET", f"{API}/schemes", bureau, f"GET {API}/schemes", targets=NONE, api=True),
    _row(
        "POST",
        f"{API}/schemes",
        provincial_admin,
        f"POST {API}/schemes",
        {"programme_id": 0, "effective_year": 2030, "weights": {}},
        targets=NONE,
        api=True,
    ),
]
