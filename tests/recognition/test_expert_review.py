"""专家认定 (transformation demonstration): experts assigned by the province declare no conflict of
interest, then score against the programme's rubric; scores aggregate (weighted mean, spread)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.accounts.models import Role
from smeplan.recognition import services
from smeplan.recognition.models import State
from smeplan.recognition.selectors import applications_visible_to, expert_assignments_of
from tests.factories import UserFactory
from tests.recognition.make import act, applicant, bureaus, submitted

ALL_90 = {"transformation": 90, "innovation": 90, "performance": 90, "demonstration": 90}


@pytest.fixture
def in_expert_review(db):
    officers = bureaus()
    application = submitted(applicant()[1], programme="transformation-demo", tier="demonstration")
    application = act(officers["county"], application, "recommend")
    application = act(officers["city"], application, "recommend")
    with pytest.raises(ValidationError, match="需要专家评审"):
        act(officers["province"], application, "select")
    application = act(officers["province"], application, "send_to_experts")
    assert application.state == State.EXPERT_REVIEW
    return application, officers["province"]


@pytest.mark.django_db
def test_experts_score_after_declaring_and_the_mean_and_spread_are_kept(in_expert_review):
    application, province = in_expert_review
    a, b, outsider = (UserFactory(role=Role.EXPERT, region=None) for _ in range(3))
    first, second = services.experts_assign(actor=province, application=application, expert_ids=[a.pk, b.pk])
    assert list(applications_visible_to(outsider)) == []
    assert list(applications_visible_to(a)) == [application]
    assert list(expert_assignments_of(a)) == [first]
    with pytest.raises(ValidationError, match="利益冲突"):
        services.expert_score(actor=a, assignment=first, scores=ALL_90)
    with pytest.raises(PermissionDenied):
        services.expert_declare(actor=b, assignment=first)
    services.expert_declare(actor=a, assignment=first)
    services.expert_score(actor=a, assignment=first, scores=ALL_90)
    with pytest.raises(ValidationError, match="1 位专家未提交评分"):
        act(province, application, "select")
    services.expert_declare(actor=b, assignment=second)
    # weighted: (30·100 + 25·80 + 25·60 + 20·70) / 100 = 79.00
    services.expert_score(
        actor=b,
        assignment=second,
        scores={"transformation": 100, "innovation": 80, "performance": 60, "demonstration": 70},
    )
    summary = services.expert_summary(application)
    assert summary == {"count": 2, "mean": Decimal("84.50"), "spread": Decimal("11.00")}
    assert act(province, application, "select").state == State.SELECTED


@pytest.mark.django_db
def test_a_score_outside_0_to_100_is_refused_per_item(in_expert_review):
    application, province = in_expert_review
    expert = UserFactory(role=Role.EXPERT, region=None)
    (assignment,) = services.experts_assign(actor=province, application=application, expert_ids=[expert.pk])
    services.expert_declare(actor=expert, assignment=assignment)
    with pytest.raises(ValidationError) as refused:
        services.expert_score(
            actor=expert, assignment=assignment, scores={**ALL_90, "innovation": 120, "performance": "好"}
        )
    assert set(refused.value.message_dict) == {"innovation", "performance"}
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
