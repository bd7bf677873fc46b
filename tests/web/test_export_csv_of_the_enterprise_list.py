"""企业名录 as .csv: streamed, UTF-8 with BOM, header row then data (no title lines); the description
is in the file name and in the X-Export-Description header."""

import csv
import io
from urllib.parse import unquote

import pytest
from django.http import StreamingHttpResponse


@pytest.mark.django_db
def test_csv_export_of_the_filtered_list(client, xian_officer, yanta_org, weiyang_org, baoji_org):
    client.force_login(xian_officer)

    response = client.get("/organisations/export.csv", {"county": "610113"})

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=utf-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95_" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(".csv")
    described = unquote(response["X-Export-Description"])
    assert described.startswith("企业名录｜导出人：xian（西安市 · 市级工作人员）")
    assert "区县：雁塔区（610113）" in described
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["名称", "曾用名", "统一社会信用代码", "市级单位", "区县"]
    assert [r[0] for r in rows[1:]] == [yanta_org.name]


@pytest.mark.django_db
def test_list_page_offers_every_export_with_the_filters(client, yanta_officer):
    client.force_login(yanta_officer)

    body = client.get("/organisations/", {"q": "机械", "page": "2"}).content.decode()

    for url in ("export.csv", "figures-long.xlsx", "figures-wide.xlsx"):
        assert f'href="/organisations/{url}?q=%E6%9C%BA%E6%A2%B0"' in body
    assert 'href="/organisations/templates/figures-long.xlsx"' in body and "下载导入模板" in body
