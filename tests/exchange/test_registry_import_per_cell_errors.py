"""Every problem of an enterprise list is reported at once on its cell, in the registry's own words
(``registry.validation.organisation_clean``), and nothing is written — not even the good rows."""

import pytest

from smeplan.exchange.models import ImportStatus
from smeplan.exchange.uploads import import_analyse, import_upload
from smeplan.registry.models import Organisation
from tests.exchange.bureau_sheets import code, registry_xlsx
from tests.factories import OrganisationFactory, county_officer, region

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所属区县",
    "行业代码",
    "成立日期",
    "登记注册类型",
    "注册资本（万元）",
    "联系电话",
]


def test_each_problem_on_its_cell():
    officer = county_officer()  # 雁塔区
    elsewhere = OrganisationFactory(county=region("610402"))  # 咸阳市秦都区: not the officer's
    good = code("610113", 31)
    rows = [
        [good, "好企业有限公司", "雁塔区", "3411", "2015-06-30", "民营", 100, "029-1"],  # row 4
        [code("610113", 32), "甲公司", "雁塔区", "9999", "2015-13-40", "外星企业", "很多", "1" * 41],  # row 5
        [code("610113", 33), "乙公司", "雁塔区", "A3411", None, None, None, None],  # row 6
        [code("610113", 34), "丙公司", None, None, None, None, None, None],  # row 7: no county
        [code("610113", 35), "丁公司", "秦都区", None, None, None, None, None],  # row 8: not the officer's
        [elsewhere.credit_code, elsewhere.name, None, None, None, None, None, None],  # row 9
        [code("610113", 36), "戊公司", "西安市", None, None, None, None, None],  # row 10: a city
        [code("610113", 37), "己公司", "雁塔区", "3411", None, None, None, None],  # row 11
        [code("610113", 37), "己公司", "雁塔区", "3311", None, None, None, None],  # row 12: disagrees
    ]
    data = registry_xlsx(HEADER, rows, title="雁塔区企业名录")

    batch = import_analyse(
        actor=officer, batch=import_upload(actor=officer, file_name="名录.xlsx", content=data)
    )

    assert batch.status == ImportStatus.FAILED and batch.kind == "organisations"
    found = {(i["row"], i["column"]): i["message"] for i in batch.issues if i["level"] == "error"}
    assert found == {
        (5, "D"): "未知行业代码“9999”：请填写 GB/T 4754-2017 的门类、大类、中类或小类代码",
        (5, "E"): "成立日期应为日期（如 2015-06-30），收到“2015-13-40”",
        (5, "F"): "登记注册类型“外星企业”无效，可选：国有、集体、民营、股份制、外商投资、港澳台投资、其他",
        (5, "G"): "注册资本应为数字，收到“很多”",
        (5, "H"): "联系电话不能超过40个字（现有41个）",
        (6, "D"): "行业代码“A3411”的门类字母与代码不符：3411（锅炉及辅助设备制造）属于 C 门类",
        (7, "A"): "名录中没有该统一社会信用代码的单位，且缺少所属区县，无法登记新单位",
        (8, "C"): "该单位不在您的管辖范围内",
        (9, "A"): "该单位不在您的管辖范围内",
        (10, "C"): "“西安市”不是县级行政区，请选择具体区县",
        (12, "D"): "同一单位在文件中填写了不同的行业代码（第11行为“3411 锅炉及辅助设备制造”）",
    }
    assert batch.error_count == len(found)
    assert not Organisation.objects.filter(credit_code=good).exists()
