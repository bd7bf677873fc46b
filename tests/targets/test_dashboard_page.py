"""The 目标进度 pages as a bureau user sees them: the province's seeded targets grouped by plan, a
count linked to the certifications behind it, a city held to its own numbers, a city's approved
annual plan as its goal, the detail page's entry form, the county map; enterprise users refused.

Today is 2 July 2019 (clock moved). The fixture:
  雁塔区 (西安): 甲 省级成长之星 2018-03-01; 乙 省级行业之星 2019-02-01; 丙 省级创业之星 2017-05-01,
    terminated 2019-03-01; 丁 县级成长之星 2019-04-01.
  渭滨区 (宝鸡): 戊 省级成长之星 2018-06-01.
"""

import datetime as dt
import html
import re

import pytest

from smeplan.recognition import clock
from smeplan.regions.models import Region
from smeplan.targets.models import ActionPlan, ReportedValue, Target
from tests.factories import city_officer, county_officer, enterprise_user, province_admin
from tests.reporting.make import plan_in_state
from tests.targets.make import certify, enterprise, target

pytestmark = pytest.mark.django_db

TODAY = dt.date(2019, 7, 2)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def world():
    certify(enterprise("610113", "甲企业"), "growth-province", "growth_star", "2018-03-01")
    certify(enterprise("610113", "乙企业"), "growth-province", "industry_star", "2019-02-01")
    bing = enterprise("610113", "丙企业")
    certify(bing, "growth-province", "startup_star", "2017-05-01", ended_on="2019-03-01", state="terminated")
    certify(enterprise("610113", "丁企业"), "growth-county", "growth_star", "2019-04-01")
    certify(enterprise("610302", "戊企业"), "growth-province", "growth_star", "2018-06-01")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _row(page: str, code: str) -> str:
    match = re.search(rf'<tr data-code="{code}">(.*?)</tr>', page, re.S)
    assert match, f"no row {code}"
    return match.group(1)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def _value_link(row: str) -> str:
    """The link on the number in the 实际 column (the third cell)."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    match = re.search(r'<a href="([^"]+)"', cells[2])
    assert match, cells[2]
    return html.unescape(match.group(1))


def _listed(page: str) -> set[str]:
    table = re.search(r'<table class="data" id="certifications">(.*?)</table>', page, re.S)
    if table is None:
        return set()
    return set(re.findall(r'<a href="[^"]*/certifications/\d+/">([^<]+)</a>', table.group(1)))


def test_the_province_sees_every_seeded_target_grouped_by_plan(client):
    client.force_login(province_admin())
    page = _page(client, "/targets/")
    assert "“十三五”（2016—2020年）目标进度 · 全省" in page
    headings = re.findall(r"<h2>([^<]+)</h2>", page)
    assert headings == [str(label) for label in ActionPlan.labels]
    rows = dict(re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', page, re.S))
    targets = list(Target.objects.filter(period__code="13th"))
    assert set(rows) == {t.code for t in targets} and len(rows) == 55
    for t in targets:
        text = _text(rows[t.code])
        assert t.name in text
        if t.source == "reported":
            assert "未填报" in text and f"{t.reporter}填报" in text, t.code
        else:
            assert "系统统计" in text and "未填报" not in text, t.code
    # the growth plan's section lists its targets under its heading, in the seed's order
    growth = page.split("<h2>中小企业成长梯队培育</h2>")[1].split("<h2>")[0]
    assert re.findall(r'<tr data-code="([^"]+)">', growth) == [
        "growth-province-tier",
        "growth-province-industry-star",
        "growth-province-growth-star",
        "growth-province-startup-star",
        "growth-all-levels",
    ]


def test_a_count_links_to_the_certifications_it_counts(client, world):
    client.force_login(province_admin())
    page = _page(client, "/targets/")
    row = _row(page, "growth-province-tier")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert _text(cells[1]) == "5,000户 全省目标" and _text(cells[2]) == "3"
    trend = re.search(r'<td class="nowrap small">(.*?)</td>', row, re.S).group(1)
    assert _text(trend) == "0 → 1 → 3 → 3"  # ends of 2016, 2017 (丙), 2018 (丙 甲 戊); now 甲 乙 戊
    link = _value_link(row)
    assert (
        link.startswith("/recognition/certifications/?") and "on=2019-07-02" in link
    )  # in force today, the year shown still running
    assert _listed(_page(client, link)) == {"甲企业", "乙企业", "戊企业"}  # not the terminated 丙
    stars = _row(page, "growth-province-growth-star")
    assert _listed(_page(client, _value_link(stars))) == {"甲企业", "戊企业"}
    all_levels = _row(page, "growth-all-levels")
    assert _listed(_page(client, _value_link(all_levels))) == {"甲企业", "乙企业", "丁企业", "戊企业"}


def test_a_city_officer_sees_its_own_city_only(client, world):
    client.force_login(city_officer("610100"))
    page = _page(client, "/targets/")
    assert "目标进度 · 西安市" in page
    row = _row(page, "growth-province-tier")
    link = _value_link(row)
    assert "city=610100" in link
    assert _listed(_page(client, link)) == {"甲企业", "乙企业"}  # not 宝鸡's 戊
    assert "宝鸡市" not in page
    assert _text(_row(page, "growth-all-levels")).count("未分解") == 1  # no share, no approved plan
    assert client.get("/targets/?city=610300").status_code == 404
    assert client.get("/targets/?city=610100").status_code == 200
    county = county_officer("610302")
    client.force_login(county)
    page = _page(client, "/targets/")
    assert "目标进度 · 渭滨区" in page
    assert _listed(_page(client, _value_link(_row(page, "growth-province-tier")))) == {"戊企业"}


def test_the_province_picks_a_city(client, world):
    client.force_login(province_admin())
    page = _page(client, "/targets/?city=610300")
    assert "目标进度 · 宝鸡市" in page
    assert _listed(_page(client, _value_link(_row(page, "growth-province-tier")))) == {"戊企业"}
    xian = _page(client, "/targets/?city=610100")
    assert _listed(_page(client, _value_link(_row(xian, "growth-province-tier")))) == {"甲企业", "乙企业"}
    assert client.get("/targets/?city=999999").status_code == 404
    assert client.get("/targets/?city=610113").status_code == 404  # a county is not a city-level unit


def test_the_citys_approved_annual_plan_is_its_goal_for_all_tier_enterprises(client, world):
    xian, province = city_officer("610100"), province_admin()
    client.force_login(xian)
    plan = plan_in_state("submitted", xian, province, year=2019)  # 10 enterprises in every row
    row = _text(_row(_page(client, "/targets/"), "growth-all-levels"))
    assert "未分解" in row  # a plan not yet approved is no goal
    from smeplan.reporting.services import plan_act

    plan_act(actor=province, plan=plan, action="approve")
    row = _text(_row(_page(client, "/targets/"), "growth-all-levels"))
    # 西安 had 2 at the end of 2018 (甲 丙) and has 3 now (甲 乙 丁): paced from 2 to 10 over 2019,
    # halfway (2 July) it should have 2 + 8 / 2 = 6
    assert "10户 本市2019年度计划（已核准）" in row
    assert "30.0% · 应达 6" in row and "进度滞后" in row
    # the province sees the plan in the city's row of the breakdown, and the whole province's goal itself
    client.force_login(province)
    assert "20,000户 全省目标" in _text(_row(_page(client, "/targets/"), "growth-all-levels"))
    detail = _page(client, f"/targets/{target('growth-all-levels').pk}/")
    assert "本市2019年度计划（已核准）" in _text(_row(detail, "610100"))
    assert "未分解" in _text(_row(detail, "610300"))


def test_the_detail_form_refuses_bad_input_and_saves_good(client):
    t = target("financing-listed")
    client.force_login(province_admin())
    url = f"/targets/{t.pk}/"
    bad = client.post(url, {"region": "610000", "year": "2019", "value": "-1", "source_note": ""})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "数值不能为负数，收到“-1”" in text and "请填写数据来源说明" in text
    assert 'value="-1"' in text  # what was typed is kept
    assert not ReportedValue.objects.exists()
    good = client.post(url, {"region": "610000", "year": "2019", "value": "160", "source_note": "陕西证监局"})
    assert good.status_code == 302 and good["Location"] == url
    page = _page(client, url)
    assert "已保存2019年的填报值" in page
    assert "160户（2019年：陕西证监局）" in _text(page)
    reported = re.search(r'<table class="data" id="reported">(.*?)</table>', page, re.S).group(1)
    assert "陕西省 2019 160 陕西证监局" in _text(reported)


def test_a_city_officer_posting_for_another_city_is_refused_on_the_page(client):
    t = target("financing-listed")
    client.force_login(city_officer("610100"))
    url = f"/targets/{t.pk}/?city=610100"
    page = _page(client, url)
    form = re.search(r'<select id="f-region" name="region">(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option value="(\d+)"', form)
    assert options[0] == "610100" and "610300" not in options  # its own city (and its counties) only
    assert set(options[1:]) == {"610102", "610103", "610104", "610111", "610112", "610113", "610114",
                                "610115", "610116", "610117", "610118", "610122", "610124"}  # fmt: skip
    refused = client.post(url, {"region": "610300", "year": "2019", "value": "5", "source_note": "市金融办"})
    assert refused.status_code == 403
    assert not ReportedValue.objects.exists()
    ok = client.post(url, {"region": "610100", "year": "2019", "value": "5", "source_note": "市金融办"})
    assert ok.status_code == 302 and ok["Location"] == url
    assert ReportedValue.objects.get().region_id == "610100"


def test_enterprise_users_are_refused(client, world):
    org = enterprise("610113", "企业用户所在企业")
    client.force_login(enterprise_user(org))
    t = target("growth-province-tier")
    for url in ("/targets/", "/targets/map/", f"/targets/{t.pk}/", f"/targets/{t.pk}/edit/"):
        assert client.get(url).status_code == 403, url


def test_the_map_lists_every_visible_county_with_its_count(client, world):
    client.force_login(province_admin())
    page = _page(client, "/targets/map/?metric=growth.all_levels")
    table = re.search(r'<table class="data" id="county-table">(.*?)</table>', page, re.S).group(1)
    rows = dict(re.findall(r'<tr data-code="(\d+)"><td>[^<]+</td><td class="num">(.*?)</td></tr>', table))
    counties = set(Region.objects.filter(is_county=True).values_list("code", flat=True))
    assert set(rows) == counties and len(rows) == 107
    assert _text(rows["610113"]) == "3" and _text(rows["610302"]) == "1"
    assert {code for code, cell in rows.items() if _text(cell) != "0"} == {"610113", "610302"}
    assert "107 个县（市、区）中 2 个有各级梯队企业，合计 4 家" in page
    link = html.unescape(re.search(r'<a href="([^"]+)"', rows["610113"]).group(1))
    assert _listed(_page(client, link)) == {"甲企业", "乙企业", "丁企业"}
    earlier = _page(client, "/targets/map/?metric=growth.province&year=2018")
    assert "合计 3 家" in earlier  # 甲 丙 戊 at the end of 2018

    client.force_login(city_officer("610100"))
    page = _page(client, "/targets/map/?metric=growth.all_levels")
    table = re.search(r'<table class="data" id="county-table">(.*?)</table>', page, re.S).group(1)
    codes = re.findall(r'<tr data-code="(\d+)">', table)
    xian = set(
        Region.objects.filter(is_county=True, path__contains="/610100/").values_list("code", flat=True)
    )
    assert set(codes) == xian and len(codes) == 13 and "610302" not in codes
    assert "13 个县（市、区）中 1 个有各级梯队企业，合计 3 家" in page


def test_a_certification_made_through_the_workflow_is_counted_at_once(client, monkeypatch):
    from smeplan.targets.services import period_create, target_create
    from tests.recognition import make as recognition

    monkeypatch.setattr(clock, "today", lambda: dt.date.today())
    admin = province_admin()
    year = dt.date.today().year
    period = period_create(
        actor=admin, data={"code": "next", "name": "下一规划期", "start_year": year, "end_year": year + 4}
    )
    target_create(
        actor=admin,
        period=period,
        data={
            "code": "growth-province",
            "plan": "growth",
            "name": "省级梯队企业",
            "description": "省级梯队企业 100 户",
            "value": "100",
            "unit": "户",
            "kind": "cumulative",
            "deadline": f"{year + 4}-12-31",
            "source": "computed",
            "metric": "growth.province",
        },
    )
    client.force_login(admin)
    before = _row(_page(client, "/targets/?period=next"), "growth-province")
    assert _text(re.findall(r"<td[^>]*>(.*?)</td>", before, re.S)[2]) == "0"
    officers = recognition.bureaus()
    _org, user = recognition.applicant(name="陕西测试阀门有限公司")
    application = recognition.to_selected(recognition.submitted(user), officers)
    recognition.certified(application, officers["province"], monkeypatch)
    row = _row(_page(client, "/targets/?period=next"), "growth-province")
    assert _listed(_page(client, _value_link(row))) == {"陕西测试阀门有限公司"}
    assert _text(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[2]) == "1"
