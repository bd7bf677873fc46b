"""Background work of imports (后台任务): checking and writing a large file without holding a request.

``import_start`` records on the batch that a job is queued (``job_state``; a second start while one
is pending is refused) and runs it: as a Celery task when the file is at least
``SMEPLAN_IMPORT_BACKGROUND_BYTES`` (Celery runs it eagerly, in the request, when no broker is
configured), otherwise directly. The job reports its phase and percentage to the cache (shared
Redis in production) so that the page — left and opened again — shows the bar; the batch row keeps
the job's state, and when a job fails, why (``job_message``): a failed write leaves the database as
it was (it is one transaction) and the batch as it was before the job.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from smeplan.exchange.models import ImportBatch, JobAction, JobState, require_may_act_on
from smeplan.exchange.uploads import import_analyse, import_commit_file

logger = logging.getLogger(__name__)

#: How long a progress entry lives in the cache (a job writes it at least every few seconds).
PROGRESS_TTL = 6 * 3600
#: Share of the bar given to each phase, in order.
PHASE_SPANS = {
    JobAction.ANALYSE: [("读取文件", 0.30), ("识别数据行", 0.35), ("校验数据", 0.35)],
    JobAction.COMMIT: [("读取文件", 0.20), ("识别数据行", 0.25), ("校验数据", 0.20), ("写入数据库", 0.35)],
}


def _key(batch_id: int) -> str:
    return f"smeplan:import-progress:{batch_id}"


def job_progress(batch: ImportBatch) -> dict | None:
    """What the progress bar shows while a job is pending ({"phase", "percent"}), else None."""
    if not batch.job_pending:
        return None
    queued = "排队等待" if batch.job_state == JobState.QUEUED else ""
    return progress_of(batch.pk) or {"phase": queued, "percent": 0}


def progress_of(batch_id: int) -> dict | None:
    """{"phase": "校验数据", "percent": 42, "updated": epoch seconds} of the running job, or None."""
    return cache.get(_key(batch_id))


class ProgressReporter:
    """Turns (phase, fraction) into one percentage over the job's phases; writes the cache at most
    twice a second."""

    def __init__(self, batch_id: int, action: str):
        self.batch_id = batch_id
        self.spans = PHASE_SPANS[action]
        self.last_write = 0.0
        self.percent = 0

    def __call__(self, phase: str, fraction: float) -> None:
        start = 0.0
        for name, span in self.spans:
            if name == phase:
                percent = int(100 * (start + span * max(0.0, min(1.0, fraction))))
                break
            start += span
        else:
            return
        percent = max(self.percent, min(percent, 99))
        now = time.monotonic()
        if percent == self.percent and now - self.last_write < 5:
            return
        if now - self.last_write < 0.5 and fraction not in (0.0, 1.0):
            return
        self.percent, self.last_write = percent, now
        cache.set(
            _key(self.batch_id),
            {"phase": phase, "percent": percent, "updated": time.time()},
            PROGRESS_TTL,
        )


def runs_in_background(batch: ImportBatch) -> bool:
    return (batch.file_size or 0) >= settings.SMEPLAN_IMPORT_BACKGROUND_BYTES


def import_start(*, actor, batch: ImportBatch, action: str, confirm_warnings: bool = False) -> ImportBatch:
    """Queue (or run) the job ``action`` (analyse / commit) on ``batch``. Refused while one is pending."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.job_pending:
            raise ValidationError(
                f"导入#{locked.pk}已有后台任务在进行（{locked.get_job_action_display()}），请稍候"
            )
        locked.job_state = JobState.QUEUED
        locked.job_action = action
        locked.job_message = ""
        locked.job_started_at = timezone.now()
        locked.job_finished_at = None
        locked.save(
            update_fields=["job_state", "job_action", "job_message", "job_started_at", "job_finished_at"]
        )
    cache.delete(_key(locked.pk))
    args = (locked.pk, action, actor.pk, bool(confirm_warnings))
    if runs_in_background(locked):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            import_job.apply(args=args)
        else:
            transaction.on_commit(lambda: import_job.delay(*args))
    else:
        import_job(*args)
    locked.refresh_from_db()
    return locked


def _finish(batch_id: int, state: str, message: str = "") -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        job_state=state, job_message=message, job_finished_at=timezone.now()
    )
    cache.delete(_key(batch_id))


@shared_task(name="smeplan.import_job")
def import_job(batch_id: int, action: str, actor_id: int, confirm_warnings: bool = False) -> str:
    """Run one job; never raises: the outcome is on the batch (status, issues, job_state/message)."""
    from smeplan.accounts.models import User

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    if actor is None:
        _finish(batch_id, JobState.ERROR, "发起任务的用户已停用，任务未执行")
        return "error"
    ImportBatch.objects.filter(pk=batch_id).update(job_state=JobState.RUNNING)
    report = ProgressReporter(batch_id, action)
    try:
        if action == JobAction.ANALYSE:
            import_analyse(actor=actor, batch=batch, progress=report)
        elif action == JobAction.COMMIT:
            import_commit_file(actor=actor, batch=batch, confirm_warnings=confirm_warnings, progress=report)
        else:
            raise ValueError(f"unknown import job {action!r}")
    except (ValidationError, PermissionDenied) as exc:
        messages = getattr(exc, "messages", None) or [str(exc)]
        _finish(batch_id, JobState.ERROR, "；".join(messages))
        return "refused"
    except Exception as exc:  # the job must always leave a reason on the batch
        logger.exception("import job %s on batch %s failed", action, batch_id)
        what = "写入" if action == JobAction.COMMIT else "校验"
        _finish(
            batch_id,
            JobState.ERROR,
            f"{what}过程中出错，未写入任何数据（{type(exc).__name__}: {str(exc)[:300]}）；"
            "请稍后重试，如仍出错请联系系统管理员",
        )
        return "error"
    _finish(batch_id, JobState.IDLE)
    if action == JobAction.COMMIT and runs_in_background(batch):
        # a large import: the screening frame's stored columns are patched now, in the job, so
        # that the first screening or chart after it (in any process) reads them ready
        from smeplan.programmes.frame_store import store_refresh

        store_refresh()
    return ImportBatch.objects.filter(pk=batch_id).values_list("status", flat=True).first() or ""


def job_seems_stalled(batch: ImportBatch, *, after_seconds: int = 600) -> bool:
    """A running/queued job with no progress for ``after_seconds`` (e.g. its worker was killed)."""
    if not batch.job_pending:
        return False
    progress = progress_of(batch.pk)
    last = (
        progress["updated"] if progress else (batch.job_started_at.timestamp() if batch.job_started_at else 0)
    )
    return time.time() - last > after_seconds


def import_job_reset(*, actor, batch: ImportBatch) -> ImportBatch:
    """After a stalled job: mark it failed so that the user can start again (writes nothing)."""
    require_may_act_on(actor, batch, "重置后台任务")
    if not job_seems_stalled(batch):
        raise ValidationError("后台任务仍在进行，不能重置")
    _finish(batch.pk, JobState.ERROR, "后台任务长时间没有进展（可能已中断），已停止；请重新开始")
    batch.refresh_from_db()
    return batch
