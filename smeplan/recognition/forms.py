"""An application's form: the design it is filed on (``Application.form_version``), its reference
year (the call's year, else the data year), the years of its figures and what a submission still
lacks. The engine is ``programmes.formdesign``; nothing here knows a programme."""

from __future__ import annotations

import json

from smeplan.programmes import formdesign
from smeplan.programmes.models import FormPurpose, FormVersion

#: the form of a programme that has no form version (yet), or of years before its first one:
#: the general annex-1 form (推荐登记表) the growth tiers use
GENERIC_FORM_FILE = formdesign.FORMS_FOLDER / "growth-tiers.application.2017.json"
_generic: dict | None = None


def generic_design() -> dict:
    global _generic
    if _generic is None:
        _generic = formdesign.design_check(
            json.loads(GENERIC_FORM_FILE.read_text(encoding="utf-8"))["design"]
        )
    return _generic


def reference_year(application) -> int:
    """申报年度 of the form: the call's year, or without a call the application's data year."""
    call = getattr(application, "call", None)
    return call.year if call is not None else application.year


def version_for(programme, year, *, call=None) -> FormVersion | None:
    """The form version an application of ``programme`` for ``year`` is filed on: the call's, else
    the version in force for the year, else (a year before the first version) the first one."""
    if call is not None and getattr(call, "form_version_id", None):
        return call.form_version
    version = formdesign.form_version_for(programme, FormPurpose.APPLICATION, year)
    if version is None:
        version = (
            FormVersion.objects.filter(programme=programme, purpose=FormPurpose.APPLICATION)
            .order_by("effective_year", "number")
            .first()
        )
    return version


def design_of(application) -> dict:
    """The (normalised) design ``application`` is filed on."""
    if application.form_version_id:
        return formdesign.design_check(application.form_version.design)
    return generic_design()


def title_of(application) -> str:
    if application.form_version_id:
        return application.form_version.title
    return "推荐登记表"


def figures_years(application, design: dict | None = None) -> list[int]:
    """The years of figures on the form (its figures field's offsets from the reference year)."""
    field = formdesign.figures_field(design or design_of(application))
    if field is None:
        return []
    ref = reference_year(application)
    return [ref + y for y in field["years"]]


def attachment_fields_present(application) -> set[str]:
    return set(application.attachments.exclude(field="").values_list("field", flat=True))


def missing(application) -> tuple[list[str], list[str]]:
    """(fields, attachments) a submission still lacks: the required visible fields without an
    answer and the required attachment fields without a file, by label."""
    labels = formdesign.missing_required(
        design_of(application),
        application.form or {},
        attachment_fields_present=attachment_fields_present(application),
    )
    files = [label[3:-1] for label in labels if label.startswith("附件「")]
    return [label for label in labels if not label.startswith("附件「")], files
