"""Today's date for the workflow's date rules (notice periods, bans, validity). One function, so
tests can move time (``monkeypatch.setattr(clock, "today", …)``) without touching the system clock."""

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def now() -> dt.datetime:
    """The current moment for the workflow's time rules (a call's window); tests move it."""
    return timezone.now()


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@contextmanager
def pretend_today(day: dt.date):
    """Run the workflow's date rules as if today were ``day`` (the demo loader lays out a notice
    that ran in the past; tests use monkeypatch)."""
    global today
    real = today
    today = lambda: day  # noqa: E731
    try:
        yield
    finally:
        today = real
