"""Scoping-matrix rows for the pages of notices, objections, certification, termination, changes and
the public pages (``smeplan/web/urls_notices.py``), read by ``test_scoping_matrix.py``.

Targets: ``mine`` — the matrix's 雁塔 enterprise; ``foreign`` — its 宝鸡 渭滨区 enterprise; ``none`` —
lists, where the placeholder ``rn_seed`` makes the objects of both targets first so a list that
leaks the foreign enterprise is caught.

Notices are published through the real services for a county-level programme (mine: by 雁塔's county
bureau, foreign: by 渭滨's). Certifications are stored rows (a certificate needs a notice in the
past, which the services refuse to publish): ``province`` ones certified by the province,
``county`` ones by the enterprise's county. Objects an action changes are made fresh for each call
(the placeholder's value is a zero-arg callable); the others once per world. Bodies that must name
an application and its version read it from ``_STATE`` (filled by ``make_world``).
"""

import itertools

from django.utils import timezone

from smeplan.recognition import clock, services
from smeplan.recognition.models import (
    Application,
    Certification,
    ChangeReport,
    ChangeState,
    Channel,
    PublicNotice,
    State,
)
from smeplan.recognition.workflow import chain_for
from tests.accounts.matrix_common import (
    BUREAU,
    PROVINCIAL,
    REGION_BOUND,
    WITH_SCOPE,
    _lazy,
    _only,
    everyone,
    sees,
    sees_notice,
)
from tests.factories import tier_of

_STATE: dict = {}
_serials = itertools.count(1)


def reports_change(role, target):
    """The enterprise's own users, or a bureau that sees it."""
    return sees(role, target) and role in BUREAU | {"enterprise_user"}


def provincial(role, target):
    return role in PROVINCIAL


def _application(org, state: str, programme: str = "growth-county", tier: str = "growth_star"):
    """A stored application at its last step (the fixture for the notice pages is published through
    the services from here)."""
    tier = tier_of(programme, tier)
    chain = chain_for(county=org.county, owner_level=tier.programme.owner_level)
    return Application.objects.create(
        programme=tier.programme,
        tier=tier,
        organisation=org,
        year=2023,
        channel=Channel.APPLY,
        state=state,
        chain=chain,
        step=len(chain) - 1,
        waiting_region_id=chain[-1][1],
        submitted_at=timezone.now(),
        form={"main_products": "矩阵产品"},
    )


def _certification(org, level: str) -> Certification:
    programme_code = "growth-province" if level == "province" else "growth-county"
    tier = tier_of(programme_code, "growth_star")
    region_id = "610000" if level == "province" else org.county_id
    return Certification.objects.create(
        organisation=org,
        programme=tier.programme,
        tier=tier,
        level=level,
        region_id=region_id,
        document_number=f"矩阵认定〔2026〕{next(_serials)}号",
        certified_on=clock.today(),
        title="矩阵成长之星企业",
        organisation_name=org.name,
    )


def _report(certification, kind: str, state: str = ChangeState.REPORTED) -> ChangeReport:
    return ChangeReport.objects.create(
        certification=certification,
        kind=kind,
        description="矩阵测试的变化情况",
        new_name=f"{certification.organisation.name}（矩阵更名{next(_serials)}）" if kind == "rename" else "",
        state=state,
    )


def _make(world, target):
    org = world["orgs"][target]
    officer = world["users"]["county_officer"] if target == "mine" else world["baoji_officer"]

    def published():
        app = _application(org, State.SELECTED)
        notice = services.notice_publish(
            actor=officer,
            items=[(app.pk, app.lock_version)],
            title="矩阵县级成长梯队拟认定企业名单公示",
            days=7,
        )
        return app.pk, notice.pk

    on_notice = _lazy(published)

    def objection():
        app_pk, notice_pk = on_notice()
        return services.objection_file(
            notice=PublicNotice.objects.get(pk=notice_pk),
            application_id=app_pk,
            name="王五",
            phone="13800000000",
            text="该企业申报的营业收入与实际不符，请核实。",
        ).pk

    cert = _lazy(lambda: _certification(org, "province").pk)
    return {
        "rn_notice": lambda: on_notice()[1],
        "rn_notice_app": lambda: on_notice()[0],
        "rn_selected": _lazy(lambda: _application(org, State.SELECTED).pk),
        "rn_objection": objection,  # fresh: resolving closes it
        "rn_cert": cert,
        "rn_report": _lazy(lambda: _report(Certification.objects.get(pk=cert()), "other").pk),
        "rn_fresh_cert": lambda: _certification(org, "province").pk,
        "rn_county_cert": lambda: _certification(org, "county").pk,
        "rn_merger": lambda: _report(_certification(org, "province"), "merger").pk,
        "rn_rename": lambda: _report(_certification(org, "province"), "rename").pk,
        "rn_confirmed": lambda: _report(_certification(org, "province"), "rename", ChangeState.CONFIRMED).pk,
    }


def _seed():
    """For list routes: the objects of both targets exist before the call."""
    for target in ("mine", "foreign"):
        for name in ("rn_notice", "rn_report"):
            _STATE[target][name]()
    return 1


def make_world(world):
    _STATE.clear()
    _STATE["mine"] = _make(world, "mine")
    _STATE["foreign"] = _make(world, "foreign")
    _STATE["none"] = {**_STATE["mine"], "rn_seed": _seed}
    return {target: dict(values) for target, values in _STATE.items()}


def _items(name):
    def body(target):
        pk = _STATE[target][name]()
        return {"items": [f"{pk}:{Application.objects.get(pk=pk).lock_version}"]}

    return body


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
    # 公示管理: bureaus and viewers read; only the notice's bureau (mine: 雁塔's county) acts
    _row(
        "GET",
        "/recognition/notices/?seed={rn_seed}",
        lambda r, t: r in REGION_BOUND,
        "recognition/notices/",
        targets=NONE,
        no_leak=True,
    ),
    # without a title the form is shown; only the bureau the applications wait for gets it
    _row(
        "POST",
        "/recognition/notices/new/",
        _only("county_officer"),
        "recognition/notices/new/",
        _items("rn_selected"),
    ),
    _row(
        "GET", "/recognition/notices/{rn_notice}/", sees_notice, "recognition/notices/<int:pk>/", no_leak=True
    ),
    _row(
        "POST",
        "/recognition/objections/{rn_objection}/resolve/",
        _only("county_officer"),
        "recognition/objections/<int:pk>/resolve/",
        {"upheld": "0", "resolution": "矩阵：异议不成立"},
    ),
    # without a document number the form is shown (the notice still runs: nothing is certified)
    _row(
        "POST",
        "/recognition/certify/",
        _only("county_officer"),
        "recognition/certify/",
        _items("rn_notice_app"),
    ),
    # 认定名单 and its .xlsx (the sheet is 认定名单: leaks are checked on the page)
    _row(
        "GET",
        "/recognition/certifications/?seed={rn_seed}",
        lambda r, t: r in WITH_SCOPE,
        "recognition/certifications/",
        targets=NONE,
        no_leak=True,
    ),
    _row(
        "GET",
        "/recognition/certifications/?format=xlsx&seed={rn_seed}",
        lambda r, t: r in WITH_SCOPE,
        None,
        targets=NONE,
    ),
    _row(
        "GET",
        "/recognition/certifications/{rn_cert}/",
        sees,
        "recognition/certifications/<int:pk>/",
        no_leak=True,
    ),
    _row(
        "GET",
        "/recognition/certifications/{rn_cert}/print/",
        sees,
        "recognition/certifications/<int:pk>/print/",
        no_leak=True,
    ),
    _row(
        "POST",
        "/recognition/certifications/{rn_fresh_cert}/terminate/",
        provincial,
        "recognition/certifications/<int:pk>/terminate/",
        {"reason": "criteria", "document_number": "矩阵终止文号", "note": "矩阵"},
    ),
    # a growth-tier certification has no re-review: the certifying bureau is told so (302 with the
    # message), anyone else is refused
    _row(
        "POST",
        "/recognition/certifications/{rn_fresh_cert}/review/",
        provincial,
        "recognition/certifications/<int:pk>/review/",
        {"passed": "1", "note": "矩阵复核"},
    ),
    _row(
        "POST",
        "/recognition/certifications/{rn_county_cert}/promote/",
        _only("county_officer"),
        "recognition/certifications/<int:pk>/promote/",
        {"year": "2023"},
    ),
    _row(
        "POST",
        "/recognition/certifications/{rn_fresh_cert}/changes/new/",
        reports_change,
        "recognition/certifications/<int:pk>/changes/new/",
        {"kind": "rename", "description": "矩阵测试更名情况", "new_name": "矩阵新名称有限公司"},
    ),
    # 变化报告
    _row(
        "GET",
        "/recognition/changes/?seed={rn_seed}",
        lambda r, t: r in WITH_SCOPE,
        "recognition/changes/",
        targets=NONE,
        no_leak=True,
    ),
    _row("GET", "/recognition/changes/{rn_report}/", sees, "recognition/changes/<int:pk>/", no_leak=True),
    _row(
        "POST",
        "/recognition/changes/{rn_merger}/decide/",
        provincial,
        "recognition/changes/<int:pk>/decide/",
        {"keep": "1", "note": "矩阵：核查后保留"},
    ),
    # 更名 is confirmed by the enterprise's city (mine: 西安; 宝鸡's city has no user here)
    _row(
        "POST",
        "/recognition/changes/{rn_rename}/confirm/",
        _only("city_officer"),
        "recognition/changes/<int:pk>/confirm/",
        {"note": "矩阵"},
    ),
    _row(
        "POST",
        "/recognition/changes/{rn_confirmed}/recertify/",
        provincial,
        "recognition/changes/<int:pk>/recertify/",
        {"document_number": "矩阵重新认定文号"},
    ),
    # public pages: everyone, signed in or not
    _row("GET", "/public/notices/?seed={rn_seed}", everyone, "public/notices/", targets=NONE),
    _row("GET", "/public/notices/{rn_notice}/", everyone, "public/notices/<int:pk>/"),
    _row(
        "POST",
        "/public/notices/{rn_notice}/",
        everyone,
        None,
        lambda t: {
            "application": _STATE[t]["rn_notice_app"](),
            "name": "赵六",
            "phone": "13800001111",
            "text": "矩阵：该企业申报材料与实际不符。",
        },
    ),
    _row("GET", "/public/certified/?seed={rn_seed}", everyone, "public/certified/", targets=NONE),
    _row("GET", "/public/certified/?format=xlsx", everyone, None, targets=NONE),
]
