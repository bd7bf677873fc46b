"""form_version_create: provincial admins save a checked design as the next version (audited);
a design that cannot work, a bad year or title is refused naming the problem and saves nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.programmes.form_services import form_version_create
from smeplan.programmes.models import FormVersion, Programme
from tests.factories import city_officer, province_admin
from tests.programmes.form_designs import FULL, design_with

pytestmark = pytest.mark.django_db


def create(actor, **kw):
    args = {
        "programme": Programme.objects.get(code="transformation-demo"),
        "purpose": "application",
        "design": FULL,
        "effective_year": 2025,
        "title": "申报表",
        "note": "增加知识产权",
    } | kw
    return form_version_create(actor=actor, **args)


def test_a_new_version_is_numbered_normalised_and_audited():
    admin = province_admin()
    before = FormVersion.objects.filter(programme__code="transformation-demo", purpose="application").count()
    version = create(admin)
    assert version.number == before + 1 and version.effective_year == 2025 and version.created_by == admin
    assert version.design["sections"][1]["fields"][0]["max_rows"] == 3
    event = AuditEvent.objects.get(event_type="form_version.created")
    assert event.payload["number"] == version.number and event.payload["fields"] == 14
    again = create(admin, note="再改")
    assert again.number == version.number + 1
    version.refresh_from_db()
    assert version.note == "增加知识产权"  # the stored version is untouched


def test_a_bad_design_year_or_title_is_refused_and_nothing_is_saved():
    count = FormVersion.objects.count()
    bad = design_with(
        {"code": "b", "label": "奖励名称", "type": "text", "show_if": {"field": "x", "equals": "1"}}
    )
    with pytest.raises(ValidationError) as e:
        create(province_admin(), design=bad, effective_year="明年", title=" ")
    errors = e.value.message_dict
    assert errors["design"] == [
        "第1部分「一、基本情况」第1个字段「奖励名称」：显示条件依据的字段「x」不存在（须是本字段之前的字段）"
    ]
    assert errors["effective_year"] == ["生效年度“明年”无效（应为 2000–2100 的年份）"]
    assert "请填写表名" in errors["title"][0]
    assert FormVersion.objects.count() == count
    assert not AuditEvent.objects.filter(event_type="form_version.created").exists()


def test_only_provincial_admins_design_provincial_forms():
    with pytest.raises(PermissionDenied):
        create(city_officer("610100"))
