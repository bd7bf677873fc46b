"""企业信息变更申请 (重大变更) — what a firm may no longer change itself: its name (更名), its county and
address (迁址), its 登记注册类型, and 并购/重组/转让. The firm (or a bureau on its behalf) files a
request; the bureau of the county the firm is in (``request.county``, or a bureau above it) approves
or refuses it; the firm may withdraw it while it waits.

Approval applies the change to the registry in the same transaction — 更名 through
``registry.services.organisation_rename`` (name history kept), 迁址 through
``organisation_relocate`` (the request authorises the move, so the bureau of the county the firm
leaves decides it), 登记注册类型 through ``organisation_update``; 并购/重组/转让 change nothing in the
registry but are recorded — and, for a certified firm, raises each certification in force to its
certifying bureau as a 重大变化报告 (``recognition.services.change_report_file``, linked in
``raised_reports``) for the re-check. The firm's users are told the decision.

State machine: ``CHANGE_TRANSITIONS``, one row per (state, action); ``_move`` is the only code that
changes a request's state.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES, ORGANISATION_ROLES, User
from smeplan.accounts.scoping import can_write_region, require
from smeplan.audit.services import audit_record
from smeplan.portal.models import ProfileChangeKind, ProfileChangeRequest, ProfileChangeState
from smeplan.regions.models import Region
from smeplan.regions.selectors import region_resolve
from smeplan.registry.models import Organisation, OwnershipType

K = ProfileChangeKind
S = ProfileChangeState
FIRM, BUREAU = "firm", "bureau"


@dataclass(frozen=True)
class Row:
    state: str
    action: str
    actor: str  # FIRM: the firm's own users (or whoever filed it); BUREAU: the deciding bureau
    next_state: str


CHANGE_TRANSITIONS: tuple[Row, ...] = (
    Row(S.PENDING, "approve", BUREAU, S.APPROVED),
    Row(S.PENDING, "refuse", BUREAU, S.REFUSED),
    Row(S.PENDING, "withdraw", FIRM, S.WITHDRAWN),
)
_BY_KEY = {(r.state, r.action): r for r in CHANGE_TRANSITIONS}
assert len(_BY_KEY) == len(CHANGE_TRANSITIONS), "one row per (state, action)"

ACTION_LABELS = {"approve": "审核通过", "refuse": "不予通过", "withdraw": "撤回"}

#: the 重大变化报告 kind (``recognition.ChangeKind``) an approved request raises for a certified firm
REPORT_KINDS = {
    K.RENAME: "rename",
    K.RELOCATION: "other",
    K.LEGAL_FORM: "other",
    K.MERGER: "merger",
    K.RESTRUCTURING: "restructuring",
    K.TRANSFER: "transfer",
}

#: the kinds that change the registry (the others are recorded only)
REGISTRY_KINDS = (K.RENAME, K.RELOCATION, K.LEGAL_FORM)
DESCRIPTION_MIN = 5


# --- who may act ---------------------------------------------------------------------------------


def is_firm_user(user, organisation_id) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in ORGANISATION_ROLES
        and user.organisation_id == organisation_id
    )


def is_bureau_over(user, county: Region) -> bool:
    """A bureau user whose scope covers ``county`` (its county bureau, its city, the province)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in BUREAU_ROLES)
        and can_write_region(user, county)
    )


def may_file(user, organisation: Organisation) -> bool:
    return is_firm_user(user, organisation.pk) or is_bureau_over(user, organisation.county)


def _may(user, request: ProfileChangeRequest, who: str) -> bool:
    if who == FIRM:
        return is_firm_user(user, request.organisation_id) or (
            user.is_authenticated and request.requested_by_id == user.pk
        )
    return is_bureau_over(user, request.county)


def actions_for(user, request: ProfileChangeRequest) -> list[str]:
    """The actions ``user`` may take on ``request`` now (what the pages and the API offer)."""
    out = []
    for action in ("approve", "refuse", "withdraw"):
        row = _BY_KEY.get((request.state, action))
        if row is not None and _may(user, request, row.actor):
            out.append(action)
    return out


def _move(request: ProfileChangeRequest, action: str, *, actor) -> None:
    """The only code that changes a request's state: along a row of ``CHANGE_TRANSITIONS``, by the
    row's actor."""
    row = _BY_KEY.get((request.state, action))
    if row is None:
        raise ValidationError(f"「{request.get_state_display()}」的申请不能{ACTION_LABELS[action]}")
    if row.actor == FIRM:
        require(_may(actor, request, FIRM), "只有申请单位可以撤回申请")
    else:
        require(
            _may(actor, request, BUREAU),
            f"信息变更申请由“{request.county.name}”主管部门审核",
        )
    request.state = row.next_state
    if row.actor == BUREAU:
        request.decided_by, request.decided_at = actor, timezone.now()


# --- filing --------------------------------------------------------------------------------------


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _date(raw, errors: dict) -> dt.date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors["effective_on"] = [f"变更日期应为日期（如 2026-06-30），收到“{raw}”"]
    return None


def _ownership(raw) -> str | None:
    text = _text(raw)
    for value, label in OwnershipType.choices:
        if text in (value, str(label)):
            return value
    return None


def change_clean(organisation: Organisation, data: dict) -> dict:
    """The request's values for its kind; every problem at once as ``{field: [中文]}``."""
    errors: dict[str, list[str]] = {}
    kind = _text(data.get("kind"))
    out: dict = {
        "kind": kind,
        "new_name": "",
        "new_county": None,
        "new_address": "",
        "new_ownership_type": "",
    }
    if kind not in K.values:
        errors["kind"] = ["请选择变更类型"]
    description = str(data.get("description") or "").strip()
    if len(description) > 2000:
        errors["description"] = [f"变更情况不能超过2000个字（现有{len(description)}个）"]
    out["description"] = description
    if kind == K.RENAME:
        name = _text(data.get("new_name"))
        if not name:
            errors["new_name"] = ["请填写新名称"]
        elif len(name) > 120:
            errors["new_name"] = [f"单位名称不能超过120个字（现有{len(name)}个）"]
        elif name == organisation.name:
            errors["new_name"] = ["新名称与现名称相同"]
        out["new_name"] = name
    elif kind == K.RELOCATION:
        raw = data.get("new_county")
        county = (
            raw if isinstance(raw, Region) else (region_resolve(str(raw)) if raw not in (None, "") else None)
        )
        if raw in (None, ""):
            errors["new_county"] = ["请选择迁入区县"]
        elif county is None:
            errors["new_county"] = [f"未知区县“{raw}”：请填写陕西省的县级行政区名称或代码"]
        elif not county.is_county:
            errors["new_county"] = [f"“{county.name}”不是县级行政区，请选择具体区县"]
        elif county.pk == organisation.county_id:
            errors["new_county"] = ["迁入区县与现所在区县相同"]
        else:
            out["new_county"] = county
        address = _text(data.get("new_address"))
        if not address:
            errors["new_address"] = ["请填写新地址"]
        elif len(address) > 200:
            errors["new_address"] = [f"地址不能超过200个字（现有{len(address)}个）"]
        out["new_address"] = address
    elif kind == K.LEGAL_FORM:
        raw = data.get("new_ownership_type")
        value = _ownership(raw)
        if not _text(raw):
            errors["new_ownership_type"] = ["请选择新的登记注册类型"]
        elif value is None:
            options = "、".join(str(label) for _v, label in OwnershipType.choices)
            errors["new_ownership_type"] = [f"登记注册类型“{raw}”无效，可选：{options}"]
        elif value == organisation.ownership_type:
            errors["new_ownership_type"] = ["与现登记注册类型相同"]
        else:
            out["new_ownership_type"] = value
    elif kind in (K.MERGER, K.RESTRUCTURING, K.TRANSFER) and len(description) < DESCRIPTION_MIN:
        errors["description"] = [f"请写明{K(kind).label}的情况（至少{DESCRIPTION_MIN}个字）"]
    effective_on = _date(data.get("effective_on"), errors)
    if effective_on is not None and effective_on > timezone.localdate():
        errors["effective_on"] = [f"变更日期不能晚于今天（收到 {effective_on:%Y-%m-%d}）"]
    out["effective_on"] = effective_on
    if (
        kind in K.values
        and ProfileChangeRequest.objects.filter(
            organisation=organisation, kind=kind, state=S.PENDING
        ).exists()
    ):
        errors.setdefault("kind", []).append(
            f"本单位已有待审核的“{K(kind).label}”申请，请等待审核结果，或撤回后重新提交"
        )
    if errors:
        raise ValidationError(errors)
    return out


def _url(pk: int) -> str:
    return reverse("change_request_detail", args=[pk])


def _firm_users(organisation_id: int):
    return User.objects.filter(
        organisation_id=organisation_id, role__in=list(ORGANISATION_ROLES), is_active=True
    )


@transaction.atomic
def change_request_file(*, actor, organisation: Organisation, data: dict) -> ProfileChangeRequest:
    """提交企业信息变更申请 — by the firm's own users, or a bureau over the firm's county on its behalf.
    The county bureau is told (站内通知)."""
    from smeplan.recognition.services import bureau_users, notify

    # the organisation's row lock makes "one pending request per kind" hold under concurrent filing
    organisation = Organisation.objects.select_for_update().select_related("county").get(pk=organisation.pk)
    require(may_file(actor, organisation), "只有本单位或其主管部门可以提交信息变更申请")
    values = change_clean(organisation, data)
    request = ProfileChangeRequest.objects.create(
        organisation=organisation,
        county=organisation.county,
        requested_by=actor,
        **values,
    )
    audit_record(
        actor=actor,
        event_type="profile_change.filed",
        subject=organisation,
        payload={"kind": request.kind, "change_request": request.pk},
    )
    if actor.role in ORGANISATION_ROLES:
        notify(
            bureau_users(organisation.county_id),
            kind="profile_change",
            title=f"企业信息变更申请待审核：{organisation.name}（{request.get_kind_display()}）",
            url=_url(request.pk),
        )
    return request


# --- deciding ------------------------------------------------------------------------------------


def _locked(request: ProfileChangeRequest) -> ProfileChangeRequest:
    return (
        ProfileChangeRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "county", "new_county")
        .get(pk=request.pk)
    )


def change_summary(request: ProfileChangeRequest, organisation: Organisation) -> str:
    """What the change is, in one line (for the 重大变化报告 raised to the certifying bureau)."""
    if request.kind == K.RENAME:
        what = f"名称由“{organisation.name}”变更为“{request.new_name}”"
    elif request.kind == K.RELOCATION:
        what = f"由{organisation.county.name}迁至{request.new_county.name}（{request.new_address}）"
    elif request.kind == K.LEGAL_FORM:
        old = organisation.get_ownership_type_display() or "未填写"
        what = f"登记注册类型由“{old}”变更为“{OwnershipType(request.new_ownership_type).label}”"
    else:
        what = request.get_kind_display()
    head = f"{request.get_kind_display()}：{what}（{request.county.name}主管部门审核通过的企业信息变更申请）"
    return f"{head}。{request.description}" if request.description else head


def _before(request: ProfileChangeRequest, organisation: Organisation) -> dict:
    if request.kind == K.RENAME:
        return {"name": organisation.name}
    if request.kind == K.RELOCATION:
        return {
            "county": organisation.county_id,
            "county_name": organisation.county.name,
            "address": organisation.address,
        }
    if request.kind == K.LEGAL_FORM:
        return {"ownership_type": organisation.ownership_type}
    return {}


def _raise_reports(*, actor, request: ProfileChangeRequest, organisation: Organisation) -> list:
    """A 重大变化报告 for each certification in force, to its certifying bureau (before a rename is
    applied: the report names the new name as different from the current one)."""
    from smeplan.recognition import clock
    from smeplan.recognition.models import Certification, CertificationState
    from smeplan.recognition.selectors import in_force_on
    from smeplan.recognition.services import change_report_file

    certifications = list(
        Certification.objects.filter(organisation_id=organisation.pk, state=CertificationState.ACTIVE)
        .filter(in_force_on(clock.today()))
        .order_by("id")
    )
    description = change_summary(request, organisation)
    reports, errors = [], []
    for certification in certifications:
        try:
            reports.append(
                change_report_file(
                    actor=actor,
                    certification=certification,
                    kind=REPORT_KINDS[request.kind],
                    description=description,
                    new_name=request.new_name if request.kind == K.RENAME else "",
                )
            )
        except ValidationError as exc:
            errors += [f"{certification.title}：{m}" for m in exc.messages]
    if errors:
        raise ValidationError(["无法报认定部门复核，未作变更：", *errors])
    return reports


def _apply(*, actor, request: ProfileChangeRequest, organisation: Organisation) -> None:
    from smeplan.registry.services import organisation_relocate, organisation_rename, organisation_update

    if request.kind == K.RENAME:
        organisation_rename(
            actor=actor,
            organisation=organisation,
            new_name=request.new_name,
            changed_on=request.effective_on or timezone.localdate(),
        )
    elif request.kind == K.RELOCATION:
        organisation_relocate(
            actor=actor, organisation=organisation, county=request.new_county, address=request.new_address
        )
    elif request.kind == K.LEGAL_FORM:
        organisation_update(
            actor=actor, organisation=organisation, data={"ownership_type": request.new_ownership_type}
        )


def _still_applies(request: ProfileChangeRequest, organisation: Organisation) -> None:
    """The registry may have changed since the request was filed (a bureau edited it)."""
    if request.kind == K.RENAME and organisation.name == request.new_name:
        raise ValidationError({"new_name": ["名录中的名称已是新名称，无需变更"]})
    if request.kind == K.RELOCATION and organisation.county_id == request.new_county_id:
        raise ValidationError({"new_county": ["该单位已在迁入区县，无需变更"]})
    if request.kind == K.LEGAL_FORM and organisation.ownership_type == request.new_ownership_type:
        raise ValidationError({"new_ownership_type": ["名录中的登记注册类型已是新类型，无需变更"]})


@transaction.atomic
def change_request_approve(*, actor, request: ProfileChangeRequest, note: str = "") -> ProfileChangeRequest:
    """审核通过: applies the change to the registry, raises it to the certifying bureaus of a
    certified firm, tells the firm."""
    from smeplan.recognition.services import notify

    request = _locked(request)
    _move(request, "approve", actor=actor)
    organisation = (
        Organisation.objects.select_for_update().select_related("county").get(pk=request.organisation_id)
    )
    _still_applies(request, organisation)
    request.before = _before(request, organisation)
    reports = _raise_reports(actor=actor, request=request, organisation=organisation)
    _apply(actor=actor, request=request, organisation=organisation)
    request.decision_note = _text(note)[:500]
    request.save()
    request.raised_reports.set(reports)
    audit_record(
        actor=actor,
        event_type="profile_change.approved",
        subject=organisation,
        payload={
            "kind": request.kind,
            "change_request": request.pk,
            "note": request.decision_note,
            "reports": [r.pk for r in reports],
        },
    )
    raised = f"，已报认定部门复核 {len(reports)} 项认定" if reports else ""
    notify(
        _firm_users(organisation.pk),
        kind="profile_change",
        title=f"企业信息变更申请已通过：{request.get_kind_display()}{raised}",
        url=_url(request.pk),
    )
    return request


@transaction.atomic
def change_request_refuse(*, actor, request: ProfileChangeRequest, note: str) -> ProfileChangeRequest:
    """不予通过, with the reason (required); the firm is told."""
    from smeplan.recognition.services import notify

    request = _locked(request)
    _move(request, "refuse", actor=actor)
    note = _text(note)
    if not note:
        raise ValidationError({"note": ["请填写不予通过的理由"]})
    if len(note) > 500:
        raise ValidationError({"note": [f"审核意见不能超过500个字（现有{len(note)}个）"]})
    request.decision_note = note
    request.save()
    audit_record(
        actor=actor,
        event_type="profile_change.refused",
        subject=request.organisation,
        payload={"kind": request.kind, "change_request": request.pk, "note": note},
    )
    notify(
        _firm_users(request.organisation_id),
        kind="profile_change",
        title=f"企业信息变更申请未通过：{request.get_kind_display()}（{note}）",
        url=_url(request.pk),
    )
    return request


@transaction.atomic
def change_request_withdraw(*, actor, request: ProfileChangeRequest) -> ProfileChangeRequest:
    """撤回 a request still waiting (the firm, or whoever filed it)."""
    request = _locked(request)
    _move(request, "withdraw", actor=actor)
    request.save()
    audit_record(
        actor=actor,
        event_type="profile_change.withdrawn",
        subject=request.organisation,
        payload={"kind": request.kind, "change_request": request.pk},
    )
    return request
