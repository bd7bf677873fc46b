"""附件3 page and .xlsx: the grouped layout, a city's rows only, the workbook's merged group headers."""

import io

import pytest
from python_calamine import CalamineWorkbook

from tests.factories import city_officer, province_admin
from tests.reporting.make import small_world

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_city_then_its_counties(client):
    small_world()
    client.force_login(city_officer("610100"))
    response = client.get("/reporting/annex3/?year=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert "西安市" in html and "雁塔区" in html and "渭滨区" not in html
    assert html.index('data-code="610100"') < html.index('data-code="610113"')
    assert "10.00%" in html  # 西安: Σ330 / Σ300 − 1


def test_the_workbook_has_level_groups_over_the_tiers(client):
    small_world()
    client.force_login(province_admin())
    response = client.get("/reporting/annex3/?year=2024&format=xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("附件3汇总表").to_python()
    assert rows[1][2] == "省级" and rows[1][5] == "市级" and rows[1][8] == "县级"
    assert rows[2][2].startswith("行业之星") and rows[2][4].startswith("创业之星")
    by_code = {r[1]: r for r in rows[3:]}
    assert by_code["610100"][11] == 3 and by_code["610100"][13] == 380
    assert abs(by_code["610100"][14] - 0.1) < 1e-9
    assert rows[-1][0] == "全省合计" and rows[-1][11] == 4


def test_a_bad_year_is_refused_in_chinese(client):
    client.force_login(province_admin())
    response = client.get("/reporting/annex3/?year=abc")
    assert response.status_code == 400 and "年度" in response.content.decode()
