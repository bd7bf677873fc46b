"""manage.py import_figures takes the page's column corrections — ``--map 列名=字段`` (repeatable; the
field as the Chinese name the page shows or as its key; optionally /年度/单位) — and a saved mapping
template by name (``--template``); an unknown column, field or template is refused in Chinese
before anything is written."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from smeplan.exchange.models import ImportBatch, ImportMappingTemplate, ImportStatus
from smeplan.indicators.models import AnnualFigures
from tests.exchange.bureau_sheets import registry_xlsx
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db

# a city's yearly sheet: headers the importer does not know by itself
HEADER = ["统一社会信用代码", "企业名称", "所属区县", "年度", "经营所得（元）", "人头数", "备注"]


@pytest.fixture
def sheet(tmp_path):
    org = OrganisationFactory()
    county_officer(username="yanta")
    path = tmp_path / "西安市年报.xlsx"
    path.write_bytes(
        registry_xlsx(
            HEADER, [[org.credit_code, org.name, "雁塔区", 2024, 3_000_000, 42, "已核"]], title="西安市年报"
        )
    )
    return org, path


def test_map_by_chinese_name_and_by_key(sheet, capsys):
    org, path = sheet

    call_command(
        "import_figures",
        str(path),
        "--user",
        "yanta",
        "--map",
        "经营所得（元）=营业收入",
        "--map",
        "人头数=employees",
    )

    figures = AnnualFigures.objects.get(organisation=org, year=2024)
    assert figures.operating_revenue == Decimal("300.00") and figures.employees == 42
    batch = ImportBatch.objects.get(status=ImportStatus.COMMITTED)
    assert batch.options["map"] == {
        "经营所得（元）": {"target": "operating_revenue"},
        "人头数": {"target": "employees"},
    }
    assert "已导入" in capsys.readouterr().out


def test_map_by_column_letter_with_year_and_unit(sheet):
    org, path = sheet

    call_command(
        "import_figures", str(path), "--user", "yanta", "--map", "E=营业收入/2023/千元", "--map", "F=不导入"
    )

    figures = AnnualFigures.objects.get(organisation=org)
    assert (figures.year, figures.operating_revenue, figures.employees) == (2023, Decimal("300000.00"), None)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("利润=营业收入", "--map 中的列“利润”在文件中不存在"),
        ("经营所得（元）=营业额度", "“营业额度”不是可导入的字段；可选：统一社会信用代码"),
        ("经营所得（元）", "格式有误：应为 列名=字段"),
        ("经营所得（元）=营业收入/23", "年度“23”应为四位年份"),
        ("经营所得（元）=营业收入/2023/美元", "单位“美元”无效"),
    ],
)
def test_a_wrong_map_is_refused(sheet, entry, message):
    _, path = sheet
    with pytest.raises(CommandError, match=message):
        call_command("import_figures", str(path), "--user", "yanta", "--map", entry)
    assert not AnnualFigures.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_saved_template_by_name(sheet):
    org, path = sheet
    officer = county_officer(username="other")  # same county: templates are shared in the region
    ImportMappingTemplate.objects.create(
        name="西安市年报表",
        owner=officer,
        region=officer.region,
        mapping={
            "经营所得（元）": {"target": "operating_revenue", "unit": "元"},
            "人头数": {"target": "employees"},
        },
    )

    call_command(
        "import_figures", str(path), "--user", "yanta", "--template", "西安市年报表", "--map", "人头数=不导入"
    )

    figures = AnnualFigures.objects.get(organisation=org, year=2024)
    assert (figures.operating_revenue, figures.employees) == (Decimal("300.00"), None)  # --map wins
    assert ImportBatch.objects.get().mapping_template.name == "西安市年报表"


def test_an_unknown_template_is_refused(sheet):
    _, path = sheet
    with pytest.raises(CommandError, match="没有名为“不存在的模板”的列对应模板"):
        call_command("import_figures", str(path), "--user", "yanta", "--template", "不存在的模板")
    assert not ImportBatch.objects.exists()
