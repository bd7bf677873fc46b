"""Write services of yearly figures. Every changed value becomes a FigureRevision."""

from django.core.exceptions import ValidationError
from django.db import transaction

from smeplan.accounts.models import ORGANISATION_ROLES
from smeplan.accounts.scoping import can_write_organisation, require
from smeplan.audit.services import audit_record
from smeplan.indicators.integrity import organisations_lock
from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures, FigureRevision, FigureSource
from smeplan.indicators.plausibility import FigureWarning, figures_warnings
from smeplan.indicators.validation import figures_clean
from smeplan.registry.classification import above_scale, size_class
from smeplan.registry.models import Organisation


def _source_for(actor, source: str | None) -> str:
    if source:
        return source
    return FigureSource.ENTERPRISE if actor.role in ORGANISATION_ROLES else FigureSource.BUREAU


def _as_text(v):
    return None if v is None else str(v)


class FiguresNeedConfirmation(ValidationError):
    """The figures are valid but raise plausibility warnings (``indicators.plausibility``); nothing
    was saved. ``warnings`` are the FigureWarning objects; as a ValidationError it carries their
    messages per field, so pages and the API show them beside the fields. Saving again with
    ``confirm_warnings=True`` writes the figures and records the confirmed warnings in the audit."""

    def __init__(self, warnings: list[FigureWarning], key=None):
        """``key(warning)`` names the form field of a warning (default: its figure field)."""
        self.warnings = warnings
        errors: dict[str, list[str]] = {}
        for w in warnings:
            errors.setdefault(key(w) if key else w.field, []).append(w.message)
        super().__init__(errors)


def figures_check_warnings(
    *, organisation: Organisation, year: int, values: dict, changed=None, confirm_warnings: bool = False
) -> list[FigureWarning]:
    """The plausibility warnings of saving ``values`` (the whole year as it will be) for ``year``;
    raises FiguresNeedConfirmation unless ``confirm_warnings``. Reads the neighbouring years."""
    stored = {
        row["year"]: row
        for row in AnnualFigures.objects.filter(
            organisation=organisation, year__in=(year - 1, year + 1)
        ).values("year", *FIGURE_NAMES)
    }
    warnings = figures_warnings(year=year, values=values, stored=stored, changed=changed)
    if warnings and not confirm_warnings:
        raise FiguresNeedConfirmation(warnings)
    return warnings


@transaction.atomic
def figures_create(
    *,
    actor,
    organisation: Organisation,
    data: dict,
    source: str | None = None,
    note: str = "",
    confirm_warnings: bool = False,
) -> AnnualFigures:
    """新增年度数据. A second row for the same (organisation, year) is refused; plausibility
    warnings (tax above revenue, a sign flip …) refuse the save unless ``confirm_warnings``."""
    require(can_write_organisation(actor, organisation), "无权填报该单位的数据")
    values = figures_clean(data)
    year = values.pop("year")
    if AnnualFigures.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError({"year": [f"{organisation.name} {year} 年度数据已存在，请修改该年度数据"]})
    warnings = figures_check_warnings(
        organisation=organisation,
        year=year,
        values=values,
        changed={f for f, v in values.items() if v is not None},
        confirm_warnings=confirm_warnings,
    )
    organisations_lock([organisation.pk])  # what the foreign key would check (no db constraint)
    figures = AnnualFigures.objects.create(organisation=organisation, year=year, **values)
    source = _source_for(actor, source)
    FigureRevision.objects.bulk_create(
        [
            FigureRevision(
                organisation=organisation,
                year=year,
                field=f,
                old_value=None,
                new_value=v,
                source=source,
                note=note,
                actor=actor,
            )
            for f, v in values.items()
            if v is not None
        ]
    )
    organisation_reclassify(organisation=organisation)
    audit_record(
        actor=actor,
        event_type="figures.created",
        subject=organisation,
        payload={
            "year": year,
            "values": {k: _as_text(v) for k, v in values.items()},
            "source": source,
            **({"warnings_confirmed": [w.message for w in warnings]} if warnings else {}),
        },
    )
    return figures


@transaction.atomic
def figures_update(
    *,
    actor,
    organisation: Organisation,
    year: int,
    data: dict,
    source: str | None = None,
    note: str = "",
    confirm_warnings: bool = False,
) -> AnnualFigures:
    """修改年度数据: only the keys present change; each changed value is a revision (old → new).
    Plausibility warnings about the changed values refuse the save unless ``confirm_warnings``."""
    require(can_write_organisation(actor, organisation), "无权填报该单位的数据")
    figures = AnnualFigures.objects.select_for_update().filter(organisation=organisation, year=year).first()
    if figures is None:
        raise ValidationError({"year": [f"{organisation.name} 没有 {year} 年度数据，请先新增"]})
    values = figures_clean(
        {k: v for k, v in data.items() if k in FIGURE_NAMES}, partial=True, with_year=False
    )
    changes = {f: v for f, v in values.items() if getattr(figures, f) != v}
    if not changes:
        return figures
    warnings = figures_check_warnings(
        organisation=organisation,
        year=year,
        values={f: getattr(figures, f) for f in FIGURE_NAMES} | changes,
        changed=set(changes),
        confirm_warnings=confirm_warnings,
    )
    source = _source_for(actor, source)
    FigureRevision.objects.bulk_create(
        [
            FigureRevision(
                organisation=organisation,
                year=year,
                field=f,
                old_value=getattr(figures, f),
                new_value=v,
                source=source,
                note=note,
                actor=actor,
            )
            for f, v in changes.items()
        ]
    )
    before = {f: _as_text(getattr(figures, f)) for f in changes}
    for f, v in changes.items():
        setattr(figures, f, v)
    figures.save()
    organisation_reclassify(organisation=organisation)
    audit_record(
        actor=actor,
        event_type="figures.updated",
        subject=organisation,
        payload={
            "year": year,
            "before": before,
            "after": {k: _as_text(v) for k, v in changes.items()},
            "source": source,
            **({"warnings_confirmed": [w.message for w in warnings]} if warnings else {}),
        },
    )
    return figures


def organisation_reclassify(*, organisation: Organisation) -> None:
    """Refresh the cached size class and 四上 status from the latest year with figures.

    Called inside the figures/organisation services' transactions (not a service on its own)."""
    latest = AnnualFigures.objects.filter(organisation=organisation).order_by("-year").first()
    if latest is None:
        size, scale, year = "", None, None
    else:
        industry_code = organisation.industry_id
        size = (
            size_class(
                industry_code=industry_code,
                employees=latest.employees,
                operating_revenue=latest.operating_revenue,
                total_assets=latest.total_assets,
                year=latest.year,
            ).value
            or ""
        )
        scale = above_scale(
            industry_code=industry_code,
            main_business_revenue=latest.main_business_revenue,
            operating_revenue=latest.operating_revenue,
            construction_qualification=organisation.construction_qualification or None,
            year=latest.year,
        ).value
        year = latest.year
    Organisation.objects.filter(pk=organisation.pk).update(
        size_class=size, above_scale=scale, classified_year=year
    )
    organisation.size_class, organisation.above_scale, organisation.classified_year = size, scale, year
