"""Building blocks for the call (申报批次) tests: a provincial call of 转型升级示范企业 open now,
applications through it, and the clock moved to a given moment."""

import datetime as dt

from django.utils import timezone

from smeplan.recognition import calls, clock, services
from tests.factories import province_admin, tier_of
from tests.recognition.make import act, applicant

OPENS = timezone.make_aware(dt.datetime(2027, 3, 1, 0, 0))
CLOSES = timezone.make_aware(dt.datetime(2027, 4, 1, 0, 0))
INSIDE = timezone.make_aware(dt.datetime(2027, 3, 15, 10, 0))


def at(monkeypatch, moment: dt.datetime) -> None:
    """Move the workflow's clock (moment and day) to ``moment``."""
    monkeypatch.setattr(clock, "now", lambda: moment)
    monkeypatch.setattr(clock, "today", lambda: timezone.localtime(moment).date())


def call_data(**overrides) -> dict:
    data = {
        "programme": "transformation-demo",
        "year": 2027,
        "title": "2027年陕西省中小企业转型升级示范企业申报",
        "opens_at": "2027-03-01 00:00",
        "closes_at": "2027-04-01 00:00",
        "regions": ["610100", "610300"],
        "attachments": [],
        "notes": "",
    }
    data.update(overrides)
    return data


def open_call(monkeypatch, *, quotas=None, admin=None, **overrides):
    """A provincial call made before its window; the clock left inside the window."""
    at(monkeypatch, OPENS - dt.timedelta(days=30))
    call = calls.call_create(actor=admin or province_admin(), data=call_data(**overrides), quotas=quotas)
    at(monkeypatch, INSIDE)
    return call


def start(user, call):
    return services.application_start(
        actor=user, tier=tier_of("transformation-demo", "demonstration"), call=call
    )


def fill(user, application):
    """The application's form answered and declared. (The form engine's ``make.filled`` answers any
    form version once it is merged; until then the annex-1 answers.)"""
    from tests.recognition import make

    if hasattr(make, "filled"):
        return make.filled(user, application)
    return services.application_update(
        actor=user,
        application=application,
        expected_version=application.lock_version,
        form={"main_products": "工业阀门", "contact_person": "张三", "contact_phone": "029-88886666"},
        declare=True,
    )


def submitted_in(call, county: str = "610113"):
    """An application of a new enterprise of ``county`` through ``call``, filled and submitted."""
    _, user = applicant(county)
    application = fill(user, start(user, call))
    return services.application_act(
        actor=user, application=application, action="submit", expected_version=application.lock_version
    )


def forwarded_in(call, officers, county: str = "610113"):
    """Submitted, recommended by the county and forwarded by the city (uses one quota place)."""
    application = submitted_in(call, county)
    application = act(officers["county"], application, "recommend")
    return act(officers["city"], application, "recommend")
