"""The e-mail outbox: what a notification mail says, and the sender that empties the outbox.

``OutgoingMail`` rows are written by ``services.notify`` in the transaction of the change they
report; ``outbox_send`` sends them afterwards over one connection of the configured mailer
(``MAILERS["default"]``, Django 6.1's mail API — ``django.core.mail.mailers.default``; the old
``get_connection()`` is deprecated there and reads the same setting).

Never twice: rows are taken in small batches under ``select_for_update(skip_locked=True)`` on
PostgreSQL (a second sender skips the rows the first holds) and inside the IMMEDIATE transaction
SQLite runs (``settings.DATABASES``: a second sender waits, then finds them sent); ``sent_at`` is
written in the same transaction. A row that fails keeps ``attempts`` and ``last_error`` (in Chinese)
and is tried again by the next scheduled run (``tasks.outbox_send_task``, every 10 minutes with
Celery beat, or ``manage.py reminders_send --mail-only`` from cron), up to ``MAX_ATTEMPTS`` times.
A failing mail server never undoes anything: the change and its in-system notification are
committed before the first attempt.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import socket

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from smeplan.notifications.models import OutgoingMail

log = logging.getLogger("smeplan.notifications")

SITE_NAME = "陕西省中小企业行动计划管理系统"
MAX_ATTEMPTS = 10
BATCH = 100  # rows per transaction: locks are held while they are sent
#: mails a request sends itself after its commit when there is no Celery broker (a bulk action
#: notifying more leaves the rest to the scheduled sender)
AFTER_COMMIT_LIMIT = 100


def full_url(url: str) -> str:
    """An absolute link for a mail: ``SMEPLAN_SITE_URL`` + the path (links already absolute stay)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    base = getattr(settings, "SMEPLAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/{url.lstrip('/')}"


def compose(title: str, url: str = "") -> tuple[str, str]:
    """(subject, body) of the notification mail: Chinese, with the full link."""
    subject = f"【{SITE_NAME}】{title}"
    subject = " ".join(subject.split())[:200]
    lines = ["您好：", "", title, ""]
    if url:
        lines += ["请登录系统查看和办理：", full_url(url), ""]
    settings_link = full_url("/notifications/settings/")
    lines += [
        "—— ",
        f"本邮件由{SITE_NAME}自动发送，请勿直接回复。",
        f"不想再收到邮件通知，可在“通知设置”中关闭：{settings_link}",
    ]
    return subject, "\n".join(lines)


def error_text(exc: BaseException) -> str:
    """The reason a mail was not sent, readable by a Chinese administrator (≤ 300 characters)."""
    detail = str(exc).strip()
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        text = "邮件服务器拒绝登录（用户名或密码不正确）"
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "邮件服务器拒收该收件地址"
    elif isinstance(exc, smtplib.SMTPSenderRefused):
        text = "邮件服务器拒绝发件地址（请检查 SMEPLAN_MAIL_FROM）"
    elif isinstance(exc, smtplib.SMTPServerDisconnected):
        text = "邮件服务器断开了连接"
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = f"邮件服务器返回错误（代码 {exc.smtp_code}）"
        detail = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
    elif isinstance(exc, smtplib.SMTPException):
        text = "邮件服务器返回错误"
    elif isinstance(exc, ConnectionRefusedError):
        text = "无法连接邮件服务器（连接被拒绝，服务器未启动或端口不对）"
    elif isinstance(exc, (socket.timeout, TimeoutError)):
        text = "连接邮件服务器超时"
    elif isinstance(exc, socket.gaierror):
        text = "找不到邮件服务器（主机名无法解析）"
    elif isinstance(exc, OSError):
        text = "无法连接邮件服务器（网络错误）"
    else:
        text = "发送失败"
    return (f"{text}：{detail}" if detail else text)[:300]


def _message(row: OutgoingMail):
    from django.core.mail import EmailMessage

    return EmailMessage(
        subject=row.subject, body=row.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.to]
    )


def _batch(*, fresh_only: bool, after_id: int, size: int) -> list[OutgoingMail]:
    qs = OutgoingMail.objects.filter(sent_at__isnull=True, id__gt=after_id)
    qs = qs.filter(attempts=0) if fresh_only else qs.filter(attempts__lt=MAX_ATTEMPTS)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.order_by("id")[:size])


def outbox_send(*, limit: int = 2000, fresh_only: bool = False) -> dict[str, int]:
    """Send up to ``limit`` unsent mails over one connection; returns {"sent", "failed"}.

    ``fresh_only``: only mails never tried (what a change just wrote — the after-commit drain);
    the scheduled runs also retry the failed ones. Never raises for a mail problem.
    """
    from django.core.mail import mailers

    sent = failed = 0
    if not settings.SMEPLAN_NOTIFY_BY_EMAIL:  # no SMTP server configured: nothing leaves
        return {"sent": 0, "failed": 0}
    if not OutgoingMail.objects.filter(sent_at__isnull=True).exists():
        return {"sent": 0, "failed": 0}
    conn = mailers.default
    opened = False
    last_id = 0
    try:
        while sent + failed < limit:
            with transaction.atomic():
                rows = _batch(fresh_only=fresh_only, after_id=last_id, size=min(BATCH, limit - sent - failed))
                if not rows:
                    break
                last_id = rows[-1].id
                now = timezone.now()
                broken = None  # a connection-level error: the rest of the batch is not tried
                for row in rows:
                    row.attempts += 1
                    if broken is not None:
                        row.last_error = broken
                        failed += 1
                        continue
                    try:
                        if not opened:
                            conn.open()
                            opened = True
                        conn.send_messages([_message(row)])
                    except Exception as exc:  # any transport error: kept, retried later
                        row.last_error = error_text(exc)
                        failed += 1
                        if not isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)):
                            broken = row.last_error
                            _close(conn)
                            opened = False
                        continue
                    row.sent_at, row.last_error = now, ""
                    sent += 1
                OutgoingMail.objects.bulk_update(rows, ["attempts", "sent_at", "last_error"])
            if broken is not None:
                break
    finally:
        if opened:
            _close(conn)
    if failed:
        log.warning("通知邮件：%s 封已发送，%s 封发送失败（稍后重试）", sent, failed)
    return {"sent": sent, "failed": failed}


def _close(conn) -> None:
    with contextlib.suppress(Exception):  # closing a broken connection
        conn.close()


def outbox_send_after_commit() -> None:
    """Registered once per transaction by ``notify``: send what the change wrote — queued to a
    worker where there is a broker, else here, at most ``AFTER_COMMIT_LIMIT`` (tried once here;
    failures and the rest are left to the scheduled runs). Never raises."""
    try:
        if getattr(settings, "CELERY_BROKER_URL", ""):
            from smeplan.notifications.tasks import outbox_send_task

            outbox_send_task.delay(fresh=True)
        else:
            outbox_send(limit=AFTER_COMMIT_LIMIT, fresh_only=True)
    except Exception:  # the change is committed: a mail problem must not surface as an error
        log.exception("通知邮件发送失败（稍后重试）")
