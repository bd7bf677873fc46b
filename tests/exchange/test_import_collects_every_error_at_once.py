"""Every error of a file is reported at once, each with sheet, row, column, value and a Chinese reason."""

import pytest

from smeplan.exchange.models import ImportStatus
from smeplan.exchange.services import import_validate
from smeplan.indicators.models import AnnualFigures
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.exchange.test_import_records_builder import issues_of, rec
from tests.factories import OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_all_errors_are_collected_with_their_cells():
    org = OrganisationFactory()
    officer = county_officer("610113")
    unknown = make_credit_code("610113", 12345)
    good = org.credit_code
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    records = [
        rec(3, bad_check, 2024, operating_revenue=10),  # 校验码错误
        rec(4, good, 2099, operating_revenue=10),  # 年度晚于当前
        rec(5, good, 1900, operating_revenue=10),  # 年度早于1949
        rec(6, good, None, operating_revenue=10),  # 年度缺失
        rec(7, good, 2023, employees=-5),  # 负数
        rec(8, good, 2022, operating_revenue=100, tax_paid=150),  # 税金 > 营收: a warning, not an error
        rec(9, good, 2021, operating_revenue=100, rd_expense=101),  # 研发 > 营收: a warning
        rec(10, unknown, 2024, operating_revenue=10),  # 名录中没有, 无名称/区县
        rec(11, make_credit_code("610113", 555), 2024, name="新企业", county="火星区", operating_revenue=1),
        rec(12, good, 2020, operating_revenue="abc"),
        rec(13, "12345", 2020),  # 长度错误
    ]
    batch = import_validate(actor=officer, file_name="a.xlsx", data_bytes=b"x", records=records)

    assert batch.status == ImportStatus.FAILED
    assert batch.error_count == 9
    assert "9处错误" in batch.error_message

    (code_issue,) = issues_of(batch, row=3)
    assert code_issue["sheet"] == "企业数据" and code_issue["column"] == "A"
    assert code_issue["value"] == bad_check and "第18位校验码" in code_issue["message"]
    assert "不能晚于当前年度" in issues_of(batch, row=4)[0]["message"]
    assert issues_of(batch, row=4)[0]["column"] == "D"
    assert "不能早于1949年" in issues_of(batch, row=5)[0]["message"]
    assert "年度" in issues_of(batch, row=6)[0]["message"]
    (neg,) = issues_of(batch, row=7)
    assert neg["field"] == "employees" and neg["value"] == "-5" and "不能为负数" in neg["message"]
    (tax,) = issues_of(batch, row=8)
    assert tax["level"] == "warning" and tax["column"] == "H"
    assert "实缴税金（150万元）高于同年营业收入（100万元）" in tax["message"]
    (rd,) = issues_of(batch, row=9)
    assert rd["level"] == "warning" and "研发费用" in rd["message"]
    assert "缺少单位名称、所属区县" in issues_of(batch, row=10)[0]["message"]
    (county,) = issues_of(batch, row=11)
    assert county["column"] == "C" and county["value"] == "火星区" and "未知区县" in county["message"]
    assert "应为数字" in issues_of(batch, row=12)[0]["message"]
    assert "应为18位" in issues_of(batch, row=13)[0]["message"]

    assert AnnualFigures.objects.count() == 0
    assert Organisation.objects.count() == 1
