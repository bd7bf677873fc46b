"""Write services of the registry (企业名录). Each is atomic and records one audit event."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from smeplan.accounts.models import ORGANISATION_ROLES
from smeplan.accounts.scoping import can_write_organisation, can_write_region, require
from smeplan.audit.services import audit_record
from smeplan.registry.models import Organisation, OrganisationNameChange
from smeplan.registry.validation import organisation_clean


def _jsonable(values: dict) -> dict:
    out = {}
    for k, v in values.items():
        if hasattr(v, "pk"):
            out[k] = str(v.pk)
        elif isinstance(v, (dt.date,)) or (v is not None and not isinstance(v, (str, int, float, bool))):
            out[k] = str(v)
        else:
            out[k] = v
    return out


@transaction.atomic
def organisation_create(*, actor, data: dict) -> Organisation:
    """登记单位. Bureau users within their region only."""
    values = organisation_clean(data)
    require(can_write_region(actor, values["county"]), f"无权在“{values['county'].name}”登记单位")
    existing = Organisation.objects.filter(credit_code=values["credit_code"]).first()
    if existing is not None:
        raise ValidationError({"credit_code": [f"该统一社会信用代码已登记（{existing.name}）"]})
    organisation = Organisation.objects.create(**values)
    audit_record(
        actor=actor, event_type="organisation.created", subject=organisation, payload=_jsonable(values)
    )
    return organisation


#: What an enterprise (or agency) user changes itself. Name, county and address (迁址), 登记注册类型
#: and 并购/重组/转让 are 企业信息变更申请 the county approves (``portal.changes``).
EDITABLE_BY_ENTERPRISE = {
    "contact_person",
    "contact_phone",
    "founded_on",
    "registered_capital",
    "construction_qualification",
    "industry",
}


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict) -> Organisation:
    """修改单位信息 (not the name: use :func:`organisation_rename`, which keeps history)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require(can_write_organisation(actor, organisation), "无权修改该单位")
    data = {k: v for k, v in data.items() if k not in ("name", "credit_code")}
    values = organisation_clean(data, partial=True)
    if actor.role in ("enterprise_user", "agency_user"):
        forbidden = set(values) - EDITABLE_BY_ENTERPRISE
        if forbidden:
            raise ValidationError({f: ["企业用户不能修改此项，请联系主管部门"] for f in sorted(forbidden)})
    if "county" in values:
        require(can_write_region(actor, values["county"]), f"无权将单位迁入“{values['county'].name}”")
    changes = {k: v for k, v in values.items() if getattr(organisation, k) != v}
    if not changes:
        return organisation
    before = {k: getattr(organisation, k) for k in changes}
    for k, v in changes.items():
        setattr(organisation, k, v)
    organisation.save()
    if "industry" in changes or "construction_qualification" in changes:
        from smeplan.indicators.services import organisation_reclassify

        organisation_reclassify(organisation=organisation)
    audit_record(
        actor=actor,
        event_type="organisation.updated",
        subject=organisation,
        payload={"before": _jsonable(before), "after": _jsonable(changes)},
    )
    return organisation


@transaction.atomic
def organisation_rename(
    *, actor, organisation: Organisation, new_name: str, changed_on: dt.date | None = None
) -> Organisation:
    """更名: keeps (old name, new name, date); the former name stays searchable."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require(can_write_organisation(actor, organisation), "无权修改该单位")
    require(
        actor.role not in ORGANISATION_ROLES,
        "企业更名请提交信息变更申请，由所在区县主管部门审核",
    )
    new_name = " ".join(str(new_name or "").split())
    errors = {}
    if not new_name:
        errors["new_name"] = ["请填写新名称"]
    elif len(new_name) > 120:
        errors["new_name"] = ["单位名称不能超过120个字"]
    elif new_name == organisation.name:
        errors["new_name"] = ["新名称与现名称相同"]
    changed_on = changed_on or timezone.localdate()
    if changed_on > timezone.localdate():
        errors["changed_on"] = [f"更名日期不能晚于今天（收到 {changed_on}）"]
    if errors:
        raise ValidationError(errors)
    old_name = organisation.name
    OrganisationNameChange.objects.create(
        organisation=organisation,
        old_name=old_name,
        new_name=new_name,
        changed_on=changed_on,
        recorded_by=actor if actor.pk else None,
    )
    former = [n for n in organisation.former_names.split("|") if n]
    if old_name not in former:
        former.append(old_name)
    organisation.former_names = "|".join(former)
    organisation.name = new_name
    organisation.save(update_fields=["name", "former_names", "updated_at"])
    audit_record(
        actor=actor,
        event_type="organisation.renamed",
        subject=organisation,
        payload={"old_name": old_name, "new_name": new_name, "changed_on": str(changed_on)},
    )
    return organisation


@transaction.atomic
def organisation_relocate(*, actor, organisation: Organisation, county, address: str) -> Organisation:
    """迁址: the organisation moves to another county (and address). Decided by the bureau of the
    county it leaves (or one above it) — an approved 企业信息变更申请 authorises the move, so the
    bureau of the county it joins need not be the actor (``organisation_update`` would refuse that)."""
    organisation = Organisation.objects.select_for_update().select_related("county").get(pk=organisation.pk)
    require(
        can_write_region(actor, organisation.county),
        f"迁址由单位现所在的“{organisation.county.name}”主管部门办理",
    )
    values = organisation_clean({"county": county, "address": address}, partial=True)
    errors = {}
    if values["county"] == organisation.county:
        errors["county"] = ["迁入区县与现所在区县相同"]
    if not values["address"]:
        errors["address"] = ["请填写新地址"]
    if errors:
        raise ValidationError(errors)
    before = {"county": organisation.county, "address": organisation.address}
    organisation.county, organisation.address = values["county"], values["address"]
    organisation.save(update_fields=["county", "address", "updated_at"])
    audit_record(
        actor=actor,
        event_type="organisation.relocated",
        subject=organisation,
        payload={"before": _jsonable(before), "after": _jsonable(values)},
    )
    return organisation
