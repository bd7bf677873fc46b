"""Experts score transformation-demo in points (its rubric version: 30/25/25/20, trimmed mean,
outliers beyond 15 points). Hand-computed: totals 80, 78, 76, 50 (and one recused expert) → without
the highest (80) and lowest (50): 77.00; 50 deviates from the others' mean 78 by 28 > 15 → flagged;
with two experts the plain mean, and the explanation says so."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from smeplan.accounts.models import Role
from smeplan.recognition import services
from smeplan.recognition.models import Application, ApplicationScore
from smeplan.recognition.scoring import applications_score, score_explanation
from tests.factories import UserFactory
from tests.recognition.make import act, applicant, bureaus, submitted

WEIGHTS = {"transformation": 30, "innovation": 25, "performance": 25, "demonstration": 20}


def sheet(total: int) -> dict:
    return {code: str(Decimal(w * total) / 100) for code, w in WEIGHTS.items()}


@pytest.fixture
def review(db):
    officers = bureaus()
    application = submitted(applicant()[1], programme="transformation-demo", tier="demonstration")
    for level in ("county", "city"):
        application = act(officers[level], application, "recommend")
    application = act(officers["province"], application, "send_to_experts")
    return application, officers["province"]


def experts_score(application, province, totals, *, recused=0):
    experts = [
        UserFactory(role=Role.EXPERT, region=None, first_name=f"专家{n}")
        for n in range(len(totals) + recused)
    ]
    assignments = services.experts_assign(
        actor=province, application=application, expert_ids=[e.pk for e in experts]
    )
    for expert, assignment, total in zip(experts, assignments, totals, strict=False):
        services.expert_declare(actor=expert, assignment=assignment)
        services.expert_score(actor=expert, assignment=assignment, scores=sheet(total))
    for expert, assignment in list(zip(experts, assignments, strict=True))[len(totals) :]:
        with pytest.raises(ValidationError, match="请说明利益冲突"):
            services.expert_conflict_declare(actor=expert, assignment=assignment, note=" ")
        services.expert_conflict_declare(actor=expert, assignment=assignment, note="曾在该企业任职")
        with pytest.raises(ValidationError, match="回避"):
            services.expert_score(actor=expert, assignment=assignment, scores=sheet(90))
    return assignments


def test_trimmed_mean_outlier_flag_and_recused_expert_not_counted(review):
    application, province = review
    assignments = experts_score(application, province, [80, 78, 76, 50], recused=1)
    summary = services.expert_summary(application)
    assert (summary["count"], summary["mean"], summary["spread"]) == (4, Decimal("77.00"), Decimal("30.00"))
    assert summary["how"] == "去掉一个最高分和一个最低分后的算术平均"
    assert summary["outliers"] == [assignments[3].pk]
    assert Application.objects.get(pk=application.pk).expert_score == Decimal("77.00")
    # the recused expert does not hold up the selection
    act(province, application, "select")
    applications_score(actor=province, applications=[application])
    stored = ApplicationScore.objects.get(application=application)
    assert (stored.expert_points, stored.total, stored.outcome) == (
        Decimal("77.00"),
        Decimal("77.00"),
        "passed",
    )
    text = score_explanation(stored)
    first = text["lines"][0]
    assert first["points"] == "23.1" and first["band"] == "专家评分 0–30 分"
    assert first["source"] == (
        "4 位专家评分，去掉最高分和最低分（专家0、专家3）后平均；评分偏离其他专家平均超过 15 分：专家3"
    )


def test_two_experts_plain_mean_and_said_so(review):
    application, province = review
    experts_score(application, province, [80, 70])
    summary = services.expert_summary(application)
    assert (summary["mean"], summary["outliers"]) == (Decimal("75.00"), [])
    applications_score(actor=province, applications=[application])
    text = score_explanation(ApplicationScore.objects.get(application=application))
    assert text["lines"][0]["source"] == "2 位专家评分，不足 3 位，不去掉最高最低分，按算术平均"
    assert text["total"] == "75"


def test_all_experts_recused_blocks_selection(review):
    application, province = review
    experts_score(application, province, [], recused=1)
    with pytest.raises(ValidationError, match="均已声明利益冲突并回避"):
        act(province, application, "select")
