"""Reads of the enterprise self-service (企业自助服务): 企业信息变更申请 through the one scoping function
(an enterprise user sees its own organisation's, a bureau those of the organisations in its area),
the bureau's queue (requests waiting in the counties it covers) and the registry's 信息变更记录
(approved requests, before → after); and what an enterprise's home gathers (``due_obligations``)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from smeplan.accounts.models import BUREAU_ROLES
from smeplan.accounts.scoping import county_scope_q, scope_for, scope_q
from smeplan.portal.models import ProfileChangeKind, ProfileChangeRequest, ProfileChangeState
from smeplan.registry.models import OwnershipType

_RELATED = ("organisation", "organisation__county", "county", "new_county", "requested_by", "decided_by")


def change_requests_visible_to(user) -> QuerySet[ProfileChangeRequest]:
    """The requests of the organisations ``user`` sees (``scope_q``: scoping follows a firm that
    moved), and for a bureau also those its counties received (``request.county``): the county a
    firm left keeps the record of the move it decided."""
    qs = ProfileChangeRequest.objects.select_related(*_RELATED)
    if not user.is_authenticated:
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    if scope.nothing:
        return qs.none()
    condition = scope_q(user, organisation="organisation")
    if scope.county_codes:
        condition |= county_scope_q(user)
    return qs.filter(condition)


def change_request_get(user, pk) -> ProfileChangeRequest:
    try:
        return change_requests_visible_to(user).get(pk=int(pk))
    except (ProfileChangeRequest.DoesNotExist, TypeError, ValueError):
        raise Http404("变更申请不存在或不在您的管辖范围内") from None


def change_requests_of(user, organisation) -> QuerySet[ProfileChangeRequest]:
    """One organisation's requests (every state), newest first."""
    return change_requests_visible_to(user).filter(organisation_id=organisation.pk)


def change_queue(user, *, state: str = ProfileChangeState.PENDING, kind: str = "") -> QuerySet:
    """信息变更审核: requests of the counties the bureau user covers (``request.county``), oldest
    waiting first; ``state`` "" for every state (newest first)."""
    if not (user.is_authenticated and user.is_active and (user.is_superuser or user.role in BUREAU_ROLES)):
        return ProfileChangeRequest.objects.none()
    qs = ProfileChangeRequest.objects.select_related(*_RELATED).filter(county_scope_q(user))
    if kind in ProfileChangeKind.values:
        qs = qs.filter(kind=kind)
    if state in ProfileChangeState.values:
        return qs.filter(state=state).order_by("requested_at", "id")
    return qs.order_by("-requested_at", "-id")


def change_queue_count(user) -> int:
    return change_queue(user).count()


@dataclass(frozen=True)
class Line:
    label: str
    before: str
    after: str


def _ownership_label(value: str) -> str:
    return str(OwnershipType(value).label) if value in OwnershipType.values else "未填写"


def change_lines(request: ProfileChangeRequest) -> list[Line]:
    """What the request changes, as “项目：原值 → 新值” (the original values from ``before`` once
    approved, else from the registry as it is now)."""
    before = request.before or {}
    org = request.organisation
    if request.kind == ProfileChangeKind.RENAME:
        return [Line("名称", before.get("name", org.name), request.new_name)]
    if request.kind == ProfileChangeKind.RELOCATION:
        return [
            Line(
                "所属区县",
                before.get("county_name", request.county.name),
                request.new_county.name if request.new_county else "—",
            ),
            Line("地址", before.get("address", org.address) or "—", request.new_address),
        ]
    if request.kind == ProfileChangeKind.LEGAL_FORM:
        return [
            Line(
                "登记注册类型",
                _ownership_label(before.get("ownership_type", org.ownership_type)),
                _ownership_label(request.new_ownership_type),
            )
        ]
    return []


def change_history_of(user, organisation) -> list[ProfileChangeRequest]:
    """信息变更记录: the organisation's approved requests (who, when, what: before → after), newest
    decision first — one query."""
    rows = list(
        change_requests_of(user, organisation)
        .filter(state=ProfileChangeState.APPROVED)
        .order_by("-decided_at", "-id")
    )
    for r in rows:
        r.lines = change_lines(r)
    return rows
