"""申报批次 pages: the form shows each refusal beside its field and saves nothing; a valid form
publishes the call; the enterprise sees the open calls of its region with a 申报 button that opens
its application; the progress table and its .xlsx per bureau; the menu entry."""

import io

import pytest
from python_calamine import CalamineWorkbook

from smeplan.recognition.models import Application, Call
from tests.factories import UserFactory, province_admin, tier_of
from tests.recognition.calls_make import OPENS, at, forwarded_in, open_call
from tests.recognition.make import applicant, bureaus

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "programme": str(tier_of("transformation-demo", "demonstration").programme_id),
        "year": "2027",
        "title": "2027年转型升级示范企业申报",
        "opens_at": "2027-03-01T00:00",
        "closes_at": "2027-04-01T00:00",
        "regions": ["610100", "610300"],
        "quota-610100": "12",
        "quota-610300": "",
        "total_quota": "",
        "att-0-code": "pledge",
        "att-0-label": "信用承诺书",
        "att-0-types": ["pdf", "jpg"],
        "att-0-max_mb": "",
        "att-0-required": "1",
        "att-1-code": "",
        "att-1-label": "",
        "att-1-max_mb": "",
        "notes": "请如实填写",
    }
    data.update(overrides)
    return data


def test_a_bad_form_shows_the_messages_and_saves_nothing(client):
    client.force_login(province_admin())
    response = client.post(
        "/recognition/calls/new/",
        _form(closes_at="2027-02-01T00:00", **{"att-0-types": ["doc"], "quota-610100": "-3"}),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "截止受理时间（2027-02-01 00:00）须晚于开始受理时间（2027-03-01 00:00）" in text
    assert "第1行附件「信用承诺书」：文件类型「doc」不在 pdf、jpg、png、xlsx 之中" in text
    assert not Call.objects.exists()


def test_a_valid_form_publishes_the_call(client, monkeypatch):
    at(monkeypatch, OPENS.replace(month=1))
    client.force_login(province_admin())
    response = client.post("/recognition/calls/new/", _form())
    call = Call.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/recognition/calls/{call.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "2027年3月1日至3月31日" in page and "西安市 12 家" in page and "信用承诺书（jpg、pdf" in page
    assert "未开始" in page


def test_the_enterprise_sees_its_open_call_and_applies(client, monkeypatch):
    mine = open_call(monkeypatch, regions=["610100"], title="西安批次")
    open_call(monkeypatch, regions=["610300"], title="宝鸡批次")
    at(monkeypatch, OPENS.replace(day=15))
    _, user = applicant()
    client.force_login(user)
    page = client.get("/recognition/calls/").content.decode()
    assert "西安批次" in page and "宝鸡批次" not in page and ">申报</button>" in page
    response = client.post(
        f"/recognition/calls/{mine.pk}/apply/", {"tier": tier_of("transformation-demo", "demonstration").pk}
    )
    application = Application.objects.get()
    assert response["Location"] == f"/recognition/applications/{application.pk}/edit/"
    assert application.call == mine and application.year == 2027
    assert "已申报（草稿）" in client.get("/recognition/calls/").content.decode()


def test_progress_page_and_export_for_the_province_and_the_city(client, monkeypatch):
    call = open_call(monkeypatch, quotas={"610100": 3})
    officers = bureaus()
    forwarded_in(call, officers)
    client.force_login(officers["province"])
    page = client.get(f"/recognition/calls/{call.pk}/").content.decode()
    assert "申报进度" in page and "西安市" in page
    response = client.get(f"/recognition/calls/{call.pk}/progress.xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("申报进度").to_python()
    header = next(r for r in rows if r and r[0] == "市（区）")
    xian = next(r for r in rows if r and r[0] == "西安市")
    values = dict(zip(header, xian, strict=False))
    assert (values["已提交"], values["已推荐上报"], values["名额"], values["剩余名额"]) == (1, 1, 3, 2)
    client.force_login(officers["city"])
    page = client.get(f"/recognition/calls/{call.pk}/").content.decode()
    assert "雁塔区" in page and "莲湖区" in page and "渭滨区" not in page


def test_the_menu_has_the_calls_entry_for_bureaus_and_enterprises_only(client):
    from smeplan.accounts.models import Role

    _, user = applicant()
    for who, shown in (
        (province_admin(), True),
        (user, True),
        (UserFactory(role=Role.EXPERT, region=None), False),
    ):
        client.force_login(who)
        assert ('href="/recognition/calls/"' in client.get("/").content.decode()) is shown
