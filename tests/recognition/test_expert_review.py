"""专家认定 (transformation demonstration): experts assigned by the province declare no conflict of
interest, then score in points against the expert indicators of the programme's rubric version
(30 / 25 / 25 / 20); scores aggregate (mean with fewer than 3 experts, spread)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.accounts.models import Role
from smeplan.recognition import services
from smeplan.recognition.models import State
from smeplan.recognition.selectors import applications_visible_to, expert_assignments_of
from tests.factories import UserFactory
from tests.recognition.make import act, applicant, bureaus, submitted

# 90% of each indicator's points
ALL_90 = {"transformation": 27, "innovation": 22.5, "performance": 22.5, "demonstration": 18}


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
    # 30 + 20 + 15 + 14 = 79.00
    services.expert_score(
        actor=b,
        assignment=second,
        scores={"transformation": 30, "innovation": 20, "performance": 15, "demonstration": 14},
    )
    summary = services.expert_summary(application)
    assert (summary["count"], summary["mean"], summary["spread"]) == (2, Decimal("84.50"), Decimal("11.00"))
    assert summary["how"] == "不足 3 位专家，未去掉最高最低分，按各位专家评分的算术平均"
    assert act(province, application, "select").state == State.SELECTED


@pytest.mark.django_db
def test_points_above_an_indicators_maximum_are_refused_per_item(in_expert_review):
    application, province = in_expert_review
    expert = UserFactory(role=Role.EXPERT, region=None)
    (assignment,) = services.experts_assign(actor=province, application=application, expert_ids=[expert.pk])
    services.expert_declare(actor=expert, assignment=assignment)
    with pytest.raises(ValidationError) as refused:
        services.expert_score(
            actor=expert, assignment=assignment, scores={**ALL_90, "innovation": 26, "performance": "好"}
        )
    assert refused.value.message_dict == {
        "innovation": ["创新能力（研发投入、专利、新产品销售收入占比）：得分应在 0–25 分之间（收到 26）"],
        "performance": ["经营效益（营业收入、利润、税金增长）：请填写 0–25 分（收到「好」）"],
    }
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
