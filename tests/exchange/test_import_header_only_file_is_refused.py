"""A file with a header and no data rows is refused — "文件只有表头，没有数据行" — on the page, through
the API and by ``manage.py import_figures``, never imported as zero rows; a header-only sheet next to
sheets with data is a warning."""

import pytest
from django.core.management import CommandError, call_command

from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.exchange.pipeline import parse_file
from smeplan.indicators.models import AnnualFigures
from tests.exchange.bureau_sheets import registry_xlsx, simple_xlsx
from tests.exchange.fixtures.sheets import xlsx_bytes
from tests.factories import OrganisationFactory, county_officer
from tests.web.helpers import text
from tests.web.import_files import upload

pytestmark = pytest.mark.django_db

MESSAGE = "文件只有表头，没有数据行"
HEADER = ["统一社会信用代码", "企业名称", "所属区县", "年度", "营业收入（万元）", "利润总额（万元）"]


def header_only() -> bytes:
    """A bureau's sheet: title, header, then only the notes under the table."""
    return registry_xlsx(
        HEADER, [], title="2024年规上企业经营情况表", notes=("注：金额单位为万元。", "填表人：王五")
    )


def test_the_page_refuses_it(client):
    client.force_login(county_officer())

    response = client.post("/imports/new/", {"file": upload(header_only(), "空表.xlsx")}, follow=True)

    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and batch.rows == 0
    assert batch.error_message.startswith(MESSAGE)
    assert MESSAGE in text(response) and "确认导入" not in text(response)
    assert not AnnualFigures.objects.exists()


def test_the_api_refuses_it(api_as):
    api = api_as(county_officer())

    body = api.upload("/imports", {"file": upload(header_only(), "空表.xlsx")}).json()

    assert body["status"] == "failed" and body["error_count"] == 1
    assert body["error_message"].startswith(MESSAGE)
    issues = api.get(f"/imports/{body['id']}/issues").json()["items"]
    assert [i["message"] for i in issues] == [MESSAGE]
    assert api.post(f"/imports/{body['id']}/commit", {}).status_code == 422
    assert not AnnualFigures.objects.exists()


def test_the_command_refuses_it(tmp_path, capsys):
    county_officer(username="yanta_empty")
    path = tmp_path / "空表.xlsx"
    path.write_bytes(header_only())

    with pytest.raises(CommandError, match=MESSAGE):
        call_command("import_figures", str(path), "--user", "yanta_empty")

    assert f"[错误] 企业名录 {MESSAGE}" in capsys.readouterr().out
    assert ImportBatch.objects.get().status == ImportStatus.FAILED
    assert not AnnualFigures.objects.exists()


def test_a_csv_with_only_its_header_and_a_registry_list_too():
    csv = ("统一社会信用代码,企业名称,年度,营业收入\r\n").encode("utf-8-sig")
    assert [i.message for i in parse_file(csv, "数据.csv").issues] == [MESSAGE]
    registry = registry_xlsx(["统一社会信用代码", "企业名称", "所属区县", "行业代码"], [])
    parsed = parse_file(registry, "名录.xlsx")
    assert parsed.kind == "organisations" and [i.message for i in parsed.issues] == [MESSAGE]


def test_a_header_only_sheet_beside_one_with_data_is_a_warning():
    org = OrganisationFactory()
    data = xlsx_bytes(
        {
            "2023年": [HEADER[:3] + HEADER[4:], [org.credit_code, org.name, "雁塔区", 100, 5]],
            "2024年": [HEADER[:3] + HEADER[4:]],
        }
    )

    parsed = parse_file(data, "两年.xlsx")

    assert len(parsed.records) == 1
    (issue,) = parsed.issues
    assert issue.level == "warning" and issue.sheet == "2024年" and "只有表头，没有数据行" in issue.message


def test_rows_with_errors_are_data_rows_not_an_empty_file():
    parsed = parse_file(simple_xlsx(HEADER, [["12345", "某公司", "雁塔区", 2024, 1, 1]]), "x.xlsx")
    assert MESSAGE not in [i.message for i in parsed.issues]
