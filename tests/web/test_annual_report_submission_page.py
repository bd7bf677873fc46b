"""填报年度报告: the enterprise's task page shows the programme's annual report form (purpose
annual_report) prefilled with the year's figures; a refused submission shows the messages and
changes nothing; a valid one is stored through the form engine and the task is 已提交."""

import datetime as dt

import pytest

from smeplan.programmes.models import FormVersion
from smeplan.recognition.models import Obligation, ObligationKind, ObligationState
from tests.recognition.obligations_make import demonstration_with_reports

DESIGN = {
    "sections": [
        {
            "code": "basic",
            "title": "一、经营情况",
            "fields": [
                {
                    "code": "revenue",
                    "label": "营业收入（上一年度）",
                    "type": "money",
                    "required": True,
                    "prefill": {"figure": "operating_revenue", "year": -1},
                },
                {"code": "highlights", "label": "年度示范带动情况", "type": "textarea", "required": True},
            ],
        }
    ]
}


@pytest.fixture
def task(db, monkeypatch):
    certification, province, enterprise, _ = demonstration_with_reports(monkeypatch)
    stored = FormVersion.objects.filter(programme=certification.programme, purpose="annual_report")
    FormVersion.objects.create(  # a revision after the data file's version (2017), in force for 2024
        programme=certification.programme,
        purpose="annual_report",
        number=stored.count() + 1,
        effective_year=2020,
        title="转型升级示范企业年度报告表",
        design=DESIGN,
    )
    task = Obligation.objects.create(
        certification=certification,
        kind=ObligationKind.ANNUAL_REPORT,
        period=2024,  # the applicant's figures cover 2022–2024
        due_on=dt.date(2025, 3, 31),
    )
    return task, enterprise, province


def test_the_form_is_prefilled_with_the_years_figures(client, task):
    task, enterprise, _ = task
    client.force_login(enterprise)
    page = client.get(f"/recognition/obligations/{task.pk}/").content.decode()
    assert "转型升级示范企业年度报告表" in page
    assert 'name="revenue"' in page and 'value="5000.00"' in page
    assert "年度示范带动情况" in page


def test_a_refused_submission_changes_nothing(client, task):
    task, enterprise, _ = task
    client.force_login(enterprise)
    response = client.post(f"/recognition/obligations/{task.pk}/", {"revenue": "不是数字", "highlights": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert "请填写年度示范带动情况" in page
    assert "尚未保存任何数据" in page
    task.refresh_from_db()
    assert task.state == ObligationState.PENDING and task.answers == {} and task.submitted_at is None


def test_a_valid_submission_is_stored_and_reviewed(client, task):
    task, enterprise, province = task
    client.force_login(enterprise)
    response = client.post(
        f"/recognition/obligations/{task.pk}/", {"revenue": "5200.5", "highlights": "带动上下游企业12家转型"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == ObligationState.SUBMITTED
    assert task.answers == {"revenue": "5200.50", "highlights": "带动上下游企业12家转型"}
    assert task.form_version.title == "转型升级示范企业年度报告表"
    client.force_login(province)
    page = client.get(f"/recognition/obligations/{task.pk}/").content.decode()
    assert "5,200.50" in page or "5200.50" in page
    client.post(f"/recognition/obligations/{task.pk}/review/", {"action": "accept", "note": "报告完整"})
    task.refresh_from_db()
    assert task.state == ObligationState.PASSED
