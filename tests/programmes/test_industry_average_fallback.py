import pytest

from tests.programmes.helpers import firm, spec, statuses

pytestmark = pytest.mark.django_db

ABOVE = [spec("growth.operating_revenue", "gt", reference="industry_average")]


def _grow(prev, cur, industry="3311", county="610113"):
    return firm(
        county=county, industry=industry, y2023={"operating_revenue": prev}, y2024={"operating_revenue": cur}
    )


def test_division_average_is_aggregate_growth_and_equal_is_not_above():
    # division 33, five firms: Σ2024 / Σ2023 − 1 = 600 / 500 − 1 = 20%
    firms = [_grow(100, 100), _grow(100, 100), _grow(100, 100), _grow(100, 150), _grow(100, 150)]
    equal = _grow(100, 120)  # exactly +20%: Σ now 720/600 = 1.2 → average still exactly 20%
    got = statuses(ABOVE, 2024)
    assert got[equal.pk][1] == ["fail"]
    assert got[firms[3].pk][1] == ["pass"]
    assert got[firms[0].pk][1] == ["fail"]


def test_small_division_falls_back_to_the_section_then_is_flagged():
    from smeplan.programmes.averages import table_compute
    from smeplan.programmes.frame import frame_load

    # section C: three firms in 33 and one in 34 → four in the section: < 5 → flagged province section
    a, _b, _c = _grow(100, 110), _grow(100, 130), _grow(100, 90)
    lone = _grow(100, 140, industry="3411")
    frame = frame_load(year=2024, years_back=1, fields=("operating_revenue",))
    table = table_compute(frame, "growth.operating_revenue", 2024)
    group, flagged = table.resolve(frame, "province")
    k = list(frame.ids).index(lone.pk)
    g = table.ordered[group[k]]
    assert (g.kind, g.code, g.count, bool(flagged[k])) == ("section", "C", 4, True)
    # Σ = 470 / 400 − 1 = 17.5%: 40% passes, 10% fails
    got = statuses(ABOVE, 2024)
    assert got[lone.pk][1] == ["pass"] and got[a.pk][1] == ["fail"]


def test_section_in_the_city_used_before_the_province():
    for _ in range(5):
        _grow(100, 100, industry="3411", county="610302")  # 宝鸡: 5 in C34 at 0%
    xi = [_grow(100, 200, industry="3311") for _ in range(4)] + [_grow(100, 200, industry="3411")]
    got_city = statuses(ABOVE, 2024, area="city")
    # 西安: division 34 has 1 firm, 33 has 4 → section C of 西安 (5 firms, +100%): a +100% firm is not above
    assert got_city[xi[4].pk][1] == ["fail"]
    got_province = statuses(ABOVE, 2024, area="province")
    # province: C34 has 6 firms, Σ 700/600 − 1 = 16.7%: +100% passes
    assert got_province[xi[4].pk][1] == ["pass"]


def test_no_comparable_firm_at_all_is_incomplete():
    solo = firm(industry="3311", y2023={"operating_revenue": 0}, y2024={"operating_revenue": 10})
    other = firm(industry="3311", y2024={"operating_revenue": 10})
    got = statuses(ABOVE, 2024)
    assert got[solo.pk][1] == ["undefined"]
    assert got[other.pk][1] == ["incomplete"]
