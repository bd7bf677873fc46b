"""Public notice rules with time moved: no certification while the notice runs or an objection is
open; objections only while it runs; an upheld objection rejects the application."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import services
from smeplan.recognition.models import Objection, State
from tests.recognition.make import DOCUMENT, applicant, bureaus, move_time, on_notice, submitted, to_selected


@pytest.fixture
def listed(db):
    officers = bureaus()
    application = to_selected(submitted(applicant()[1]), officers)
    application, notice = on_notice(application, officers["province"], days=7)
    return application, notice, officers["province"]


def _certify(officer, application):
    application.refresh_from_db()
    return services.applications_certify(
        actor=officer, items=[(application.pk, application.lock_version)], document_number=DOCUMENT
    )


def _object(notice, application, **kw):
    return services.objection_file(
        notice=notice,
        application_id=application.pk,
        name=kw.get("name", "李四"),
        phone="13800138000",
        text="该企业申报的营业收入与实际不符，请核查。",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("day", [0, 3, 6])  # the notice runs days 0–6 (7 days, the last one included)
def test_no_certification_while_the_notice_runs(listed, monkeypatch, day):
    application, _notice, officer = listed
    move_time(monkeypatch, day)
    with pytest.raises(ValidationError, match="公示期内不能认定"):
        _certify(officer, application)
    application.refresh_from_db()
    assert application.state == State.ON_NOTICE


@pytest.mark.django_db
def test_certified_the_day_after_the_notice_ends(listed, monkeypatch):
    application, _notice, officer = listed
    move_time(monkeypatch, 7)
    (certification,) = _certify(officer, application)
    assert certification.document_number == DOCUMENT


@pytest.mark.django_db
def test_an_open_objection_blocks_certification_until_dismissed(listed, monkeypatch):
    application, notice, officer = listed
    move_time(monkeypatch, 2)
    objection = _object(notice, application)
    move_time(monkeypatch, 10)
    with pytest.raises(ValidationError, match="1 条异议未处理"):
        _certify(officer, application)
    services.objection_resolve(actor=officer, objection=objection, upheld=False, resolution="经核实数据无误")
    assert _certify(officer, application)


@pytest.mark.django_db
def test_upheld_objection_rejects_the_application_with_the_reason(listed, monkeypatch):
    application, notice, officer = listed
    move_time(monkeypatch, 1)
    objection = _object(notice, application)
    services.objection_resolve(actor=officer, objection=objection, upheld=True, resolution="营业收入虚报")
    application.refresh_from_db()
    assert application.state == State.REJECTED
    assert "营业收入虚报" in application.decision_reason


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "message"), [(-1, "尚未开始"), (7, "已于")])
def test_objections_only_while_the_notice_runs(db, monkeypatch, day, message):
    officers = bureaus()
    application = to_selected(submitted(applicant()[1]), officers)
    application.refresh_from_db()
    notice = services.notice_publish(
        actor=officers["province"],
        items=[(application.pk, application.lock_version)],
        title="公示",
        starts_on=services.clock.today() + __import__("datetime").timedelta(days=1),
        days=7,
    )
    move_time(monkeypatch, day + 1)
    with pytest.raises(ValidationError, match=message):
        _object(notice, application)
    assert not Objection.objects.exists()


@pytest.mark.django_db
def test_objection_needs_a_name_a_phone_and_a_reason(listed, monkeypatch):
    application, notice, _ = listed
    with pytest.raises(ValidationError) as refused:
        services.objection_file(
            notice=notice, application_id=application.pk, name=" ", phone="abc", text="不行"
        )
    assert set(refused.value.message_dict) == {"name", "phone", "text"}
    assert not Objection.objects.exists()


@pytest.mark.django_db
def test_only_the_notice_bureau_resolves_objections(listed, monkeypatch):
    from django.core.exceptions import PermissionDenied

    from tests.factories import city_officer

    application, notice, _ = listed
    objection = _object(notice, application)
    with pytest.raises(PermissionDenied):
        services.objection_resolve(actor=city_officer(), objection=objection, upheld=True, resolution="x")
