"""From the detail page: one enterprise's yearly figures as .xlsx (long layout, every year)."""

import io

import pytest
from python_calamine import CalamineWorkbook


@pytest.mark.django_db
def test_detail_page_exports_its_figures(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    page = client.get(f"/organisations/{yanta_org.pk}/").content.decode()
    assert f'href="/organisations/{yanta_org.pk}/figures.xlsx"' in page

    response = client.get(f"/organisations/{yanta_org.pk}/figures.xlsx")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_name("年度数据")
        .to_python()
    )
    assert f"单位：{yanta_org.name}（{yanta_org.credit_code}）" in rows[0][0]
    assert [(r[0], r[6], r[7]) for r in rows[2:]] == [
        (yanta_org.credit_code, 2023.0, 4000.0),
        (yanta_org.credit_code, 2024.0, 5000.0),
    ]
    assert "%E5%B9%B4%E5%BA%A6%E6%95%B0%E6%8D%AE" in response["Content-Disposition"]  # 年度数据_…
