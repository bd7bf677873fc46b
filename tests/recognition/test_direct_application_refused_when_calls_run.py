"""A programme that runs calls for a year takes that year's applications only through a call: a
direct application is refused, naming the call, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import services
from smeplan.recognition.models import Application
from tests.factories import tier_of
from tests.recognition.calls_make import open_call, start
from tests.recognition.make import applicant

pytestmark = pytest.mark.django_db


def test_a_direct_application_is_refused_naming_the_call(monkeypatch):
    call = open_call(monkeypatch)
    _, user = applicant("610113")
    tier = tier_of("transformation-demo", "demonstration")
    with pytest.raises(ValidationError) as e:
        services.application_start(actor=user, tier=tier, year=call.year)
    assert f"请在“{call.title}”中申报" in e.value.messages[0]
    assert not Application.objects.exists()


def test_through_the_call_it_is_accepted(monkeypatch):
    call = open_call(monkeypatch)
    _, user = applicant("610113")
    assert start(user, call).call == call


def test_another_year_without_calls_still_takes_direct_applications(monkeypatch):
    call = open_call(monkeypatch)
    _, user = applicant("610113")
    tier = tier_of("transformation-demo", "demonstration")
    application = services.application_start(actor=user, tier=tier, year=call.year - 1)
    assert application.call is None
