"""A county officer imports a sheet in the browser: upload, correct a column the system did not know,
confirm; and a background job's progress bar moves and the page refreshes itself when it ends."""

import pytest

from smeplan.exchange.models import ImportBatch, ImportStatus, JobAction, JobState
from smeplan.exchange.tasks import ProgressReporter
from smeplan.exchange.uploads import import_upload
from smeplan.indicators.models import AnnualFigures
from tests.factories import OrganisationFactory, county_officer, region
from tests.web.import_files import xlsx_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = ["统一社会信用代码", "企业名称", "年度", "从业人员（人）", "经营所得"]


def _login(page, live_server, officer):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", "pw-test-123")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_upload_correct_and_confirm(live_server, page, tmp_path):
    officer = county_officer("610113", username="county_610113")
    org = OrganisationFactory(county=region("610113"), name="西安秦川精密机床有限公司")
    path = tmp_path / "雁塔区2024年报.xlsx"
    path.write_bytes(xlsx_bytes([[org.credit_code, org.name, 2024, 88, 12_345_000]], HEADER))

    _login(page, live_server, officer)
    page.click("nav >> text=数据导入")
    page.click("text=上传表格")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#mapping")
    assert "已校验" in page.locator("#batch-status").inner_text()

    page.select_option("select[name='s0-E-target']", "operating_revenue")
    page.select_option("select[name='s0-E-unit']", "元")
    page.click("#mapping-form button[name=remap]")
    page.wait_for_selector("#commit-form")
    assert "单位：元，除以 10000 换算为万元" in page.locator("#mapping").inner_text()

    page.click("#commit-form button[type=submit]")
    page.wait_for_selector("#undo-form")
    assert "已导入" in page.locator("#batch-status").inner_text()
    fig = AnnualFigures.objects.get(organisation=org, year=2024)
    assert str(fig.operating_revenue) == "1234.50" and fig.employees == 88
    assert not page.console_errors


def test_the_progress_bar_follows_a_background_job(live_server, page):
    officer = county_officer("610113", username="county_610113")
    org = OrganisationFactory(county=region("610113"))
    batch = import_upload(
        actor=officer,
        file_name="大文件.xlsx",
        content=xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 5, 5]]),
    )
    ImportBatch.objects.filter(pk=batch.pk).update(job_state=JobState.RUNNING, job_action=JobAction.ANALYSE)
    report = ProgressReporter(batch.pk, JobAction.ANALYSE)
    report("识别数据行", 0.0)

    _login(page, live_server, officer)
    page.goto(f"{live_server.url}/imports/{batch.pk}/")
    assert page.locator("#job .job-percent").inner_text() == "30%"

    # the worker moves on (later than the reporter's half-second throttle: a quick sign-in and page
    # load can take less, and the throttled write would never reach the page); the page polls and follows
    report.last_write = 0.0
    report("校验数据", 0.5)
    page.wait_for_function("document.querySelector('#job .job-percent').textContent === '82%'")
    assert page.locator("#job .job-phase").inner_text() == "校验数据"

    ImportBatch.objects.filter(pk=batch.pk).update(job_state=JobState.IDLE, status=ImportStatus.FAILED)
    page.wait_for_selector("#job", state="detached")  # reloaded by itself when the job ended
    assert "未通过校验" in page.locator("#batch-status").inner_text()
    assert not page.console_errors
