"""Scoping-matrix rows for the recognition API (``/api/v1/recognition/…``), read by
``test_scoping_matrix.py``.

Targets: ``mine`` — the matrix's 雁塔 enterprise (the matrix's enterprise user's own); ``foreign`` — its
宝鸡 渭滨区 enterprise; ``none`` — lists, where the placeholder ``ra_seed`` makes the objects of both
targets first so a list that leaks the foreign enterprise is caught.

Every object is made lazily through the real services (only the routes that use it pay for it) and
once per world, except attachments (a delete removes one, so each call gets a fresh one). Bodies
that must name an object's id or version read it from ``_STATE`` (filled by ``make_world``).

Bodies are chosen so that a permitted caller never needs more than one call: where a success would
change the object for the next caller, the body is one the permitted caller gets a 422 for (e.g.
``return`` without a reason) — a refusal is then 403 (visible, but not theirs to act on) or 404.
"""

import datetime as dt

from smeplan.accounts.models import Role
from smeplan.recognition import clock, services
from smeplan.recognition.models import Application
from tests.accounts.matrix_common import (
    BUREAU,
    PROVINCIAL,
    _lazy,
    _only,
    _version,
    everyone,
    sees,
    sees_notice,
    signed_in,
)
from tests.factories import UserFactory, enterprise_user, region, tier_of
from tests.recognition.make import filled

PDF = b"%PDF-1.4\n%%EOF\n"
YEAR = 2024

_STATE: dict = {}


def _make(world, target):
    """The lazily made objects of one target: {name: zero-arg callable returning a pk}."""
    org = world["orgs"][target]
    users = world["users"]
    if target == "mine":
        officers = {"county": lambda: users["county_officer"], "city": lambda: users["city_officer"]}
        applicant = lambda: users["enterprise_user"]  # noqa: E731
        expert = lambda: users["expert"]  # noqa: E731
    else:
        officers = {
            "county": lambda: world["baoji_officer"],
            "city": _lazy(lambda: UserFactory(role=Role.CITY_OFFICER, region=region("610300"))),
        }
        applicant = _lazy(lambda: enterprise_user(org))
        expert = _lazy(lambda: UserFactory(role=Role.EXPERT, region=None))
    officers["province"] = lambda: users["provincial_admin"]

    def act(pk, officer, action):
        officer = officer()
        application = Application.objects.get(pk=pk)
        services.application_act(
            actor=officer, application=application, action=action, expected_version=application.lock_version
        )

    def started(programme, tier, year):
        return services.application_start(actor=applicant(), tier=tier_of(programme, tier), year=year).pk

    def submitted(programme, tier, year):
        pk = started(programme, tier, year)
        application = filled(applicant(), Application.objects.get(pk=pk))  # every required field of its form
        services.application_act(
            actor=applicant(),
            application=application,
            action="submit",
            expected_version=application.lock_version,
        )
        return pk

    def selected(tier, year):  # a county-level programme: one step, the county selects
        pk = submitted("growth-county", tier, year)
        act(pk, officers["county"], "select")
        return pk

    def published(tier, year):
        pk = selected(tier, year)
        notice = services.notice_publish(
            actor=officers["county"](), items=[(pk, _version(pk))], title="矩阵县级成长梯队公示", days=7
        )
        return pk, notice.pk

    on_notice = _lazy(lambda: published("growth_star", 2023))

    def objection():
        pk, notice = on_notice()
        from smeplan.recognition.models import PublicNotice

        return services.objection_file(
            notice=PublicNotice.objects.get(pk=notice),
            application_id=pk,
            name="王五",
            phone="13800000000",
            text="该企业申报的营业收入与实际不符，请核实。",
        ).pk

    def in_expert_review():
        pk = submitted("transformation-demo", "demonstration", YEAR)
        act(pk, officers["county"], "recommend")
        act(pk, officers["city"], "recommend")
        act(pk, officers["province"], "send_to_experts")
        return pk

    expert_app = _lazy(in_expert_review)

    def assignment():
        (made,) = services.experts_assign(
            actor=officers["province"](),
            application=Application.objects.get(pk=expert_app()),
            expert_ids=[expert().pk],
        )
        return made.pk

    def certification():
        pk, _ = published("industry_star", 2022)
        real_today = clock.today()
        original = clock.today
        clock.today = lambda: real_today + dt.timedelta(days=8)
        try:
            (made,) = services.applications_certify(
                actor=officers["county"](),
                items=[(pk, _version(pk))],
                document_number="矩阵认定文号",
                certified_on=real_today,
            )
        finally:
            clock.today = original
        return made.pk

    cert = _lazy(certification)

    def change():
        from smeplan.recognition.models import Certification

        return services.change_report_file(
            actor=applicant(),
            certification=Certification.objects.get(pk=cert()),
            kind="rename",
            description="企业名称变更，已完成工商登记",
            new_name=f"{org.name}（更名）",
        ).pk

    draft = _lazy(lambda: started("growth-city", "growth_star", YEAR))

    def attachment():
        return services.attachment_add(
            actor=applicant(), application=Application.objects.get(pk=draft()), name="证明.pdf", content=PDF
        ).pk

    return {
        "ra_review": _lazy(lambda: submitted("growth-province", "growth_star", YEAR)),
        "ra_draft": draft,
        "ra_att": attachment,
        "ra_selected": _lazy(lambda: selected("growth_star", YEAR)),
        "ra_notice": lambda: on_notice()[1],
        "ra_notice_app": lambda: on_notice()[0],
        "ra_objection": _lazy(objection),
        "ra_expert_app": expert_app,
        "ra_asg": _lazy(assignment),
        "ra_expert": lambda: expert().pk,
        "ra_cert": cert,
        "ra_change": _lazy(change),
        "ra_org": lambda: org.pk,
    }


def _seed():
    """For list routes: the objects of both targets exist before the call."""
    for target in ("mine", "foreign"):
        state = _STATE[target]
        for name in ("ra_review", "ra_objection", "ra_asg", "ra_cert"):
            state[name]()
    return 1


def make_world(world):
    _STATE.clear()
    _STATE["mine"] = _make(world, "mine")
    _STATE["foreign"] = _make(world, "foreign")
    _STATE["none"] = {**_STATE["mine"], "ra_seed": _seed}
    return {target: dict(values) for target, values in _STATE.items()}


def _get(target, name):
    return _STATE[target][name]()


def _items(name):
    return lambda t: [{"id": _get(t, name), "version": _version(_get(t, name))}]


BASE = "/api/v1/recognition"


def _row(method, url, allowed, key, body=None, **kw):
    return {
        "method": method,
        "url": BASE + url,
        "allowed": allowed,
        "body": body,
        "api": True,
        "keys": [f"{method} {BASE}{key}"],
        **kw,
    }


NONE = ("none",)

ROUTES = [
    _row("GET", "/applications?seed={ra_seed}", signed_in, "/applications", targets=NONE, no_leak=True),
    # only an enterprise user may open an application for its own enterprise
    _row(
        "POST",
        "/applications",
        lambda r, t: r == "enterprise_user",
        "/applications",
        lambda t: {"tier_id": tier_of("growth-county", "startup_star").pk, "year": YEAR},
        targets=NONE,
    ),
    _row("GET", "/applications/{ra_review}", sees, "/applications/{application_id}"),
    _row(
        "GET",
        "/queue?seed={ra_seed}",
        lambda r, t: r in BUREAU,
        "/queue",
        targets=NONE,
        no_leak=True,
    ),
    _row(
        "PUT",
        "/applications/{ra_draft}/form",
        _only("enterprise_user"),
        "/applications/{application_id}/form",
        {"version": 1, "form": {"main_products": "矩阵产品"}},
    ),
    # without a file: the applicant gets 422 (请选择文件), a bureau that sees it 403
    _row(
        "POST",
        "/applications/{ra_draft}/attachments",
        _only("enterprise_user"),
        "/applications/{application_id}/attachments",
    ),
    _row(
        "DELETE",
        "/applications/{ra_draft}/attachments/{ra_att}",
        _only("enterprise_user"),
        "/applications/{application_id}/attachments/{attachment_id}",
    ),
    # return without a reason: the awaited bureau gets 422, anyone else who sees it 403
    _row(
        "POST",
        "/applications/{ra_review}/actions",
        _only("county_officer"),
        "/applications/{application_id}/actions",
        {"action": "return", "version": 3, "reason": ""},
    ),
    # bulk: applications outside one's scope are 404; each refusal inside it is listed (422)
    _row(
        "POST",
        "/actions",
        sees,
        "/actions",
        lambda t: {"action": "return", "items": _items("ra_review")(t), "reason": ""},
    ),
    # a bureau outside the chain or scope gets 422 naming the refusal; other roles 403
    _row(
        "POST",
        "/nominations",
        lambda r, t: r in BUREAU,
        "/nominations",
        lambda t: {
            "tier_id": tier_of("growth-city", "growth_star").pk,
            "year": 2023,
            "organisation_ids": [_get(t, "ra_org")],
        },
    ),
    # the province awaits the expert review of a provincial programme
    _row(
        "POST",
        "/applications/{ra_expert_app}/experts",
        lambda r, t: r in PROVINCIAL,
        "/applications/{application_id}/experts",
        lambda t: {"expert_ids": [_get(t, "ra_expert")]},
    ),
    _row(
        "GET",
        "/expert/assignments?seed={ra_seed}",
        lambda r, t: r == "expert",
        "/expert/assignments",
        targets=NONE,
        no_leak=True,
    ),
    _row(
        "POST",
        "/expert/assignments/{ra_asg}/declaration",
        _only("expert"),
        "/expert/assignments/{assignment_id}/declaration",
    ),
    # without a note: the expert gets 422 (请说明利益冲突的情况), the assignment is unchanged
    _row(
        "POST",
        "/expert/assignments/{ra_asg}/conflict",
        _only("expert"),
        "/expert/assignments/{assignment_id}/conflict",
        {"note": ""},
    ),
    _row(
        "POST",
        "/expert/assignments/{ra_asg}/scores",
        _only("expert"),
        "/expert/assignments/{assignment_id}/scores",
        {"scores": {}, "comment": ""},
    ),
    _row(
        "GET",
        "/notices?seed={ra_seed}",
        lambda r, t: r in BUREAU | {"viewer"},
        "/notices",
        targets=NONE,
        no_leak=True,
    ),
    # publishing (bureaus only): the awaited bureau succeeds; another bureau that sees the
    # application gets 422 (the refusal listed per application); other roles 403
    _row(
        "POST",
        "/notices",
        lambda r, t: sees(r, t) and r in BUREAU,
        "/notices",
        lambda t: {"title": "矩阵公示", "days": 7, "items": _items("ra_selected")(t)},
    ),
    _row("GET", "/notices/{ra_notice}", sees_notice, "/notices/{notice_id}"),
    _row(
        "POST",
        "/objections/{ra_objection}/resolution",
        _only("county_officer"),
        "/objections/{objection_id}/resolution",
        {"upheld": False, "resolution": "经核实，异议不成立"},
    ),
    _row("GET", "/public/notices?seed={ra_seed}", everyone, "/public/notices", targets=NONE),
    _row("GET", "/public/notices/{ra_notice}", everyone, "/public/notices/{notice_id}"),
    # public: anyone may object (the sixth call within the hour is 429, not a refusal of access)
    _row(
        "POST",
        "/public/notices/{ra_notice}/objections",
        everyone,
        "/public/notices/{notice_id}/objections",
        lambda t: {
            "application_id": _get(t, "ra_notice_app"),
            "name": "赵六",
            "phone": "13900000000",
            "text": "该企业存在违法违规行为，请核实处理。",
        },
    ),
    _row("GET", "/public/certified?seed={ra_seed}", everyone, "/public/certified", targets=NONE),
    # certifying during the notice: every caller who sees the application gets 422
    _row(
        "POST",
        "/certifications",
        sees,
        "/certifications",
        lambda t: {"document_number": "矩阵文号", "items": _items("ra_notice_app")(t)},
    ),
    # the composition check before certifying: the bureau the application waits for (it reads only)
    _row(
        "POST",
        "/certifications/check",
        _only("county_officer"),
        "/certifications/check",
        lambda t: {"items": _items("ra_notice_app")(t)},
    ),
    _row(
        "GET",
        "/certifications?seed={ra_seed}",
        signed_in,
        "/certifications",
        targets=NONE,
        no_leak=True,
    ),
    _row("GET", "/certifications/{ra_cert}", sees, "/certifications/{certification_id}"),
    # the certifying bureau (mine: 雁塔's county bureau for a county-level programme)
    _row(
        "POST",
        "/certifications/{ra_cert}/termination",
        lambda role, target: (role == "county_officer" and target == "mine") or role in PROVINCIAL,
        "/certifications/{certification_id}/termination",
        {"reason": "voluntary", "document_number": "矩阵终止文号"},
    ),
    # a county-level growth tier has no re-review: the certifying bureau gets 422, anyone else a refusal
    _row(
        "POST",
        "/certifications/{ra_cert}/review",
        _only("county_officer"),
        "/certifications/{certification_id}/review",
        {"passed": True, "note": "矩阵复核"},
    ),
    _row(
        "POST",
        "/certifications/{ra_cert}/promotion",
        _only("county_officer"),
        "/certifications/{certification_id}/promotion",
        {"year": 2023},
    ),
    # the enterprise itself or a bureau that sees it
    _row(
        "POST",
        "/certifications/{ra_cert}/changes",
        lambda r, t: sees(r, t) and r in BUREAU | {"enterprise_user"},
        "/certifications/{certification_id}/changes",
        {"kind": "other", "description": "企业股权结构发生重大变化"},
    ),
    # a rename report: the certifying bureau gets 422 (更名须由市级确认), anyone else 403/404
    _row(
        "POST",
        "/changes/{ra_change}/decision",
        _only("county_officer"),
        "/changes/{change_id}/decision",
        {"keep": True, "note": "核查后保留"},
    ),
    _row(
        "POST",
        "/changes/{ra_change}/confirmation",
        _only("city_officer"),
        "/changes/{change_id}/confirmation",
        {"note": "已核实"},
    ),
    # not yet confirmed: the certifying bureau gets 422
    _row(
        "POST",
        "/changes/{ra_change}/recertification",
        _only("county_officer"),
        "/changes/{change_id}/recertification",
        {"document_number": "矩阵重新认定文号"},
    ),
    _row("GET", "/notifications", signed_in, "/notifications", targets=NONE),
    _row("POST", "/notifications/read", signed_in, "/notifications/read", targets=NONE),
]
