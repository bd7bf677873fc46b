"""Scheduled work of 提醒与邮件. ``celery -A smeplan beat`` runs ``smeplan.reminders_daily`` once a day
and ``smeplan.outbox_send`` every 10 minutes (``CELERY_BEAT_SCHEDULE``); without a broker,
``manage.py reminders_send`` (daily) and ``manage.py reminders_send --mail-only`` (every few
minutes) do the same from cron. Both are idempotent: a reminder is sent once per user and stage,
a mail once."""

from celery import shared_task


@shared_task(name="smeplan.reminders_daily")
def reminders_daily(today: str | None = None) -> dict:
    """Reminders of the day (campaign tasks opening, due in 7 and 1 days, overdue; 7/1-day stages
    of annual reports and re-reviews), then the outbox is sent (including earlier failures)."""
    import datetime as dt

    from smeplan.notifications.mail import outbox_send
    from smeplan.notifications.reminders import reminders_run

    summary = reminders_run(today=dt.date.fromisoformat(today) if today else None)
    summary["outbox"] = outbox_send()
    return summary


@shared_task(name="smeplan.outbox_send")
def outbox_send_task(fresh: bool = False) -> dict:
    """Send the outbox: after a change (``fresh``: what it wrote) or on schedule (retries too)."""
    from smeplan.notifications.mail import outbox_send

    return outbox_send(limit=500 if fresh else 5000, fresh_only=fresh)
