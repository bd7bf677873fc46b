"""Writes of form versions (申报表设计 / 年度报告表设计): a new version of a programme's form,
checked by ``formdesign.design_check`` first. A stored version is never edited: applications and
reports keep the version they were filed on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from smeplan.accounts.scoping import require
from smeplan.audit.services import audit_record
from smeplan.programmes import formdesign
from smeplan.programmes.models import FormPurpose, FormVersion, Programme

FIRST_YEAR, LAST_YEAR = 2000, 2100


def may_design_forms(user, programme: Programme) -> bool:
    """Whoever manages the programme (``services.may_manage_programme``): provincial admins every
    programme, a city officer of a city-level unit the city- or county-level programmes its city owns."""
    from smeplan.programmes.services import may_manage_programme

    return may_manage_programme(user, programme)


@transaction.atomic
def form_version_create(
    *, actor, programme: Programme, purpose, design, effective_year, title, note: str = ""
) -> FormVersion:
    """Save ``design`` as the next version of ``programme``'s ``purpose`` form (申报表 or 年度报告表),
    in force from ``effective_year``. Every problem in one ValidationError: the design's (naming
    section and field), the year's, the title's; a refused call saves nothing."""
    require(
        may_design_forms(actor, programme),
        "只有省级管理员（或主管该市级、县级认定项目的市级工作人员）可以设计申报表",
    )
    errors: dict[str, list[str]] = {}
    if purpose not in FormPurpose.values:
        errors["purpose"] = ["表单用途应为申报表或年度报告表"]
    try:
        year = int(str(effective_year).strip())
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError
    except (TypeError, ValueError):
        errors["effective_year"] = [f"生效年度“{effective_year}”无效（应为 {FIRST_YEAR}–{LAST_YEAR} 的年份）"]
        year = None
    title = " ".join(str(title or "").split())
    if not title:
        errors["title"] = ["请填写表名（如：陕西省中小企业转型升级示范企业申报表）"]
    elif len(title) > 120:
        errors["title"] = [f"表名不能超过120个字（现为{len(title)}个字）"]
    try:
        design = formdesign.design_check(design)
    except ValidationError as exc:
        errors["design"] = exc.messages
    if errors:
        raise ValidationError(errors)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()  # one number at a time
    versions = FormVersion.objects.filter(programme=programme, purpose=purpose)
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = FormVersion.objects.create(
        programme=programme,
        purpose=purpose,
        number=number,
        effective_year=year,
        title=title,
        design=design,
        note=" ".join(str(note or "").split())[:200],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="form_version.created",
        subject=version,
        payload={
            "programme": programme.pk,
            "purpose": purpose,
            "number": number,
            "effective_year": year,
            "title": title,
            "note": version.note,
            "fields": sum(len(s["fields"]) for s in design["sections"]),
        },
    )
    return version
