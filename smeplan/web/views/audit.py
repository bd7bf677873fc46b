"""审计日志: provincial admins only."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from smeplan.audit.selectors import audit_events
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import require_page

EVENT_TYPES = [
    ("organisation.created", "登记单位"),
    ("organisation.updated", "修改单位信息"),
    ("organisation.renamed", "单位更名"),
    ("figures.created", "新增年度数据"),
    ("figures.updated", "修改年度数据"),
]


def _date(text: str, errors: list, label: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.append(f"{label}应为日期（如 2024-06-30），收到“{text}”，已忽略")
        return None


@login_required
def audit_list(request):
    user = request.user
    require_page(navigation.can_view_audit(user))
    params = {
        k: (request.GET.get(k) or "").strip()
        for k in ("actor", "event_type", "subject", "date_from", "date_to")
    }
    errors: list[str] = []
    qs = audit_events(
        user,
        actor=params["actor"],
        event_type=params["event_type"],
        subject=params["subject"],
        date_from=_date(params["date_from"], errors, "开始日期"),
        date_to=_date(params["date_to"], errors, "结束日期"),
    )
    page = page_of(qs, request.GET.get("page"), size=50)
    return render(
        request,
        "web/audit_list.html",
        {"page": page, "params": params, "errors": errors, "event_types": EVENT_TYPES},
    )
