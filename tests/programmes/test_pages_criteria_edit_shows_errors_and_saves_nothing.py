"""A wrong criteria form is shown again with every Chinese message beside its field, the typed values
kept, and no version written."""

import pytest

from smeplan.programmes.models import CriteriaVersion
from tests.factories import province_admin, tier_of

pytestmark = pytest.mark.django_db


def test_every_problem_is_shown_and_nothing_is_saved(client):
    tier = tier_of()
    client.force_login(province_admin())
    before = CriteriaVersion.objects.count()
    form = {
        "effective_year": "20x5",
        "c-0-metric": "operating_revenue",
        "c-0-operator": "ge",
        "c-0-reference": "threshold",
        "c-0-threshold": "一千",
        "c-0-years": "1",
        "c-0-role": "required",
        "c-1-metric": "size_class",
        "c-1-operator": "in",
        "c-1-years": "1",
        "c-1-role": "required",
        "c-2-metric": "operating_revenue",
        "c-2-operator": "ge",
        "c-2-reference": "industry_average",
        "c-2-years": "9",
        "c-2-role": "required",
    }

    response = client.post(f"/programmes/tiers/{tier.pk}/edit/", form)

    body = response.content.decode()
    assert response.status_code == 200
    assert "尚未保存任何数据" in body
    assert "生效年度“20x5”无效" in body
    assert "第 1 条条件：“一千”不是数字" in body
    assert "第 2 条条件：请选择取值" in body
    assert "第 3 条条件：只有增速和比率可以与同行业平均比较，营业收入不可以" in body
    assert "第 3 条条件：连续年数应为 1 到 5" in body
    row0 = body.split('data-row="0"', 1)[1].split('data-row="1"', 1)[0]
    assert 'value="一千"' in row0 and "“一千”不是数字" in row0  # beside its own row
    assert CriteriaVersion.objects.count() == before


def test_no_rows_at_all_is_refused(client):
    tier = tier_of()
    client.force_login(province_admin())

    body = client.post(f"/programmes/tiers/{tier.pk}/edit/", {"effective_year": "2024"}).content.decode()

    assert "至少需要一条认定条件" in body
    assert CriteriaVersion.objects.filter(tier=tier).count() == 1
