"""On PostgreSQL the long figures .csv is PostgreSQL's COPY output; it has exactly the cells of the
Python path (labels, formula escaping, numbers, empty figures), only LF line ends instead of CRLF."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection

from smeplan.exchange import export as engine
from smeplan.web.views import export as views
from tests.factories import AnnualFiguresFactory, OrganisationFactory, province_admin, region

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path exists on PostgreSQL only"),
]


def _lines(client, **query):
    response = client.get("/organisations/figures-long.csv", query)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig").replace("\r\n", "\n").split("\n")


def test_copy_and_python_paths_write_the_same_csv(client, monkeypatch):
    a = OrganisationFactory(name="=HYPERLINK(1)公司", county=region("610113"))
    b = OrganisationFactory(name='带"引号",逗号', county=region("610581"), industry_id="1391")  # 韩城市
    AnnualFiguresFactory(organisation=a, year=2023, total_profit=Decimal("-0.50"), rd_expense=None)
    AnnualFiguresFactory(organisation=a, year=2024, operating_revenue=Decimal("123456789.01"), employees=0)
    AnnualFiguresFactory(organisation=b, year=2024, employees=None, export_value=Decimal("3"))
    client.force_login(province_admin())

    calls = []
    original = engine.copy_csv_chunks
    monkeypatch.setattr(engine, "copy_csv_chunks", lambda *a, **k: calls.append(1) or original(*a, **k))
    through_copy = _lines(client, year_from="2023")
    assert calls == [1]
    monkeypatch.setattr(views, "connection", SimpleNamespace(vendor="sqlite"))
    through_python = _lines(client, year_from="2023")

    assert through_copy == through_python
    assert len(through_copy) == 1 + 3 + 1  # header, three rows, the empty string after the last LF
    assert through_copy[1].startswith(f"{a.credit_code},'=HYPERLINK(1)公司,雁塔区,西安市,3311,")
