"""综合测评方案 as data: the scheme in force for year Y is the newest effective by then; edits by
provincial admins only, every problem named per field in Chinese, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.evaluation import services
from smeplan.evaluation.models import EvaluationScheme
from tests.factories import city_officer, province_admin, tier_of

pytestmark = pytest.mark.django_db


def test_seeded_default_for_the_growth_programmes():
    for code in ("growth-province", "growth-city", "growth-county"):
        programme = tier_of(code, "growth_star").programme
        scheme = services.scheme_for(programme, 2024)
        assert scheme.method == "minmax" and str(scheme.bottom_share) == "0.0500"
        assert scheme.weights == {
            k: 1 for k in ("revenue_growth", "profit_growth", "profit_margin", "tax_ratio", "rd_ratio")
        }


def test_the_newest_effective_scheme_is_in_force():
    admin = province_admin()
    programme = tier_of("growth-province", "growth_star").programme
    new = services.evaluation_scheme_create(
        actor=admin,
        programme=programme,
        data={
            "effective_year": "2025",
            "weights": {"revenue_growth": 2, "rd_ratio": 1},
            "method": "percentile",
            "bottom_share": "10%",
        },
    )
    assert (
        str(new.bottom_share) == "0.1000"
        and new.weights["revenue_growth"] == 2
        and new.weights["tax_ratio"] == 0
    )
    assert services.scheme_for(programme, 2024).effective_year == 2017
    assert services.scheme_for(programme, 2026) == new
    assert AuditEvent.objects.filter(event_type="evaluation.scheme_created").count() == 1


def test_every_problem_per_field():
    admin = province_admin()
    programme = tier_of("growth-province", "growth_star").programme
    with pytest.raises(ValidationError) as e:
        services.evaluation_scheme_create(
            actor=admin,
            programme=programme,
            data={
                "effective_year": "明年",
                "weights": {"revenue_growth": "-1", "rd_ratio": "abc"},
                "method": "x",
                "bottom_share": "0.9",
            },
        )
    errors = e.value.message_dict
    assert errors["effective_year"] == ["生效年度「明年」无效（应为 2000–2100 的年份）"]
    assert errors["weight_revenue_growth"] == ["营业收入增速的权重「-1」不能为负数"]
    assert errors["weight_rd_ratio"] == ["研发费用占营业收入比重的权重「abc」不是数字"]
    assert "method" in errors and "bottom_share" in errors
    with pytest.raises(ValidationError) as e:
        services.evaluation_scheme_create(
            actor=admin, programme=programme, data={"effective_year": 2025, "weights": {}}
        )
    assert e.value.message_dict["weights"] == ["各指标权重之和必须大于 0"]
    assert EvaluationScheme.objects.count() == 3


def test_only_provincial_admins():
    with pytest.raises(PermissionDenied):
        services.evaluation_scheme_create(
            actor=city_officer(), programme=tier_of("growth-province", "growth_star").programme, data={}
        )
