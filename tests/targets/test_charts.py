"""统计图表: the four selectors on hand-computed fixtures, their scoping, the options and the page."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from smeplan.accounts.models import Role
from smeplan.evaluation.models import EvaluationResult, EvaluationRun
from smeplan.indicators.models import AnnualFigures
from smeplan.targets import charts
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    city_officer,
    county_officer,
    enterprise_user,
    province_admin,
    region,
    tier_of,
)
from tests.reporting.make import plan_in_state, small_world

pytestmark = pytest.mark.django_db


def viewer():
    return UserFactory(role=Role.VIEWER, region=region("610000"))


# --- a. 梯队企业分布 -------------------------------------------------------------------------------


def test_tier_distribution_counts_per_city_and_tier():
    small_world()  # 2024: 西安 A 省级成长之星, B 县级创业之星, D 县级成长之星; 宝鸡 E 省级行业之星
    rows = {r.code: r for r in charts.tier_distribution(user=province_admin(), year=2024)}
    assert len(rows) == 12  # every city-level unit, 杨凌示范区 and 韩城市 included
    assert {"619900", "610581"} <= rows.keys()
    assert rows["610100"].counts == {"industry_star": 0, "growth_star": 2, "startup_star": 1}
    assert rows["610300"].counts == {"industry_star": 1, "growth_star": 0, "startup_star": 0}
    assert rows["610400"].total == 0
    by_level = {
        r.code: r for r in charts.tier_distribution(user=province_admin(), year=2024, level="province")
    }
    assert by_level["610100"].counts == {"industry_star": 0, "growth_star": 1, "startup_star": 0}
    assert by_level["610300"].counts["industry_star"] == 1
    county = {r.code: r for r in charts.tier_distribution(user=province_admin(), year=2024, level="county")}
    assert county["610100"].counts == {"industry_star": 0, "growth_star": 1, "startup_star": 1}
    assert county["610300"].total == 0


def test_tier_distribution_of_a_city_and_a_county():
    small_world()
    (xian,) = charts.tier_distribution(user=city_officer("610100"), year=2024)
    assert (xian.code, xian.name, xian.total) == ("610100", "西安市", 3)
    (yanta,) = charts.tier_distribution(user=county_officer("610113"), year=2024)
    assert yanta.code == "610100" and yanta.counts == {
        "industry_star": 0,
        "growth_star": 1,
        "startup_star": 1,
    }


def test_tier_option_is_stacked_bars_in_json():
    small_world()
    rows = charts.tier_distribution(user=province_admin(), year=2024)
    option = charts.tier_option(rows)
    json.dumps(option)  # pure JSON
    assert [s["name"] for s in option["series"]] == ["行业之星", "成长之星", "创业之星"]
    assert {s["stack"] for s in option["series"]} == {"tiers"}
    xi = option["xAxis"]["data"].index("西安市")
    assert [s["data"][xi] for s in option["series"]] == [0, 2, 1]
    table = charts.tier_table(rows, year=2024)
    assert table.foot == [["合计", "1", "2", "1", "4"]]


# --- b. 综合测评得分分布 ----------------------------------------------------------------------------


def _run(tier, actor, scores, *, region_code=None, year=2024):
    run = EvaluationRun.objects.create(
        programme=tier.programme,
        tier=tier,
        year=year,
        method="minmax",
        bottom_share=Decimal("0.05"),
        region=region(region_code) if region_code else None,
        actor=actor,
    )
    for rank, (cert, score) in enumerate(scores, start=1):
        EvaluationResult.objects.create(
            run=run, certification=cert, organisation=cert.organisation, score=score, rank=rank
        )
    return run


def _certs(world):
    from smeplan.recognition.models import Certification

    return {k: Certification.objects.get(organisation=o) for k, o in world.items() if k in "abde"}


def test_score_distribution_takes_the_latest_run_in_10_point_bins():
    world = small_world()
    c = _certs(world)
    admin = province_admin()
    star = tier_of("growth-province", "growth_star")
    _run(star, admin, [(c["a"], 55.0)])  # older: not used
    latest = _run(star, admin, [(c["a"], 95.0), (c["d"], 10.0), (c["e"], 100.0), (c["b"], 0.0)])
    _run(tier_of("growth-county", "growth_star"), admin, [(c["d"], 19.99)])
    _run(star, admin, [(c["a"], 1.0)], year=2023)  # another year
    series = charts.score_distribution(user=admin, year=2024)
    assert [s.label for s in series] == ["省级成长之星", "县级成长之星"]
    assert series[0].run_id == latest.pk
    assert series[0].counts == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert series[1].counts == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    only_county = charts.score_distribution(user=admin, year=2024, level="county")
    assert [s.label for s in only_county] == ["县级成长之星"]
    option = charts.score_option(series)
    json.dumps(option)
    assert option["xAxis"]["data"][0] == "0–10" and option["xAxis"]["data"][-1] == "90–100"
    assert option["series"][0]["data"] == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]


def test_score_distribution_is_scoped_and_prefers_a_run_over_the_whole_area():
    world = small_world()
    c = _certs(world)
    admin = province_admin()
    xian = city_officer("610100")
    star = tier_of("growth-province", "growth_star")
    _run(star, admin, [(c["a"], 95.0), (c["d"], 10.0), (c["e"], 100.0)])
    _run(star, county_officer("610116"), [(c["d"], 50.0)], region_code="610116")  # newer, one county only
    (series,) = charts.score_distribution(user=xian, year=2024)
    assert series.counts == [0, 1, 0, 0, 0, 0, 0, 0, 0, 1]  # 宝鸡's 100 is not counted
    assert charts.score_distribution(user=viewer(), year=2024) == []  # evaluations are for bureaus


# --- c. 主要指标分行业增速 --------------------------------------------------------------------------


def _figures(org, year, **values):
    AnnualFigures.objects.create(organisation=org, year=year, **values)


@pytest.fixture
def growth_world():
    """C 制造业: 雁塔 x1 (revenue 100 → 150, profit 10 → 20, tax 5 → 5), 长安 x2 (300 → 330; profit −10 → 5
    excluded: base ≤ 0; tax missing in 2023), 渭滨 (宝鸡) x3 (1000 → 500, profit 40 → 50).
    I 信息传输: 雁塔 x4 (2022: 100, 2023: 200, 2024: 220). x5 (雁塔, C) only 2024: not comparable."""
    x1 = OrganisationFactory(county=region("610113"), industry_id="3311")
    x2 = OrganisationFactory(county=region("610116"), industry_id="3311")
    x3 = OrganisationFactory(county=region("610302"), industry_id="3311")
    x4 = OrganisationFactory(county=region("610113"), industry_id="6311")
    x5 = OrganisationFactory(county=region("610113"), industry_id="3311")
    _figures(x1, 2023, operating_revenue=100, total_profit=10, tax_paid=5)
    _figures(x1, 2024, operating_revenue=150, total_profit=20, tax_paid=5)
    _figures(x2, 2023, operating_revenue=300, total_profit=-10)
    _figures(x2, 2024, operating_revenue=330, total_profit=5, tax_paid=7)
    _figures(x3, 2023, operating_revenue=1000, total_profit=40)
    _figures(x3, 2024, operating_revenue=500, total_profit=50)
    _figures(x4, 2022, operating_revenue=100)
    _figures(x4, 2023, operating_revenue=200)
    _figures(x4, 2024, operating_revenue=220)
    _figures(x5, 2024, operating_revenue=999, total_profit=9, tax_paid=9)


def test_growth_by_section_province(growth_world):
    admin = province_admin()
    assert charts.growth_years(2025) == [2023, 2024, 2025]
    assert charts.growth_by_section(user=admin, years=[2021, 2022, 2023]).years == [
        2023
    ]  # the years with data
    data = charts.growth_by_section(user=admin, years=charts.growth_years(2025))
    assert data.years == [2023, 2024]
    assert data.sections == [("C", "制造业"), ("I", "信息传输、软件和信息技术服务业")]
    rev = data.cell("operating_revenue", "C", 2024)
    assert (rev.current, rev.previous, rev.count) == (Decimal(980), Decimal(1400), 3)
    assert rev.growth == Decimal("-0.3")
    profit = data.cell("total_profit", "C", 2024)
    assert (profit.current, profit.previous, profit.count) == (Decimal(70), Decimal(50), 2)
    assert profit.growth == Decimal("0.4")
    tax = data.cell("tax_paid", "C", 2024)
    assert (tax.count, tax.growth) == (1, Decimal(0))
    assert data.cell("operating_revenue", "I", 2023).growth == Decimal(1)
    assert data.cell("operating_revenue", "I", 2024).growth == Decimal("0.1")
    assert data.cell("operating_revenue", "C", 2023) is None
    option = charts.growth_option(data, "operating_revenue")
    json.dumps(option)
    assert [s["name"] for s in option["series"]] == ["2023年", "2024年"]
    assert option["series"][1]["data"] == [-30.0, 10.0]
    assert option["series"][0]["data"] == [None, 100.0]
    table = charts.growth_table(data, "total_profit")
    assert table.rows[0][:4] == ["C 制造业", "—", "—", "0"] and table.rows[0][4:7] == ["40.00%", "70.00", "2"]


def test_growth_by_section_of_a_city_leaves_other_cities_out(growth_world):
    data = charts.growth_by_section(user=city_officer("610100"), years=[2024])
    rev = data.cell("operating_revenue", "C", 2024)
    assert (rev.current, rev.previous, rev.growth) == (Decimal(480), Decimal(400), Decimal("0.2"))
    assert data.cell("total_profit", "C", 2024).growth == Decimal(1)  # 宝鸡's 40 → 50 not included
    yanta = charts.growth_by_section(user=county_officer("610113"), years=[2024])
    assert yanta.cell("operating_revenue", "C", 2024).growth == Decimal("0.5")


def test_growth_reads_the_frame_once_and_a_change_shows_at_once(growth_world):
    """The figures are read once (the screening engine's frame); the next page only checks that no
    data changed; a new figure is in the very next answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = province_admin()
    charts.growth_by_section(user=admin, years=[2023, 2024])
    with CaptureQueriesContext(connection) as queries:
        again = charts.growth_by_section(user=admin, years=[2023, 2024])
    reads = [q["sql"] for q in queries.captured_queries if "indicators_annualfigures" in q["sql"]]
    assert all("max(updated_at)" in sql for sql in reads)  # the data-version check only, no figures
    assert again.cell("operating_revenue", "C", 2024).growth == Decimal("-0.3")
    newcomer = OrganisationFactory(county=region("610113"), industry_id="3311")
    _figures(newcomer, 2023, operating_revenue=100)
    _figures(newcomer, 2024, operating_revenue=200)
    after = charts.growth_by_section(user=admin, years=[2023, 2024])
    rev = after.cell("operating_revenue", "C", 2024)
    assert (rev.current, rev.previous) == (Decimal(1180), Decimal(1500))


# --- d. 市级计划完成情况 ----------------------------------------------------------------------------


def test_plan_completion_reuses_the_assessment():
    small_world()
    officer, province = city_officer("610100"), province_admin()
    plan_in_state("approved", officer, province, year=2024)  # 西安 plans 10 on its own row
    rows = {r.code: r for r in charts.plan_completion(user=province, year=2024)}
    assert (rows["610100"].planned, rows["610100"].actual, rows["610100"].state) == (10, 3, "已核准")
    assert rows["610100"].completion == Decimal("0.3")
    assert (rows["610300"].planned, rows["610300"].actual, rows["610300"].state) == (None, 1, "未填报")
    (own,) = charts.plan_completion(user=officer, year=2024)
    assert own.code == "610100"
    option = charts.plan_option(list(rows.values()))
    json.dumps(option)
    xi = option["xAxis"]["data"].index("西安市")
    assert option["series"][0]["data"][xi] == 10 and option["series"][1]["data"][xi] == 3
    assert charts.plan_table([own], year=2024).rows == [["西安市", "已核准", "10", "3", "30.00%"]]


def test_selectors_refuse_enterprise_users():
    from django.core.exceptions import PermissionDenied

    user = enterprise_user(OrganisationFactory())
    for call in (
        lambda: charts.tier_distribution(user=user, year=2024),
        lambda: charts.score_distribution(user=user, year=2024),
        lambda: charts.growth_by_section(user=user, years=[2024]),
        lambda: charts.plan_completion(user=user, year=2024),
    ):
        with pytest.raises(PermissionDenied):
            call()


# --- the page -------------------------------------------------------------------------------------


def _options(html: str) -> dict:
    found = re.findall(r'<script id="(chart-[a-z]+)" type="application/json">(.*?)</script>', html, re.S)
    return {key: json.loads(text) for key, text in found}


def test_the_page_has_four_charts_with_their_json_and_tables(client):
    small_world()
    client.force_login(province_admin())
    response = client.get("/targets/charts/?year=2024")
    assert response.status_code == 200
    html = response.content.decode()
    keys = ["chart-tiers", "chart-scores", "chart-growth", "chart-plans"]
    for key in keys:
        assert f'data-echarts="{key}"' in html
    options = _options(html)
    assert sorted(options) == sorted(keys)
    assert "vendor/echarts.min.js" in html and "web/charts.js" in html
    assert html.count("<table") == 4
    xi = options["chart-tiers"]["xAxis"]["data"].index("西安市")
    assert [s["data"][xi] for s in options["chart-tiers"]["series"]] == [0, 2, 1]
    assert "宝鸡市" in html


def test_a_city_page_shows_no_other_city(client, growth_world):
    small_world()
    client.force_login(city_officer("610100"))
    response = client.get("/targets/charts/?year=2024&level=&figure=operating_revenue")
    assert response.status_code == 200
    html = response.content.decode()
    assert "宝鸡" not in html and "渭滨" not in html
    options = _options(html)
    assert options["chart-tiers"]["xAxis"]["data"] == ["西安市"]
    assert options["chart-plans"]["xAxis"]["data"] == ["西安市"]
    growth = options["chart-growth"]
    ci = growth["xAxis"]["data"].index("C 制造业")
    # 西安's C enterprises: the growth world's 150 + 330 over 100 + 300 and the small world's
    # A 150/100, C 900/900, F 70/70, G 20/10, D 180/200 → 1800 / 1680 − 1 (with 宝鸡: 3500 / 3680 − 1)
    assert growth["series"][-1]["data"][ci] == 7.14


def test_the_page_filters_and_refusals(client):
    client.force_login(viewer())
    assert client.get("/targets/charts/?level=county&figure=tax_paid").status_code == 200
    assert client.get("/targets/charts/?level=town").status_code == 400
    assert client.get("/targets/charts/?year=abc").status_code == 400
    client.force_login(enterprise_user(OrganisationFactory()))
    assert client.get("/targets/charts/").status_code == 403
    client.logout()
    response = client.get("/targets/charts/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_year_defaults_to_last_year(client, monkeypatch):
    from smeplan.recognition import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2025, 3, 1))
    client.force_login(province_admin())
    response = client.get("/targets/charts/")
    assert response.status_code == 200 and response.context["year"] == 2024


def test_the_four_tables_export_as_xlsx(client):
    import io

    from python_calamine import CalamineWorkbook

    small_world()
    client.force_login(city_officer("610100"))
    response = client.get("/targets/charts/?year=2024&format=xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("图表数据").to_python()
    charts_in = {r[0] for r in rows[2:]}  # no evaluation run here: its table has no columns to export
    assert {"梯队企业分布", "主要指标分行业增速：营业收入", "市级计划完成情况"} <= charts_in
    assert ["梯队企业分布", "2024年末梯队企业分布（全部层级，单位：家）", "西安市", "成长之星", "2"] in [
        list(r) for r in rows
    ]
    assert not any("宝鸡" in str(cell) for r in rows for cell in r)
