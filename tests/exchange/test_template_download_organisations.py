"""The blank 企业名录 template is offered on the enterprise list and the import pages and downloads as
a workbook with the registry columns."""

import io
from urllib.parse import unquote

import pytest
from python_calamine import CalamineWorkbook

from tests.factories import county_officer
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_the_template_is_linked_and_downloads(client):
    client.force_login(county_officer())
    assert "/organisations/templates/organisations.xlsx" in text(client.get("/organisations/"))
    assert "/organisations/templates/organisations.xlsx" in text(client.get("/imports/"))

    response = client.get("/organisations/templates/organisations.xlsx")

    assert response.status_code == 200
    assert "导入模板_企业名录.xlsx" in unquote(response["Content-Disposition"])
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    header = book.get_sheet_by_name("数据").to_python()[0]
    assert header[:4] == ["统一社会信用代码", "企业名称", "所属区县", "行业代码"] and "联系电话" in header
