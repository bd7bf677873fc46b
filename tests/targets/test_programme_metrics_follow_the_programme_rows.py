"""Every programme serving a plan is a 统计口径 ``programme.<code>`` — read from the programme rows,
so one created in the page (or loaded from a data file) can at once be chosen for a target in the
target form and is counted like the fixed metrics: distinct enterprises in force at the year's end."""

import datetime as dt

import pytest

from smeplan.programmes import services as programmes
from smeplan.recognition import clock
from smeplan.targets import metrics, selectors
from smeplan.targets.services import target_create
from tests.factories import province_admin
from tests.targets.make import certify, enterprise, period_13th

pytestmark = pytest.mark.django_db


def _programme(admin):
    return programmes.programme_create(
        actor=admin,
        data={
            "code": "quality-sme",
            "name": "陕西省质量标杆中小企业",
            "plan": "brand",
            "source": "某文件〔2018〕1号",
            "basis_clause": "第五条",
            "owner_level": "province",
            "subject_kind": "enterprise",
            "tiers": [["benchmark", "质量标杆企业"], ["candidate", "质量标杆培育企业"]],
        },
    )


def test_a_programme_created_in_the_page_is_a_metric_counting_distinct_enterprises():
    admin = province_admin()
    assert "programme.quality-sme" not in metrics.all_metrics()
    _programme(admin)
    metric = metrics.metric_get("programme.quality-sme")
    assert (metric.label, metric.unit, metric.programmes) == (
        "陕西省质量标杆中小企业（认定企业数）",
        "家",
        ("quality-sme",),
    )
    assert "programme.quality-sme" in metrics.all_metrics()
    jia = enterprise("610113", "甲企业")
    certify(jia, "quality-sme", "benchmark", "2017-05-01")
    certify(jia, "quality-sme", "candidate", "2017-06-01")  # the same firm twice: one enterprise
    certify(enterprise("610302", "乙企业"), "quality-sme", "benchmark", "2018-03-01", ended_on="2018-09-30")
    counts = metrics.counts(admin, today=dt.date(2019, 7, 1))
    assert [counts.value(metric, y) for y in (2016, 2017, 2018)] == [0, 1, 1]
    assert counts.value(metric, 2017, basis=metrics.TITLES) == 2


def test_the_seeded_and_configured_programmes_are_metrics(configured_programmes):
    codes = set(metrics.all_metrics())
    assert {
        "programme.growth-province",
        "programme.transformation-demo",
        "programme.innovative-sme",
        "programme.specialised-sme",
        "programme.internet-demo",
        "programme.smart-manufacturing-demo",
    } <= codes
    assert metrics.metric_get("programme.no-such") is None


def test_a_target_counts_a_programme_created_in_the_page(client, monkeypatch):
    today = dt.date(2019, 7, 2)
    monkeypatch.setattr(clock, "today", lambda: today)
    admin = province_admin()
    _programme(admin)
    certify(enterprise("610113", "甲企业"), "quality-sme", "benchmark", "2018-05-01")
    client.force_login(admin)
    form = client.get(f"/targets/periods/{period_13th().code}/new/").content.decode()
    assert '<option value="programme.quality-sme"' in form and "陕西省质量标杆中小企业（认定企业数）" in form
    target = target_create(
        actor=admin,
        period=period_13th(),
        data={
            "code": "quality-benchmarks",
            "plan": "brand",
            "name": "质量标杆中小企业",
            "description": "培育质量标杆中小企业",
            "value": "100",
            "unit": "家",
            "kind": "cumulative",
            "deadline": "2020-12-31",
            "scope": "province",
            "source": "computed",
            "metric": "programme.quality-sme",
        },
    )
    (row,) = selectors.dashboard(
        user=admin,
        period=period_13th(),
        area=selectors.Area("province", "610000", "全省"),
        today=today,
        target_ids={target.pk},
    )
    assert row.value == 1
