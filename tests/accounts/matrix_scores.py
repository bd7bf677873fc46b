"""Scoping-matrix rows for the points rubrics (评分细则) and the stored scores (评分结果), read by
``test_scoping_matrix.py``. Rubric pages are programme data (bureau users read, provincial admins
edit); scores follow the applications' scope and are for bureaus (``can_review``); the same for their API
operations (``/api/v1/programmes/…/rubrics``, ``/api/v1/recognition/scores…``). The scored
applications are the transformation-demo ones of ``matrix_applications`` (in expert review), scored
through the real service."""

from smeplan.programmes.models import RubricVersion
from smeplan.recognition.models import Application
from smeplan.recognition.scoring import applications_score
from tests.accounts import matrix_applications as applications
from tests.accounts.matrix_common import BUREAU, PROVINCIAL, _lazy

NONE = ("none",)


def reads(role, target):
    return role in BUREAU


def edits(role, target):
    return role == "provincial_admin"


def scores_of(role, target):
    """A bureau that sees the application (mine: 雁塔; foreign: 渭滨)."""
    return role in PROVINCIAL or (role in {"city_officer", "county_officer"} and target == "mine")


def make_world(world):
    admin = world["users"]["provincial_admin"]

    def scored(target):
        def make():
            pk = applications._get(target, "ap_expert_app")
            applications_score(actor=admin, applications=[Application.objects.get(pk=pk)])
            return pk

        return _lazy(make)

    mine, foreign = scored("mine"), scored("foreign")

    def seed():
        mine(), foreign()
        return 1

    rubric = (
        RubricVersion.objects.filter(programme__code="transformation-demo")
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "mine": {"sc_app": mine, "sc_seed": seed, "rubric": rubric},
        "foreign": {"sc_app": foreign, "sc_seed": seed, "rubric": rubric},
        "none": {"sc_app": mine, "sc_seed": seed, "rubric": rubric},
    }


def _row(method, url, allowed, key, body=None, **kw):
    return {
        "method": method,
        "url": url,
        "allowed": allowed,
        "body": body,
        "keys": [key] if key else [],
        **kw,
    }


def _api(method, url, allowed, key, body=None, **kw):
    """An API operation: ``url`` and ``key`` under /api/v1."""
    return _row(method, "/api/v1" + url, allowed, f"{method} /api/v1{key}", body, api=True, **kw)


ROUTES = [
    _row("GET", "/programmes/transformation-demo/rubrics/", reads, "programmes/<slug:code>/rubrics/", targets=NONE),
    _row("GET", "/programmes/transformation-demo/rubrics/new/", edits, "programmes/<slug:code>/rubrics/new/",
         targets=NONE),
    # an empty title: the admin gets the page with the reasons (400), nothing is saved
    _row("POST", "/programmes/transformation-demo/rubrics/new/", edits, None, {"title": "", "effective_year": ""},
         targets=NONE),
    _row("GET", "/programmes/rubrics/{rubric}/", reads, "programmes/rubrics/<int:pk>/", targets=NONE),
    _row("GET", "/recognition/scores/?programme=transformation-demo&seed={sc_seed}", reads, "recognition/scores/",
         targets=NONE, no_leak=True),
    _row("GET", "/recognition/scores/export.xlsx?programme=transformation-demo&seed={sc_seed}", reads,
         "recognition/scores/export.xlsx", targets=NONE),
    # no application of year 1800: the bureau is told so (a redirect), anyone else 403
    _row("POST", "/recognition/scores/compute/", reads, "recognition/scores/compute/",
         {"programme": "transformation-demo", "year": "1800"}, targets=NONE),
    _row("GET", "/recognition/applications/{sc_app}/score/", scores_of, "recognition/applications/<int:pk>/score/"),
    _row("POST", "/recognition/applications/{sc_app}/score/compute/", scores_of,
         "recognition/applications/<int:pk>/score/compute/"),
    _api("GET", "/programmes/transformation-demo/rubrics?year=2025", reads, "/programmes/{code}/rubrics",
         targets=NONE),
    _api("GET", "/programmes/rubrics/{rubric}", reads, "/programmes/rubrics/{version_id}", targets=NONE),
    # an empty title and no design: the admin gets 422 with the reasons, nothing is saved; others 403
    _api("POST", "/programmes/transformation-demo/rubrics", edits, "/programmes/{code}/rubrics",
         {"title": "", "effective_year": "", "design": {}}, targets=NONE),
    # no application of year 1800: a bureau gets 422 (没有可评分的申报), anyone else 403
    _api("POST", "/recognition/scores/compute", reads, "/recognition/scores/compute",
         {"programme": "transformation-demo", "year": 1800}, targets=NONE),
    _api("GET", "/recognition/scores?programme=transformation-demo&seed={sc_seed}", reads, "/recognition/scores",
         targets=NONE, no_leak=True),
    _api("GET", "/recognition/applications/{sc_app}/score", scores_of,
         "/recognition/applications/{application_id}/score"),
]  # fmt: skip
