"""The registry columns go out the way they come in: the enterprise list's export (.xlsx and .csv)
reads back as a 企业名录 import that changes nothing, and the blank 企业名录 template, filled in as a
user would, registers what was typed."""

import datetime as dt
from decimal import Decimal

import pytest

from smeplan.exchange.models import ImportStatus
from smeplan.exchange.templates_xlsx import build
from smeplan.exchange.uploads import import_analyse, import_commit_file, import_upload
from smeplan.registry.models import Organisation
from smeplan.registry.services import organisation_rename
from tests.exchange.bureau_sheets import code
from tests.exchange.round_trip import fill_xlsx
from tests.factories import OrganisationFactory, county_officer, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    officer = county_officer()
    full = OrganisationFactory(
        name="雁塔精密机械有限公司",
        county=region("610113"),
        industry_id="3411",
        founded_on=dt.date(2012, 4, 1),
        ownership_type="private",
        registered_capital=Decimal("1234.50"),
        address="西安市雁塔区科技路 1 号",
        contact_person="张三",
        contact_phone="029-88886666",
    )
    organisation_rename(actor=officer, organisation=full, new_name="雁塔精密机械集团有限公司")
    OrganisationFactory(name="雁塔软件有限公司", county=region("610113"), industry_id=None)
    return officer


def _read_back(officer, data: bytes, name: str):
    batch = import_analyse(actor=officer, batch=import_upload(actor=officer, file_name=name, content=data))
    return batch


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_the_enterprise_list_export_reads_back_unchanged(client, listed, suffix):
    client.force_login(listed)
    response = client.get(f"/organisations/export.{suffix}")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    before = list(Organisation.objects.order_by("id").values())

    batch = _read_back(listed, data, f"企业名录.{suffix}")

    assert batch.kind == "organisations" and batch.status == ImportStatus.VALIDATED, batch.issues
    assert batch.issues == [] and batch.rows == 2
    assert (batch.new_organisations, batch.updated_organisations, batch.renamed_organisations) == (0, 0, 0)
    columns = {c["header"]: c["target"] for c in batch.layout["sheets"][0]["columns"]}
    assert columns["行业代码"] == "industry" and columns["注册资本（万元）"] == "registered_capital"
    assert columns["成立日期"] == "founded_on" and columns["联系电话"] == "contact_phone"
    import_commit_file(actor=listed, batch=batch)
    assert list(Organisation.objects.order_by("id").values()) == before


def test_the_blank_template_filled_in_registers_the_enterprises():
    officer = county_officer()
    rows = [
        [
            code("610113", 61),
            "雁塔新能源有限公司",
            "610113",
            "C3825",
            "2020-08-08",
            "民营",
            300,
            "电子城 5 号",
            "王五",
            "13900000000",
        ],
        [
            code("610113", 62),
            "雁塔文化有限公司",
            "雁塔区",
            "8710",
            "2018",
            "有限责任公司",
            None,
            None,
            None,
            None,
        ],
    ]
    data = fill_xlsx(build("organisations"), rows, first_row=2)

    batch = _read_back(officer, data, "企业名录模板.xlsx")
    assert batch.status == ImportStatus.VALIDATED, batch.issues
    import_commit_file(actor=officer, batch=batch)

    first = Organisation.objects.get(credit_code=code("610113", 61))
    assert (first.industry_id, first.founded_on, first.registered_capital) == (
        "3825",
        dt.date(2020, 8, 8),
        Decimal(300),
    )
    assert (first.ownership_type, first.contact_phone) == ("private", "13900000000")
    second = Organisation.objects.get(credit_code=code("610113", 62))
    assert (second.founded_on, second.ownership_type) == (dt.date(2018, 1, 1), "joint_stock")
