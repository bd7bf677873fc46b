"""筛选 from the page: choose the year, run, land on the run page with the counts of the user's own
area and the enterprises that pass; a county officer screens only its county."""

import pytest

from smeplan.programmes.models import ScreeningRun
from tests.factories import county_officer, province_admin, tier_of
from tests.programmes.helpers import firm

pytestmark = pytest.mark.django_db


def _grows(county, after, name):
    figures = {"employees": 50, "total_assets": 100}
    org = firm(
        county=county,
        y2023={"operating_revenue": 100, **figures},
        y2024={"operating_revenue": after, **figures},
    )
    org.name = name
    org.save(update_fields=["name"])
    return org


def test_a_county_officer_runs_the_screening_of_its_county(client):
    _grows("610113", 130, "雁塔增长企业有限公司")
    _grows("610113", 105, "雁塔平稳企业有限公司")
    _grows("610302", 180, "宝鸡增长企业有限公司")
    tier = tier_of("transformation", "upgrade_library")
    client.force_login(county_officer("610113"))

    form = client.get(f"/programmes/tiers/{tier.pk}/screen/").content.decode()
    response = client.post(f"/programmes/tiers/{tier.pk}/screen/", {"year": "2024"})

    assert "第 1 版（2017 年起生效）" in form
    run = ScreeningRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/programmes/runs/{run.pk}/"
    body = client.get(response["Location"]).content.decode()
    counts = body.split('id="counts"', 1)[1].split("</section>", 1)[0]
    assert "参评 <strong>2</strong>" in counts and "符合 <strong>1</strong>" in counts
    assert "雁塔增长企业有限公司" in body
    assert "雁塔平稳企业有限公司" not in body  # 不符合: counted, not listed
    assert "宝鸡增长企业有限公司" not in body


def test_a_year_without_criteria_is_refused_beside_the_field(client):
    tier = tier_of("transformation", "upgrade_library")
    client.force_login(province_admin())

    body = client.post(f"/programmes/tiers/{tier.pk}/screen/", {"year": "2010"}).content.decode()

    assert "在 2010 年没有生效的认定条件" in body
    assert not ScreeningRun.objects.exists()
