"""A file may hold both an enterprise's attributes and its yearly figures (long layout: one row per
enterprise and year, the attributes repeated). It is read as a 企业名录: the organisations first, then
their figures, in one transaction, undone together. Chosen explicitly as 年度数据, the same file
writes only the figures and leaves registered enterprises' attributes alone."""

from decimal import Decimal

import pytest

from smeplan.exchange.models import ImportStatus
from smeplan.exchange.services import import_undo
from smeplan.exchange.uploads import import_analyse, import_commit_file, import_upload
from smeplan.indicators.models import AnnualFigures
from smeplan.registry.models import Organisation
from tests.exchange.bureau_sheets import code, registry_xlsx
from tests.factories import OrganisationFactory, county_officer, region

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所属区县",
    "行业代码",
    "成立年份",
    "年度",
    "营业收入",
    "从业人员数",
]
NEW = code("610113", 41)


def _analyse(officer, data, kind="auto"):
    batch = import_upload(actor=officer, file_name="名录及经营数据.xlsx", content=data, kind=kind)
    return import_analyse(actor=officer, batch=batch)


def test_attributes_and_figures_together():
    officer = county_officer()
    rows = [
        [NEW, "雁塔精工有限公司", "雁塔区", "3411", 2016, 2023, 1800, 60],
        [NEW, "雁塔精工有限公司", "雁塔区", "3411", 2016, 2024, 2100.5, 66],
    ]
    data = registry_xlsx(HEADER, rows, unit_line="单位：万元、人")

    batch = _analyse(officer, data)

    assert batch.kind == "organisations" and batch.status == ImportStatus.VALIDATED, batch.issues
    assert (batch.rows, batch.new_organisations, batch.new_count) == (2, 1, 2)
    batch = import_commit_file(actor=officer, batch=batch)
    org = Organisation.objects.get(credit_code=NEW)
    assert (org.industry_id, org.founded_on.year) == ("3411", 2016)
    assert org.size_class == "small" and org.classified_year == 2024  # reclassified with its industry
    assert AnnualFigures.objects.get(organisation=org, year=2024).operating_revenue == Decimal("2100.50")

    import_undo(actor=officer, batch=batch)
    assert not Organisation.objects.filter(credit_code=NEW).exists()
    assert not AnnualFigures.objects.exists()


def test_rows_of_one_enterprise_must_agree():
    officer = county_officer()
    rows = [
        [NEW, "雁塔精工有限公司", "雁塔区", "3411", 2016, 2023, 1800, 60],
        [NEW, "雁塔精工有限公司", "雁塔区", "3411", 2017, 2024, 2100, 66],
    ]

    batch = _analyse(officer, registry_xlsx(HEADER, rows))

    assert batch.status == ImportStatus.FAILED
    (error,) = [i for i in batch.issues if i["level"] == "error"]
    assert (error["row"], error["column"]) == (5, "E")
    assert error["message"] == "同一单位在文件中填写了不同的成立日期（第4行为“2016年”）"


def test_as_yearly_figures_the_registry_is_left_alone():
    officer = county_officer()
    org = OrganisationFactory(name="雁塔精工有限公司", county=region("610113"), industry_id="3311")
    rows = [[org.credit_code, "雁塔精工集团有限公司", "雁塔区", "3411", 2016, 2024, 2100, 66]]

    batch = _analyse(officer, registry_xlsx(HEADER, rows), kind="figures")

    assert batch.kind == "figures"
    assert [i["message"] for i in batch.issues] == [
        "文件中的名称“雁塔精工集团有限公司”与名录中的名称“雁塔精工有限公司”不一致（可能已更名）；本次导入不会修改单位名称"
    ]
    import_commit_file(actor=officer, batch=batch, confirm_warnings=True)
    org.refresh_from_db()
    assert (org.name, org.industry_id, org.founded_on) == ("雁塔精工有限公司", "3311", None)
    assert AnnualFigures.objects.get(organisation=org, year=2024).employees == 66


def test_a_statistics_table_with_industry_codes_stays_yearly_figures():
    officer = county_officer()
    org = OrganisationFactory(county=region("610113"), industry_id="3311")
    header = ["统一社会信用代码", "企业名称", "行业代码", "年度", "营业收入（万元）"]

    batch = _analyse(officer, registry_xlsx(header, [[org.credit_code, org.name, "3411", 2024, 900]]))

    assert batch.kind == "figures" and batch.status == ImportStatus.VALIDATED
    import_commit_file(actor=officer, batch=batch)
    org.refresh_from_db()
    assert org.industry_id == "3311"
