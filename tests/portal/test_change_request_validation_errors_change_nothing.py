"""A request with problems is refused with every problem at once, in Chinese, and nothing is written:
per kind its required fields, a real and different county, a valid 登记注册类型, a description for
并购/重组/转让, no future date, one pending request per kind."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from smeplan.audit.models import AuditEvent
from smeplan.portal.models import ProfileChangeRequest
from tests.factories import OrganisationFactory, change_request_make, enterprise_user

pytestmark = pytest.mark.django_db


def refusal(org, user, **data) -> dict:
    with pytest.raises(ValidationError) as exc:
        change_request_make(org, actor=user, **data)
    return exc.value.message_dict


def test_every_problem_is_named_and_nothing_is_written():
    org = OrganisationFactory(name="校验测试有限公司", ownership_type="private")
    user = enterprise_user(org)
    tomorrow = f"{timezone.localdate() + dt.timedelta(days=1):%Y-%m-%d}"

    assert refusal(org, user, kind="rename", new_name="校验测试有限公司", effective_on=tomorrow) == {
        "new_name": ["新名称与现名称相同"],
        "effective_on": [f"变更日期不能晚于今天（收到 {tomorrow}）"],
    }
    assert refusal(org, user, kind="relocation", new_county="雁塔区") == {
        "new_county": ["迁入区县与现所在区县相同"],
        "new_address": ["请填写新地址"],
    }
    assert refusal(org, user, kind="relocation", new_county="火星区", new_address="某路1号") == {
        "new_county": ["未知区县“火星区”：请填写陕西省的县级行政区名称或代码"]
    }
    assert refusal(org, user, kind="relocation", new_county="西安市", new_address="某路1号") == {
        "new_county": ["“西安市”不是县级行政区，请选择具体区县"]
    }
    assert refusal(org, user, kind="legal_form", new_ownership_type="合伙") == {
        "new_ownership_type": [
            "登记注册类型“合伙”无效，可选：国有、集体、民营、股份制、外商投资、港澳台投资、其他"
        ]
    }
    assert refusal(org, user, kind="legal_form", new_ownership_type="民营") == {
        "new_ownership_type": ["与现登记注册类型相同"]
    }
    assert refusal(org, user, kind="merger", description="并购", effective_on="不是日期") == {
        "description": ["请写明并购的情况（至少5个字）"],
        "effective_on": ["变更日期应为日期（如 2026-06-30），收到“不是日期”"],
    }
    assert refusal(org, user, kind="split") == {"kind": ["请选择变更类型"]}
    assert not ProfileChangeRequest.objects.exists() and not AuditEvent.objects.exists()
    org.refresh_from_db()
    assert (org.name, org.county_id, org.ownership_type) == ("校验测试有限公司", "610113", "private")


def test_one_pending_request_per_kind():
    org = OrganisationFactory()
    user = enterprise_user(org)
    change_request_make(org, actor=user, kind="transfer", description="股权转让给某集团")

    assert refusal(org, user, kind="transfer", description="再次申请股权转让") == {
        "kind": ["本单位已有待审核的“转让”申请，请等待审核结果，或撤回后重新提交"]
    }
    assert ProfileChangeRequest.objects.count() == 1
    change_request_make(
        org, actor=user, kind="rename", new_name="另一个新名称有限公司"
    )  # other kinds may wait too
