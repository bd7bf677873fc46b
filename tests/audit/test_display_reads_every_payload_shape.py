"""Each shape of payload the services write reads as “字段：旧值 → 新值” or “字段：值”: before/after
(settings), changes (targets), values (admin edits), region-keyed shares, pairs (old/new), counts,
ratios, weights, choices and references — with Chinese labels and no codes."""

import pytest

from smeplan.audit.display import describe_events
from smeplan.audit.models import AuditEvent
from smeplan.programmes.models import Programme
from tests.factories import county_officer


def lines(event_type, subject, payload) -> list[str]:
    event = AuditEvent(
        event_type=event_type,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        subject_label=str(subject),
        payload=payload,
    )
    (row,) = describe_events([event])
    return [str(c) for c in row.changes]


@pytest.mark.django_db
def test_settings_before_and_after_read_as_changes():
    programme = Programme.objects.get(code="transformation-demo")
    before = {
        "notice_days": 7,
        "expert_review": True,
        "title_template": "{region}{tier}企业",
        "validity_years": 5,
    }
    after = {
        "notice_days": 10,
        "expert_review": False,
        "title_template": "{region}中小企业{tier}",
        "validity_years": None,
    }

    assert lines("programme.settings_updated", programme, {"before": before, "after": after}) == [
        "公示天数：7 → 10",
        "需要专家评审：是 → 否",
        "认定称号格式：{地区}{梯队}企业 → {地区}中小企业{梯队}",
        "认定有效期（年）：5 → （空）",
    ]


@pytest.mark.django_db
def test_an_admin_edit_of_a_user_reads_its_fields_and_choices():
    user = county_officer("610113")
    payload = {
        "changed": ["role", "region", "is_active"],
        "values": {"role": "city_officer", "region": "610100", "is_active": False},
        "password_set": True,
    }

    assert lines("user.updated", user, payload) == [
        "角色：市级工作人员",
        "所属主管部门辖区：西安市",
        "有效：否",
        "设置了新密码：是",
    ]


@pytest.mark.django_db
def test_evaluation_weights_and_bottom_share_read_as_percentages():
    programme = Programme.objects.get(code="growth-province")
    payload = {
        "programme": "growth-province",
        "effective_year": 2025,
        "weights": {
            "revenue_growth": 2,
            "profit_growth": 1,
            "profit_margin": 1,
            "tax_ratio": 1,
            "rd_ratio": 0,
        },
        "method": "minmax",
        "bottom_share": "0.0500",
    }

    assert lines("evaluation.scheme_created", programme, payload) == [
        "起施行年度：2025年",
        "指标权重：营业收入增速 40%、利润总额增速 20%、营业收入利润率 20%、实缴税金占营业收入比重 20%、研发费用占营业收入比重 0%",
        "标准化方法：极差标准化（最小-最大）",
        "末位比例：5%",
    ]


@pytest.mark.django_db
def test_counts_have_units_and_checksums_are_not_shown():
    programme = Programme.objects.get(code="growth-province")
    payload = {
        "file_name": "雁塔.csv",
        "checksum": "ab12",
        "rows": 1200,
        "new": 3600,
        "warnings_confirmed": True,
    }

    assert lines("import.committed", programme, payload) == [
        "文件名：雁塔.csv",
        "数据行：1,200 行",
        "新增数值：3,600 个",
        "已确认提醒：是",
    ]


@pytest.mark.django_db
def test_a_reported_value_reads_old_and_new_and_its_region():
    programme = Programme.objects.get(code="growth-province")
    payload = {
        "target": "growth-all",
        "region": "610100",
        "year": 2024,
        "old": None,
        "new": "5",
        "note": "统计局",
    }

    assert lines("target.value_reported", programme, payload) == [
        "填报值：（空） → 5",
        "地区：西安市",
        "年度：2024年",
        "说明：统计局",
    ]
