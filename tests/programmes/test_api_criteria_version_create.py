"""POST /programmes/tiers/{id}/versions: a provincial admin saves the next version (201); wrong input
answers 422 with the same Chinese messages as the page and saves nothing; others get 403."""

import pytest

from smeplan.programmes.models import CriteriaVersion
from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.factories import city_officer, province_admin, tier_of

pytestmark = pytest.mark.django_db


def test_the_admin_saves_a_version(api_as):  # noqa: F811
    tier = tier_of()
    body = {
        "effective_year": 2025,
        "note": "接口修改",
        "criteria": [
            {"metric": "size_class", "operator": "in", "choices": ["small", "micro"]},
            {"metric": "growth.operating_revenue", "operator": "gt", "threshold": "0.25", "years": 2},
        ],
    }

    response = api_as(province_admin()).post(f"/programmes/tiers/{tier.pk}/versions", body)

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["number"], data["effective_year"], data["note"]) == (2, 2025, "接口修改")
    assert data["criteria"][1]["text"] == "营业收入增速 > 25%（连续 2 年）"


def test_wrong_input_is_422_with_the_pages_messages(api_as):  # noqa: F811
    tier = tier_of()
    body = {
        "effective_year": "明年",
        "criteria": [
            {"metric": "operating_revenue", "operator": "ge", "threshold": "一千"},
            {"metric": "no_such_metric"},
        ],
    }

    response = api_as(province_admin()).post(f"/programmes/tiers/{tier.pk}/versions", body)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["effective_year"] == ["生效年度“明年”无效（应为 2000–2100 的年份）"]
    assert errors["criteria.0.threshold"] == ["第 1 条条件：“一千”不是数字"]
    assert errors["criteria.1.metric"] == ["第 2 条条件：未知指标“no_such_metric”"]
    assert CriteriaVersion.objects.filter(tier=tier).count() == 1


def test_others_are_refused(api_as):  # noqa: F811
    tier = tier_of()
    body = {"effective_year": 2025, "criteria": [{"metric": "manual.other"}]}

    response = api_as(city_officer()).post(f"/programmes/tiers/{tier.pk}/versions", body)

    assert response.status_code == 403
    assert CriteriaVersion.objects.filter(tier=tier).count() == 1
