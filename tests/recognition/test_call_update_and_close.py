"""Editing a call: saved with one audit event of what changed; a region that already has
applications cannot be taken out; only the publishing bureau edits or closes; a closed call cannot
be closed again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.recognition import calls
from smeplan.recognition.models import Call
from tests.factories import city_officer, province_admin
from tests.recognition.calls_make import call_data, open_call, submitted_in

pytestmark = pytest.mark.django_db


def test_an_edit_is_saved_with_one_audit_event(monkeypatch):
    admin = province_admin()
    call = open_call(monkeypatch, admin=admin)
    calls.call_update(
        actor=admin, call=call, data=call_data(title="改名后的批次", closes_at="2027-04-15 17:00")
    )
    call.refresh_from_db()
    assert call.title == "改名后的批次"
    assert calls.window_text(call) == "2027年3月1日至4月15日 17:00"
    event = AuditEvent.objects.get(event_type="call.updated")
    assert set(event.payload["changes"]) == {"title", "closes_at"}


def test_a_region_with_applications_cannot_be_taken_out(monkeypatch):
    admin = province_admin()
    call = open_call(monkeypatch, admin=admin)
    submitted_in(call, "610302")  # 宝鸡
    with pytest.raises(ValidationError) as e:
        calls.call_update(actor=admin, call=call, data=call_data(regions=["610100"]))
    assert e.value.message_dict == {"regions": ["宝鸡市已有本批次的申报，不能从申报地区中去掉"]}
    assert Call.objects.get(pk=call.pk).regions == ["610100", "610300"]


def test_only_the_publishing_bureau_edits_or_closes(monkeypatch):
    call = open_call(monkeypatch)
    officer = city_officer()
    with pytest.raises(PermissionDenied):
        calls.call_update(actor=officer, call=call, data=call_data(title="不该改"))
    with pytest.raises(PermissionDenied):
        calls.call_close(actor=officer, call=call)
    assert Call.objects.get(pk=call.pk).closed_at is None


def test_a_closed_call_cannot_be_closed_again(monkeypatch):
    admin = province_admin()
    call = open_call(monkeypatch, admin=admin)
    calls.call_close(actor=admin, call=call, reason="提前完成")
    with pytest.raises(ValidationError) as e:
        calls.call_close(actor=admin, call=call)
    assert "已截止受理" in e.value.messages[0]
    assert AuditEvent.objects.filter(event_type="call.closed").count() == 1
