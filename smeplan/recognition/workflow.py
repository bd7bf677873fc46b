"""The recognition workflow, declared once (认定流程表).

``TRANSITIONS`` is the whole state machine: (state, action, who may act, next state, guard).
``services.application_act`` is the only code that changes an application's state, and it does so
only along a row of this table, after the row's actor check and guard.

Who may act:

* ``applicant`` — the organisation's own enterprise users, or (for a nomination) the bureau that
  nominated it;
* ``bureau`` — an active bureau user of the region the application waits for
  (``Application.waiting_region``: the current review step's bureau, or for the steps after the
  last review, the bureau of the programme's level).

Next state: a state, or ``NEXT_STEP`` (the review state of the next step of the application's
chain), ``FIRST_STEP`` (of its first step), ``RETURNED_STEP`` (of the step that returned it).

The chain (``chain_for``) runs from the organisation's county up to the programme's level: a
county-level programme ends at the county, a city-level one at the city-level unit, a provincial
one at the province. 杨凌示范区 and 韩城市 act as city-level units; 韩城市 is also its own county,
so its chain has one step for both.
"""

from dataclasses import dataclass

from smeplan.recognition.models import State
from smeplan.regions.models import PROVINCE_CODE, Region

APPLICANT = "applicant"
BUREAU = "bureau"

NEXT_STEP = "@next_step"
FIRST_STEP = "@first_step"
RETURNED_STEP = "@returned_step"

LEVELS = ("county", "city", "province")
REVIEW_STATE = {"county": State.COUNTY_REVIEW, "city": State.CITY_REVIEW, "province": State.PROVINCE_REVIEW}
REVIEW_STATES = frozenset(REVIEW_STATE.values())


@dataclass(frozen=True)
class Transition:
    state: str
    action: str
    actor: str  # APPLICANT | BUREAU
    next_state: str  # a State, or NEXT_STEP / FIRST_STEP / RETURNED_STEP
    guard: str = ""  # name of a check in services.GUARDS ("" = none)
    needs_reason: bool = False
    counts_quota: bool = False  # the city forwards: refused over its quota in the application's call


ACTION_LABELS = {
    "submit": "提交申报",
    "resubmit": "修改后重新提交",
    "withdraw": "撤回申报",
    "recommend": "审核通过，推荐上报",
    "select": "审核通过（初选/确认）",
    "send_to_experts": "提交专家评审",
    "return": "退回修改",
    "reject": "不予推荐",
    "publish": "发布公示",
    "uphold_objection": "异议成立，不予认定",
    "certify": "认定",
}


def _review_rows() -> list[Transition]:
    rows = []
    for state in REVIEW_STATES:
        quota = state == State.CITY_REVIEW  # 推荐名额 are per city-level unit (申报批次)
        rows += [
            Transition(state, "recommend", BUREAU, NEXT_STEP, guard="not_last_step", counts_quota=quota),
            Transition(
                state, "select", BUREAU, State.SELECTED, guard="last_step_without_experts", counts_quota=quota
            ),
            Transition(
                state,
                "send_to_experts",
                BUREAU,
                State.EXPERT_REVIEW,
                guard="last_step_with_experts",
                counts_quota=quota,
            ),
            Transition(state, "return", BUREAU, State.RETURNED, needs_reason=True),
            Transition(state, "reject", BUREAU, State.REJECTED, needs_reason=True),
        ]
    return sorted(rows, key=lambda t: (t.state, t.action))


TRANSITIONS: tuple[Transition, ...] = (
    Transition(State.DRAFT, "submit", APPLICANT, FIRST_STEP, guard="declared_and_not_banned"),
    Transition(State.DRAFT, "withdraw", APPLICANT, State.WITHDRAWN),
    Transition(State.RETURNED, "resubmit", APPLICANT, RETURNED_STEP, guard="declared_and_not_banned"),
    Transition(State.RETURNED, "withdraw", APPLICANT, State.WITHDRAWN),
    *_review_rows(),
    Transition(State.EXPERT_REVIEW, "select", BUREAU, State.SELECTED, guard="experts_scored"),
    Transition(State.EXPERT_REVIEW, "reject", BUREAU, State.REJECTED, needs_reason=True),
    Transition(State.SELECTED, "publish", BUREAU, State.ON_NOTICE, guard="with_notice"),
    Transition(State.SELECTED, "reject", BUREAU, State.REJECTED, needs_reason=True),
    Transition(State.ON_NOTICE, "certify", BUREAU, State.CERTIFIED, guard="notice_over_no_objection"),
    Transition(State.ON_NOTICE, "uphold_objection", BUREAU, State.REJECTED, needs_reason=True),
)

_BY_KEY = {(t.state, t.action): t for t in TRANSITIONS}
assert len(_BY_KEY) == len(TRANSITIONS), "one row per (state, action)"


def transition_for(state: str, action: str) -> Transition | None:
    return _BY_KEY.get((state, action))


def actions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.state == state]


def chain_for(*, county: Region, owner_level: str) -> list[list[str]]:
    """The review steps [[level, region code], …] of an organisation of ``county`` for a programme
    of ``owner_level``. Consecutive steps of the same bureau are merged (韩城市: county = city),
    keeping the higher level."""
    parts = county.path.strip("/").split("/")  # province / city-level unit / county (韩城: 2 parts)
    city_code = parts[1] if len(parts) > 1 else PROVINCE_CODE
    by_level = {"county": county.code, "city": city_code, "province": PROVINCE_CODE}
    steps: list[list[str]] = []
    for level in LEVELS[: LEVELS.index(owner_level) + 1]:
        code = by_level[level]
        if steps and steps[-1][1] == code:
            steps[-1][0] = level
        else:
            steps.append([level, code])
    return steps
