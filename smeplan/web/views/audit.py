"""审计日志: provincial admins only. Events read as a person reads them (``audit.display``)."""

import datetime as dt

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from smeplan.audit.display import describe_events
from smeplan.audit.events import EVENT_NAMES, event_name
from smeplan.audit.selectors import audit_event_types, audit_events, audit_subject_types
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import require_page

_ORDER = {code: n for n, code in enumerate(EVENT_NAMES)}


def _date(text: str, errors: list, label: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.append(f"{label}应为日期（如 2024-06-30），收到“{text}”，已忽略")
        return None


def _subject_kind(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return "其他对象"


@login_required
def audit_list(request):
    user = request.user
    require_page(navigation.can_view_audit(user))
    params = {
        k: (request.GET.get(k) or "").strip()
        for k in ("actor", "event_type", "subject", "subject_type", "date_from", "date_to")
    }
    errors: list[str] = []
    qs = audit_events(
        user,
        actor=params["actor"],
        event_type=params["event_type"],
        subject=params["subject"],
        subject_type=params["subject_type"],
        date_from=_date(params["date_from"], errors, "开始日期"),
        date_to=_date(params["date_to"], errors, "结束日期"),
    )
    page = page_of(qs, request.GET.get("page"), size=50)
    event_types = sorted(
        ((code, event_name(code)) for code in audit_event_types(user)),
        key=lambda item: (_ORDER.get(item[0], len(_ORDER)), item[1]),
    )
    subject_types = sorted(
        ((label, _subject_kind(label)) for label in audit_subject_types(user)), key=lambda x: x[1]
    )
    return render(
        request,
        "web/audit_list.html",
        {
            "page": page,
            "rows": describe_events(page.items),
            "params": params,
            "errors": errors,
            "event_types": event_types,
            "subject_types": subject_types,
        },
    )
