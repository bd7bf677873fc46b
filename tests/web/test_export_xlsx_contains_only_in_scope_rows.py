import io
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from tests.factories import OrganisationFactory, region


def workbook(response) -> CalamineWorkbook:
    return CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_the_export_opens_with_chinese_headers_and_only_the_users_rows(
    client, yanta_officer, weiyang_org, baoji_org
):
    OrganisationFactory(
        name="雁塔甲公司",
        county=region("610113"),
        registered_capital=Decimal("12345.6"),
        size_class="small",
        above_scale=True,
    )
    OrganisationFactory(name="雁塔乙公司", county=region("610113"))
    client.force_login(yanta_officer)

    response = client.get("/organisations/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    rows = workbook(response).get_sheet_by_name("企业名录").to_python()
    title, header, data = rows[0][0], rows[1], rows[2:]
    assert title.startswith("企业名录｜导出人：yanta（雁塔区")
    assert header[:5] == ["名称", "曾用名", "统一社会信用代码", "市级单位", "区县"]
    assert "注册资本（万元）" in header
    assert [r[0] for r in data] == ["雁塔甲公司", "雁塔乙公司"]  # sorted by name in pinyin (jiǎ before yǐ)
    first = next(r for r in data if r[0] == "雁塔甲公司")
    assert first[3:5] == ["西安市", "雁塔区"]
    assert first[header.index("注册资本（万元）")] == pytest.approx(12345.6)
    assert first[header.index("企业规模")] == "小型" and first[header.index("四上企业")] == "是"
    names = {r[0] for r in data}
    assert weiyang_org.name not in names and baoji_org.name not in names


@pytest.mark.django_db
def test_the_export_follows_the_lists_filters(client, admin_user, yanta_org, weiyang_org, baoji_org):
    client.force_login(admin_user)

    response = client.get("/organisations/export.xlsx", {"city": "610100", "q": "未央"})

    rows = workbook(response).get_sheet_by_name("企业名录").to_python()
    assert [r[0] for r in rows[2:]] == [weiyang_org.name]
    notes = dict(
        (r[0], r[1])
        for r in workbook(client.get("/organisations/export.xlsx", {"q": "未央"}))
        .get_sheet_by_name("说明")
        .to_python()
    )
    assert notes["导出行数"] == "1" and notes["检索词"] == "未央" and notes["金额单位"] == "万元"


@pytest.mark.django_db
def test_the_export_button_carries_the_current_filters(client, yanta_officer):
    client.force_login(yanta_officer)

    body = client.get("/organisations/", {"q": "机械", "size_class": "small", "page": "2"}).content.decode()

    assert 'href="/organisations/export.xlsx?q=%E6%9C%BA%E6%A2%B0&amp;size_class=small"' in body
