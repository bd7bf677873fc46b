"""Plan periods through the API: the period list marks the one the dashboard opens on; a provincial
admin copies targets from another period (deadlines shifted, shares kept) and imports a
spreadsheet (422 naming row and column, nothing written); targets carry their source and say what
they count."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smeplan.recognition import clock
from smeplan.targets.models import Target
from tests.factories import city_officer, province_admin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 7))


def test_copy_and_import_through_the_api(api_as):
    admin = api_as(province_admin())
    created = admin.post(
        "/targets/periods", {"code": "15th", "name": "“十五五”", "start_year": 2026, "end_year": 2030}
    )
    assert created.status_code == 200, created.content
    periods = {p["code"]: p["current"] for p in admin.get("/targets/periods").json()}
    assert periods == {"13th": False, "15th": True}

    copied = admin.post(
        "/targets/periods/15th/copy",
        {"from": "13th", "codes": ["growth-all-levels"], "source_document": "陕中企规发〔2026〕1号"},
    )
    assert copied.status_code == 200, copied.content
    (row,) = copied.json()
    assert (row["code"], row["deadline"], row["source_document"]) == (
        "growth-all-levels",
        "2030-12-31",
        "陕中企规发〔2026〕1号",
    )
    assert (row["basis"], row["basis_label"], row["judgement"]) == ("enterprises", "按企业计", "behind")

    again = admin.post("/targets/periods/15th/copy", {"from": "13th", "codes": ["growth-all-levels"]})
    assert again.status_code == 422
    assert "本规划期已有代码为“growth-all-levels”的目标" in again.content.decode()

    csv = (
        "代码,行动计划,指标,原文表述,目标值,单位,类型,完成期限,数据来源,填报部门\n".encode()
        + (
            "financing-listed,中小企业融资渠道拓展,上市挂牌企业,到2030年上市挂牌企业500户,五百,户,累计数,2030-12-31,部门填报,陕西证监局\n"
        ).encode()
    )
    refused = admin.upload("/targets/periods/15th/import", {"file": SimpleUploadedFile("目标.csv", csv)})
    assert refused.status_code == 422
    assert "第2行「目标值」：目标值应为数字，收到“五百”" in refused.content.decode()
    fixed = csv.replace("五百".encode(), b"500")
    imported = admin.upload("/targets/periods/15th/import", {"file": SimpleUploadedFile("目标.csv", fixed)})
    assert imported.status_code == 200 and imported.json() == {"created": 1, "updated": 0}
    assert set(Target.objects.filter(period__code="15th").values_list("code", flat=True)) == {
        "growth-all-levels",
        "financing-listed",
    }
    city = api_as(city_officer("610100"))
    assert city.post("/targets/periods/15th/copy", {"from": "13th"}).status_code == 403
