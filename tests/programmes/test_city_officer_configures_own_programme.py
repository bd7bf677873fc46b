"""A city officer configures the programmes its city owns — criteria (the existing editor), process
settings, form and rubric versions — and none of the province's."""

import pytest
from django.core.exceptions import PermissionDenied

from smeplan.programmes import services
from smeplan.programmes.form_services import form_version_create
from smeplan.programmes.models import Programme
from tests.factories import city_officer

pytestmark = pytest.mark.django_db

FORM = {
    "sections": [
        {"code": "a", "title": "一、基本情况", "fields": [{"code": "x", "label": "主要产品", "type": "text"}]}
    ]
}
RUBRIC = {
    "convention": "区间“a–b”表示 a ≤ 数值 < b",
    "max_total": 10,
    "pass_total": 6,
    "groups": [{"code": "g", "label": "示范作用", "max": 10, "basis": "第三条"}],
    "indicators": [
        {
            "code": "e",
            "label": "示范带动",
            "group": "g",
            "max": 10,
            "source": {"expert": True},
            "basis": "第三条",
        }
    ],
}


def _own(officer):
    return services.programme_create(
        actor=officer,
        data={
            "code": "xian-demo",
            "name": "西安市示范中小企业",
            "plan": "transformation",
            "source": "市文件〔2024〕1号",
            "basis_clause": "第三条",
            "owner_level": "city",
            "subject_kind": "enterprise",
            "tiers": [["demo", "示范企业"]],
        },
    )


def test_own_programme_criteria_settings_form_and_rubric():
    officer = city_officer("610100")
    programme = _own(officer)
    tier = programme.tiers.get()
    services.criteria_version_create(
        actor=officer,
        tier=tier,
        effective_year=2026,
        criteria=[
            {
                "metric": "operating_revenue",
                "operator": "ge",
                "threshold": "500",
                "label": "营业收入 500 万元以上",
            }
        ],
    )
    form_version_create(
        actor=officer,
        programme=programme,
        purpose="application",
        design=FORM,
        effective_year=2026,
        title="申报表",
    )
    services.rubric_version_create(
        actor=officer, programme=programme, design=RUBRIC, effective_year=2026, title="评分细则"
    )
    assert (tier.versions.count(), programme.form_versions.count(), programme.rubric_versions.count()) == (
        1,
        1,
        1,
    )


def test_the_provinces_programme_is_refused_and_unchanged():
    officer = city_officer("610100")
    province = Programme.objects.get(code="growth-province")
    with pytest.raises(PermissionDenied):
        services.rubric_version_create(
            actor=officer, programme=province, design=RUBRIC, effective_year=2026, title="x"
        )
    with pytest.raises(PermissionDenied):
        services.criteria_version_create(
            actor=officer, tier=province.tiers.first(), effective_year=2026, criteria=[]
        )
    assert province.rubric_versions.count() == 0
