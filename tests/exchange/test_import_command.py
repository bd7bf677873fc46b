"""manage.py import_figures: validate, refuse on errors, --dry-run, write with confirmed warnings."""

from decimal import Decimal

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command

from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.indicators.models import AnnualFigures
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def _xlsx(path, rows):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("2024年")
    sheet.write_row(0, 0, ["2024年规上企业经营数据"])
    sheet.write_row(1, 0, ["统一社会信用代码", "企业名称", "所属区县", "营业收入（万元）", "从业人员（人）"])
    for i, row in enumerate(rows, start=2):
        sheet.write_row(i, 0, row)
    book.close()


def test_command_imports_a_sheet(tmp_path, capsys):
    org = OrganisationFactory()
    officer = county_officer(username="yanta")
    path = tmp_path / "数据.xlsx"
    _xlsx(path, [[org.credit_code, org.name, "雁塔区", 1234.5, 40]])

    call_command("import_figures", str(path), "--user", "yanta", "--dry-run")
    assert not AnnualFigures.objects.exists()

    call_command("import_figures", str(path), "--user", "yanta")
    fig = AnnualFigures.objects.get(organisation=org, year=2024)
    assert fig.operating_revenue == Decimal("1234.50") and fig.employees == 40
    batch = ImportBatch.objects.filter(status=ImportStatus.COMMITTED).get()
    assert batch.uploaded_by == officer and batch.layout["sheets"]
    assert "已导入" in capsys.readouterr().out


def test_command_refuses_a_file_with_errors(tmp_path, capsys):
    org = OrganisationFactory()
    county_officer(username="yanta2")
    path = tmp_path / "bad.xlsx"
    _xlsx(path, [[org.credit_code, org.name, "雁塔区", -5, 40]])
    with pytest.raises(CommandError):
        call_command("import_figures", str(path), "--user", "yanta2")
    assert not AnnualFigures.objects.exists()
    assert "[错误]" in capsys.readouterr().out


def test_command_refuses_a_file_that_is_not_a_spreadsheet(tmp_path):
    county_officer(username="yanta3")
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"MZ\x90\x00not a spreadsheet")
    with pytest.raises(CommandError):
        call_command("import_figures", str(path), "--user", "yanta3")
    assert not ImportBatch.objects.exists()
