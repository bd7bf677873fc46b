"""On PostgreSQL the long figures .xlsx takes its rows as text from COPY; the sheet has exactly the
cells of the Python path (numbers as numbers, empty figures empty, odd text as text)."""

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from python_calamine import CalamineWorkbook

from smeplan.exchange import export as engine
from smeplan.web.views import export as views
from tests.factories import AnnualFiguresFactory, OrganisationFactory, province_admin, region

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path exists on PostgreSQL only"),
]


def _rows(client):
    response = client.get("/organisations/figures-long.xlsx", {"year_from": "2023"})
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name("年度数据").to_python()[1:]  # the title row has the time


def test_copy_and_python_paths_write_the_same_cells(client, monkeypatch):
    a = OrganisationFactory(name="=HYPERLINK(1)\t公司", county=region("610113"))
    b = OrganisationFactory(name="韩城<&>公司", county=region("610581"), industry_id="1391")
    AnnualFiguresFactory(organisation=a, year=2023, total_profit=Decimal("-0.50"), rd_expense=None)
    AnnualFiguresFactory(organisation=a, year=2024, operating_revenue=Decimal("123456789.01"), employees=0)
    AnnualFiguresFactory(organisation=b, year=2024, employees=None, export_value=Decimal("3"))
    client.force_login(province_admin())

    calls = []
    original = engine.copy_rows
    monkeypatch.setattr(engine, "copy_rows", lambda *a, **k: calls.append(1) or original(*a, **k))
    through_copy = _rows(client)
    assert calls == [1]
    monkeypatch.setattr(views, "connection", SimpleNamespace(vendor="sqlite"))
    through_python = _rows(client)

    assert through_copy == through_python
    assert len(through_copy) == 1 + 3
    assert through_copy[1][:2] == [a.credit_code, "=HYPERLINK(1)\t公司"]
    assert through_copy[1][6:12] == [2023.0, 5000.0, 4800.0, -0.5, 150.0, ""]  # rd_expense empty
