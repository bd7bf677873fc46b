"""The live preview of the criteria form: the form as JSON → "按此条件，全省 N 家参评：符合 a，不符合 b，
数据不全 c（用时 x 秒）" for the chosen year, changing with the threshold, writing nothing; wrong input
answers 422 with the Chinese messages instead."""

import json

import pytest

from smeplan.programmes.models import CriteriaVersion, ScreeningRun
from tests.factories import province_admin, tier_of
from tests.programmes.helpers import firm

pytestmark = pytest.mark.django_db


def _grows(county, before, after):
    figures = {"employees": 50, "total_assets": 100}
    return firm(
        county=county,
        y2023={"operating_revenue": before, **figures} if before is not None else {},
        y2024={"operating_revenue": after, **figures},
    )


@pytest.fixture
def province():
    _grows("610113", 100, 130)  # +30%
    _grows("610113", 100, 110)  # +10%
    _grows("610302", 100, 150)  # +50%
    _grows("610113", None, 150)  # 2023 missing: 数据不全


def _form(threshold: str, year: str = "2024") -> dict:
    return {
        "preview_year": year,
        "effective_year": "2024",
        "c-0-metric": "size_class",
        "c-0-operator": "in",
        "c-0-choices-size_class": ["medium", "small", "micro"],
        "c-0-years": "1",
        "c-0-role": "required",
        "c-1-metric": "growth.operating_revenue",
        "c-1-operator": "gt",
        "c-1-reference": "threshold",
        "c-1-threshold": threshold,
        "c-1-years": "1",
        "c-1-role": "required",
    }


def _preview(client, tier, form):
    return client.post(
        f"/programmes/tiers/{tier.pk}/preview/", json.dumps(form), content_type="application/json"
    )


def test_the_count_follows_the_threshold_and_nothing_is_saved(client, province):
    tier = tier_of("transformation", "upgrade_library")
    client.force_login(province_admin())
    versions, runs = CriteriaVersion.objects.count(), ScreeningRun.objects.count()

    at_20 = _preview(client, tier, _form("20")).json()
    at_40 = _preview(client, tier, _form("40")).json()

    assert at_20["ok"] and at_20["text"].startswith(
        "按此条件，全省 4 家参评：符合 2，不符合 1，数据不全 1（用时 "
    )
    assert at_20["text"].endswith(" 秒）")
    assert (at_40["passed"], at_40["failed"], at_40["incomplete"]) == (1, 2, 1)
    assert (CriteriaVersion.objects.count(), ScreeningRun.objects.count()) == (versions, runs)


def test_wrong_input_shows_the_messages(client, province):
    tier = tier_of("transformation", "upgrade_library")
    client.force_login(province_admin())

    response = _preview(client, tier, _form("二十"))

    assert response.status_code == 422
    assert response.json() == {"ok": False, "errors": ["第 2 条条件：“二十”不是数字"]}
