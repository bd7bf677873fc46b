"""The registry import is reachable where every import is: the 数据导入 page (the user picks 企业名录,
or the system recognises it from the columns), the API (``kind``) and ``manage.py
import_organisations`` / ``import_figures --kind 企业名录``."""

import pytest
from django.core.management import call_command

from smeplan.exchange.models import ImportBatch, ImportStatus
from smeplan.registry.models import Organisation, OrganisationNameChange
from tests.exchange.bureau_sheets import code, registry_xlsx
from tests.factories import OrganisationFactory, county_officer, region
from tests.web.helpers import text
from tests.web.import_files import upload

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "所属区县", "联系人", "联系电话"]


def test_the_page_recognises_a_list_and_writes_it(client):
    officer = county_officer()
    client.force_login(officer)
    assert "企业名录（基本信息）" in text(client.get("/imports/new/"))
    data = registry_xlsx(HEADER, [[code("610113", 51), "雁塔甲有限公司", "雁塔区", "张三", "029-1"]])

    client.post("/imports/new/", {"file": upload(data, "名录.xlsx")})

    batch = ImportBatch.objects.get()
    body = text(client.get(f"/imports/{batch.pk}/"))
    assert "企业名录（基本信息）（按表中的列自动识别）" in body and "将更新基本信息的单位" in body
    assert "识别为“联系电话”" in body
    response = client.post(f"/imports/{batch.pk}/commit/", follow=True)
    assert "新登记单位 1 家" in text(response)
    assert Organisation.objects.get(credit_code=code("610113", 51)).contact_phone == "029-1"


def test_the_user_picks_the_kind_on_the_page(client):
    officer = county_officer()
    org = OrganisationFactory(name="雁塔乙有限公司", county=region("610113"))
    client.force_login(officer)
    data = registry_xlsx(
        ["统一社会信用代码", "企业名称", "所属区县"], [[org.credit_code, "雁塔乙集团有限公司", "雁塔区"]]
    )

    client.post("/imports/new/", {"file": upload(data, "更名.xlsx"), "kind": "organisations"})

    batch = ImportBatch.objects.get()
    assert batch.kind == "organisations" and batch.renamed_organisations == 1
    client.post(f"/imports/{batch.pk}/commit/", {"confirm_warnings": "1"})
    org.refresh_from_db()
    assert (
        org.name == "雁塔乙集团有限公司" and OrganisationNameChange.objects.filter(organisation=org).exists()
    )


def test_the_api_takes_the_kind(api_as):
    api = api_as(county_officer())
    data = registry_xlsx(
        ["统一社会信用代码", "企业名称", "所属区县"], [[code("610113", 52), "雁塔丙有限公司", "雁塔区"]]
    )

    body = api.upload("/imports", {"file": upload(data, "名录.xlsx")}, {"kind": "organisations"}).json()

    assert body["kind"] == "organisations" and body["kind_label"] == "企业名录（基本信息）"
    assert body["status"] == "validated" and body["new_organisations"] == 1
    body = api.post(f"/imports/{body['id']}/commit", {}).json()
    assert body["status"] == "committed"
    assert Organisation.objects.filter(credit_code=code("610113", 52)).exists()
    assert api.post(f"/imports/{body['id']}/undo").json()["status"] == "undone"
    assert not Organisation.objects.filter(credit_code=code("610113", 52)).exists()


def test_the_commands(tmp_path, capsys):
    county_officer(username="yanta")
    path = tmp_path / "名录.xlsx"
    path.write_bytes(
        registry_xlsx(HEADER, [[code("610113", 53), "雁塔丁有限公司", "雁塔区", "李四", "029-2"]])
    )

    call_command("import_organisations", str(path), "--user", "yanta", "--dry-run")
    assert "企业名录（基本信息）" in capsys.readouterr().out
    assert not Organisation.objects.filter(credit_code=code("610113", 53)).exists()

    call_command("import_figures", str(path), "--user", "yanta", "--kind", "企业名录")
    assert Organisation.objects.get(credit_code=code("610113", 53)).contact_person == "李四"
    assert ImportBatch.objects.get(status=ImportStatus.COMMITTED).kind == "organisations"
