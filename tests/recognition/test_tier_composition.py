"""梯队构成: 规模以下/限额以下 enterprises (not 四上) must be at least 50% of a tier list (69号文
《成长梯队》三（二）). The share is shown per level and place (unknown 四上 status apart: in the total,
never as 规模以下) on the certification list, and the certifying officer is warned on the certify
page — share before and after, and how many more 规模以下 enterprises the list needs — when a
batch would take the level below 50%.

Province-level list (certifications in force today):
  雁塔区 (西安): 甲 规模以下, 乙 四上, 丙 四上 (丙 also holds a county 成长之星: one enterprise per level)
  渭滨区 (宝鸡): 丁 规模以下, 戊 四上情况未知
  己 (雁塔, 四上) lapsed: valid until last year, still marked 有效 — not counted.
→ 全省 2/5 = 40% (below 50%), 西安 1/3 = 33.3%, 宝鸡 1/2 = 50%; 县级 雁塔 0/1.
"""

import datetime as dt
import re

import pytest

from smeplan.recognition import clock
from smeplan.recognition.composition import composition
from tests.factories import OrganisationFactory, city_officer, province_admin, region
from tests.recognition.make import applicant, bureaus, move_time, submitted, to_selected
from tests.targets.make import certify

pytestmark = pytest.mark.django_db


def _org(county, name, above_scale):
    return OrganisationFactory(county=region(county), name=name, above_scale=above_scale)


@pytest.fixture
def lists():
    year = clock.today().year
    certify(_org("610113", "甲企业", False), "growth-province", "growth_star", f"{year - 2}-03-01")
    certify(_org("610113", "乙企业", True), "growth-province", "industry_star", f"{year - 2}-03-01")
    bing = _org("610113", "丙企业", True)
    certify(bing, "growth-province", "growth_star", f"{year - 1}-03-01")
    certify(bing, "growth-county", "growth_star", f"{year - 1}-04-01")
    certify(_org("610302", "丁企业", False), "growth-province", "startup_star", f"{year - 1}-05-01")
    certify(_org("610302", "戊企业", None), "growth-province", "growth_star", f"{year - 1}-05-01")
    lapsed = certify(_org("610113", "己企业", True), "growth-province", "growth_star", f"{year - 4}-05-01")
    lapsed.valid_until = dt.date(year - 1, 6, 30)
    lapsed.save(update_fields=["valid_until"])


def _cells(comp):
    return {
        (place.name, cell.programme): (
            cell.mix.below,
            cell.mix.above,
            cell.mix.unknown,
            cell.mix.share_text,
            cell.ok,
        )
        for place in comp.places
        for cell in place.cells
    }


def test_the_share_per_level_and_place(lists):
    comp = composition(user=province_admin(), day=clock.today(), area_kind="province", area_code="610000")
    assert [code for code, _label, _rule in comp.levels] == [
        "growth-province",
        "growth-city",
        "growth-county",
    ]
    cells = _cells(comp)
    assert cells[("全省", "growth-province")] == (2, 2, 1, "40%", False)
    assert cells[("西安市", "growth-province")] == (1, 2, 0, "33.3%", False)
    assert cells[("宝鸡市", "growth-province")] == (1, 0, 1, "50%", True)
    assert cells[("全省", "growth-county")] == (0, 1, 0, "0%", False)
    assert cells[("全省", "growth-city")] == (0, 0, 0, "—", True)  # an empty list breaks no rule
    city = composition(user=city_officer("610100"), day=clock.today(), area_kind="city", area_code="610100")
    assert [p.name for p in city.places][:1] == ["西安市"] and "雁塔区" in [p.name for p in city.places]
    assert _cells(city)[("雁塔区", "growth-province")] == (1, 2, 0, "33.3%", False)
    assert "宝鸡市" not in [p.name for p in city.places]


def test_the_certification_list_shows_the_composition(client, lists):
    client.force_login(province_admin())
    page = client.get("/recognition/certifications/").content.decode()
    section = re.search(r'<section class="card" id="tier-composition">(.*?)</section>', page, re.S).group(1)
    total = re.search(r'<tr data-place="610000"[^>]*>(.*?)</tr>', section, re.S).group(1)
    province_cell = re.search(r'data-programme="growth-province">(.*?)</td>', total, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", province_cell)).strip()
    assert text == "40% 低于50% 规模以下 2 · 四上 2 · 未知 1 / 共 5 家"
    assert "陕中企规发〔2017〕69号" in section and "不计入规模以下" in section


def _to_certify(monkeypatch, *, above_scale):
    """An application of a firm (雁塔) for 省级成长之星 whose notice has ended; its province officer."""
    officers = bureaus()
    _org, user = applicant(above_scale=above_scale)
    application = to_selected(submitted(user, tier="growth_star"), officers)
    from smeplan.recognition import services

    notice = services.notice_publish(
        actor=officers["province"],
        items=[(application.pk, application.lock_version)],
        title="省级成长梯队企业公示",
        days=7,
    )
    move_time(monkeypatch, (notice.ends_on - dt.date.today()).days + 1)
    application.refresh_from_db()
    return application, officers["province"]


def test_the_certify_page_warns_before_a_batch_takes_the_level_below_half(client, monkeypatch):
    year = dt.date.today().year
    for name, above in (("甲企业", False), ("乙企业", False), ("丙企业", True), ("丁企业", True)):
        certify(_org("610113", name, above), "growth-province", "growth_star", f"{year - 1}-03-01")
    application, officer = _to_certify(monkeypatch, above_scale=True)
    client.force_login(officer)
    page = client.post("/recognition/certify/", {"items": [f"{application.pk}:{application.lock_version}"]})
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert (
        "省级梯队（全省）：本批认定后，规模以下（限额以下）企业占比将由 50%（2/4 家） 降至 40%（2/5 家），"
        "低于不少于 50% 的要求；须再有 1 家规模以下企业认定（或本批少认定 1 家“四上”企业）才能达到 50%"
    ) in text


def test_no_warning_while_the_share_stays_at_half(client, monkeypatch):
    year = dt.date.today().year
    for name, above in (("甲企业", False), ("乙企业", True)):
        certify(_org("610113", name, above), "growth-province", "growth_star", f"{year - 1}-03-01")
    application, officer = _to_certify(monkeypatch, above_scale=False)
    client.force_login(officer)
    page = client.post("/recognition/certify/", {"items": [f"{application.pk}:{application.lock_version}"]})
    content = page.content.decode()
    assert 'id="certify-composition"' in content and "提醒：" not in content
    assert "66.7%（2/3 家）" in content


def test_the_targets_dashboard_shows_the_composition_of_its_area(client, lists):
    from smeplan.targets.services import period_create

    today = clock.today()
    admin = province_admin()
    period_create(
        actor=admin,
        data={"code": "now", "name": "本期", "start_year": str(today.year), "end_year": str(today.year + 4)},
    )
    client.force_login(city_officer("610100"))
    page = client.get("/targets/").content.decode()  # the period containing today (no targets yet)
    # the section arrives after the page (it reads every tier enterprise): its slot names the URL
    slot = re.search(r'<section class="card" id="tier-composition" data-fragment="([^"]+)"', page).group(1)
    assert slot == "/targets/composition/?period=now&amp;fragment=1"
    fragment = client.get("/targets/composition/?period=now&fragment=1").content.decode()
    assert "<html" not in fragment
    section = re.search(r'<section class="card" id="tier-composition">(.*?)</section>', fragment, re.S).group(
        1
    )
    places = re.findall(r'<tr data-place="(\d+)"', section)
    assert places[0] == "610100" and "610113" in places and "610302" not in places
    yanta = re.search(r'<tr data-place="610113">(.*?)</tr>', section, re.S).group(1)
    assert "33.3%" in yanta and "低于50%" in yanta
