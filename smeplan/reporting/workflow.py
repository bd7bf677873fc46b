"""The city annual plan's workflow, declared once (市级年度计划流程表).

``TRANSITIONS`` is the whole state machine: (state, action, who may act, next state, needs a
reason). ``services.plan_act`` is the only code that changes a plan's state, and only along a row
of this table after its actor check.

Who may act:

* ``city`` — an active city officer of the plan's city-level unit (the bureau that enters it);
* ``province`` — a provincial admin or officer.

Editing the rows (``services.plan_save``) is the city's, and only while the plan is a draft or
returned (``EDITABLE``).
"""

from dataclasses import dataclass

from smeplan.accounts.models import Role
from smeplan.reporting.models import PlanState

CITY = "city"
PROVINCE = "province"


@dataclass(frozen=True)
class Transition:
    state: str
    action: str
    actor: str  # CITY | PROVINCE
    next_state: str
    needs_reason: bool = False


ACTION_LABELS = {"submit": "上报", "approve": "核准", "return": "退回修改"}

TRANSITIONS: tuple[Transition, ...] = (
    Transition(PlanState.DRAFT, "submit", CITY, PlanState.SUBMITTED),
    Transition(PlanState.RETURNED, "submit", CITY, PlanState.SUBMITTED),
    Transition(PlanState.SUBMITTED, "approve", PROVINCE, PlanState.APPROVED),
    Transition(PlanState.SUBMITTED, "return", PROVINCE, PlanState.RETURNED, needs_reason=True),
)
EDITABLE = frozenset({PlanState.DRAFT, PlanState.RETURNED})

_BY_KEY = {(t.state, t.action): t for t in TRANSITIONS}
assert len(_BY_KEY) == len(TRANSITIONS), "one row per (state, action)"


def transition_for(state: str, action: str) -> Transition | None:
    return _BY_KEY.get((state, action))


def is_city_of(user, city_code: str) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.CITY_OFFICER
        and user.region_id == city_code
    )


def is_province(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (Role.PROVINCIAL_ADMIN, Role.PROVINCIAL_OFFICER))
    )


def may_act(user, transition: Transition, city_code: str) -> bool:
    if transition.actor == CITY:
        return is_city_of(user, city_code)
    return is_province(user)


def actions_for(user, plan) -> list[Transition]:
    """The rows of the table ``user`` may take on ``plan`` now."""
    return [t for t in TRANSITIONS if t.state == plan.state and may_act(user, t, plan.city_id)]
