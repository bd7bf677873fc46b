"""A file that is not a spreadsheet is refused at upload with a clear message; nothing is stored."""

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.exchange.models import ImportBatch
from tests.factories import county_officer
from tests.web.helpers import text
from tests.web.import_files import upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "报表.xlsx", "可执行程序"),
        (b"PK\x03\x04broken", "报表.xlsx", "已损坏"),
        (b"", "报表.xlsx", "空文件"),
        (b"a,b\n1,2\n", "报表.exe", "只能上传"),
    ],
)
def test_refused_with_a_reason(client, settings, data, name, message):
    client.force_login(county_officer())
    response = client.post("/imports/new/", {"file": upload(data, name)})
    assert response.status_code == 200
    assert message in text(response)
    assert not ImportBatch.objects.exists() and not AuditEvent.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_file_over_the_limit_is_refused(client, settings):
    settings.SMEPLAN_IMPORT_MAX_BYTES = 1000
    client.force_login(county_officer())
    response = client.post("/imports/new/", {"file": upload(b"x," * 1000, "大.csv")})
    assert "上限为" in text(response)
    assert not ImportBatch.objects.exists()
