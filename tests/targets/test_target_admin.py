"""Provincial admins keep the plan periods, targets and city shares: every problem named per field in
Chinese with nothing written, only provincial admins (a city officer or a provincial officer is
refused), and an audit event for each change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.accounts.models import Role
from smeplan.audit.models import AuditEvent
from smeplan.targets.models import PlanPeriod, Target, TargetShare
from smeplan.targets.services import period_create, target_create, target_shares_set, target_update
from tests.factories import UserFactory, city_officer, province_admin, region
from tests.targets.make import period_13th, target

pytestmark = pytest.mark.django_db

PERIOD_14TH = {"code": "14th", "name": "“十四五”（2021—2025年）", "start_year": "2021", "end_year": "2025"}


def _target_data(**changes) -> dict:
    data = {
        "code": "bases-new",
        "plan": "bases",
        "name": "国家级小型微型企业创业创新示范基地",
        "description": "到“十四五”末，新增国家级示范基地 10 个",
        "value": "10",
        "unit": "个",
        "kind": "cumulative",
        "deadline": "2025-12-31",
        "scope": "province",
        "source": "reported",
        "reporter": "省工信厅",
    }
    data.update(changes)
    return data


def _state():
    return (
        list(PlanPeriod.objects.order_by("code").values_list("code", "start_year", "end_year")),
        list(
            Target.objects.order_by("id").values_list(
                "code", "value", "metric", "reporter", "deadline", "scope"
            )
        ),
        list(TargetShare.objects.order_by("id").values_list("target_id", "region_id", "value")),
        AuditEvent.objects.filter(event_type__startswith="target.").count(),
    )


def _errors(call) -> dict:
    before = _state()
    with pytest.raises(ValidationError) as refused:
        call()
    assert _state() == before  # nothing written
    return refused.value.message_dict


def test_a_new_period_is_created_and_audited():
    admin = province_admin()
    period = period_create(actor=admin, data=PERIOD_14TH)
    assert (period.code, period.name, period.start_year, period.end_year) == (
        "14th",
        "“十四五”（2021—2025年）",
        2021,
        2025,
    )
    event = AuditEvent.objects.get(event_type="target.period_created")
    assert (event.actor, event.subject_id, event.payload) == (admin, str(period.pk), {"code": "14th"})


def test_a_period_overlapping_another_is_refused():
    errors = _errors(
        lambda: period_create(
            actor=province_admin(), data={**PERIOD_14TH, "start_year": "2020", "end_year": "2024"}
        )
    )
    assert errors["start_year"] == ["2020—2024 与已有规划期““十三五”（2016—2020年）”（2016—2020）重叠"]
    assert not PlanPeriod.objects.filter(code="14th").exists()
    errors = _errors(
        lambda: period_create(
            actor=province_admin(), data={**PERIOD_14TH, "code": "13th", "end_year": "2019"}
        )
    )
    assert errors["code"] == ["代码“13th”已被使用"]
    assert errors["end_year"] == ["终止年度 2019 早于起始年度 2021"]


def test_a_reported_target_is_created_at_the_end_of_its_period_and_audited():
    admin = province_admin()
    period = period_create(actor=admin, data=PERIOD_14TH)
    first = target_create(actor=admin, period=period, data=_target_data())
    second = target_create(
        actor=admin, period=period, data=_target_data(code="bases-more", metric="growth.city")
    )
    assert (first.value, first.deadline, first.reporter, first.created_by) == (
        Decimal("10"),
        dt.date(2025, 12, 31),
        "省工信厅",
        admin,
    )
    assert second.position == first.position + 1
    assert second.metric == ""  # a reported target has no metric
    assert AuditEvent.objects.filter(event_type="target.created", actor=admin).count() == 2


def test_a_computed_target_needs_a_known_metric():
    admin = province_admin()
    period = period_create(actor=admin, data=PERIOD_14TH)
    errors = _errors(
        lambda: target_create(
            actor=admin, period=period, data=_target_data(source="computed", metric="growth.everything")
        )
    )
    assert errors["metric"][0].startswith("系统统计的目标须选择统计口径，收到“growth.everything”")
    assert "growth.all_levels（各级梯队企业）" in errors["metric"][0]
    made = target_create(
        actor=admin,
        period=period,
        data=_target_data(source="computed", metric="growth.all_levels", reporter=""),
    )
    assert (made.source, made.metric) == ("computed", "growth.all_levels")


def test_a_reported_target_needs_its_reporter_and_a_deadline_within_the_period():
    admin = province_admin()
    period = period_create(actor=admin, data=PERIOD_14TH)
    errors = _errors(
        lambda: target_create(
            actor=admin, period=period, data=_target_data(reporter="", deadline="2026-12-31", value="0")
        )
    )
    assert errors["reporter"] == ["部门填报的目标须写明填报部门"]
    assert errors["deadline"] == ["完成期限 2026-12-31 不在规划期 2021—2025 内"]
    assert errors["value"] == ["目标值应大于 0，收到“0”"]
    errors = _errors(
        lambda: target_create(actor=admin, period=period, data=_target_data(deadline="2025/12/31"))
    )
    assert errors["deadline"] == ["完成期限应为日期（如 2020-12-31），收到“2025/12/31”"]
    errors = _errors(
        lambda: target_create(actor=admin, period=period, data=_target_data(kind="share", value="120"))
    )
    assert errors["value"] == ["比重类目标以百分数填写，应不超过 100，收到“120”"]
    errors = _errors(
        lambda: target_create(actor=admin, period=period_13th(), data=_target_data(code="bases-total"))
    )
    assert "本规划期已有代码为“bases-total”的目标" in errors["code"]


def test_updating_a_target_keeps_old_and_new_in_the_audit():
    admin = province_admin()
    t = target("financing-listed")
    data = {key: "" if getattr(t, key) is None else str(getattr(t, key)) for key in _target_data()}
    data.update(
        baseline="",
        source_document=t.source_document,
        seed_section=t.seed_section,
        value="350",
        reporter="陕西证监局、省金融办",
    )
    updated = target_update(actor=admin, target=t, data=data)
    updated.refresh_from_db()
    assert (updated.value, updated.reporter) == (Decimal("350"), "陕西证监局、省金融办")
    event = AuditEvent.objects.get(event_type="target.updated")
    assert event.actor == admin
    assert event.payload["changes"] == {
        "value": ["300.00", "350"],
        "reporter": [t.reporter, "陕西证监局、省金融办"],
    }
    # the same data again: nothing changed, no event
    target_update(actor=admin, target=updated, data=data)
    assert AuditEvent.objects.filter(event_type="target.updated").count() == 1
    errors = _errors(
        lambda: target_update(actor=admin, target=updated, data={**data, "deadline": "2015-12-31"})
    )
    assert errors["deadline"] == ["完成期限 2015-12-31 不在规划期 2016—2020 内"]


def test_shares_break_a_target_down_per_city():
    admin = province_admin()
    t = target("growth-province-tier")
    assert t.scope == "province"
    errors = _errors(
        lambda: target_shares_set(
            actor=admin, target=t, shares={"610100": "1200", "610113": "5", "610300": "很多"}
        )
    )
    assert errors["share_610113"] == ["“610113”不是市级单位代码"]
    assert errors["share_610300"] == ["宝鸡市的目标值应为数字，收到“很多”"]
    target_shares_set(actor=admin, target=t, shares={"610100": "1200", "610300": "400", "619900": "50"})
    t.refresh_from_db()
    assert t.scope == "per_city"
    assert dict(t.shares.values_list("region_id", "value")) == {
        "610100": Decimal("1200"),
        "610300": Decimal("400"),
        "619900": Decimal("50"),
    }
    target_shares_set(actor=admin, target=t, shares={"610100": "1300", "610300": ""})
    assert dict(t.shares.values_list("region_id", "value")) == {
        "610100": Decimal("1300"),
        "619900": Decimal("50"),
    }
    events = AuditEvent.objects.filter(event_type="target.shares_set", actor=admin).order_by("id")
    assert [e.payload for e in events] == [
        {"610100": "1200", "610300": "400", "619900": "50"},
        {"610100": "1300", "610300": None},
    ]


@pytest.mark.parametrize(
    "who",
    [
        lambda: city_officer("610100"),
        lambda: UserFactory(role=Role.PROVINCIAL_OFFICER, region=region("610000")),
    ],
    ids=["city-officer", "provincial-officer"],
)
def test_only_provincial_admins_change_periods_targets_and_shares(who):
    user = who()
    t = target("growth-province-tier")
    data = {key: str(getattr(t, key) or "") for key in _target_data()}
    before = _state()
    calls = [
        lambda: period_create(actor=user, data=PERIOD_14TH),
        lambda: target_create(actor=user, period=period_13th(), data=_target_data(deadline="2020-12-31")),
        lambda: target_update(actor=user, target=t, data={**data, "value": "1"}),
        lambda: target_shares_set(actor=user, target=t, shares={"610100": "1"}),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert "只有省级管理员可以" in str(refused.value)
    assert _state() == before
