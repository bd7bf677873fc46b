"""``confirmed_false_information`` returns exactly the organisations whose flag for the year a person
confirmed as false information: not open or cleared ones, not other years, not organisations outside
the ids asked about."""

import pytest
from django.utils import timezone

from smeplan.flags.models import FigureFlag, FlagKind, FlagState
from smeplan.flags.selectors import confirmed_false_information
from tests.factories import OrganisationFactory


def _flag(org, *, year=2024, kind=FlagKind.GROWTH, state=FlagState.OPEN):
    decided = state != FlagState.OPEN
    return FigureFlag.objects.create(
        organisation=org,
        year=year,
        kind=kind,
        message="测试疑点",
        state=state,
        decided_at=timezone.now() if decided else None,
        decision_note="核实" if decided else "",
    )


@pytest.mark.django_db
def test_only_confirmed_flags_of_the_year_among_the_ids_count():
    confirmed, twice, opened, cleared, other_year, not_asked = (OrganisationFactory() for _ in range(6))
    _flag(confirmed, state=FlagState.CONFIRMED)
    _flag(twice, state=FlagState.CONFIRMED)
    _flag(twice, kind=FlagKind.IDENTICAL, state=FlagState.CONFIRMED)
    _flag(opened)
    _flag(cleared, state=FlagState.CLEARED)
    _flag(cleared, kind=FlagKind.IDENTICAL)
    _flag(other_year, year=2023, state=FlagState.CONFIRMED)
    _flag(not_asked, state=FlagState.CONFIRMED)
    asked = [confirmed.pk, twice.pk, opened.pk, cleared.pk, other_year.pk]

    assert confirmed_false_information(year=2024, organisation_ids=asked) == {confirmed.pk, twice.pk}
    assert confirmed_false_information(year=2023, organisation_ids=asked) == {other_year.pk}
    assert confirmed_false_information(year=2024, organisation_ids=[]) == set()
    assert confirmed_false_information(year=2024, organisation_ids=iter(asked)) == {confirmed.pk, twice.pk}
