"""The one way to notify (``notify``: in-system notification + e-mail through the outbox) and the
per-user e-mail setting (``notification_settings_update``).

``recognition.services.notify`` — what some 60 callers use — delegates here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from smeplan.audit.services import audit_record
from smeplan.notifications import mail
from smeplan.notifications.models import OutgoingMail


def wants_mail(user) -> bool:
    """Does this user get notification e-mails: an address, the setting on, an active account."""
    return bool(user.email and user.email_notifications and user.is_active)


def mail_rows(
    user_rows: Iterable, *, title: str, url: str, dedupe_key: str | None = None
) -> list[OutgoingMail]:
    """Unsaved outbox rows for the users who want mail (``user_rows``: users or objects with
    ``pk``, ``email``, ``email_notifications``, ``is_active``)."""
    subject, body = mail.compose(title, url)
    return [
        OutgoingMail(
            to=u.email,
            subject=subject,
            body=body,
            dedupe_key=f"{dedupe_key}:{u.pk}"[:120] if dedupe_key else None,
        )
        for u in user_rows
        if wants_mail(u)
    ]


class _AfterCommitSend:
    """The after-commit send of one transaction (``ran`` once called)."""

    def __init__(self):
        self.ran = False

    def __call__(self):
        self.ran = True
        mail.outbox_send_after_commit()


def schedule_outbox_send() -> None:
    """Send the outbox once the current transaction has committed (registered once per
    transaction, however many notifications it makes; immediately when there is none)."""
    pending = getattr(transaction.get_connection(), "run_on_commit", None) or []
    if any(isinstance(entry[1], _AfterCommitSend) and not entry[1].ran for entry in pending):
        return
    transaction.on_commit(_AfterCommitSend())


def notify(users: Iterable, *, kind: str, title: str, url: str = "", dedupe_key: str | None = None) -> int:
    """站内通知 for each user and, where SMTP is configured (``SMEPLAN_NOTIFY_BY_EMAIL``), one
    outbox mail for each who has an address and wants mail (``email_notifications``) — written in
    the caller's transaction, sent after it commits. ``dedupe_key``: a mail with this key (per
    user) is written only once, whatever the number of calls. Returns the number notified."""
    from smeplan.recognition.models import Notification

    users = [u for u in users if u is not None]
    if not users:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(
            [Notification(user=u, kind=kind, title=title[:300], url=url[:300]) for u in users]
        )
        if settings.SMEPLAN_NOTIFY_BY_EMAIL:
            rows = mail_rows(users, title=title, url=url, dedupe_key=dedupe_key)
            if rows:
                OutgoingMail.objects.bulk_create(rows, ignore_conflicts=dedupe_key is not None)
                schedule_outbox_send()
    return len(users)


@transaction.atomic
def notification_settings_update(*, actor, email_notifications: bool):
    """接收邮件通知 on or off — every signed-in user for their own account."""
    from django.core.exceptions import PermissionDenied

    from smeplan.accounts.models import User

    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied("请先登录")
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = user.email_notifications
    user.email_notifications = bool(email_notifications)
    user.save(update_fields=["email_notifications"])
    actor.email_notifications = user.email_notifications
    audit_record(
        actor=actor,
        event_type="notification.settings_updated",
        subject=user,
        payload={"changes": {"email_notifications": [before, user.email_notifications]}},
    )
    return user
