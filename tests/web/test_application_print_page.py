"""The print page of the annex-1 form (推荐登记表) carries the filled values, the declaration and
the signature/stamp boxes of each review step, without the site's navigation."""

import pytest

from tests.recognition.make import applicant, submitted
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_print_page_contains_the_filled_values(client):
    org, user = applicant(name="雁塔打印测试有限公司", address="西安市雁塔区科技路8号")
    application = submitted(user)
    client.force_login(user)
    body = text(client.get(f"/recognition/applications/{application.pk}/print/"))
    assert "附件1" in body and "省级中小企业成长梯队推荐登记表" in body
    assert org.name in body and org.credit_code in body and "西安市雁塔区科技路8号" in body
    assert "成长之星" in body and "工业阀门" in body and "张三" in body and "029-88886666" in body
    assert "5,000.00" in body and "2022 年" in body and "2024 年" in body
    assert "本企业承诺所填报内容真实、准确、完整，如有虚假，愿承担相应责任" in body
    assert "（企业盖章）" in body
    for level in ("县（区）中小企业主管部门意见", "市（区）中小企业主管部门意见", "省中小企业主管部门意见"):
        assert level in body
    assert "@media print" in body and 'class="sidenav"' not in body


def test_print_page_of_another_citys_application_is_not_found(client):
    _, user = applicant(county="610302")
    application = submitted(user)
    _, other = applicant()
    client.force_login(other)
    assert client.get(f"/recognition/applications/{application.pk}/print/").status_code == 404
