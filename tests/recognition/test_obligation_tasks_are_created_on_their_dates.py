"""The daily job creates the annual report task from 1 January of the year after the year reported
on (due on the programme's 月-日), and the re-review task on the day ``next_review_on`` comes (due
60 days later) — each once, however often the job runs."""

import datetime as dt

import pytest

from smeplan.recognition.models import Obligation, ObligationKind, ObligationState
from smeplan.recognition.obligations import REVIEW_SUBMIT_DAYS, obligations_due
from tests.recognition.obligations_make import demonstration_with_reports, set_today


@pytest.mark.django_db
def test_annual_report_task_from_the_first_of_january_once(monkeypatch):
    certification, *_ = demonstration_with_reports(monkeypatch)
    year = certification.certified_on.year
    set_today(monkeypatch, dt.date(year, 12, 31))
    assert obligations_due()["created"] == 0
    set_today(monkeypatch, dt.date(year + 1, 1, 1))
    assert obligations_due()["created"] == 1
    assert obligations_due()["created"] == 0
    task = Obligation.objects.get()
    assert task.kind == ObligationKind.ANNUAL_REPORT
    assert task.period == year
    assert task.due_on == dt.date(year + 1, 3, 31)
    assert task.state == ObligationState.PENDING


@pytest.mark.django_db
def test_no_annual_report_without_a_due_date(monkeypatch):
    certification, *_ = demonstration_with_reports(monkeypatch, due="")
    set_today(monkeypatch, dt.date(certification.certified_on.year + 1, 1, 2))
    assert obligations_due()["created"] == 0


@pytest.mark.django_db
def test_re_review_task_when_the_review_date_comes(monkeypatch):
    certification, *_ = demonstration_with_reports(monkeypatch, due="")
    review_on = certification.next_review_on
    set_today(monkeypatch, review_on - dt.timedelta(days=1))
    assert obligations_due()["created"] == 0
    set_today(monkeypatch, review_on)
    assert obligations_due()["created"] == 1
    set_today(monkeypatch, review_on + dt.timedelta(days=1))
    assert obligations_due()["created"] == 0
    task = Obligation.objects.get()
    assert (task.kind, task.period) == (ObligationKind.RE_REVIEW, review_on.year)
    assert task.due_on == review_on + dt.timedelta(days=REVIEW_SUBMIT_DAYS)


@pytest.mark.django_db
def test_a_renamed_certification_keeps_its_open_task_and_owes_no_second(monkeypatch):
    from smeplan.accounts.models import Role, User
    from smeplan.recognition import services

    certification, province, enterprise, _ = demonstration_with_reports(monkeypatch)
    type(certification.programme).objects.filter(pk=certification.programme_id).update(
        rename_requires_notice=False  # re-certified directly (renames on notice: their own tests)
    )
    set_today(monkeypatch, dt.date(certification.certified_on.year + 1, 1, 1))
    obligations_due()
    report = services.change_report_file(
        actor=enterprise,
        certification=certification,
        kind="rename",
        description="股东会决议更名",
        new_name="陕西更名后有限公司",
    )
    services.rename_confirm(actor=User.objects.get(role=Role.CITY_OFFICER), report=report)
    new = services.rename_recertify(actor=province, report=report, document_number="陕中小企发〔2027〕5号")
    task = Obligation.objects.get()
    assert task.certification == new and task.state == ObligationState.PENDING
    assert obligations_due()["created"] == 0
