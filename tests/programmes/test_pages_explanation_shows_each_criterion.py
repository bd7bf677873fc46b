"""One enterprise's explanation: the outcome, one line per criterion with ✓ ✗ or 数据不全, priority
marks apart, manual criteria listed as 待审核人员核实; an enterprise outside the user's scope is 404."""

import pytest

from tests.factories import county_officer, tier_of
from tests.programmes.helpers import firm

pytestmark = pytest.mark.django_db


def test_a_passing_enterprise(client):
    org = firm(
        y2023={"operating_revenue": 100, "employees": 50, "total_assets": 100},
        y2024={"operating_revenue": 123.4, "employees": 50, "total_assets": 100},
    )
    client.force_login(county_officer("610113"))
    tier = tier_of("transformation", "upgrade_library")

    body = client.get(f"/programmes/tiers/{tier.pk}/explain/{org.pk}/?year=2024").content.decode()

    outcome = body.split('id="outcome"', 1)[1].split("</section>", 1)[0]
    assert "2024 年结果" in outcome and "符合" in outcome and "按第 1 版条件" in outcome
    lines = body.split('id="criteria-lines"', 1)[1].split("</section>", 1)[0]
    assert lines.count(">✓<") == 2
    assert "23.4%" in lines


def test_missing_data_and_manual_checks(client):
    org = firm(y2024={"operating_revenue": 12000, "employees": 50, "total_assets": 100})
    client.force_login(county_officer("610113"))
    tier = tier_of("growth-province", "industry_star")

    body = client.get(f"/programmes/tiers/{tier.pk}/explain/{org.pk}/?year=2024").content.decode()

    assert "数据不全" in body.split('id="outcome"', 1)[1].split("</section>", 1)[0]
    lines = body.split('id="criteria-lines"', 1)[1].split("</section>", 1)[0]
    assert "数据不全" in lines and "2023" in lines
    manual = body.split('id="manual-lines"', 1)[1].split("</section>", 1)[0]
    assert "待审核人员核实" in manual and "市场份额" in manual


def test_priority_marks_are_listed_apart(client):
    org = firm(y2024={"operating_revenue": 800, "employees": 30, "total_assets": 100}, industry="3411")
    client.force_login(county_officer("610113"))
    tier = tier_of("growth-province", "startup_star")

    body = client.get(f"/programmes/tiers/{tier.pk}/explain/{org.pk}/?year=2024").content.decode()

    priority = body.split('id="priority-lines"', 1)[1].split("</section>", 1)[0]
    assert "★" in priority and "优先" in priority


def test_an_enterprise_outside_the_scope_is_404(client):
    org = firm(county="610302", y2024={"operating_revenue": 100})
    client.force_login(county_officer("610113"))
    tier = tier_of()

    assert client.get(f"/programmes/tiers/{tier.pk}/explain/{org.pk}/?year=2024").status_code == 404
