"""Reads of the false-information flags (虚假信息疑点)."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from smeplan.accounts.models import BUREAU_ROLES
from smeplan.accounts.scoping import scope_filter, scope_for
from smeplan.flags.models import FigureFlag, FlagKind, FlagState
from smeplan.recognition.models import Certification, CertificationState

CHUNK = 5_000


def confirmed_false_information(*, year: int, organisation_ids: Iterable[int]) -> set[int]:
    """The ids among ``organisation_ids`` with a flag for ``year`` that a person CONFIRMED as false
    information (确认为虚假信息). Open and cleared flags do not count. No scoping: the caller (e.g. the
    evaluation's termination proposals) has already chosen its organisations."""
    ids = sorted({int(i) for i in organisation_ids})
    out: set[int] = set()
    for i in range(0, len(ids), CHUNK):
        out.update(
            FigureFlag.objects.filter(
                year=year, state=FlagState.CONFIRMED, organisation_id__in=ids[i : i + CHUNK]
            ).values_list("organisation_id", flat=True)
        )
    return out


def may_read_flags(user) -> bool:
    """虚假信息疑点 pages and API: bureau users (province, cities, counties) with a scope."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in BUREAU_ROLES)
        and not scope_for(user).nothing
    )


def flags_visible_to(user) -> QuerySet[FigureFlag]:
    """The flags of the organisations in ``user``'s scope (bureau users only)."""
    qs = FigureFlag.objects.select_related("organisation__county", "decided_by")
    if not may_read_flags(user):
        return qs.none()
    return scope_filter(user, qs, organisation="organisation")


def flag_get(user, pk) -> FigureFlag:
    try:
        return flags_visible_to(user).get(pk=int(pk))
    except (FigureFlag.DoesNotExist, TypeError, ValueError):
        raise Http404("疑点不存在或不在您的管辖范围内") from None


FILTERS = ("year", "kind", "state", "county", "programme", "organisation")


def flags_filtered(
    user, *, year="", kind="", state="", county="", programme="", organisation=""
) -> QuerySet[FigureFlag]:
    """The visible flags narrowed by the list's filters (unknown values are ignored); ``programme``:
    organisations with an ACTIVE certification of that programme (code); ``organisation``: one
    organisation's flags (its id, from its page)."""
    qs = flags_visible_to(user)
    if str(organisation).strip().isdigit():
        qs = qs.filter(organisation_id=int(organisation))
    if str(year).strip().isdigit():
        qs = qs.filter(year=int(year))
    if kind in FlagKind.values:
        qs = qs.filter(kind=kind)
    if state in FlagState.values:
        qs = qs.filter(state=state)
    if county:
        qs = qs.filter(organisation__county_id=county)
    if programme:
        qs = qs.filter(
            Exists(
                Certification.objects.filter(
                    organisation_id=OuterRef("organisation_id"),
                    programme__code=programme,
                    state=CertificationState.ACTIVE,
                )
            )
        )
    return qs.order_by("-year", "state", "organisation__name", "kind", "id")


def flags_of(user, organisation) -> QuerySet[FigureFlag]:
    """One organisation's flags the user may see (bureau users), newest year first."""
    return flags_visible_to(user).filter(organisation_id=organisation.pk).order_by("-year", "kind", "id")
