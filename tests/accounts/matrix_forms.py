"""Scoping-matrix rows for 申报表设计 (form versions of a programme, ``smeplan/web/views/formdesigner``)
and the forms' JSON Schema in the API, read by ``test_scoping_matrix.py``.

Programme pages have no region target (``none``): bureau users read the versions, provincial admins
design (a city officer only for its own city's programmes, which the matrix world has none of). The
schema of an application's form follows the application's scope (``ap_review`` as in
``matrix_applications``); a programme's current form schema is read by every signed-in user.
"""

from tests.accounts.matrix_common import BUREAU, SIGNED_IN, sees

NONE = ("none",)
URL = "/programmes/transformation-demo/forms/application/"


def bureau(role, target):
    return role in BUREAU


def designer(role, target):
    return role == "provincial_admin"


def signed_in(role, target):
    return role in SIGNED_IN


def make_world(world):
    return {}


def _row(method, url, allowed, key, body=None, *, api=False, **kw):
    return {
        "method": method,
        "url": url,
        "allowed": allowed,
        "body": body,
        "api": api,
        "keys": [key] if key else [],
        **kw,
    }


ROUTES = [
    _row("GET", URL, bureau, "programmes/<slug:code>/forms/<str:purpose>/", targets=NONE),
    _row("GET", URL + "new/", designer, "programmes/<slug:code>/forms/<str:purpose>/new/", targets=NONE),
    # an empty editor: the admin gets 422 with the messages, anyone else 403
    _row("POST", URL + "new/", designer, None, {"title": "申报表"}, targets=NONE),
    _row(
        "GET",
        "/api/v1/recognition/applications/{ap_review}/form-schema",
        sees,
        "GET /api/v1/recognition/applications/{application_id}/form-schema",
        api=True,
    ),
    _row(
        "GET",
        "/api/v1/programmes/transformation-demo/form-schema?purpose=application",
        signed_in,
        "GET /api/v1/programmes/{code}/form-schema",
        api=True,
        targets=NONE,
    ),
]
