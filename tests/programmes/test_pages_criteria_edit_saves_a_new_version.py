"""Saving the criteria form makes the next version through ``criteria_version_create``: rates typed in
percent are stored as fractions, size classes come from the checkboxes, industry prefixes from the
text list, removed rows are gone; the earlier version stays as it was."""

from decimal import Decimal

import pytest

from smeplan.programmes.models import CriteriaVersion
from smeplan.programmes.selectors import specs_of
from tests.factories import province_admin, tier_of

pytestmark = pytest.mark.django_db


def test_saving_makes_version_two_with_converted_values(client):
    tier = tier_of("transformation", "upgrade_library")
    admin = province_admin(username="sheng")
    client.force_login(admin)
    form = {
        "effective_year": "2025",
        "note": "提高增速门槛",
        # row 0: size class by checkboxes
        "c-0-metric": "size_class",
        "c-0-operator": "in",
        "c-0-choices-size_class": ["small", "micro"],
        "c-0-years": "1",
        "c-0-role": "required",
        "c-0-label": "小微企业",
        # row 1 was removed in the page: rows may have gaps
        # row 2: growth typed in percent
        "c-2-metric": "growth.operating_revenue",
        "c-2-operator": "gt",
        "c-2-reference": "threshold",
        "c-2-threshold": "25",
        "c-2-years": "2",
        "c-2-role": "required",
        # row 3: industry prefixes as a text list, a priority mark
        "c-3-metric": "industry",
        "c-3-operator": "in",
        "c-3-choices_text": "C34、C35, I65",
        "c-3-years": "1",
        "c-3-role": "priority",
    }

    response = client.post(f"/programmes/tiers/{tier.pk}/edit/", form)

    assert response.status_code == 302 and response["Location"].startswith("/programmes/")
    version = CriteriaVersion.objects.get(tier=tier, number=2)
    assert (version.effective_year, version.note, version.created_by) == (2025, "提高增速门槛", admin)
    specs = specs_of(version)
    assert [s.metric for s in specs] == ["size_class", "growth.operating_revenue", "industry"]
    assert specs[0].choices == ("small", "micro")
    assert specs[1].threshold == Decimal("0.25") and specs[1].years == 2
    assert specs[2].choices == ("C34", "C35", "I65") and specs[2].role == "priority"
    assert [s.metric for s in specs_of(CriteriaVersion.objects.get(tier=tier, number=1))] == [
        "size_class",
        "growth.operating_revenue",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "已保存" in page and "第 2 版（2025 年起生效）" in page


def test_the_form_shows_stored_rates_in_percent(client):
    tier = tier_of("transformation", "demo_recommend")  # growth > 0.30
    client.force_login(province_admin())

    body = client.get(f"/programmes/tiers/{tier.pk}/edit/").content.decode()

    assert 'name="c-1-threshold" value="30"' in body
