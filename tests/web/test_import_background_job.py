"""Files over the size threshold are checked and written as Celery jobs (eager without a broker):
the page shows a progress bar fed by the job, left and opened again; a failed job says why and
writes nothing."""

import time

import pytest
from django.core.cache import cache

from smeplan.exchange import tasks
from smeplan.exchange.models import ImportBatch, ImportStatus, JobAction, JobState
from smeplan.indicators.models import AnnualFigures, FigureRevision
from tests.factories import OrganisationFactory, county_officer
from tests.web.helpers import text
from tests.web.import_files import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(settings):
    settings.SMEPLAN_IMPORT_BACKGROUND_BYTES = 1  # every file is "large"


def test_large_file_goes_through_the_celery_task(client, background, monkeypatch):
    calls = []
    real_apply = tasks.import_job.apply
    monkeypatch.setattr(tasks.import_job, "apply", lambda *a, **k: calls.append(k) or real_apply(*a, **k))
    org = OrganisationFactory()
    client.force_login(county_officer())
    client.post(
        "/imports/new/", {"file": upload(xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 50, 5]]))}
    )
    batch = ImportBatch.objects.get()
    assert calls and calls[0]["args"][1] == JobAction.ANALYSE
    assert batch.status == ImportStatus.VALIDATED and batch.job_state == JobState.IDLE
    assert batch.job_finished_at is not None

    client.post(f"/imports/{batch.pk}/commit/")
    assert calls[-1]["args"][1] == JobAction.COMMIT
    assert ImportBatch.objects.get().status == ImportStatus.COMMITTED
    progress = client.get(f"/imports/{batch.pk}/progress/").json()
    assert progress["done"] and progress["status"] == "committed" and progress["percent"] == 100


def test_the_progress_bar_is_shown_when_the_user_comes_back(client):
    org = OrganisationFactory()
    officer = county_officer()
    client.force_login(officer)
    client.post(
        "/imports/new/", {"file": upload(xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 50, 5]]))}
    )
    batch = ImportBatch.objects.get()
    # a worker elsewhere is writing this batch: state on the row, progress in the shared cache
    ImportBatch.objects.filter(pk=batch.pk).update(job_state=JobState.RUNNING, job_action=JobAction.COMMIT)
    report = tasks.ProgressReporter(batch.pk, JobAction.COMMIT)
    report("写入数据库", 0.5)

    client.get("/organisations/")  # the user looks elsewhere, then comes back
    body = text(client.get(f"/imports/{batch.pk}/"))
    assert (
        "<h2>写入：" in body
        and 'class="job-state">进行中' in body
        and "写入数据库" in body
        and 'style="width: 82%"' in body
    )
    assert "确认导入" not in body  # no second commit while the job runs
    data = client.get(f"/imports/{batch.pk}/progress/").json()
    assert data == {**data, "done": False, "phase": "写入数据库", "percent": 82, "state": "running"}

    # and a second start is refused while it runs
    response = client.post(f"/imports/{batch.pk}/commit/", follow=True)
    assert "已有后台任务在进行" in text(response)


def test_a_failed_job_says_why_and_writes_nothing(client, background, monkeypatch):
    org = OrganisationFactory()
    client.force_login(county_officer())
    client.post(
        "/imports/new/", {"file": upload(xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 50, 5]]))}
    )
    batch = ImportBatch.objects.get()

    import smeplan.exchange.services as services

    def broken_reclassify(ids):
        raise OSError("磁盘已满")

    monkeypatch.setattr(services, "organisations_reclassify", broken_reclassify)
    response = client.post(f"/imports/{batch.pk}/commit/", follow=True)
    body = text(response)
    assert "写入未完成" in body and "未写入任何数据" in body and "磁盘已满" in body
    batch.refresh_from_db()
    assert batch.job_state == JobState.ERROR and batch.status == ImportStatus.VALIDATED
    assert not AnnualFigures.objects.exists() and not FigureRevision.objects.exists()
    assert cache.get(f"smeplan:import-progress:{batch.pk}") is None


def test_a_stalled_job_can_be_reset(client):
    officer = county_officer()
    client.force_login(officer)
    org = OrganisationFactory()
    client.post(
        "/imports/new/", {"file": upload(xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 50, 5]]))}
    )
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(job_state=JobState.RUNNING, job_action=JobAction.COMMIT)
    cache.set(
        f"smeplan:import-progress:{batch.pk}",
        {"phase": "写入数据库", "percent": 40, "updated": time.time() - 3600},
    )
    body = text(client.get(f"/imports/{batch.pk}/"))
    assert "可能已中断" in body
    client.post(f"/imports/{batch.pk}/reset/")
    batch.refresh_from_db()
    assert batch.job_state == JobState.ERROR and "没有进展" in batch.job_message
