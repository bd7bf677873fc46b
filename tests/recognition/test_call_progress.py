"""A call's progress per bureau: the province sees each city-level unit of the call (submitted,
under county / city review, forwarded, certified, quota, used, remaining); a city its counties and
its quota; a county itself only."""

import pytest

from smeplan.recognition import calls
from tests.factories import county_officer
from tests.recognition.calls_make import forwarded_in, open_call, submitted_in
from tests.recognition.make import act, bureaus

pytestmark = pytest.mark.django_db


def _row(progress, name):
    return next(r for r in progress["rows"] if r["name"] == name)


def test_progress_counts_per_bureau(monkeypatch):
    call = open_call(monkeypatch, quotas={"610100": 3, "610300": 2})
    xian = bureaus()
    forwarded_in(call, xian)  # 雁塔: forwarded
    act(xian["county"], submitted_in(call), "recommend")  # 雁塔: city review
    submitted_in(call)  # 雁塔: county review
    submitted_in(call, "610104")  # 莲湖: county review
    submitted_in(call, "610302")  # 渭滨 (宝鸡): county review

    province = calls.call_progress(xian["province"], call)
    assert [r["name"] for r in province["rows"]] == ["西安市", "宝鸡市"]
    x = _row(province, "西安市")
    assert (x["submitted"], x["county_review"], x["city_review"], x["forwarded"]) == (4, 2, 1, 1)
    assert (x["quota"], x["used"], x["remaining"]) == (3, 1, 2)
    b = _row(province, "宝鸡市")
    assert (b["submitted"], b["quota"], b["used"], b["remaining"]) == (1, 2, 0, 2)
    assert province["total"]["submitted"] == 5 and province["total"]["quota"] == 5

    city = calls.call_progress(xian["city"], call)
    assert _row(city, "雁塔区")["submitted"] == 3 and _row(city, "莲湖区")["submitted"] == 1
    assert "渭滨区" not in {r["name"] for r in city["rows"]}
    assert (city["total"]["quota"], city["total"]["used"], city["total"]["remaining"]) == (3, 1, 2)

    county = calls.call_progress(county_officer("610104"), call)
    assert [(r["name"], r["submitted"]) for r in county["rows"]] == [("莲湖区", 1)]
