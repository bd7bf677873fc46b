import re

import pytest

from tests.web.helpers import text


def cell(body: str, row_label: str, index: int) -> str:
    """The ``index``-th year cell (with its attributes) of the figures-table row ``row_label``."""
    row = re.search(rf"<tr><th scope=\"row\">{row_label}</th>(.*?)</tr>", body, re.S).group(1)
    return re.findall(r"<td class=\"num[^\"]*\"[^>]*>[^<]*</td>", row)[index]


@pytest.mark.django_db
def test_figures_by_year_are_formatted_in_wan_with_separators(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    body = text(client.get(f"/organisations/{yanta_org.pk}/"))

    assert ">5,000.00<" in cell(body, "营业收入", 1)
    assert ">-50.00<" in cell(body, "利润总额", 0)
    assert ">120<" in cell(body, "从业人员", 1)


@pytest.mark.django_db
def test_growth_on_a_base_at_or_below_zero_is_undefined_with_its_reason(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    body = text(client.get(f"/organisations/{yanta_org.pk}/"))

    profit_2024 = cell(body, "利润总额增速", 1)
    assert "无法计算" in profit_2024
    assert "status-undefined" in profit_2024
    assert "上年利润总额为-50.00（≤0），增速无法计算" in profit_2024  # the tooltip
    assert ">25.0%<" in cell(body, "营业收入增速", 1)
    first_year = cell(body, "营业收入增速", 0)  # no 2022 figures: missing, not undefined
    assert "数据不全" in first_year and "status-missing" in first_year
    assert ">6.0%<" in cell(body, "营业收入利润率", 1)


@pytest.mark.django_db
def test_size_class_and_above_scale_are_explained(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    body = text(client.get(f"/organisations/{yanta_org.pk}/"))

    assert "依据 2024 年度数据" in body
    assert "为小型企业" in body
    assert "规模以上工业" in body and "属于规模以上工业企业" in body
