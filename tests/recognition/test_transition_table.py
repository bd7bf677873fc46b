"""The transition table as a whole: every state × action × role is either a row of the table that
the role may take, or refused with a message and nothing changed."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from smeplan.accounts.models import Role
from smeplan.recognition import services
from smeplan.recognition.models import Application, State
from smeplan.recognition.workflow import ACTION_LABELS, APPLICANT, BUREAU, TRANSITIONS, transition_for
from tests.factories import UserFactory, region
from tests.recognition.make import applicant, bureaus

# who each role is, relative to an application of 雁塔区 (610113, 西安 610100) waiting at its county
ROLES = ["enterprise_user", "other_enterprise", "county_officer", "other_county", "city_officer", "provincial_admin", "expert", "viewer"]  # fmt: skip


def test_every_state_action_pair_has_at_most_one_row_and_known_labels():
    keys = [(t.state, t.action) for t in TRANSITIONS]
    assert len(keys) == len(set(keys))
    assert {t.action for t in TRANSITIONS} <= set(ACTION_LABELS)
    assert {t.actor for t in TRANSITIONS} <= {APPLICANT, BUREAU}
    terminal = {State.CERTIFIED, State.REJECTED, State.WITHDRAWN}
    assert not [t for t in TRANSITIONS if t.state in terminal], "nothing leaves a final state"


def test_review_rows_need_a_reason_exactly_for_return_and_reject():
    for t in TRANSITIONS:
        assert t.needs_reason == (t.action in {"return", "reject", "uphold_objection"}), t


@pytest.fixture
def people(db):
    _org, user = applicant()
    _other_org, other_user = applicant("610302")
    officers = bureaus()
    return {
        "enterprise_user": user,
        "other_enterprise": other_user,
        "county_officer": officers["county"],
        "other_county": UserFactory(role=Role.COUNTY_OFFICER, region=region("610302")),
        "city_officer": officers["city"],
        "provincial_admin": officers["province"],
        "expert": UserFactory(role=Role.EXPERT, region=None),
        "viewer": UserFactory(role=Role.VIEWER, region=region("610000")),
    }


def _application_in(state: str, people) -> Application:
    """An application of the enterprise moved to ``state`` via the services, waiting where the
    table says (draft/returned: the applicant; reviews: the county; later: the province)."""
    from tests.recognition import make

    officers = {
        "county": people["county_officer"],
        "city": people["city_officer"],
        "province": people["provincial_admin"],
    }
    user = people["enterprise_user"]
    if state == State.EXPERT_REVIEW:
        application = make.submitted(user, programme="transformation-demo", tier="demonstration")
        for level in ("county", "city"):
            application = make.act(officers[level], application, "recommend")
        return make.act(officers["province"], application, "send_to_experts")
    if state == State.WITHDRAWN:
        draft = services.application_start(
            actor=user, tier=make.tier_of("growth-province", "growth_star"), year=make.YEAR
        )
        return make.act(user, draft, "withdraw")
    if state == State.DRAFT:
        return services.application_start(
            actor=user, tier=make.tier_of("growth-province", "growth_star"), year=make.YEAR
        )
    application = make.submitted(user)
    if state == State.COUNTY_REVIEW:
        return application
    if state == State.RETURNED:
        return make.act(officers["county"], application, "return", "请补充材料")
    if state == State.CITY_REVIEW:
        return make.act(officers["county"], application, "recommend")
    if state == State.PROVINCE_REVIEW:
        return make.act(officers["city"], make.act(officers["county"], application, "recommend"), "recommend")
    application = make.to_selected(application, officers)
    if state == State.SELECTED:
        return application
    if state == State.REJECTED:
        return make.act(officers["province"], application, "reject", "不符合条件")
    application = make.on_notice(application, officers["province"])[0]
    if state == State.ON_NOTICE:
        return application
    if state == State.CERTIFIED:
        make.move_time(people["monkeypatch"], 30)
        services.applications_certify(
            actor=officers["province"],
            items=[(application.pk, application.lock_version)],
            document_number=make.DOCUMENT,
        )
        application.refresh_from_db()
        return application
    raise ValueError(state)


def _try(application, state, role, action, people, monkeypatch) -> list[str]:
    from tests.recognition import make

    before = (application.state, application.lock_version, application.events.count())
    row = transition_for(state, action)
    may = row is not None and role in WAITING[state]
    try:
        with transaction.atomic():
            if action == "publish":
                services.notice_publish(
                    actor=people[role], items=[(application.pk, application.lock_version)], title="公示"
                )
            elif action == "certify":
                make.move_time(monkeypatch, 30)  # after the notice
                services.applications_certify(
                    actor=people[role],
                    items=[(application.pk, application.lock_version)],
                    document_number=make.DOCUMENT,
                )
            else:
                services.application_act(
                    actor=people[role],
                    application=application,
                    action=action,
                    expected_version=application.lock_version,
                    reason="原因说明",
                )
        outcome = "done"
    except (PermissionDenied, Http404):  # 404: outside the scope, refused like a missing one
        outcome = "forbidden"
    except ValidationError:
        outcome = "refused"
    application.refresh_from_db()
    after = (application.state, application.lock_version, application.events.count())
    problems = []
    if outcome != "done" and after != before:
        problems.append(f"{state}/{action}/{role}: refused but changed {before} → {after}")
    if outcome == "done" and not may:
        problems.append(f"{state}/{action}/{role}: allowed but not in the table for this role")
    # the bulk services (publish, certify) list every refusal as one message instead of a 403
    refusals = {"forbidden", "refused"} if action in ("publish", "certify") else {"forbidden"}
    if row is not None and role not in WAITING[state] and outcome not in refusals:
        problems.append(f"{state}/{action}/{role}: expected 403, got {outcome}")
    if may and outcome == "done" and application.state == state:
        problems.append(f"{state}/{action}/{role}: done but the state did not move")
    return problems


# the actor expected to be allowed, per state (the application waits at the county in review)
WAITING = {
    State.DRAFT: {"enterprise_user"},
    State.RETURNED: {"enterprise_user"},
    State.COUNTY_REVIEW: {"county_officer"},
    State.CITY_REVIEW: {"city_officer"},
    State.PROVINCE_REVIEW: {"provincial_admin"},
    State.SELECTED: {"provincial_admin"},
    State.ON_NOTICE: {"provincial_admin"},
    State.EXPERT_REVIEW: {"provincial_admin"},
    # final states: nobody may do anything
    State.CERTIFIED: set(),
    State.REJECTED: set(),
    State.WITHDRAWN: set(),
}
ACTIONS = sorted(ACTION_LABELS)
STATES = list(WAITING)


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_every_action_of_every_role_in_state(state, people, monkeypatch):
    people["monkeypatch"] = monkeypatch
    problems = []
    application = _application_in(state, people)
    for role, action in itertools.product(ROLES, ACTIONS):
        with transaction.atomic():  # each try rolled back afterwards
            problems += _try(application, state, role, action, people, monkeypatch)
            transaction.set_rollback(True)
        application.refresh_from_db()
    assert not problems, "\n".join(problems)
