"""Creating a call: every bad input refused with a Chinese message naming the field (window, year,
regions, versions of another programme, attachment rows, total), nothing saved; who may open a call
(the province for provincial programmes, a city bureau for city-level ones, its own city only)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.programmes.models import FormVersion, Programme
from smeplan.recognition import calls
from smeplan.recognition.models import Call, CallQuota
from tests.factories import city_officer, county_officer, province_admin
from tests.recognition.calls_make import call_data

pytestmark = pytest.mark.django_db


def _refused(actor, data, quotas=None) -> dict:
    with pytest.raises(ValidationError) as e:
        calls.call_create(actor=actor, data=data, quotas=quotas)
    assert not Call.objects.exists() and not CallQuota.objects.exists()
    assert not AuditEvent.objects.filter(event_type__startswith="call.").exists()
    return e.value.message_dict


def test_a_valid_call_is_saved_with_its_quotas_and_one_audit_event():
    call = calls.call_create(
        actor=province_admin(),
        data=call_data(attachments=[{"code": "pledge", "label": "信用承诺书", "types": ["pdf", "jpg"]}]),
        quotas={"西安市": 12, "610300": 8},
    )
    assert call.regions == ["610100", "610300"] and call.region_id == "610000"
    assert {q.region_id: q.quota for q in call.quotas.all()} == {"610100": 12, "610300": 8}
    assert call.attachments == [
        {"code": "pledge", "label": "信用承诺书", "types": ["jpg", "pdf"], "max_mb": 10, "required": True}
    ]
    assert AuditEvent.objects.filter(event_type="call.created").count() == 1


def test_the_window_must_close_after_it_opens():
    errors = _refused(province_admin(), call_data(opens_at="2027-03-01 09:00", closes_at="2027-03-01 09:00"))
    assert errors == {"closes_at": ["截止受理时间（2027-03-01 09:00）须晚于开始受理时间（2027-03-01 09:00）"]}


def test_a_year_out_of_range_and_an_unreadable_time():
    errors = _refused(province_admin(), call_data(year="1999", opens_at="三月一日"))
    assert errors["year"] == [errors["year"][0]] and "申报年度 1999 不在 2000–" in errors["year"][0]
    assert errors["opens_at"] == ["开始受理时间「三月一日」不是有效的日期时间（格式：2027-03-01 09:00）"]


def test_regions_must_be_city_level_units():
    errors = _refused(province_admin(), call_data(regions=["610113", "西安市"]))
    assert errors["regions"][0].startswith("「610113」不是市级单位（可选：西安市、")


def test_a_form_version_of_another_programme_is_refused():
    other = Programme.objects.get(code="growth-province")
    version = FormVersion.objects.filter(programme=other).first() or FormVersion.objects.create(
        programme=other, number=1, effective_year=2027, title="附件1", design={}
    )
    errors = _refused(province_admin(), call_data(form_version=version.pk))
    name = Programme.objects.get(code="transformation-demo").name
    assert errors == {"form_version": [f"所选申报表版本不属于{name}"]}


def test_malformed_attachment_rows_are_named():
    errors = _refused(
        province_admin(),
        call_data(
            attachments=[
                {"code": "pledge", "label": "信用承诺书", "types": ["pdf", "doc"]},
                {"code": "Licence 2", "label": "", "types": []},
                {"code": "audit", "label": "审计报告", "types": ["pdf"], "max_mb": 500},
            ]
        ),
    )
    assert errors["attachments"] == [
        "第1行附件「信用承诺书」：文件类型「doc」不在 pdf、jpg、png、xlsx 之中",
        "第2行附件：代码「Licence 2」应以小写字母开头，只含小写字母、数字和下划线（至多40个字符）",
        "第2行附件：请填写附件名称",
        "第2行附件：请选择允许的文件类型（pdf、jpg、png、xlsx）",
        "第3行附件「审计报告」：大小上限 500 MB 应在 1–10 MB 之间（系统附件上限 10 MB）",
    ]


def test_quotas_over_the_total_refuse_the_whole_call():
    errors = _refused(province_admin(), call_data(total_quota=10), quotas={"610100": 6, "610300": 5})
    assert errors == {"quotas": ["各市名额合计 11，超过名额总数 10"]}


def test_only_the_province_opens_calls_of_a_provincial_programme():
    for actor in (city_officer(), county_officer()):
        with pytest.raises(PermissionDenied):
            calls.call_create(actor=actor, data=call_data())
    assert not Call.objects.exists()


def test_a_city_bureau_opens_a_city_level_call_for_its_own_city_only():
    officer = city_officer("610300")
    errors = _refused(officer, call_data(programme="growth-city", regions=["610100"]))
    assert errors == {"regions": ["市级认定项目的申报批次只面向本市（宝鸡市）"]}
    call = calls.call_create(actor=officer, data=call_data(programme="growth-city", regions=[]))
    assert call.regions == ["610300"] and call.region_id == "610300"
    with pytest.raises(PermissionDenied):
        calls.call_create(actor=province_admin(), data=call_data(programme="growth-city", regions=[]))


def test_an_attachment_code_that_is_a_field_of_the_form_is_refused():
    from smeplan.programmes import formdesign
    from smeplan.recognition import forms

    programme = Programme.objects.get(code="transformation-demo")
    version = forms.version_for(programme, 2027)
    assert version is not None  # loaded from the configured form files
    field = next(iter(formdesign.field_map(formdesign.design_check(version.design)).values()))
    errors = _refused(
        province_admin(), call_data(attachments=[{"code": field["code"], "label": "附件", "types": ["pdf"]}])
    )
    assert errors == {
        "attachments": [f"附件代码「{field['code']}」与申报表的「{field['label']}」重名，请换一个代码"]
    }
