"""The demo province's figures look like a real province's (issue 14): size classes, growth,
enterprises per county, industries by region and names that fit the industry — on a small seeded
demo straight from the generator, and its data files name real classes and regions."""

from collections import Counter

import pytest

from smeplan.industries.models import Industry
from smeplan.regions.models import Region, RegionLevel
from smeplan.registry.demo import (
    ORG_COLUMNS,
    ORG_FORMS,
    STORY,
    DemoParams,
    county_weights,
    demo_industries,
    generate,
    industry_region_multipliers,
    reference_data,
    short_name,
)

N = 6000
FIRST, LAST = 2019, 2024
COL = {name: i for i, name in enumerate(ORG_COLUMNS)}


@pytest.fixture
def demo(db):
    """(organisations, figures, counties by code) of a seeded demo of N enterprises."""
    counties, industries = reference_data()
    chunks = list(
        generate(DemoParams(enterprises=N, first_year=FIRST, last_year=LAST, seed=11), counties, industries)
    )
    orgs = [row for c in chunks for row in c.organisations]
    figures = [row for c in chunks for row in c.figures]
    return orgs, figures, {c.code: c for c in counties}


def test_size_classes_are_mostly_micro_then_small_then_medium(demo):
    orgs, _, _ = demo
    sizes = Counter(row[COL["size_class"]] for row in orgs)
    classified = N - sizes[""]
    assert 0.70 * classified <= sizes["micro"] <= 0.92 * classified
    assert sizes["micro"] >= 3 * sizes["small"]
    assert sizes["small"] >= 5 * sizes["medium"] > 0
    assert sizes["medium"] >= sizes["large"]


def test_revenue_growth_is_mostly_between_minus_20_and_40_percent_and_bounded(demo):
    _, figures, _ = demo
    revenue = {(row[0], row[1]): row[2] for row in figures}
    growth = [
        revenue[(org, year)] / revenue[(org, year - 1)] - 1
        for (org, year) in revenue
        if (org, year - 1) in revenue and revenue[(org, year - 1)] >= 1  # 1 万元: the rounding is negligible
    ]
    inside = sum(-0.20 <= g <= 0.40 for g in growth) / len(growth)
    assert inside >= 0.75
    assert min(growth) >= -0.46 and max(growth) <= 1.01  # bounded: no 4,566 %
    assert 0 < sorted(growth)[len(growth) // 2] < 0.15  # the median firm grows a little


def test_enterprises_per_county_follow_economic_size(demo):
    orgs, _, counties = demo
    per_county = Counter(row[COL["county_id"]] for row in orgs)
    per_city = Counter(counties[c].city_code for c in per_county.elements())
    assert 0.35 * N <= per_city["610100"] <= 0.55 * N  # 西安
    assert per_city["610800"] > 3 * per_city["610200"]  # 榆林 ≫ 铜川
    assert per_county["610113"] > 5 * per_county["610124"]  # 雁塔区 ≫ 周至县
    assert per_county["610881"] > 3 * per_county["610829"]  # 神木市 ≫ 吴堡县
    assert min(per_county.values()) >= 3 and len(per_county) == len(counties)  # every county has some


def test_industries_follow_the_region(demo):
    orgs, _, counties = demo
    sections = dict(Industry.objects.filter(level="class").values_list("code", "section"))
    mix: dict[str, Counter] = {}
    for row in orgs:
        code = row[COL["industry_id"]]
        group = {"I": "it", "M": "it", "B": "energy", "D": "energy", "A": "farming"}.get(sections[code], "")
        if code[:2] == "25":
            group = "energy"
        elif code[:2] in ("13", "14", "15"):
            group = "farming"
        elif sections[code] == "C":
            group = "manufacturing"
        mix.setdefault(counties[row[COL["county_id"]]].city_code, Counter())[group] += 1

    def share(cities, group):
        total = sum(sum(mix[c].values()) for c in cities)
        return sum(mix[c][group] for c in cities) / total

    others = lambda *cities: [c for c in mix if c not in cities]  # noqa: E731
    assert share(["610100"], "it") > 2 * share(others("610100"), "it")  # 西安: IT and research
    assert share(["610800", "610600"], "energy") > 3 * share(
        others("610800", "610600"), "energy"
    )  # 榆林, 延安
    south = ["610700", "610900", "611000"]  # 汉中, 安康, 商洛
    assert share(south, "farming") > 2 * share(others(*south), "farming")
    assert share(["610300", "610400"], "manufacturing") > 1.5 * share(
        ["610100"], "manufacturing"
    )  # 宝鸡, 咸阳


def test_names_are_region_trade_name_industry_word_and_form(demo):
    orgs, _, counties = demo
    words = {d.code: d.words for d in demo_industries()}
    forms = tuple(form for form, _ in ORG_FORMS)
    story = {s.name for s in STORY}
    for row in orgs:
        name, code, county = row[COL["name"]], row[COL["industry_id"]], counties[row[COL["county_id"]]]
        if name in story:
            continue
        assert name.endswith(forms), name
        assert name.startswith(("陕西", short_name(county.city_name), short_name(county.name))), name
        assert any(word in name for word in words[code]), (name, code)


@pytest.mark.django_db
def test_demo_data_files_name_real_classes_and_regions():
    classes = dict(Industry.objects.filter(level="class").values_list("code", "name"))
    for d in demo_industries():
        assert classes.get(d.code) == d.name, d.code
        assert d.weight > 0 and d.words
    counties = set(Region.objects.filter(is_county=True).values_list("code", flat=True))
    assert set(county_weights()) == counties
    cities = set(Region.objects.filter(level=RegionLevel.CITY).values_list("code", flat=True))
    codes = set(classes)
    sections = set(Industry.objects.filter(level="section").values_list("code", flat=True))
    for city, rules in industry_region_multipliers().items():
        assert city in cities, city
        for selector, multiplier in rules:
            assert multiplier > 0
            assert selector in sections or any(c.startswith(selector) for c in codes), (city, selector)
