"""汇总表备案: a bad upload is refused with a Chinese message and nothing is stored."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.reporting.models import Annex3Filing
from smeplan.reporting.services import filing_upload
from tests.factories import city_officer, county_officer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("汇总表.xlsx", b"MZ\x90\x00" + b"\x00" * 200, "可执行程序"),
        ("汇总表.xlsx", b"PK\x03\x04 not really a zip" + b"\x00" * 100, "损坏"),
        ("汇总表.xls", b"<html><table><tr><td>1</td></tr></table></html>", "网页"),
        ("汇总表.xlsx", b"", "请选择"),
        ("汇总表.csv", "名称,数量\n甲,1\n".encode(), "没有找到汇总表的表头"),
        ("汇总表.csv", "地区,合计梯队企业（家）\n雁塔区,很多\n".encode(), "应为数字，收到“很多”"),
        ("汇总表.csv", "地区,合计梯队企业（家）\n渭滨区,1\n".encode(), "没有西安市或其所辖区县的数据行"),
    ],
)
def test_refused_with_a_chinese_message_and_nothing_stored(name, content, message):
    officer = city_officer("610100")
    with pytest.raises(ValidationError) as e:
        filing_upload(actor=officer, year=2024, file_name=name, content=content)
    assert message in str(e.value)
    assert Annex3Filing.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_too_large_is_refused(settings):
    settings.SMEPLAN_FILING_MAX_BYTES = 100
    with pytest.raises(ValidationError) as e:
        filing_upload(actor=city_officer("610100"), year=2024, file_name="a.csv", content=b"a,b\n" * 100)
    assert "文件过大" in str(e.value) and Annex3Filing.objects.count() == 0


def test_only_a_city_files():
    with pytest.raises(PermissionDenied):
        filing_upload(actor=county_officer("610113"), year=2024, file_name="a.csv", content=b"a\n1\n")
    assert Annex3Filing.objects.count() == 0
