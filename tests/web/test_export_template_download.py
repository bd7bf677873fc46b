"""下载导入模板: the blank templates download from the page; an unknown kind is 404."""

import io

import pytest
from python_calamine import CalamineWorkbook


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["figures-long", "figures-wide"])
def test_template_downloads(client, yanta_officer, kind):
    client.force_login(yanta_officer)

    response = client.get(f"/organisations/templates/{kind}.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["数据", "说明"]


@pytest.mark.django_db
def test_unknown_template_is_404(client, yanta_officer):
    client.force_login(yanta_officer)
    assert client.get("/organisations/templates/nothing.xlsx").status_code == 404
    assert client.get("/organisations/figures-sideways.xlsx").status_code == 404
