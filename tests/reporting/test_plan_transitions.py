"""The city annual plan's transition table as a whole: every state × action × role is allowed or
refused as declared, and nothing changes when refused (state, version, history, audit)."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.accounts.models import Role
from smeplan.audit.models import AuditEvent
from smeplan.reporting import workflow
from smeplan.reporting.models import CityPlanEvent
from smeplan.reporting.services import plan_act, plan_save
from tests.factories import UserFactory, city_officer, county_officer, province_admin, region
from tests.reporting.make import plan_in_state

pytestmark = pytest.mark.django_db

STATES = ["draft", "submitted", "approved", "returned"]
ACTIONS = ["submit", "approve", "return"]
ROLES = ["own_city", "other_city", "county", "provincial_admin", "provincial_officer", "viewer"]
EXPECTED = {
    ("draft", "submit"): {"own_city"},
    ("returned", "submit"): {"own_city"},
    ("submitted", "approve"): {"provincial_admin", "provincial_officer"},
    ("submitted", "return"): {"provincial_admin", "provincial_officer"},
}


def test_the_declared_table_is_the_expected_one():
    assert {(t.state, t.action): t.actor for t in workflow.TRANSITIONS} == {
        ("draft", "submit"): "city",
        ("returned", "submit"): "city",
        ("submitted", "approve"): "province",
        ("submitted", "return"): "province",
    }


@pytest.mark.parametrize("state", STATES)
def test_every_action_by_every_role(state):
    users = {
        "own_city": city_officer("610100"),
        "other_city": city_officer("610300"),
        "county": county_officer("610113"),
        "provincial_admin": province_admin(),
        "provincial_officer": UserFactory(role=Role.PROVINCIAL_OFFICER, region=region("610000")),
        "viewer": UserFactory(role=Role.VIEWER, region=region("610100")),
    }
    problems = []
    for action, role in itertools.product(ACTIONS, ROLES):
        plan = plan_in_state(state, users["own_city"], users["provincial_officer"])
        before = (plan.state, plan.lock_version, CityPlanEvent.objects.count(), AuditEvent.objects.count())
        allowed = role in EXPECTED.get((state, action), set())
        try:
            moved = plan_act(actor=users[role], plan=plan, action=action, reason="理由：矩阵测试")
        except (PermissionDenied, ValidationError):
            plan.refresh_from_db()
            after = (plan.state, plan.lock_version, CityPlanEvent.objects.count(), AuditEvent.objects.count())
            if allowed:
                problems.append(f"{state} {action} by {role}: refused")
            elif after != before:
                problems.append(f"{state} {action} by {role}: refused but changed {before} → {after}")
        else:
            expected = workflow.transition_for(state, action)
            if not allowed:
                problems.append(f"{state} {action} by {role}: allowed")
            elif moved.state != expected.next_state or moved.events.last().to_state != expected.next_state:
                problems.append(f"{state} {action} by {role}: went to {moved.state}")
        plan.events.all().delete()
        plan.delete()
    assert not problems, "\n".join(problems)


def test_return_needs_a_reason_and_a_returned_plan_is_edited_and_submitted_again():
    city, province = city_officer("610100"), province_admin()
    plan = plan_in_state("submitted", city, province)
    with pytest.raises(ValidationError) as e:
        plan_act(actor=province, plan=plan, action="return", reason=" ")
    assert "理由" in str(e.value)
    plan = plan_act(actor=province, plan=plan, action="return", reason="营业收入增速偏低")
    assert plan.return_reason == "营业收入增速偏低"
    plan = plan_save(actor=city, year=plan.year, rows={"610113": {"revenue_growth": "12.5"}})
    assert str(plan.rows.get(region_id="610113").revenue_growth) == "12.50"
    plan = plan_act(actor=city, plan=plan, action="submit")
    assert plan.state == "submitted"
    assert [e.action for e in plan.events.all()] == ["create", "submit", "return", "edit", "submit"]


def test_a_submitted_plan_cannot_be_edited_and_bad_values_name_the_field():
    city, province = city_officer("610100"), province_admin()
    plan = plan_in_state("submitted", city, province)
    with pytest.raises(ValidationError) as e:
        plan_save(actor=city, year=plan.year, rows={"610113": {"enterprises": "5"}})
    assert "已上报" in str(e.value)
    with pytest.raises(ValidationError) as e:
        plan_save(actor=city, year=2026, rows={"610113": {"enterprises": "十", "revenue": "-3"}})
    text = str(e.value)
    assert "雁塔区的“梯队企业总数”应为不小于 0 的整数，收到“十”" in text or "应为数字，收到“十”" in text
    assert "收到“-3”" in text
    with pytest.raises(ValidationError) as e:
        plan_save(actor=city, year=2026, rows={"610302": {"enterprises": "5"}})
    assert "不属于西安市" in str(e.value)
