"""Scheduled work of the recognition workflow. ``celery -A smeplan beat`` runs it daily (see
``CELERY_BEAT_SCHEDULE``); ``manage.py recognition_daily`` does the same from cron."""

from celery import shared_task


@shared_task(name="smeplan.recognition_daily")
def recognition_daily() -> int:
    """Tell each notice's bureau once that its notice has ended (certification may proceed); mark
    certifications past their validity as expired; announce re-reviews that have come due; create, remind and mark overdue the re-review and annual
    report tasks, proposing revocation for reports missed after the reminders."""
    from smeplan.recognition.obligations import obligations_due
    from smeplan.recognition.services import certifications_due, notices_close_due

    ended = notices_close_due()
    certifications_due()
    obligations_due()
    from smeplan.campaigns.services import annual_report_campaigns_open

    annual_report_campaigns_open()  # the yearly annual report campaign of the tasks just created
    return ended
