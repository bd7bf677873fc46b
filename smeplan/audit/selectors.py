"""Reads of the audit trail: provincial admins only."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from smeplan.accounts.scoping import is_provincial_admin, require
from smeplan.audit.models import AuditEvent


def audit_events(
    user,
    *,
    actor: str = "",
    event_type: str = "",
    subject: str = "",
    subject_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered by actor username (contains), event type (exact),
    subject name (contains), subject type (exact) and date range (inclusive, local dates). Raises
    PermissionDenied unless ``user`` is a provincial admin."""
    require(is_provincial_admin(user), "仅省级管理员可以查看审计日志")
    qs = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    if actor:
        qs = qs.filter(actor__username__icontains=actor.strip())
    if event_type:
        qs = qs.filter(event_type=event_type.strip())
    if subject:
        subject = subject.strip()
        qs = qs.filter(subject_label__contains=subject)
    if subject_type:
        qs = qs.filter(subject_type=subject_type.strip())
    if date_from:
        qs = qs.filter(created_at__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    return qs


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the current time zone (keeps the created_at index usable)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_event_types(user) -> list[str]:
    """Every event type present in the trail (for the filter: nothing offered that finds nothing)."""
    require(is_provincial_admin(user), "仅省级管理员可以查看审计日志")
    return list(AuditEvent.objects.order_by().values_list("event_type", flat=True).distinct())


def audit_subject_types(user) -> list[str]:
    """Every kind of object (model label) the trail has events about."""
    require(is_provincial_admin(user), "仅省级管理员可以查看审计日志")
    return list(AuditEvent.objects.order_by().values_list("subject_type", flat=True).distinct())
