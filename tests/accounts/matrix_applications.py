"""Scoping-matrix rows for the pages of applications (申报、登记表、审核待办、推荐、专家评审、通知),
read by ``test_scoping_matrix.py``.

Targets: ``mine`` — the matrix's 雁塔 enterprise (its enterprise user's own); ``foreign`` — its 宝鸡
渭滨区 enterprise; ``none`` — list pages, where ``ap_seed`` makes the objects of both targets first so
a list that leaks the foreign enterprise is caught.

Objects are made lazily through the real services, once per world (attachments to delete: one per
call). Bodies are chosen so that a permitted caller changes nothing the next caller depends on (e.g.
「退回修改」 without a reason: the awaited bureau gets the message, everyone else 403/404).
"""

from smeplan.accounts.models import Role
from smeplan.recognition import services
from smeplan.recognition.models import Application
from tests.accounts.matrix_common import (
    BUREAU,
    PROVINCIAL,
    _lazy,
    _only,
    _version,
    sees,
    signed_in,
)
from tests.factories import UserFactory, enterprise_user, region, tier_of

PDF = b"%PDF-1.4\n%%EOF\n"
YEAR = 2024

_STATE: dict = {}


def sees_run(role, target):
    """Screening runs (mine: run by 雁塔's county bureau, foreign: by 渭滨's)."""
    return role in PROVINCIAL or (role in {"city_officer", "county_officer"} and target == "mine")


def _make(world, target):
    org = world["orgs"][target]
    users = world["users"]
    if target == "mine":
        officers = {"county": users["county_officer"], "city": users["city_officer"]}
        applicant = lambda: users["enterprise_user"]  # noqa: E731
        expert = lambda: users["expert"]  # noqa: E731
    else:
        officers = {"county": world["baoji_officer"]}
        officers["city"] = _lazy(lambda: UserFactory(role=Role.CITY_OFFICER, region=region("610300")))()
        applicant = _lazy(lambda: enterprise_user(org))
        expert = _lazy(lambda: UserFactory(role=Role.EXPERT, region=None))
    officers["province"] = users["provincial_admin"]

    def act(pk, officer, action):
        application = Application.objects.get(pk=pk)
        services.application_act(
            actor=officer, application=application, action=action, expected_version=application.lock_version
        )

    def started(programme, tier):
        return services.application_start(actor=applicant(), tier=tier_of(programme, tier), year=YEAR).pk

    def submitted(programme, tier):
        pk = started(programme, tier)
        application = services.application_update(
            actor=applicant(),
            application=Application.objects.get(pk=pk),
            expected_version=_version(pk),
            form={"main_products": "矩阵产品", "contact_person": "张三", "contact_phone": "029-88886666"},
            declare=True,
        )
        services.application_act(
            actor=applicant(),
            application=application,
            action="submit",
            expected_version=application.lock_version,
        )
        return pk

    def in_expert_review():
        pk = submitted("transformation-demo", "demonstration")
        act(pk, officers["county"], "recommend")
        act(pk, officers["city"], "recommend")
        act(pk, officers["province"], "send_to_experts")
        return pk

    expert_app = _lazy(in_expert_review)

    def assignment():
        (made,) = services.experts_assign(
            actor=officers["province"],
            application=Application.objects.get(pk=expert_app()),
            expert_ids=[expert().pk],
        )
        return made.pk

    draft = _lazy(lambda: started("growth-city", "growth_star"))

    def attachment():
        return services.attachment_add(
            actor=applicant(), application=Application.objects.get(pk=draft()), name="证明.pdf", content=PDF
        ).pk

    return {
        "ap_review": _lazy(lambda: submitted("growth-province", "growth_star")),
        "ap_draft": draft,
        "ap_att": _lazy(attachment),
        "ap_att_fresh": attachment,
        "ap_expert_app": expert_app,
        "ap_asg": _lazy(assignment),
    }


def _seed():
    for target in ("mine", "foreign"):
        for name in ("ap_review", "ap_asg", "ap_att"):
            _STATE[target][name]()
    return 1


def make_world(world):
    _STATE.clear()
    _STATE["mine"] = _make(world, "mine")
    _STATE["foreign"] = _make(world, "foreign")
    _STATE["none"] = {**_STATE["mine"], "ap_seed": _seed}
    return {target: dict(values) for target, values in _STATE.items()}


def _get(target, name):
    return _STATE[target][name]()


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
APP = "recognition/applications/<int:pk>/"

ROUTES = [
    _row(
        "GET",
        "/recognition/applications/?seed={ap_seed}",
        signed_in,
        "recognition/applications/",
        targets=NONE,
        no_leak=True,
    ),
    _row(
        "GET",
        "/recognition/applications/new/",
        lambda r, t: r == "enterprise_user",
        "recognition/applications/new/",
        targets=NONE,
    ),
    _row(
        "POST",
        "/recognition/applications/new/",
        lambda r, t: r == "enterprise_user",
        None,
        lambda t: {"tier": tier_of("growth-county", "startup_star").pk, "year": str(YEAR)},
        targets=NONE,
    ),
    _row("GET", "/recognition/applications/{ap_review}/", sees, APP),
    _row("GET", "/recognition/applications/{ap_review}/print/", sees, APP + "print/"),
    _row("GET", "/recognition/applications/{ap_review}/pdf/", sees, APP + "pdf/"),
    _row("GET", "/recognition/applications/{ap_draft}/edit/", _only("enterprise_user"), APP + "edit/"),
    _row(
        "POST",
        "/recognition/applications/{ap_draft}/edit/",
        _only("enterprise_user"),
        None,
        lambda t: {"version": _version(_get(t, "ap_draft")), "main_products": "矩阵产品", "op": "save"},
    ),
    # 退回 without a reason: the awaited bureau gets the message (a redirect), anyone else 403/404
    _row(
        "POST",
        "/recognition/applications/{ap_review}/act/",
        _only("county_officer"),
        APP + "act/",
        lambda t: {"action": "return", "version": _version(_get(t, "ap_review")), "reason": ""},
    ),
    # no expert chosen: the awaited bureau (the province, for a provincial programme) gets the message
    _row(
        "POST",
        "/recognition/applications/{ap_expert_app}/experts/",
        lambda r, t: r in PROVINCIAL,
        APP + "experts/",
    ),
    # without a file: the applicant gets the message, anyone else 403/404
    _row(
        "POST",
        "/recognition/applications/{ap_draft}/attachments/",
        _only("enterprise_user"),
        APP + "attachments/",
    ),
    _row("GET", "/recognition/attachments/{ap_att}/", sees, "recognition/attachments/<int:pk>/"),
    _row(
        "POST",
        "/recognition/attachments/{ap_att_fresh}/delete/",
        _only("enterprise_user"),
        "recognition/attachments/<int:pk>/delete/",
    ),
    _row(
        "GET",
        "/recognition/queue/?seed={ap_seed}",
        lambda r, t: r in BUREAU,
        "recognition/queue/",
        targets=NONE,
        no_leak=True,
    ),
    # a bulk 退回 without a reason: a bureau that sees the application gets the refusal listed;
    # an application outside one's scope is 404 (never named)
    _row(
        "POST",
        "/recognition/queue/act/",
        lambda r, t: r in BUREAU and sees(r, t),
        "recognition/queue/act/",
        lambda t: {
            "action": "return",
            "items": [f"{_get(t, 'ap_review')}:{_version(_get(t, 'ap_review'))}"],
            "reason": "",
        },
    ),
    _row("GET", "/recognition/nominate/?run={run}", sees_run, "recognition/nominate/", no_leak=True),
    # nothing chosen: a bureau that sees the run gets the message
    _row("POST", "/recognition/nominate/?run={run}", sees_run, None),
    _row(
        "GET",
        "/recognition/expert/?seed={ap_seed}",
        lambda r, t: r == "expert",
        "recognition/expert/",
        targets=NONE,
        no_leak=True,
    ),
    _row("GET", "/recognition/expert/{ap_asg}/", _only("expert"), "recognition/expert/<int:pk>/"),
    _row("POST", "/recognition/expert/{ap_asg}/", _only("expert"), None, {"op": "declare"}),
    _row("GET", "/notifications/", signed_in, "notifications/", targets=NONE),
    _row("POST", "/notifications/read/", signed_in, "notifications/read/", targets=NONE),
]
