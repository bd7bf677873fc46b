"""The automatic annual report campaign links each task to the firm's 年度报告 obligation: submitting
the task submits the obligation (same answers), accepting it passes the obligation and a return sends
it back for correction — so the obligations' reminders and revocation see the same state."""

import datetime as dt
import io

import pytest

from smeplan.campaigns.answers import task_accept, task_attachment_add, task_return, task_submit
from smeplan.campaigns.models import CampaignTask, Content
from smeplan.programmes import formdesign
from smeplan.recognition.models import Obligation, ObligationKind, ObligationState
from smeplan.recognition.obligations import obligations_due
from tests.factories import CampaignFactory, figure_answers
from tests.recognition.obligations_make import demonstration_with_reports, report_answers, set_today


def _linked(monkeypatch):
    certification, province, enterprise, _county = demonstration_with_reports(monkeypatch)
    set_today(monkeypatch, dt.date(certification.certified_on.year + 1, 1, 15))
    obligations_due()
    obligation = Obligation.objects.get(kind=ObligationKind.ANNUAL_REPORT)
    form = obligation.form_version
    campaign = CampaignFactory(
        title=f"{obligation.period}年度报告",
        year=obligation.period,
        region=certification.region,
        content=Content.FORM if form else Content.FIGURES,
        form_version=form,
        opens_on=dt.date(obligation.period + 1, 1, 1),
        deadline=obligation.due_on,
    )
    task = CampaignTask.objects.create(
        campaign=campaign,
        organisation=certification.organisation,
        county=certification.organisation.county,
        obligation=obligation,
    )
    answers = report_answers(obligation) if form else figure_answers()
    for spec in formdesign.attachment_fields(form.design) if form else []:
        if spec["required"]:
            upload = io.BytesIO(b"%PDF-1.4 report")
            upload.name = f"{spec['label']}.pdf"
            task_attachment_add(actor=enterprise, task=task, field=spec["code"], upload=upload)
    return task, obligation, province, enterprise, answers


@pytest.mark.django_db
def test_submit_and_accept_move_the_obligation(monkeypatch, client):
    task, obligation, province, enterprise, answers = _linked(monkeypatch)
    client.force_login(enterprise)
    form_page = client.get(f"/campaigns/tasks/{task.pk}/")
    assert form_page.status_code == 200 and 'value="submit"' in form_page.content.decode()

    task = task_submit(actor=enterprise, task=task, answers=answers, lock_version=0)

    shown = client.get(f"/campaigns/tasks/{task.pk}/").content.decode()
    assert "已提交" in shown and 'value="submit"' not in shown

    obligation.refresh_from_db()
    assert obligation.state == ObligationState.SUBMITTED and obligation.submitted_by == enterprise
    task_accept(actor=province, task=task)
    obligation.refresh_from_db()
    assert obligation.state == ObligationState.PASSED


@pytest.mark.django_db
def test_return_sends_the_obligation_back_for_correction(monkeypatch):
    task, obligation, province, enterprise, answers = _linked(monkeypatch)
    task = task_submit(actor=enterprise, task=task, answers=answers, lock_version=0)

    task_return(actor=province, task=task, comment="请补充主要经济指标的说明")

    obligation.refresh_from_db()
    assert obligation.state == ObligationState.PENDING
    assert obligation.review_note == "请补充主要经济指标的说明"
