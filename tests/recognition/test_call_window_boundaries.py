"""Applying through a call: refused one second before it opens, accepted at the opening second,
refused at the closing moment and after (the window is opens ≤ now < closes), with the window in the
reason; submitting after the window is refused too; a call closed early stops accepting."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import calls
from smeplan.recognition.models import Application, State
from tests.factories import province_admin
from tests.recognition.calls_make import CLOSES, OPENS, at, fill, open_call, start
from tests.recognition.make import applicant

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)


def test_one_second_before_opening_is_refused_with_the_window(monkeypatch):
    call = open_call(monkeypatch)
    _, user = applicant()
    at(monkeypatch, OPENS - SECOND)
    with pytest.raises(ValidationError) as e:
        start(user, call)
    assert "申报时间为 2027年3月1日至3月31日，尚未开始受理" in e.value.messages
    assert not Application.objects.exists()


def test_at_the_opening_second_an_application_is_opened_for_the_call_year(monkeypatch):
    call = open_call(monkeypatch)
    _, user = applicant()
    at(monkeypatch, OPENS)
    application = start(user, call)
    assert application.call == call and application.year == 2027 and application.state == State.DRAFT


def test_at_the_closing_moment_and_after_it_is_refused(monkeypatch):
    call = open_call(monkeypatch)
    _, user = applicant()
    at(monkeypatch, CLOSES - SECOND)
    assert calls.phase(call) == "open"
    for moment in (CLOSES, CLOSES + dt.timedelta(days=3)):
        at(monkeypatch, moment)
        with pytest.raises(ValidationError) as e:
            start(user, call)
        assert "申报时间为 2027年3月1日至3月31日，现已截止" in e.value.messages
    assert not Application.objects.exists()


def test_a_draft_opened_in_the_window_cannot_be_submitted_after_it(monkeypatch):
    from smeplan.recognition import services

    call = open_call(monkeypatch)
    _, user = applicant()
    application = fill(user, start(user, call))
    at(monkeypatch, CLOSES)
    with pytest.raises(ValidationError) as e:
        services.application_act(
            actor=user, application=application, action="submit", expected_version=application.lock_version
        )
    assert "现已截止" in e.value.messages[0]
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_a_call_closed_early_refuses_with_the_date(monkeypatch):
    admin = province_admin()
    call = open_call(monkeypatch, admin=admin)
    calls.call_close(actor=admin, call=call, reason="名额已满")
    _, user = applicant()
    with pytest.raises(ValidationError) as e:
        start(user, call)
    assert "提前截止" in e.value.messages[0]
    call.refresh_from_db()
    assert calls.phase_label(call) == "已截止"


def test_a_returned_application_may_be_resubmitted_after_the_window(monkeypatch):
    from tests.recognition.calls_make import submitted_in
    from tests.recognition.make import act, bureaus

    call = open_call(monkeypatch)
    application = act(bureaus()["county"], submitted_in(call), "return", reason="请补充产品说明")
    at(monkeypatch, CLOSES + dt.timedelta(days=2))
    user = application.organisation.users.get()
    assert act(user, application, "resubmit").state == State.COUNTY_REVIEW
