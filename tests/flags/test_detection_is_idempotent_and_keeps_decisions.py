"""Running detection again creates nothing new, keeps decided flags exactly as they are (even when
the figures no longer show the pattern), refreshes open ones and withdraws open ones no longer found."""

import pytest

from smeplan.flags.models import FigureFlag, FlagKind, FlagState
from smeplan.flags.services import flag_decide
from smeplan.indicators.models import AnnualFigures
from tests.factories import province_admin
from tests.flags.make import YEAR, detect, evaluated, revenues


@pytest.mark.django_db
def test_second_run_changes_nothing_and_decisions_survive():
    admin = province_admin()
    confirmed, cleared, corrected, refreshed = (evaluated(revenues(1000, 6000)) for _ in range(4))
    first = detect(admin)
    assert first["created"] == 4

    again = detect(admin)
    assert again == {**first, "created": 0, "refreshed": 0, "kept": 0, "withdrawn": 0}
    assert FigureFlag.objects.count() == 4

    flag_decide(
        actor=admin, flag=FigureFlag.objects.get(organisation=confirmed), confirmed=True, note="税务数据不符"
    )
    flag_decide(
        actor=admin, flag=FigureFlag.objects.get(organisation=cleared), confirmed=False, note="并购所致"
    )
    decided = {
        f.pk: (f.state, f.decided_at, f.message) for f in FigureFlag.objects.exclude(state=FlagState.OPEN)
    }
    # the figures change: the confirmed one no longer jumps; one open flag's pattern disappears, another's changes
    AnnualFigures.objects.filter(organisation__in=[confirmed, corrected], year=YEAR).update(
        operating_revenue=1100
    )
    AnnualFigures.objects.filter(organisation=refreshed, year=YEAR).update(operating_revenue=7000)

    third = detect(admin)

    assert (
        third["created"] == 0 and third["refreshed"] == 1 and third["withdrawn"] == 1 and third["kept"] == 2
    )
    assert {
        f.pk: (f.state, f.decided_at, f.message) for f in FigureFlag.objects.exclude(state=FlagState.OPEN)
    } == decided
    assert not FigureFlag.objects.filter(organisation=corrected).exists()
    assert "为上年的7倍" in FigureFlag.objects.get(organisation=refreshed, kind=FlagKind.GROWTH).message
