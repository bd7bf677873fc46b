"""Programme settings of issue 15 part 5/6 (认定流程设置): 年度报告截止日 (月-日, blank: none), 逾期催报次数
and 更名重新认定须公示 — checked with Chinese messages, shown on the settings page."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.programmes.models import Programme
from smeplan.programmes.services import programme_settings_update
from tests.factories import province_admin

BASE = {"notice_days": "7", "ban_years": "2", "validity_years": "5", "review_interval_years": "3",
        "title_template": "{地区}中小企业{梯队}", "expert_review": "", "rubric": []}  # fmt: skip


@pytest.mark.django_db
def test_annual_report_due_reminders_and_rename_notice_are_saved():
    programme = Programme.objects.get(code="transformation-demo")
    programme_settings_update(
        actor=province_admin(),
        programme=programme,
        data={
            **BASE,
            "annual_report_due": "3月31日",
            "report_reminders": "3",
            "rename_requires_notice": "on",
        },
    )
    programme.refresh_from_db()
    assert programme.annual_report_due == "03-31"
    assert programme.report_reminders == 3 and programme.rename_requires_notice
    assert programme.annual_report_due_on(2027).isoformat() == "2027-03-31"


@pytest.mark.django_db
def test_a_day_that_does_not_exist_is_refused_and_nothing_changes():
    programme = Programme.objects.get(code="transformation-demo")
    with pytest.raises(ValidationError) as refused:
        programme_settings_update(
            actor=province_admin(),
            programme=programme,
            data={**BASE, "annual_report_due": "02-30", "report_reminders": "-1"},
        )
    assert "年度报告截止日应为“月-日”" in refused.value.message_dict["annual_report_due"][0]
    assert "逾期催报次数" in refused.value.message_dict["report_reminders"][0]
    programme.refresh_from_db()
    assert programme.annual_report_due == "03-31" and programme.report_reminders == 2  # as loaded


@pytest.mark.django_db
def test_the_settings_page_shows_the_new_settings(client):
    client.force_login(province_admin())
    page = client.get("/programmes/transformation-demo/settings/").content.decode()
    for text in ("年度报告截止日", "逾期催报次数", "更名重新认定须先公示"):
        assert text in page


@pytest.mark.django_db
def test_29_february_falls_on_the_28th_in_a_common_year():
    programme = Programme(annual_report_due="02-29")
    assert programme.annual_report_due_on(2027).isoformat() == "2027-02-28"
    assert programme.annual_report_due_on(2028).isoformat() == "2028-02-29"
