"""The 虚假信息疑点 page: a bureau sees the flags of its scope only, with their explanation and the
enterprise link; filters narrow the list; 检测 runs detection; deciding needs a note."""

import pytest
from django.urls import reverse

from smeplan.flags.models import FigureFlag, FlagState
from tests.factories import city_officer, county_officer, enterprise_user, province_admin
from tests.flags.make import YEAR, detect, evaluated, revenues


@pytest.fixture
def world(db):
    mine = evaluated(revenues(1000, 6000), name="雁塔疑点企业")
    foreign = evaluated(revenues(1000, 6000), county="610302", name="渭滨疑点企业")
    return mine, foreign


def test_the_page_lists_the_scope_and_detects(client, world):
    mine, foreign = world
    officer = city_officer()
    client.force_login(officer)
    response = client.post(reverse("flag_detect"), {"year": str(YEAR)})
    assert response.status_code == 302
    assert FigureFlag.objects.filter(organisation=mine).exists()
    assert not FigureFlag.objects.filter(organisation=foreign).exists()  # outside the city's scope

    detect(province_admin())
    page = client.get(reverse("flag_list"), {"year": YEAR}).content.decode()
    assert "雁塔疑点企业" in page and "渭滨疑点企业" not in page
    assert "营业收入由2023年的1000万元增至2024年的6000万元，为上年的6倍（阈值：5倍及以上）" in page
    assert reverse("organisation_detail", args=[mine.pk]) in page
    assert "确认为虚假信息" in page

    assert "雁塔疑点企业" not in client.get(reverse("flag_list"), {"state": "cleared"}).content.decode()
    assert "雁塔疑点企业" not in client.get(reverse("flag_list"), {"year": YEAR - 1}).content.decode()
    assert (
        "雁塔疑点企业" in client.get(reverse("flag_list"), {"programme": "growth-province"}).content.decode()
    )
    assert (
        "雁塔疑点企业"
        not in client.get(reverse("flag_list"), {"programme": "growth-county"}).content.decode()
    )


def test_deciding_from_the_page(client, world):
    mine, foreign = world
    detect(province_admin())
    flag = FigureFlag.objects.get(organisation=mine)
    client.force_login(county_officer())
    url = reverse("flag_decide", args=[flag.pk])

    client.post(url, {"confirmed": "1", "note": ""})
    assert FigureFlag.objects.get(pk=flag.pk).state == FlagState.OPEN

    response = client.post(url, {"confirmed": "0", "note": "并购新增业务，数据真实"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.state, flag.decision_note) == (FlagState.CLEARED, "并购新增业务，数据真实")
    page = client.get(reverse("flag_list"), {"state": "cleared"}).content.decode()
    assert "并购新增业务，数据真实" in page and 'class="tag flag-cleared">核实无误' in page
    assert reverse("flag_decide", args=[flag.pk]) not in page  # decided: only the province may change it

    other = FigureFlag.objects.get(organisation=foreign)
    assert (
        client.post(reverse("flag_decide", args=[other.pk]), {"confirmed": "1", "note": "x"}).status_code
        == 404
    )
    assert FigureFlag.objects.get(pk=other.pk).state == FlagState.OPEN


def test_enterprises_may_not_open_it(client, world):
    client.force_login(enterprise_user(world[0]))
    assert client.get(reverse("flag_list")).status_code == 403
