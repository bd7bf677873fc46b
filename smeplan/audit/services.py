"""The one way to record an audit event; every write service calls it inside its transaction."""

from django.db import transaction

from smeplan.audit.models import AuditEvent


def audit_record(*, actor, event_type: str, subject, payload: dict | None = None) -> AuditEvent:
    """Write one AuditEvent. Must run inside the calling service's atomic block."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    return AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        event_type=event_type,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        subject_label=str(subject)[:200],
        payload=payload or {},
    )
