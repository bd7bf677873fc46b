"""Plan periods after 2020: a provincial admin adds 十五五 (2026—2030), copies targets from 十三五 (all
or chosen, with their city shares, deadlines shifted to the new end and editable, baselines not
carried over) or loads them from a spreadsheet; the dashboard opens on the period containing today
(else the latest) and judges 逾期未完成 only against the chosen period's past deadlines."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.recognition import clock
from smeplan.targets import selectors
from smeplan.targets.models import Target, TargetShare
from smeplan.targets.services import period_create, targets_copy
from tests.factories import province_admin
from tests.targets.make import period_13th, target

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)
PERIOD_15TH = {"code": "15th", "name": "“十五五”（2026—2030年）", "start_year": "2026", "end_year": "2030"}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def _state():
    return (
        list(Target.objects.order_by("id").values_list("period__code", "code", "deadline", "baseline")),
        list(TargetShare.objects.order_by("id").values_list("target_id", "region_id", "value")),
        AuditEvent.objects.filter(event_type__startswith="target.").count(),
    )


def test_the_dashboard_opens_on_the_period_containing_today_else_the_latest(client):
    admin = province_admin()
    assert selectors.period_current(TODAY).code == "13th"  # the only one
    period_create(
        actor=admin, data={"code": "14th", "name": "“十四五”", "start_year": "2021", "end_year": "2025"}
    )
    assert selectors.period_current(TODAY).code == "14th"  # none contains 2026: the latest
    period_create(actor=admin, data=PERIOD_15TH)
    assert selectors.period_current(TODAY).code == "15th"
    client.force_login(admin)
    page = client.get("/targets/").content.decode()
    assert "“十五五”（2026—2030年）目标进度" in page and "该规划期还没有目标" in page


def test_copying_all_targets_shifts_deadlines_and_keeps_shares_but_not_baselines():
    admin = province_admin()
    new = period_create(actor=admin, data=PERIOD_15TH)
    source = period_13th()
    old = target("growth-all-levels")
    TargetShare.objects.create(target=old, region_id="610100", value=Decimal("4000"))
    Target.objects.filter(pk=old.pk).update(baseline=Decimal("1200"))
    made = targets_copy(actor=admin, period=new, source=source)
    assert len(made) == source.targets.count() == 55
    assert {t.deadline for t in made} == {dt.date(2030, 12, 31)}
    copy = Target.objects.get(period=new, code="growth-all-levels")
    assert (copy.value, copy.unit, copy.metric, copy.baseline) == (old.value, "户", "growth.all_levels", None)
    assert copy.source_document == "陕中企规发〔2017〕69号" and copy.seed_section == old.seed_section
    assert list(copy.shares.values_list("region_id", "value")) == [("610100", Decimal("4000"))]
    assert copy.created_by == admin
    event = AuditEvent.objects.get(event_type="target.copied")
    assert event.payload["from"] == "13th" and len(event.payload["codes"]) == 55
    # the dashboard of the new period: nothing is overdue in its first year
    rows = selectors.dashboard(
        user=admin, period=new, area=selectors.Area("province", "610000", "全省"), today=TODAY
    )
    assert not [r for r in rows if r.judgement and r.judgement.state == "missed"]
    # 十三五 chosen explicitly: its deadlines have passed, an unmet target is overdue
    old_rows = selectors.dashboard(
        user=admin, period=source, area=selectors.Area("province", "610000", "全省"), today=TODAY
    )
    assert {r.judgement.state for r in old_rows if r.target.source == "computed"} == {"missed"}


def test_copying_chosen_targets_with_an_edited_deadline_and_a_new_source_document():
    admin = province_admin()
    new = period_create(actor=admin, data=PERIOD_15TH)
    made = targets_copy(
        actor=admin,
        period=new,
        source=period_13th(),
        codes=["growth-province-tier", "financing-listed"],
        deadlines={"financing-listed": "2028-06-30"},
        source_document="陕中企规发〔2026〕1号",
    )
    assert [(t.code, t.deadline, t.source_document) for t in made] == [  # in the source's order
        ("growth-province-tier", dt.date(2030, 12, 31), "陕中企规发〔2026〕1号"),
        ("financing-listed", dt.date(2028, 6, 30), "陕中企规发〔2026〕1号"),
    ]


def test_a_copy_with_any_problem_copies_nothing_and_names_each_target():
    admin = province_admin()
    new = period_create(actor=admin, data=PERIOD_15TH)
    targets_copy(actor=admin, period=new, source=period_13th(), codes=["bases-total"])
    before = _state()
    with pytest.raises(ValidationError) as refused:
        targets_copy(
            actor=admin,
            period=new,
            source=period_13th(),
            codes=["bases-total", "financing-listed", "growth-province-tier"],
            deadlines={"financing-listed": "2020-12-31"},
        )
    assert refused.value.messages == [
        "目标“小微企业创业创新基地”（bases-total）：本规划期已有代码为“bases-total”的目标",
        "目标“主板、新三板上市挂牌企业”（financing-listed）：完成期限 2020-12-31 不在规划期 2026—2030 内",
    ]
    assert _state() == before
    with pytest.raises(ValidationError) as unknown:
        targets_copy(actor=admin, period=new, source=period_13th(), codes=["no-such-target"])
    assert unknown.value.message_dict["codes"] == ["“十三五”（2016—2020年）没有代码为“no-such-target”的目标"]


def test_the_copy_page(client):
    admin = province_admin()
    new = period_create(actor=admin, data=PERIOD_15TH)
    client.force_login(admin)
    page = client.get(f"/targets/periods/{new.code}/copy/").content.decode()
    assert 'name="deadline_growth-all-levels" value="2030-12-31"' in page
    assert len(re.findall(r'name="codes" value="[^"]+" checked', page)) == 55
    response = client.post(
        f"/targets/periods/{new.code}/copy/",
        {
            "from": "13th",
            "confirm": "1",
            "codes": ["growth-all-levels", "bases-total"],
            "deadline_growth-all-levels": "2029-12-31",
            "deadline_bases-total": "2030-12-31",
            "source_document": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/targets/?period=15th"
    assert dict(Target.objects.filter(period=new).values_list("code", "deadline")) == {
        "growth-all-levels": dt.date(2029, 12, 31),
        "bases-total": dt.date(2030, 12, 31),
    }
    refused = client.post(
        f"/targets/periods/{new.code}/copy/",
        {"from": "13th", "confirm": "1", "codes": ["bases-total"], "deadline_bases-total": "2030-12-31"},
    )
    assert refused.status_code == 422
    assert "本规划期已有代码为“bases-total”的目标" in refused.content.decode()


def test_the_source_is_shown_on_the_target_page_and_editable(client):
    admin = province_admin()
    client.force_login(admin)
    t = target("growth-all-levels")
    page = client.get(f"/targets/{t.pk}/").content.decode()
    source = re.search(r'<dd id="target-source">(.*?)</dd>', page, re.S).group(1)
    assert (
        "陕中企规发〔2017〕69号" in source
        and "中小企业成长梯队培育行动计划 二、培育目标（三）培育目标" in source
    )
    form = client.get(f"/targets/{t.pk}/edit/").content.decode()
    assert 'name="source_document" value="陕中企规发〔2017〕69号"' in form
    assert 'name="seed_section" value="中小企业成长梯队培育行动计划 二、培育目标（三）培育目标"' in form
