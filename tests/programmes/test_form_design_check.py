"""design_check normalises a form design and refuses designs that cannot work, naming the section
and field in Chinese."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.programmes import formdesign
from tests.programmes.form_designs import FULL, design_with


def refused(design) -> str:
    with pytest.raises(ValidationError) as e:
        formdesign.design_check(design)
    return "；".join(e.value.messages)


def test_a_design_with_every_field_type_is_accepted_and_normalised():
    d = formdesign.design_check(FULL)
    by = formdesign.field_map(d)
    assert [f["type"] for f in formdesign.fields(d)] == [
        "text",
        "textarea",
        "money",
        "percent",
        "number",
        "date",
        "choice",
        "multi_choice",
        "yes_no",
        "text",
        "textarea",
        "table",
        "attachment",
        "figures",
    ]
    assert by["intro"]["required"] is False and by["intro"]["max_length"] == 20
    assert by["name"]["max_length"] == 200
    assert by["revenue_last"]["unit"] == "万元" and by["rd_share"]["unit"] == "%"
    assert by["award_name"]["show_if"] == {"field": "has_award", "equals": True}
    assert by["products"]["min_rows"] == 1 and by["products"]["max_rows"] == 3
    assert by["licence"]["file_types"] == ["pdf", "jpg", "png"] and by["licence"]["max_mb"] == 10
    assert by["figures"]["years"] == [-2, -1, 0]
    assert formdesign.design_check(d) == d  # normalising twice changes nothing


def test_choices_typed_in_the_designer_as_value_colon_name():
    d = formdesign.design_check(
        design_with({"code": "c", "label": "类型", "type": "choice", "choices": "a:甲；b:乙"})
    )
    assert d["sections"][0]["fields"][0]["choices"] == [["a", "甲"], ["b", "乙"]]


@pytest.mark.parametrize(
    ("design", "reason"),
    [
        ({}, "至少需要一个部分"),
        ({"sections": [{"title": "一", "fields": []}]}, "第1部分「一」：至少需要一个字段"),
        (
            design_with({"code": "x", "label": "名称", "type": "colour"}),
            "第1部分「一、基本情况」第1个字段「名称」：字段类型「colour」不支持",
        ),
        (
            design_with(
                {"code": "x", "label": "名称", "type": "text"}, {"code": "x", "label": "别名", "type": "text"}
            ),
            "第2个字段「名称」：字段代码「x」重复",
        ),
        (design_with({"code": "X-1", "label": "名称", "type": "text"}), "字段代码「X-1」只能用小写字母"),
        (design_with({"code": "x", "label": "", "type": "text"}), "缺少字段名称"),
        (design_with({"code": "c", "label": "类型", "type": "choice"}), "「类型」：单选/多选字段须列出选项"),
        (
            design_with(
                {"code": "c", "label": "类型", "type": "multi_choice", "choices": [["a", "甲"], ["a", "乙"]]}
            ),
            "选项值「a」重复",
        ),
        (
            design_with({"code": "n", "label": "人数", "type": "number", "min": 10, "max": 5}),
            "「人数」：最小值 10 大于最大值 5",
        ),
        (design_with({"code": "n", "label": "人数", "type": "number", "min": "十"}), "最小值「十」不是数字"),
        (
            design_with({"code": "n", "label": "人数", "type": "number", "decimals": 9}),
            "小数位数 9 应在 0–6 之间",
        ),
        (
            design_with(
                {
                    "code": "b",
                    "label": "奖励名称",
                    "type": "text",
                    "show_if": {"field": "has_award", "equals": True},
                }
            ),
            "「奖励名称」：显示条件依据的字段「has_award」不存在",
        ),
        (
            design_with(
                {"code": "a", "label": "甲", "type": "text", "show_if": {"field": "a", "equals": "x"}}
            ),
            "显示条件不能依据本字段自身",
        ),
        (
            design_with(
                {"code": "b", "label": "乙", "type": "text", "show_if": {"field": "a", "equals": "maybe"}},
                {"code": "a", "label": "甲", "type": "yes_no"},
            ),
            "取值只能是“是”或“否”",
        ),
        (
            design_with(
                {"code": "b", "label": "乙", "type": "text", "show_if": {"field": "a", "in": ["z"]}},
                {"code": "a", "label": "甲", "type": "choice", "choices": [["x", "叉"]]},
            ),
            "显示条件的取值「z」不是字段「甲」的选项",
        ),
        (design_with({"code": "t", "label": "产品", "type": "table", "columns": []}), "表格至少需要一列"),
        (
            design_with(
                {
                    "code": "t",
                    "label": "产品",
                    "type": "table",
                    "min_rows": 5,
                    "max_rows": 2,
                    "columns": [{"code": "a", "label": "甲", "type": "text"}],
                }
            ),
            "最少行数 5 大于最多行数 2",
        ),
        (
            design_with(
                {
                    "code": "t",
                    "label": "产品",
                    "type": "table",
                    "columns": [{"code": "a", "label": "甲", "type": "attachment"}],
                }
            ),
            "第1列：字段类型「attachment」不支持",
        ),
        (
            design_with({"code": "f", "label": "执照", "type": "attachment", "file_types": ["exe"]}),
            "不支持的附件类型「exe」",
        ),
        (
            design_with({"code": "f", "label": "执照", "type": "attachment", "max_mb": 500}),
            "文件大小上限（MB） 500 应在 1–50 之间",
        ),
        (
            design_with({"code": "p", "label": "名称", "type": "text", "prefill": {"registry": "password"}}),
            "预填来源「password」不是企业名录的项目",
        ),
        (
            design_with({"code": "p", "label": "营收", "type": "money", "prefill": {"figure": "turnover"}}),
            "预填来源「turnover」不是年度数据",
        ),
        (
            design_with(
                {"code": "p", "label": "研发强度", "type": "money", "prefill": {"figure": "ratio.rd_ratio"}}
            ),
            "只能预填到百分比字段",
        ),
        (
            design_with({"code": "g", "label": "数据", "type": "figures", "years": [-9]}),
            "年度偏移 -9 应在 -5–0 之间",
        ),
    ],
)
def test_a_design_that_cannot_work_is_refused_with_its_reason(design, reason):
    assert reason in refused(design)


def test_every_problem_is_listed_at_once():
    design = {
        "sections": [
            {
                "code": "s",
                "title": "一",
                "fields": [
                    {"code": "a", "label": "甲", "type": "colour"},
                    {"code": "b", "label": "乙", "type": "number", "min": 3, "max": 1},
                ],
            }
        ]
    }
    with pytest.raises(ValidationError) as e:
        formdesign.design_check(design)
    assert len(e.value.messages) == 2


def test_a_condition_must_refer_to_an_earlier_field():
    design = design_with(
        {"code": "a", "label": "甲", "type": "yes_no"},
        {"code": "b", "label": "乙", "type": "text", "show_if": {"field": "a", "equals": True}},
    )
    assert "显示条件依据的字段「a」不存在（须是本字段之前的字段）" in refused(design)
