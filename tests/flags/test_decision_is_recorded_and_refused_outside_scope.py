"""A bureau user in scope confirms or clears a flag with a note: who, when and the note are kept, with
one audit event. Outside the scope, without a note, or by a non-bureau user the decision is refused and
nothing changes; a decided flag is changed only by the province (final say)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.accounts.models import Role
from smeplan.audit.models import AuditEvent
from smeplan.flags.models import FigureFlag, FlagState
from smeplan.flags.services import flag_decide
from tests.factories import UserFactory, city_officer, county_officer, enterprise_user, province_admin
from tests.flags.make import detect, evaluated, revenues


@pytest.fixture
def flags(db):
    mine = evaluated(revenues(1000, 6000))
    foreign = evaluated(revenues(1000, 6000), county="610302")
    detect()
    return FigureFlag.objects.get(organisation=mine), FigureFlag.objects.get(organisation=foreign)


def _unchanged(flag):
    fresh = FigureFlag.objects.get(pk=flag.pk)
    return (fresh.state, fresh.decided_by_id, fresh.decided_at, fresh.decision_note) == (
        FlagState.OPEN, None, None, "",
    )  # fmt: skip


def test_a_county_officer_confirms_with_a_note(flags):
    mine, _ = flags
    officer = county_officer()
    flag = flag_decide(actor=officer, flag=mine, confirmed=True, note="  与纳税记录不符  ")
    flag.refresh_from_db()
    assert flag.state == FlagState.CONFIRMED
    assert flag.decided_by == officer and flag.decided_at is not None
    assert flag.decision_note == "与纳税记录不符"
    event = AuditEvent.objects.get(event_type="flag.decided")
    assert event.payload["to"] == "confirmed" and event.payload["from"] == "open"


def test_refusals_change_nothing(flags):
    mine, foreign = flags
    with pytest.raises(PermissionDenied, match="无权核实"):
        flag_decide(actor=county_officer(), flag=foreign, confirmed=True, note="越权")
    with pytest.raises(PermissionDenied):
        flag_decide(actor=city_officer("610300"), flag=mine, confirmed=False, note="越权")
    with pytest.raises(ValidationError, match="请填写核实意见"):
        flag_decide(actor=county_officer(), flag=mine, confirmed=True, note="   ")
    for user in (UserFactory(role=Role.VIEWER), enterprise_user(mine.organisation)):
        with pytest.raises(PermissionDenied):
            flag_decide(actor=user, flag=mine, confirmed=False, note="不是主管部门")
    assert _unchanged(mine) and _unchanged(foreign)
    assert not AuditEvent.objects.filter(event_type="flag.decided").exists()


def test_only_the_province_changes_a_decision(flags):
    mine, _ = flags
    flag_decide(actor=county_officer(), flag=mine, confirmed=False, note="企业并购，数据真实")
    with pytest.raises(PermissionDenied, match="只有省级"):
        flag_decide(actor=city_officer(), flag=mine, confirmed=True, note="改判")
    assert FigureFlag.objects.get(pk=mine.pk).state == FlagState.CLEARED
    admin = province_admin()
    flag_decide(actor=admin, flag=mine, confirmed=True, note="省级复核：并购不实")
    mine.refresh_from_db()
    assert (mine.state, mine.decided_by, mine.decision_note) == (
        FlagState.CONFIRMED,
        admin,
        "省级复核：并购不实",
    )
