"""The run page: the version used, the counts, the breakdowns by city / county / section, and the
stored results with one ✓ ✗ ? per criterion under the criteria's labels, filtered by outcome, with a
link to each enterprise's explanation."""

import pytest

from tests.factories import OrganisationFactory, county_officer, region, screening_run_make, tier_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    officer = county_officer("610113", username="yanta")
    tier = tier_of("transformation", "upgrade_library")  # criteria: size class, revenue growth > 20%
    first = OrganisationFactory(name="甲精密机械有限公司", county=region("610113"))
    second = OrganisationFactory(name="乙软件有限公司", county=region("610113"))
    return officer, screening_run_make(
        tier=tier,
        actor=officer,
        year=2024,
        evaluated=40,
        passed=1,
        failed=38,
        incomplete=1,
        breakdown={
            "city": {"610100": [1, 38, 1]},
            "county": {"610113": [1, 38, 1]},
            "section": {"C": [1, 30, 1], "I": [0, 8, 0]},
        },
        results=[(first, "pass", "PP", True), (second, "incomplete", "PI")],
    )


def test_counts_version_and_breakdowns(client, run):
    officer, run = run
    client.force_login(officer)

    body = client.get(f"/programmes/runs/{run.pk}/").content.decode()

    assert "第 1 版（2017 年起生效）" in body
    counts = body.split('id="counts"', 1)[1].split("</section>", 1)[0]
    assert "<strong>40</strong>" in counts and "<strong>38</strong>" in counts
    breakdown = body.split('id="breakdown"', 1)[1].split("</section>", 1)[0]
    assert "西安市" in breakdown and "雁塔区" in breakdown and "制造业" in breakdown
    assert "信息传输、软件和信息技术服务业" in breakdown


def test_results_with_a_mark_per_criterion_and_explanation_links(client, run):
    officer, run = run
    client.force_login(officer)

    body = client.get(f"/programmes/runs/{run.pk}/").content.decode()

    table = body.split('class="data results"', 1)[1].split("</table>", 1)[0]
    assert "中小企业（中型、小型或微型，不含大型）" in table  # criterion labels as column headers
    assert "年营业收入比上年增长超过 20%" in table
    rows = table.split("<tbody>", 1)[1].split("</tr>")
    first = next(r for r in rows if "甲精密机械有限公司" in r)
    second = next(r for r in rows if "乙软件有限公司" in r)
    assert first.count(">✓<") == 2 and "优先" in first
    assert ">✓<" in second and ">?<" in second and "数据不全" in second
    assert f"/programmes/tiers/{run.tier_id}/explain/" in first and "?year=2024" in first


def test_the_outcome_filter(client, run):
    officer, run = run
    client.force_login(officer)

    only_incomplete = client.get(f"/programmes/runs/{run.pk}/?outcome=incomplete").content.decode()
    only_pass = client.get(f"/programmes/runs/{run.pk}/?outcome=pass").content.decode()

    assert "乙软件有限公司" in only_incomplete and "甲精密机械有限公司" not in only_incomplete
    assert "甲精密机械有限公司" in only_pass and "乙软件有限公司" not in only_pass


def test_results_are_paginated(client):
    officer = county_officer("610113")
    orgs = [OrganisationFactory(name=f"分页企业{n:03d}有限公司") for n in range(55)]
    run = screening_run_make(actor=officer, results=[(o, "pass", "PP") for o in orgs])
    client.force_login(officer)

    first = client.get(f"/programmes/runs/{run.pk}/").content.decode()
    second = client.get(f"/programmes/runs/{run.pk}/?page=2").content.decode()

    assert "分页企业000有限公司" in first and "分页企业049有限公司" in first
    assert "分页企业050有限公司" not in first and 'rel="next"' in first
    assert "分页企业054有限公司" in second and "分页企业000有限公司" not in second


def test_the_run_page_leads_to_nominating_its_passing_enterprises(client, run):
    officer, run = run
    client.force_login(officer)

    body = client.get(f"/programmes/runs/{run.pk}/").content.decode()

    assert f'href="/recognition/nominate/?run={run.pk}"' in body
