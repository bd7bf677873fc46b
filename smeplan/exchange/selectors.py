"""Reads of imports, through the scoping function: a bureau sees the batches of its region and of
the regions under it (a city its counties'), the province all; everyone their own."""

from django.db.models import Q, QuerySet
from django.http import Http404

from smeplan.accounts.scoping import is_provincial_admin, records_filter
from smeplan.exchange.models import ImportBatch, ImportMappingTemplate


def batches_visible_to(user) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.select_related("uploaded_by", "region", "mapping_template")
    return records_filter(user, qs, region="region", owner="uploaded_by")


def batch_get(user, pk: int) -> ImportBatch:
    """The batch if ``user`` may see it, else 404 (never reveal that it exists)."""
    batch = batches_visible_to(user).filter(pk=pk).first()
    if batch is None:
        raise Http404("导入记录不存在或不在您的管辖范围内")
    return batch


def templates_visible_to(user, kind: str | None = None) -> QuerySet[ImportMappingTemplate]:
    """Mapping templates the user may use: their own and those of users of the same region."""
    qs = ImportMappingTemplate.objects.select_related("owner", "region")
    if kind:
        qs = qs.filter(kind=kind)
    if not user.is_authenticated:
        return qs.none()
    if is_provincial_admin(user):
        return qs
    shared = Q(region_id=user.region_id) if user.region_id else Q(pk__in=[])
    return qs.filter(Q(owner=user) | shared)


def batches_touching(user, organisation) -> tuple[list[ImportBatch], int]:
    """The imports that changed one organisation — registered it, changed its registry attributes,
    created a year of its figures (``AnnualFigures.import_batch``: first values have no revision) or
    wrote a figure revision of it — newest first: (those the user may open, how many others there are)."""
    from smeplan.exchange.models import ImportedOrganisation, ImportedOrganisationChange
    from smeplan.indicators.models import AnnualFigures, FigureRevision

    pk = organisation.pk
    ids = set(
        FigureRevision.objects.filter(organisation_id=pk, import_batch__isnull=False)
        .order_by()
        .values_list("import_batch_id", flat=True)
        .union(
            AnnualFigures.objects.filter(organisation_id=pk, import_batch__isnull=False)
            .order_by()
            .values_list("import_batch_id", flat=True),
            ImportedOrganisation.objects.filter(organisation_id=pk)
            .order_by()
            .values_list("batch_id", flat=True),
            ImportedOrganisationChange.objects.filter(organisation_id=pk)
            .order_by()
            .values_list("batch_id", flat=True),
        )
        .order_by()  # the union's own order: none (FigureRevision's default names no column of it)
    )
    if not ids:
        return [], 0
    existing = set(ImportBatch.objects.filter(pk__in=sorted(ids)).values_list("pk", flat=True))
    visible = list(batches_visible_to(user).filter(pk__in=sorted(existing)).order_by("-created_at", "-id"))
    return visible, len(existing) - len(visible)
