"""answers_clean: every field type stored in its one form, every problem a Chinese message keyed by
the field, hidden fields dropped, required fields enforced (not while drafting)."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.programmes import formdesign
from tests.programmes.form_designs import FULL

GOOD = {
    "name": "  秦川  机床有限公司 ",
    "intro": "数控机床",
    "revenue_last": "1234.5",
    "rd_share": "5",
    "staff": "120",
    "founded": "2010-05-01",
    "ip_class": "i",
    "markets": ["abroad", "local"],
    "has_award": "true",
    "award_name": "陕西省科学技术奖",
    "export_note": "出口东南亚",
    "products": [{"name": "数控车床", "sales": "800", "share": "12.5"}, {"name": "", "sales": ""}],
    "unknown": "ignored",
}


def errors_of(data, **kw) -> dict:
    with pytest.raises(ValidationError) as e:
        formdesign.answers_clean(FULL, data, **kw)
    return e.value.message_dict


def test_every_type_is_stored_in_its_form():
    out = formdesign.answers_clean(FULL, GOOD, reference_year=2024)
    assert out == {
        "name": "秦川 机床有限公司",
        "intro": "数控机床",
        "revenue_last": "1234.50",  # money: 2 decimals
        "rd_share": "0.05",  # percent entered as 5, stored as the fraction
        "staff": "120",
        "founded": "2010-05-01",
        "ip_class": "i",
        "markets": ["local", "abroad"],  # in the order of the choices
        "has_award": True,
        "award_name": "陕西省科学技术奖",
        "export_note": "出口东南亚",
        "products": [{"name": "数控车床", "sales": "800.00", "share": "0.125"}],  # the empty row is dropped
    }


def test_hidden_fields_are_neither_required_nor_kept():
    data = {**GOOD, "has_award": "false", "award_name": "", "markets": ["local"]}
    out = formdesign.answers_clean(FULL, data)
    assert "award_name" not in out and "export_note" not in out
    assert out["has_award"] is False


def test_a_shown_required_field_must_be_filled():
    assert errors_of({**GOOD, "award_name": " "}) == {"award_name": ["请填写奖励名称"]}


def test_required_fields_and_rows():
    errs = errors_of({"has_award": "", "products": []})
    assert errs["name"] == ["请填写企业名称"]
    assert errs["revenue_last"] == ["请填写营业收入（上一年度）"]
    assert errs["products"] == ["主要产品至少填写1行（现有0行）"]
    assert "award_name" not in errs  # hidden: has_award is not yes


def test_a_draft_may_leave_required_fields_empty():
    out = formdesign.answers_clean(FULL, {"name": "", "products": []}, drafting=True)
    assert out["name"] == "" and out["revenue_last"] is None and out["products"] == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("intro", "字" * 21, "企业简介不能超过20个字（现为21个字）"),
        ("revenue_last", "一千", "营业收入（上一年度）应为数字（收到「一千」）"),
        ("revenue_last", "12.345", "营业收入（上一年度）最多2位小数（收到「12.345」）"),
        ("rd_share", "120", "研发费用占营业收入比重不能大于100%（收到120%）"),
        ("rd_share", "-1", "研发费用占营业收入比重不能小于0%（收到-1%）"),
        ("staff", "12.5", "从业人员应为整数（收到「12.5」）"),
        ("staff", "-3", "从业人员不能小于0人（收到-3人）"),
        ("founded", "2010-02-30", "成立日期应为日期，如 2024-03-31（收到「2010-02-30」）"),
        (
            "ip_class",
            "gold",
            "主导产品相关有效知识产权只能选择：Ⅰ类高价值知识产权、Ⅰ类知识产权、无（收到「gold」）",
        ),
        ("markets", ["mars"], "主要市场的选项「mars」不存在"),
        ("has_award", "maybe", "近三年获得省级以上科技奖励只能选择“是”或“否”（收到「maybe」）"),
    ],
)
def test_a_bad_value_is_named_in_chinese(field, value, message):
    assert errors_of({**GOOD, field: value}) == {field: [message]}


def test_table_rows_are_checked_cell_by_cell_and_counted():
    rows = [{"name": "", "sales": "5"}, {"name": "乙", "sales": "x"}, {"name": "丙"}, {"name": "丁"}]
    assert errors_of({**GOOD, "products": rows}) == {
        "products": [
            "第1行「产品名称」必须填写",
            "第2行销售收入应为数字（收到「x」）",
            "主要产品最多3行（现有4行）",
        ]
    }


def test_money_and_percent_round_trip_to_the_entered_form():
    out = formdesign.answers_clean(FULL, GOOD)
    shown = formdesign.answers_for_input(FULL, out)
    assert shown["rd_share"] == "5" and shown["products"][0]["share"] == "12.5"
    d = formdesign.design_check(FULL)
    fields = formdesign.field_map(d)
    assert formdesign.display_value(fields["rd_share"], out["rd_share"]) == "5%"
    assert formdesign.display_value(fields["revenue_last"], out["revenue_last"]) == "1234.50 万元"
    assert formdesign.display_value(fields["has_award"], True) == "是"
    assert formdesign.display_value(fields["markets"], out["markets"]) == "省内、国外"


def test_missing_required_names_fields_and_attachments_for_the_submission():
    out = formdesign.answers_clean(FULL, {**GOOD, "name": ""}, drafting=True)
    assert formdesign.missing_required(FULL, out) == ["企业名称", "附件「营业执照」"]
    assert (
        formdesign.missing_required(FULL, {**out, "name": "甲"}, attachment_fields_present={"licence"}) == []
    )


def test_answers_from_a_posted_web_form():
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    post.update({"name": "甲", "products-0-name": "车床", "products-0-sales": "1", "products-3-name": "铣床"})
    post.setlist("markets", ["local", "national"])
    data = formdesign.answers_from_post(FULL, post)
    assert data["products"] == [{"name": "车床", "sales": "1"}, {"name": "铣床"}]
    assert data["markets"] == ["local", "national"]
    assert "licence" not in data and "figures" not in data
