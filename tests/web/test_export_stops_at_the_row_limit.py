import io

import pytest
from python_calamine import CalamineWorkbook

from smeplan.web.views import export
from tests.factories import OrganisationFactory, region


@pytest.mark.django_db
def test_a_result_larger_than_the_limit_is_cut_with_a_clear_message(client, yanta_officer, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_LIMIT", 3)
    for i in range(5):
        OrganisationFactory(name=f"雁塔{i}公司", county=region("610113"))
    client.force_login(yanta_officer)

    response = client.get("/organisations/export.xlsx")

    assert response["X-Export-Truncated"] == "1" and response["X-Export-Rows"] == "3"
    assert "%E4%BB%85%E5%89%8D3%E8%A1%8C" in response["Content-Disposition"]  # “仅前3行” in the file name
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.get_sheet_by_name("企业名录").to_python()) == 2 + 3  # title row, header row, 3 rows
    notes = dict((r[0], r[1]) for r in book.get_sheet_by_name("说明").to_python())
    assert "筛选结果超过 3 行，只导出了前 3 行" in notes["注意"]
    assert "CSV" in notes["注意"]  # the way to the complete result


@pytest.mark.django_db
def test_a_result_at_the_limit_is_complete(client, yanta_officer, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_LIMIT", 3)
    for i in range(3):
        OrganisationFactory(name=f"雁塔{i}公司", county=region("610113"))
    client.force_login(yanta_officer)

    response = client.get("/organisations/export.xlsx")

    assert response["X-Export-Truncated"] == "0" and response["X-Export-Rows"] == "3"
