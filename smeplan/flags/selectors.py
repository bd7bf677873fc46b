"""Reads of the false-information flags (虚假信息疑点)."""

from collections.abc import Iterable

from smeplan.flags.models import FigureFlag, FlagState

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
