"""A column the system did not recognise is corrected on the page (target, unit), checked again, and
the mapping saved as a template reads the next file from the same source, even with moved columns."""

from decimal import Decimal

import pytest

from smeplan.exchange.models import ImportBatch, ImportMappingTemplate, ImportStatus
from smeplan.indicators.models import AnnualFigures
from tests.factories import OrganisationFactory, county_officer
from tests.web.helpers import text
from tests.web.import_files import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "年度", "从业人员（人）", "本期经营所得"]


def _mapping_form(batch, **changes):
    """The mapping form as the page renders it (every column's current choice), with ``changes``."""
    data = {"sheet": "企业数据", "default_year": ""}
    for column in batch.layout["sheets"][0]["columns"]:
        prefix = f"s0-{column['letter']}"
        data[f"{prefix}-target"] = column["target"]
        data[f"{prefix}-year"] = column["year"] or ""
        data[f"{prefix}-unit"] = column["unit"]
    data.update(changes)
    return data


def test_correct_a_column_then_reuse_the_mapping_as_a_template(client):
    org = OrganisationFactory()
    client.force_login(county_officer())
    client.post(
        "/imports/new/",
        {"file": upload(xlsx_bytes([[org.credit_code, org.name, 2024, 12, 5_000_000]], HEADER))},
    )
    batch = ImportBatch.objects.get()
    body = text(client.get(f"/imports/{batch.pk}/"))
    assert "本期经营所得" in body  # shown, as 不导入
    column_e = next(c for c in batch.layout["sheets"][0]["columns"] if c["letter"] == "E")
    assert column_e["target"] == "ignored"

    response = client.post(
        f"/imports/{batch.pk}/mapping/",
        _mapping_form(batch, **{"s0-E-target": "operating_revenue", "s0-E-unit": "元"}),
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    column_e = next(c for c in batch.layout["sheets"][0]["columns"] if c["letter"] == "E")
    assert column_e["target"] == "operating_revenue" and "除以 10000" in column_e["how"]
    assert batch.status == ImportStatus.VALIDATED

    client.post(f"/imports/{batch.pk}/save-template/", {"name": "雁塔区年报"})
    template = ImportMappingTemplate.objects.get(name="雁塔区年报")
    assert template.mapping["本期经营所得"] == {"target": "operating_revenue", "unit": "元"}
    assert "雁塔区年报" in text(client.get("/imports/templates/"))

    client.post(f"/imports/{batch.pk}/commit/")
    assert AnnualFigures.objects.get(organisation=org, year=2024).operating_revenue == Decimal("500.00")

    # next year's file from the same source: the columns moved, the template still reads them
    moved = ["本期经营所得", "统一社会信用代码", "年度", "企业名称", "从业人员（人）"]
    data = xlsx_bytes([[8_000_000, org.credit_code, 2025, org.name, 13]], moved)
    client.post("/imports/new/", {"file": upload(data, "2025.xlsx"), "template": str(template.pk)})
    second = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert second.status == ImportStatus.VALIDATED, second.issues
    column_a = next(c for c in second.layout["sheets"][0]["columns"] if c["letter"] == "A")
    assert column_a["target"] == "operating_revenue"


def test_an_unknown_target_is_refused_and_nothing_changes(client):
    org = OrganisationFactory()
    client.force_login(county_officer())
    client.post(
        "/imports/new/", {"file": upload(xlsx_bytes([[org.credit_code, org.name, 2024, 12, 5]], HEADER))}
    )
    batch = ImportBatch.objects.get()
    before = dict(batch.options)
    response = client.post(
        f"/imports/{batch.pk}/mapping/", _mapping_form(batch, **{"s0-E-target": "salary"}), follow=True
    )
    assert "“salary”不是可导入的字段" in text(response)
    batch.refresh_from_db()
    assert batch.options == before
