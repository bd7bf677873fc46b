"""Every role × every route of the project: a user outside gets a refusal (403/404, 401 for an
anonymous API call, a redirect to a login page for anonymous pages and for the admin).

The matrix below lists every route (pages by URL pattern, API operations by method and path from
the OpenAPI document). ``test_every_route_is_in_the_matrix`` fails when a route is added without
a row here, so a new page or endpoint cannot ship without its access rules being tested.

Targets: ``mine`` is an enterprise of 雁塔区 (西安), ``foreign`` one of 渭滨区 (宝鸡).
"""

import importlib
import importlib.util
import io
import itertools
import json
from dataclasses import dataclass, field

import pytest
from django.urls import URLResolver, get_resolver
from python_calamine import CalamineWorkbook

from smeplan.accounts.models import Role
from smeplan.api.router import api
from smeplan.registry.credit_code import make_credit_code
from tests.factories import (
    AnnualFiguresFactory,
    OrganisationFactory,
    UserFactory,
    region,
    screening_run_make,
    tier_of,
)

ROLES = [
    "provincial_admin", "provincial_officer", "city_officer", "county_officer", "viewer", "expert",
    "enterprise_user", "agency_user", "anonymous",
]  # fmt: skip
PROVINCIAL = {"provincial_admin", "provincial_officer"}
BUREAU = PROVINCIAL | {"city_officer", "county_officer"}
REGION_BOUND = BUREAU | {"viewer"}
SIGNED_IN = set(ROLES) - {"anonymous"}
WITH_SCOPE = REGION_BOUND | {"enterprise_user", "agency_user"}


def sees(role: str, target: str) -> bool:
    """May ``role`` see the target organisation (mine: 雁塔, foreign: 宝鸡)?"""
    if role in PROVINCIAL:
        return True
    if role in {"city_officer", "county_officer", "viewer", "enterprise_user"}:
        return target == "mine"
    return False


def writes(role: str, target: str) -> bool:
    return sees(role, target) and role in BUREAU | {"enterprise_user"}


def renames(role: str, target: str) -> bool:
    return sees(role, target) and role in BUREAU


def sees_region(role: str, target: str) -> bool:
    if role in PROVINCIAL:
        return True
    return role in {"city_officer", "county_officer", "viewer"} and target == "mine"


def registers_in(role: str, target: str) -> bool:
    """May ``role`` register an organisation in the target's county?"""
    return role in PROVINCIAL or (role in {"city_officer", "county_officer"} and target == "mine")


def sees_batch(role: str, target: str) -> bool:
    """Import batches: the province sees all; a city or county bureau those of its region."""
    return role in PROVINCIAL or (role in {"city_officer", "county_officer"} and target == "mine")


def owns_batch(role: str, target: str) -> bool:
    """Acting on a batch: its uploader (the 雁塔 county officer uploaded ``mine``) or a provincial admin."""
    return role == "provincial_admin" or (role == "county_officer" and target == "mine")


def imports(role, target):
    return role in BUREAU


def programmes_reader(role, target):
    """认定条件与筛选 (criteria, screening, averages): bureau users."""
    return role in BUREAU


def criteria_editor(role, target):
    """Editing criteria, the live preview, recomputing averages: provincial admins."""
    return role == "provincial_admin"


def sees_run(role: str, target: str) -> bool:
    """Screening runs: the province sees all; a city or county bureau those made in its region or
    below (``mine`` was run by the 雁塔 county officer, ``foreign`` by a 渭滨 one)."""
    return role in PROVINCIAL or (role in {"city_officer", "county_officer"} and target == "mine")


def explains(role: str, target: str) -> bool:
    """An enterprise's explanation: bureau users who may see the enterprise."""
    return role in BUREAU and sees(role, target)


_CRITERIA_FORM = {
    "effective_year": "2030",
    "note": "矩阵",
    "c-0-metric": "operating_revenue",
    "c-0-operator": "ge",
    "c-0-reference": "threshold",
    "c-0-threshold": "500",
    "c-0-years": "1",
    "c-0-role": "required",
}


@dataclass
class Route:
    method: str
    url: str  # {org} {year} {code} {county} are filled from the target
    allowed: object  # callable(role, target) -> bool
    body: object = None  # dict (form) or callable(target) -> dict; API bodies are JSON
    targets: tuple = ("mine", "foreign")
    api: bool = False
    no_leak: bool = False  # the response must not name the foreign organisation unless allowed to see it
    refusal: tuple = (403, 404)
    keys: list = field(default_factory=list)  # the URL patterns / API operations this row covers


def everyone(role, target):
    return True


def signed_in(role, target):
    return role in SIGNED_IN


def _org_post(target):
    return {
        "credit_code": make_credit_code("610113" if target == "mine" else "610302", next(_serials)),
        "name": f"矩阵测试{next(_serials)}有限公司",
        "kind": "enterprise",
        "county": "610113" if target == "mine" else "610302",
    }


_serials = itertools.count(60_000_000)

PAGES = [
    Route("GET", "/", signed_in, targets=("none",), keys=[""]),
    Route("GET", "/login/", everyone, targets=("none",), keys=["login/"]),
    Route("POST", "/logout/", everyone, targets=("none",), keys=["logout/"]),
    Route(
        "POST", "/i18n/setlang/", everyone, {"language": "zh-hans"}, targets=("none",), keys=["i18n/setlang/"]
    ),
    Route(
        "GET",
        "/organisations/",
        lambda r, t: r in WITH_SCOPE,
        targets=("none",),
        no_leak=True,
        keys=["organisations/"],
    ),
    Route(
        "GET",
        "/organisations/export.xlsx",
        lambda r, t: r in WITH_SCOPE,
        targets=("none",),
        no_leak=True,
        keys=["organisations/export.xlsx"],
    ),
    Route(
        "GET",
        "/organisations/export.csv",
        lambda r, t: r in WITH_SCOPE,
        targets=("none",),
        no_leak=True,
        keys=["organisations/export.csv"],
    ),
    # the figure workbooks' sheet is 年度数据 (``_body_text`` reads 企业名录): their scoping is
    # checked in tests/web/test_export_figures_stay_in_scope.py; the CSV twins are checked here
    Route(
        "GET",
        "/organisations/figures-long.xlsx",
        lambda r, t: r in WITH_SCOPE,
        targets=("none",),
        keys=["organisations/figures-<str:layout>.xlsx"],
    ),
    Route("GET", "/organisations/figures-wide.xlsx", lambda r, t: r in WITH_SCOPE, targets=("none",)),
    Route(
        "GET",
        "/organisations/figures-long.csv",
        lambda r, t: r in WITH_SCOPE,
        targets=("none",),
        no_leak=True,
        keys=["organisations/figures-<str:layout>.csv"],
    ),
    Route(
        "GET",
        "/organisations/figures-wide.csv",
        lambda r, t: r in WITH_SCOPE,
        targets=("none",),
        no_leak=True,
    ),
    Route(
        "GET",
        "/organisations/templates/figures-long.xlsx",
        lambda r, t: r in WITH_SCOPE,
        targets=("none",),
        keys=["organisations/templates/<str:kind>.xlsx"],
    ),
    Route("GET", "/organisations/{org}/figures.xlsx", sees, keys=["organisations/<int:pk>/figures.xlsx"]),
    Route(
        "GET", "/organisations/new/", lambda r, t: r in BUREAU, targets=("none",), keys=["organisations/new/"]
    ),
    Route("POST", "/organisations/new/", registers_in, _org_post),
    Route("GET", "/organisations/{org}/", sees, keys=["organisations/<int:pk>/"]),
    Route("GET", "/organisations/{org}/edit/", writes, keys=["organisations/<int:pk>/edit/"]),
    Route("POST", "/organisations/{org}/edit/", writes, {"contact_person": "矩阵"}),
    # 更名: bureaus only (an enterprise asks through 企业信息变更申请, ``/portal/changes/``)
    Route("GET", "/organisations/{org}/rename/", renames, keys=["organisations/<int:pk>/rename/"]),
    Route(
        "POST", "/organisations/{org}/rename/", renames, lambda t: {"new_name": f"矩阵更名{next(_serials)}"}
    ),
    Route("GET", "/organisations/{org}/figures/new/", writes, keys=["organisations/<int:pk>/figures/new/"]),
    Route("POST", "/organisations/{org}/figures/new/", writes, {"year": "2021", "employees": "3"}),
    Route(
        "GET",
        "/organisations/{org}/figures/2024/edit/",
        writes,
        keys=["organisations/<int:pk>/figures/<int:year>/edit/"],
    ),
    Route("POST", "/organisations/{org}/figures/2024/edit/", writes, {"employees": "121"}),
    Route("GET", "/regions/", lambda r, t: r in REGION_BOUND, targets=("none",), keys=["regions/"]),
    Route("GET", "/regions/{code}/", sees_region, keys=["regions/<str:code>/"]),
    Route("GET", "/audit/", lambda r, t: r == "provincial_admin", targets=("none",), keys=["audit/"]),
    Route("GET", "/imports/", imports, targets=("none",), keys=["imports/"]),
    Route("GET", "/imports/new/", imports, targets=("none",), keys=["imports/new/"]),
    Route("POST", "/imports/new/", imports, {"default_year": "2024"}, targets=("none",)),
    Route("GET", "/imports/templates/", imports, targets=("none",), keys=["imports/templates/"]),
    Route(
        "POST", "/imports/templates/{tpl}/delete/", owns_batch, keys=["imports/templates/<int:pk>/delete/"]
    ),
    Route("GET", "/imports/{batch}/", sees_batch, keys=["imports/<int:pk>/"]),
    Route("GET", "/imports/{batch}/progress/", sees_batch, keys=["imports/<int:pk>/progress/"]),
    Route("GET", "/imports/{batch}/file/", sees_batch, keys=["imports/<int:pk>/file/"]),
    Route("GET", "/imports/{batch}/report.xlsx", sees_batch, keys=["imports/<int:pk>/report.xlsx"]),
    Route(
        "POST",
        "/imports/{batch}/mapping/",
        owns_batch,
        {"sheet": "企业数据"},
        keys=["imports/<int:pk>/mapping/"],
    ),
    Route(
        "POST",
        "/imports/{batch}/save-template/",
        owns_batch,
        lambda t: {"name": f"矩阵模板{next(_serials)}"},
        keys=["imports/<int:pk>/save-template/"],
    ),
    Route("POST", "/imports/{batch}/reset/", owns_batch, keys=["imports/<int:pk>/reset/"]),
    Route("POST", "/imports/{batch}/commit/", owns_batch, keys=["imports/<int:pk>/commit/"]),
    Route("POST", "/imports/{batch}/undo/", owns_batch, keys=["imports/<int:pk>/undo/"]),
    Route("POST", "/imports/{batch}/discard/", owns_batch, keys=["imports/<int:pk>/discard/"]),
    # 认定条件与筛选; bodies that need no screening engine (a year without criteria, no previous run)
    Route("GET", "/programmes/", programmes_reader, targets=("none",), keys=["programmes/"]),
    Route(
        "GET",
        "/programmes/growth-province/settings/",
        criteria_editor,
        targets=("none",),
        keys=["programmes/<slug:code>/settings/"],
    ),
    # an empty form: the admin gets 422 with the messages, anyone else 403
    Route("POST", "/programmes/growth-province/settings/", criteria_editor, targets=("none",)),
    Route(
        "GET",
        "/programmes/tiers/{tier}/edit/",
        criteria_editor,
        targets=("none",),
        keys=["programmes/tiers/<int:pk>/edit/"],
    ),
    Route("POST", "/programmes/tiers/{tier}/edit/", criteria_editor, _CRITERIA_FORM, targets=("none",)),
    # an empty form: the admin gets 422 with the messages, anyone else 403
    Route(
        "POST",
        "/programmes/tiers/{tier}/preview/",
        criteria_editor,
        targets=("none",),
        keys=["programmes/tiers/<int:pk>/preview/"],
    ),
    Route(
        "GET",
        "/programmes/tiers/{tier}/screen/",
        programmes_reader,
        targets=("none",),
        keys=["programmes/tiers/<int:pk>/screen/"],
    ),
    Route("POST", "/programmes/tiers/{tier}/screen/", programmes_reader, {"year": "1800"}, targets=("none",)),
    Route(
        "GET",
        "/programmes/tiers/{tier}/explain/{org}/?year=2001",
        explains,
        no_leak=True,
        keys=["programmes/tiers/<int:pk>/explain/<int:org_id>/"],
    ),
    Route(
        "GET",
        "/programmes/runs/",
        programmes_reader,
        targets=("none",),
        no_leak=True,
        keys=["programmes/runs/"],
    ),
    Route("GET", "/programmes/runs/{run}/", sees_run, no_leak=True, keys=["programmes/runs/<int:pk>/"]),
    Route("GET", "/programmes/runs/{run}/compare/", sees_run, keys=["programmes/runs/<int:pk>/compare/"]),
    Route(
        "GET", "/programmes/runs/{run}/results.xlsx", sees_run, keys=["programmes/runs/<int:pk>/results.xlsx"]
    ),
    Route(
        "GET",
        "/programmes/runs/{run}/results.csv",
        sees_run,
        no_leak=True,
        keys=["programmes/runs/<int:pk>/results.csv"],
    ),
    Route(
        "GET", "/programmes/averages/", programmes_reader, targets=("none",), keys=["programmes/averages/"]
    ),
    Route(
        "POST",
        "/programmes/averages/compute/",
        criteria_editor,
        {"year": "不是年份"},
        targets=("none",),
        keys=["programmes/averages/compute/"],
    ),
    Route(
        "GET",
        "/programmes/averages/export.xlsx",
        programmes_reader,
        targets=("none",),
        keys=["programmes/averages/export.xlsx"],
    ),
    # the Django admin answers outsiders with a redirect to its login page
    Route(
        "GET",
        "/admin/",
        lambda r, t: r == "provincial_admin",
        targets=("none",),
        refusal=(302,),
        keys=["admin/*"],
    ),
    Route(
        "GET",
        "/admin/registry/organisation/{org}/change/",
        lambda r, t: r == "provincial_admin",
        refusal=(302,),
    ),
    Route(
        "GET",
        "/admin/accounts/user/",
        lambda r, t: r == "provincial_admin",
        targets=("none",),
        refusal=(302,),
    ),
]

API = [
    Route("GET", "/api/v1/openapi.json", everyone, targets=("none",), api=True, keys=["api/v1/openapi.json"]),
    Route("GET", "/api/v1/docs", everyone, targets=("none",), api=True, keys=["api/v1/docs"]),
    Route(
        "GET", "/api/v1/", lambda r, t: False, targets=("none",), api=True, refusal=(404,), keys=["api/v1/"]
    ),
    # reference data (names and codes of regions and industries) is readable by every signed-in user
    Route("GET", "/api/v1/regions", signed_in, targets=("none",), api=True, keys=["GET /api/v1/regions"]),
    Route("GET", "/api/v1/regions/{code}", signed_in, api=True, keys=["GET /api/v1/regions/{code}"]),
    Route(
        "GET", "/api/v1/industries", signed_in, targets=("none",), api=True, keys=["GET /api/v1/industries"]
    ),
    Route(
        "GET",
        "/api/v1/organisations",
        signed_in,
        targets=("none",),
        api=True,
        no_leak=True,
        keys=["GET /api/v1/organisations"],
    ),
    Route(
        "POST",
        "/api/v1/organisations",
        registers_in,
        _org_post,
        api=True,
        keys=["POST /api/v1/organisations"],
    ),
    Route("GET", "/api/v1/organisations/{org}", sees, api=True, keys=["GET /api/v1/organisations/{org_id}"]),
    Route(
        "PATCH",
        "/api/v1/organisations/{org}",
        writes,
        {"contact_person": "矩阵"},
        api=True,
        keys=["PATCH /api/v1/organisations/{org_id}"],
    ),
    Route(
        "GET",
        "/api/v1/organisations/{org}/figures",
        sees,
        api=True,
        keys=["GET /api/v1/organisations/{org_id}/figures"],
    ),
    Route(
        "POST",
        "/api/v1/organisations/{org}/figures",
        writes,
        {"year": 2020, "employees": 3},
        api=True,
        keys=["POST /api/v1/organisations/{org_id}/figures"],
    ),
    Route(
        "GET",
        "/api/v1/organisations/{org}/revisions",
        sees,
        api=True,
        keys=["GET /api/v1/organisations/{org_id}/revisions"],
    ),
    Route(
        "GET",
        "/api/v1/organisations/{org}/name-history",
        sees,
        api=True,
        keys=["GET /api/v1/organisations/{org_id}/name-history"],
    ),
    Route(
        "POST",
        "/api/v1/organisations/{org}/rename",
        renames,
        lambda t: {"new_name": f"接口更名{next(_serials)}"},
        api=True,
        keys=["POST /api/v1/organisations/{org_id}/rename"],
    ),
    Route(
        "PATCH",
        "/api/v1/organisations/{org}/figures/2024",
        writes,
        {"employees": 122},
        api=True,
        keys=["PATCH /api/v1/organisations/{org_id}/figures/{year}"],
    ),
]

API += [
    Route("GET", "/api/v1/imports", imports, targets=("none",), api=True, keys=["GET /api/v1/imports"]),
    # without a file: a bureau user gets 422 (请选择文件), anyone else 403
    Route("POST", "/api/v1/imports", imports, targets=("none",), api=True, keys=["POST /api/v1/imports"]),
    Route("GET", "/api/v1/imports/{batch}", sees_batch, api=True, keys=["GET /api/v1/imports/{import_id}"]),
    Route(
        "GET",
        "/api/v1/imports/{batch}/issues",
        sees_batch,
        api=True,
        keys=["GET /api/v1/imports/{import_id}/issues"],
    ),
    Route(
        "PUT",
        "/api/v1/imports/{batch}/mapping",
        owns_batch,
        {"default_year": 2023},
        api=True,
        keys=["PUT /api/v1/imports/{import_id}/mapping"],
    ),
    Route(
        "POST",
        "/api/v1/imports/{batch}/commit",
        owns_batch,
        {"confirm_warnings": True},
        api=True,
        keys=["POST /api/v1/imports/{import_id}/commit"],
    ),
    Route(
        "POST",
        "/api/v1/imports/{batch}/undo",
        owns_batch,
        api=True,
        keys=["POST /api/v1/imports/{import_id}/undo"],
    ),
]

API += [
    Route(
        "GET",
        "/api/v1/programmes",
        programmes_reader,
        targets=("none",),
        api=True,
        keys=["GET /api/v1/programmes"],
    ),
    Route(
        "GET",
        "/api/v1/programmes/tiers/{tier}/versions",
        programmes_reader,
        targets=("none",),
        api=True,
        keys=["GET /api/v1/programmes/tiers/{tier_id}/versions"],
    ),
    Route(
        "POST",
        "/api/v1/programmes/tiers/{tier}/versions",
        criteria_editor,
        {
            "effective_year": 2031,
            "criteria": [{"metric": "operating_revenue", "operator": "ge", "threshold": 500}],
        },
        targets=("none",),
        api=True,
        keys=["POST /api/v1/programmes/tiers/{tier_id}/versions"],
    ),
    # no criteria: the admin gets 422 (至少需要一条认定条件), anyone else 403
    Route(
        "POST",
        "/api/v1/programmes/tiers/{tier}/preview",
        criteria_editor,
        {"year": 2024, "criteria": []},
        targets=("none",),
        api=True,
        keys=["POST /api/v1/programmes/tiers/{tier_id}/preview"],
    ),
    # a year without criteria in force: a bureau user gets 422, anyone else 403
    Route(
        "POST",
        "/api/v1/programmes/tiers/{tier}/runs",
        programmes_reader,
        {"year": 2001},
        targets=("none",),
        api=True,
        keys=["POST /api/v1/programmes/tiers/{tier_id}/runs"],
    ),
    Route(
        "GET",
        "/api/v1/programmes/runs",
        programmes_reader,
        targets=("none",),
        api=True,
        no_leak=True,
        keys=["GET /api/v1/programmes/runs"],
    ),
    Route(
        "GET",
        "/api/v1/programmes/runs/{run}",
        sees_run,
        api=True,
        keys=["GET /api/v1/programmes/runs/{run_id}"],
    ),
    Route(
        "GET",
        "/api/v1/programmes/runs/{run}/results",
        sees_run,
        api=True,
        no_leak=True,
        keys=["GET /api/v1/programmes/runs/{run_id}/results"],
    ),
    Route(
        "GET",
        "/api/v1/programmes/runs/{run}/compare",
        sees_run,
        api=True,
        keys=["GET /api/v1/programmes/runs/{run_id}/compare"],
    ),
    Route(
        "GET",
        "/api/v1/programmes/tiers/{tier}/explain/{org}?year=2001",
        explains,
        api=True,
        no_leak=True,
        keys=["GET /api/v1/programmes/tiers/{tier_id}/explain/{org_id}"],
    ),
    Route(
        "GET",
        "/api/v1/programmes/averages?year=2024",
        programmes_reader,
        targets=("none",),
        api=True,
        keys=["GET /api/v1/programmes/averages"],
    ),
]

# Rows kept beside the features they test (recognition workflow: pages, public pages, API). Each
# module has ROUTES (dicts of Route's fields; role names as below) and make_world(world) returning
# {target: {placeholder: value}} for the placeholders its URLs use.
MATRIX_MODULES = [
    importlib.import_module(f"tests.accounts.{name}")
    for name in (
        "matrix_applications",
        "matrix_notices",
        "matrix_calls",
        "matrix_obligations",
        "matrix_recognition_api",
        "matrix_evaluation",
        "matrix_reporting",
        "matrix_flags",
        "matrix_targets",
        "matrix_programmes",
        "matrix_forms",
        "matrix_scores",
        "matrix_campaign_tasks",
        "matrix_notifications",
        "matrix_campaigns",  # 数据填报, the bureau side (issue 16 part 3)
        "matrix_portal_accounts",
        "matrix_portal_changes",
    )
    if importlib.util.find_spec(f"tests.accounts.{name}") is not None
]
for _module in MATRIX_MODULES:
    for _row in _module.ROUTES:
        (API if _row.get("api") else PAGES).append(Route(**_row))

MATRIX = PAGES + API


@pytest.fixture
def world(db):
    mine = OrganisationFactory(name="矩阵雁塔企业", county=region("610113"))
    foreign = OrganisationFactory(name="矩阵宝鸡企业", county=region("610302"))
    agency = OrganisationFactory(name="矩阵雁塔服务机构", county=region("610113"), kind="service_agency")
    for org in (mine, foreign):
        AnnualFiguresFactory(organisation=org, year=2024)
    users = {
        "provincial_admin": UserFactory(role=Role.PROVINCIAL_ADMIN, region=region("610000")),
        "provincial_officer": UserFactory(role=Role.PROVINCIAL_OFFICER, region=region("610000")),
        "city_officer": UserFactory(role=Role.CITY_OFFICER, region=region("610100")),
        "county_officer": UserFactory(role=Role.COUNTY_OFFICER, region=region("610113")),
        "viewer": UserFactory(role=Role.VIEWER, region=region("610100")),
        "expert": UserFactory(role=Role.EXPERT, region=None),
        "enterprise_user": UserFactory(role=Role.ENTERPRISE_USER, region=None, organisation=mine),
        "agency_user": UserFactory(role=Role.AGENCY_USER, region=None, organisation=agency),
        "anonymous": None,
    }
    baoji_officer = UserFactory(role=Role.COUNTY_OFFICER, region=region("610302"))
    batches = {
        "mine": _batch(users["county_officer"], mine),
        "foreign": _batch(baoji_officer, foreign),
    }
    batches["none"] = batches["mine"]
    runs = {
        "mine": screening_run_make(actor=users["county_officer"], results=[(mine, "pass", "PP")]),
        "foreign": screening_run_make(actor=baoji_officer, results=[(foreign, "pass", "PP")]),
    }
    runs["none"] = runs["mine"]
    world = {
        "users": users,
        "uploaders": {"mine": users["county_officer"], "foreign": baoji_officer},
        "batches": batches,
        "orgs": {"mine": mine, "foreign": foreign, "none": mine},
        "regions": {"mine": "610113", "foreign": "610302", "none": "610113"},
        "runs": runs,
        "tier": tier_of(),
        "baoji_officer": baoji_officer,
    }
    world["extra"] = {"mine": {}, "foreign": {}, "none": {}}
    for module in MATRIX_MODULES:
        for target, values in module.make_world(world).items():
            world["extra"][target].update(values)
    return world


def _batch(officer, org):
    from smeplan.exchange.uploads import import_analyse, import_upload
    from tests.web.import_files import xlsx_bytes

    data = xlsx_bytes([[org.credit_code, org.name, org.county.name, 2023, 10, 1]])
    batch = import_upload(actor=officer, file_name=f"{org.name}.xlsx", content=data)
    return import_analyse(actor=officer, batch=batch)


def _template(owner):
    from smeplan.exchange.models import ImportMappingTemplate

    return ImportMappingTemplate.objects.create(
        name=f"模板{next(_serials)}",
        owner=owner,
        region=owner.region,
        mapping={"营业收入": "operating_revenue"},
    )


def _call(client, route: Route, target: str, world):
    org = world["orgs"][target]
    tpl = _template(world["uploaders"][target]).pk if "{tpl}" in route.url else None
    url = route.url.format(
        org=org.pk,
        code=world["regions"][target],
        batch=world["batches"][target].pk,
        tpl=tpl,
        run=world["runs"][target].pk,
        tier=world["tier"].pk,
        # a callable makes a fresh object for each call (e.g. an application an action will move on)
        **{
            k: (v() if callable(v) else v)
            for k, v in world["extra"][target].items()
            if "{" + k + "}" in route.url
        },
    )
    body = route.body(target) if callable(route.body) else (route.body or {})
    method = route.method.lower()
    if route.api and route.method != "GET":
        return getattr(client, method)(url, json.dumps(body), content_type="application/json")
    if route.method == "GET":
        return client.get(url)
    return client.post(url, body)


def _body_text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        return json.dumps(book.get_sheet_by_name("企业名录").to_python(), ensure_ascii=False)
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _refused(route: Route, role: str, response) -> bool:
    """401/403/404, or a redirect to a login page (login_required's ``?next=``, the admin's login)."""
    status = response.status_code
    if status in (401, 403, 404):
        return status in route.refusal or status == 401 or role == "anonymous"
    if status == 302:
        location = response["Location"]
        return location.startswith("/login/?next=") or location.startswith("/admin/login/")
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("route", MATRIX, ids=lambda r: f"{r.method} {r.url}")
def test_every_role_on_every_route(client, world, route):
    problems = []
    for role, target in itertools.product(ROLES, route.targets):
        user = world["users"][role]
        client.logout()
        if user is not None:
            client.force_login(user)
        response = _call(client, route, target, world)
        refused = _refused(route, role, response)
        if route.allowed(role, target) == refused:
            expected = "allowed" if route.allowed(role, target) else "refused"
            problems.append(f"{role} on {target}: expected {expected}, got {response.status_code}")
        elif (
            route.no_leak
            and not refused
            and not sees(role, "foreign")
            and world["orgs"]["foreign"].name in _body_text(response)
        ):
            problems.append(f"{role}: the foreign organisation leaks into {route.url}")
    assert not problems, "\n".join(problems)


def _project_routes() -> set[str]:
    """Every route of the project: page URL patterns, 'admin/*', and API operations 'METHOD /path'."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    routes = set()
    for route in walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            routes.add("admin/*")
        elif not route.startswith("api/v1/") or route in ("api/v1/openapi.json", "api/v1/docs", "api/v1/"):
            routes.add(route)
    for path, operations in api.get_openapi_schema()["paths"].items():
        routes.update(f"{method.upper()} {path}" for method in operations)
    return routes


def test_every_route_is_in_the_matrix():
    covered = {key for route in MATRIX for key in route.keys}
    missing = _project_routes() - covered
    assert not missing, f"routes without a row in the scoping matrix: {sorted(missing)}"
    stale = covered - _project_routes()
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"
