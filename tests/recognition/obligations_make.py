"""Building blocks for the obligation tests: a certified 转型升级示范企业 with an annual report due
03-31, its enterprise user and county bureau, and a day-by-day run of the daily job."""

import datetime as dt

from smeplan.accounts.models import Role, User
from smeplan.recognition import clock
from smeplan.recognition.obligations import obligations_due
from tests.recognition.make import certified_demonstration


def demonstration_with_reports(monkeypatch, *, due: str = "03-31", reminders: int = 2):
    certification, province = certified_demonstration(monkeypatch)
    programme = certification.programme
    programme.annual_report_due, programme.report_reminders = due, reminders
    programme.save(update_fields=["annual_report_due", "report_reminders"])
    enterprise = User.objects.get(organisation_id=certification.organisation_id, role=Role.ENTERPRISE_USER)
    county = User.objects.get(region_id=certification.organisation.county_id, role=Role.COUNTY_OFFICER)
    return certification, province, enterprise, county


def set_today(monkeypatch, day: dt.date) -> dt.date:
    monkeypatch.setattr(clock, "today", lambda: day)
    return day


def run_days(monkeypatch, first: dt.date, last: dt.date) -> list[dict]:
    """The daily job on every day from ``first`` to ``last`` (inclusive)."""
    out, day = [], first
    while day <= last:
        set_today(monkeypatch, day)
        out.append(obligations_due())
        day += dt.timedelta(days=1)
    return out


def report_answers(obligation) -> dict:
    """An answer (as entered) for every required field of the task's annual report form."""
    from smeplan.programmes import formdesign
    from tests.recognition.make import _sample

    design = obligation.form_version.design if obligation.form_version_id else {"sections": []}
    return {
        f["code"]: _sample(f)
        for f in formdesign.fields(design)
        if f["required"] and f["type"] not in ("figures", "attachment")
    }
