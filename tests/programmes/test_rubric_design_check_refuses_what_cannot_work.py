"""A rubric that cannot work is refused with the reason, in Chinese, before it is saved."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.programmes import rubric
from smeplan.programmes.models import Programme, RubricVersion
from smeplan.programmes.services import rubric_version_create
from tests.factories import city_officer, province_admin

B = "工信部企业〔2022〕63号 附件1 一（一）2"


def design(**changes):
    base = {
        "max_total": 40,
        "pass_total": 20,
        "groups": [{"code": "g", "label": "创新能力", "max": 40, "minimum": 20}],
        "indicators": [
            {
                "code": "rd",
                "label": "研发强度",
                "group": "g",
                "max": 20,
                "basis": B,
                "unit": "percent",
                "source": {"metric": "ratio.rd_ratio", "year": -1},
                "bands": [
                    {"low": "0.05", "points": 20},
                    {"low": "0.03", "high": "0.05", "points": 15},
                    {"high": "0.03", "points": 0},
                ],
            },
            {
                "code": "ip",
                "label": "知识产权",
                "group": "g",
                "max": 20,
                "basis": B,
                "source": {"answer": "ip_class"},
                "choices": {"i": 20, "none": 0},
            },
        ],
        "direct_pass": [
            {
                "code": "award",
                "label": "科技奖励",
                "basis": B,
                "test": {"source": {"answer": "award"}, "op": "true"},
            }
        ],
    }
    base.update(changes)
    return base


def problems(d) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        rubric.design_check(d)
    return refused.value.message_dict["design"]


def with_item(**item_changes):
    d = design()
    d["indicators"] = [{**d["indicators"][0], **item_changes}, d["indicators"][1]]
    return d


def test_a_sound_design_passes():
    assert rubric.design_check(design())["indicators"][0]["bands"][1] == {
        "points": 15,
        "low": "0.03",
        "high": "0.05",
    }


@pytest.mark.parametrize(
    ("d", "message"),
    [
        (
            with_item(bands=[{"low": "0.04", "points": 20}, {"low": "0.03", "high": "0.05", "points": 15}]),
            "指标「研发强度」：分档「3% ≤ 数值 < 5%」与「数值 ≥ 4%」重叠",
        ),
        (
            with_item(bands=[{"low": "0.05", "points": 20}, {"low": "0.02", "high": "0.03", "points": 15}]),
            "之间有空档（3% 至 5%）",
        ),
        (with_item(bands=[{"low": "0.05", "high": "0.05", "points": 20}]), "下限 5% 应小于上限 5%"),
        (
            with_item(bands=[{"low": "0.05", "points": 25}, {"high": "0.05", "points": 0}]),
            "25 分超过该项满分 20 分",
        ),
        (
            design(groups=[{"code": "g", "label": "创新能力", "max": 40, "minimum": 45}]),
            "最低分 45 高于该维度满分 40",
        ),
        (
            design(groups=[{"code": "g", "label": "创新能力", "max": 30}]),
            "各维度满分合计 30 分，与满分 40 分不一致",
        ),
        (design(pass_total=50), "通过分数线 50 分高于满分 40 分"),
        (with_item(group="x"), "所属维度「x」不存在"),
        (with_item(source={"metric": "no_such"}), "没有可计分的指标「no_such」"),
        (with_item(source={"registry": "name"}), "不认识的取值来源"),
        (
            design(direct_pass=[{"code": "a", "label": "科技奖励", "basis": B}]),
            "直通条件「科技奖励」：请设置判断条件",
        ),
        (design(exclusions=[{"code": "a", "label": "失信", "basis": B}]), "排除情形「失信」：请设置判断条件"),
        (with_item(basis=""), "指标「研发强度」：请注明依据（文号和条款）"),
        (
            design(
                direct_pass=[
                    {"code": "a", "label": "科技奖励", "test": {"source": {"answer": "x"}, "op": "true"}}
                ]
            ),
            "直通条件「科技奖励」：请注明依据",
        ),
        (design(experts={"aggregation": "median"}), "不认识的汇总方式「median」"),
    ],
)
def test_refused_with_the_reason(d, message):
    found = problems(d)
    assert any(message in p for p in found), found


@pytest.mark.django_db
def test_only_provincial_admins_save_and_a_refused_design_saves_nothing():
    programme = Programme.objects.get(code="transformation-demo")
    before = RubricVersion.objects.filter(programme=programme).count()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        rubric_version_create(
            actor=city_officer(), programme=programme, design=design(), effective_year=2024, title="x"
        )
    with pytest.raises(ValidationError) as refused:
        rubric_version_create(
            actor=province_admin(),
            programme=programme,
            design=design(pass_total=50),
            effective_year="明年",
            title="",
        )
    assert set(refused.value.message_dict) == {"design", "effective_year", "title"}
    assert RubricVersion.objects.filter(programme=programme).count() == before
    version = rubric_version_create(
        actor=province_admin(), programme=programme, design=design(), effective_year=2024, title="新细则"
    )
    assert version.number == before + 1
