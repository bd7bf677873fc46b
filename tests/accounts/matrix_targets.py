"""Scoping-matrix rows for the targets app (规划目标: dashboard, target pages, map, admin forms, API),
read by ``test_scoping_matrix.py``.

Targets of a row: ``mine`` — 西安 (the city of the matrix's 雁塔 users), ``foreign`` — 宝鸡. A target's
numbers are open to every bureau user and viewer for its own area; asking for another city is 404;
only provincial admins change periods and targets; reported values are entered by the province (any
region), by a city officer for its own city and by a county officer for its own county; a county's
value (``tg_value``: 雁塔's for mine, 渭滨's for foreign, with an attachment ``tg_att``) is confirmed
by its city or the province."""

import itertools

from smeplan.targets.models import Target
from smeplan.targets.services import reported_value_set
from tests.accounts.matrix_common import PROVINCIAL, REGION_BOUND, _lazy

CITY = {"mine": "610100", "foreign": "610300"}
NONE = ("none",)
_years = itertools.count(2031, 5)


def sees_city(role, target):
    return role in PROVINCIAL or (role in {"city_officer", "viewer"} and target == "mine")


def reports_city(role, target):
    return role in PROVINCIAL or (role == "city_officer" and target == "mine")


def admin(role, target):
    return role == "provincial_admin"


def region_bound(role, target):
    return role in REGION_BOUND


def _target(source):
    return _lazy(
        lambda: Target.objects.filter(source=source, kind="cumulative").order_by("position").first().pk
    )


def sees_county(role, target):
    """A county's reported value and its attachment: the province, and 西安's / 雁塔's users for mine."""
    return role in PROVINCIAL or (role in {"city_officer", "county_officer", "viewer"} and target == "mine")


def confirms(role, target):
    return role in PROVINCIAL or (role == "city_officer" and target == "mine")


def reports_county(role, target):
    """A county's value: the province, the county itself and its city (mine: 雁塔 and 西安)."""
    return role in PROVINCIAL or (role in {"county_officer", "city_officer"} and target == "mine")


PDF = b"%PDF-1.4\n%%EOF\n"


def make_world(world):
    reported, computed = _target("reported"), _target("computed")
    out = {
        t: {"city": CITY[t], "tg_reported": reported, "tg_computed": computed} for t in ("mine", "foreign")
    }
    officers = {"mine": world["users"]["county_officer"], "foreign": world["baoji_officer"]}
    for t, county in (("mine", "610113"), ("foreign", "610302")):

        def value(t=t, county=county):
            return reported_value_set(
                actor=officers[t],
                target=Target.objects.get(pk=reported()),
                data={"region": county, "year": "2019", "value": "5", "source_note": "矩阵县级填报"},
                attachment=("统计表.pdf", PDF),
            )

        made = _lazy(value)
        out[t]["tg_value"] = lambda made=made: made().pk
        out[t]["tg_att"] = lambda made=made: made().attachment_id
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


def _period_body(target):
    year = next(_years)
    return {"code": f"p{year}", "name": f"{year}—{year + 4}年", "start_year": year, "end_year": year + 4}


TARGET_BODY = {
    "code": "matrix-target",
    "plan": "bases",
    "name": "矩阵目标",
    "description": "矩阵测试用目标",
    "value": "10",
    "unit": "个",
    "kind": "cumulative",
    "deadline": "2020-12-31",
    "scope": "province",
    "source": "reported",
    "reporter": "省中小企业促进局",
}


def _value_body(target):
    return {"region": CITY[target], "year": "2019", "value": "12", "source_note": "矩阵测试"}


ROUTES = [
    _row("GET", "/targets/", region_bound, "targets/", targets=NONE),
    _row("GET", "/targets/?city={city}", sees_city, None),
    _row("GET", "/targets/map/", region_bound, "targets/map/", targets=NONE),
    _row("GET", "/targets/composition/?fragment=1", region_bound, "targets/composition/", targets=NONE),
    _row("GET", "/targets/composition/?city={city}", sees_city, None),
    _row("GET", "/targets/charts/", region_bound, "targets/charts/", targets=NONE),
    _row("GET", "/targets/report/", region_bound, "targets/report/", targets=NONE),
    _row("GET", "/targets/report/?city={city}&format=xlsx", sees_city, None),
    _row("GET", "/targets/{tg_computed}/", region_bound, "targets/<int:pk>/", targets=NONE),
    _row("GET", "/targets/{tg_reported}/?city={city}", sees_city, None),
    _row("POST", "/targets/{tg_reported}/", reports_city, None, _value_body),
    _row("GET", "/targets/periods/new/", admin, "targets/periods/new/", targets=NONE),
    _row("POST", "/targets/periods/new/", admin, None, _period_body, targets=NONE),
    _row("GET", "/targets/periods/13th/new/", admin, "targets/periods/<slug:period>/new/", targets=NONE),
    _row("POST", "/targets/periods/13th/new/", admin, None, {}, targets=NONE),
    # copying from another period: with 十三五 alone the admin is sent back to the dashboard (302)
    _row("GET", "/targets/periods/13th/copy/", admin, "targets/periods/<slug:period>/copy/", targets=NONE),
    _row("POST", "/targets/periods/13th/copy/", admin, None, {"from": "13th"}, targets=NONE),
    _row(
        "GET", "/targets/periods/13th/import/", admin, "targets/periods/<slug:period>/import/", targets=NONE
    ),
    # without a file: the admin gets 422 (请选择要导入的文件), anyone else 403
    _row("POST", "/targets/periods/13th/import/", admin, None, {}, targets=NONE),
    _row("GET", "/targets/import-template.xlsx", admin, "targets/import-template.xlsx", targets=NONE),
    _row("GET", "/targets/{tg_reported}/edit/", admin, "targets/<int:pk>/edit/", targets=NONE),
    _row("POST", "/targets/values/{tg_value}/confirm/", confirms, "targets/values/<int:pk>/confirm/"),
    _row("GET", "/targets/attachments/{tg_att}/", sees_county, "targets/attachments/<int:pk>/"),
    _row("POST", "/targets/{tg_reported}/edit/", admin, None, {}, targets=NONE),
]

ROUTES += [
    _row(
        "GET", "/api/v1/targets/periods", region_bound, "GET /api/v1/targets/periods", targets=NONE, api=True
    ),
    _row(
        "POST",
        "/api/v1/targets/values/{tg_value}/confirm",
        confirms,
        "POST /api/v1/targets/values/{value_id}/confirm",
        api=True,
    ),
    # without a file: who may report the county's value gets 422, anyone else 403/404
    _row(
        "POST",
        "/api/v1/targets/values/{tg_value}/attachment",
        reports_county,
        "POST /api/v1/targets/values/{value_id}/attachment",
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/targets/attachments/{tg_att}",
        sees_county,
        "GET /api/v1/targets/attachments/{attachment_id}",
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/targets/periods",
        admin,
        "POST /api/v1/targets/periods",
        _period_body,
        targets=NONE,
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/targets/periods/13th/progress?city={city}",
        sees_city,
        "GET /api/v1/targets/periods/{code}/progress",
        api=True,
    ),
    # copying a period onto itself: the admin gets 422, anyone else 403
    _row(
        "POST",
        "/api/v1/targets/periods/13th/copy",
        admin,
        "POST /api/v1/targets/periods/{code}/copy",
        {"from": "13th"},
        targets=NONE,
        api=True,
    ),
    # without a file: the admin gets 422, anyone else 403
    _row(
        "POST",
        "/api/v1/targets/periods/13th/import",
        admin,
        "POST /api/v1/targets/periods/{code}/import",
        {},
        targets=NONE,
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/targets/periods/13th/targets",
        admin,
        "POST /api/v1/targets/periods/{code}/targets",
        TARGET_BODY,
        targets=NONE,
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/targets/{tg_computed}?city={city}",
        sees_city,
        "GET /api/v1/targets/{target_id}",
        api=True,
    ),
    _row(
        "PATCH",
        "/api/v1/targets/{tg_reported}",
        admin,
        "PATCH /api/v1/targets/{target_id}",
        TARGET_BODY,
        targets=NONE,
        api=True,
    ),
    _row(
        "PUT",
        "/api/v1/targets/{tg_reported}/shares",
        admin,
        "PUT /api/v1/targets/{target_id}/shares",
        {"shares": {"610100": "3"}},
        targets=NONE,
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/targets/{tg_reported}/values",
        region_bound,
        "GET /api/v1/targets/{target_id}/values",
        targets=NONE,
        api=True,
    ),
    _row(
        "POST",
        "/api/v1/targets/{tg_reported}/values",
        reports_city,
        "POST /api/v1/targets/{target_id}/values",
        _value_body,
        api=True,
    ),
]
