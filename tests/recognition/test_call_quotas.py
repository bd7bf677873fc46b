"""Quotas per city-level unit: the city forwards up to its quota exactly and no more (with the
numbers); a new application is refused once the quota is used; a quota below what the city has
already forwarded is refused; the quotas may not add up to more than the call's total."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import calls
from smeplan.recognition.models import CallQuota, State
from tests.factories import province_admin
from tests.recognition.calls_make import forwarded_in, open_call, start, submitted_in
from tests.recognition.make import act, applicant, bureaus

pytestmark = pytest.mark.django_db


def test_the_city_forwards_up_to_its_quota_and_the_next_is_refused_with_the_numbers(monkeypatch):
    call = open_call(monkeypatch, quotas={"610100": 2})
    officers = bureaus()
    third = act(officers["county"], submitted_in(call), "recommend")  # applied while places were left
    first, second = forwarded_in(call, officers), forwarded_in(call, officers)
    assert {first.state, second.state} == {State.PROVINCE_REVIEW}  # quota reached exactly
    with pytest.raises(ValidationError) as e:
        act(officers["city"], third, "recommend")
    assert e.value.messages == ["西安市在本批次的推荐名额为 2 家，已推荐 2 家，名额已用完，不能再推荐"]
    third.refresh_from_db()
    assert third.state == State.CITY_REVIEW
    assert calls.quota_used(call, "610100") == 2


def test_a_new_application_is_refused_once_the_city_quota_is_used(monkeypatch):
    call = open_call(monkeypatch, quotas={"610100": 1})
    forwarded_in(call, bureaus())
    _, user = applicant()
    with pytest.raises(ValidationError) as e:
        start(user, call)
    assert "西安市的推荐名额已用完（名额 1 家，已推荐 1 家）" in e.value.messages


def test_another_city_is_not_limited_by_this_city_quota(monkeypatch):
    call = open_call(monkeypatch, quotas={"610100": 1})
    forwarded_in(call, bureaus())
    _, user = applicant("610302")
    assert start(user, call).call == call


def test_a_returned_or_rejected_application_does_not_use_the_quota(monkeypatch):
    call = open_call(monkeypatch, quotas={"610100": 1})
    officers = bureaus()
    application = forwarded_in(call, officers)
    act(officers["province"], application, "reject", reason="不符合条件")
    assert calls.quota_used(call, "610100") == 0


def test_a_quota_below_what_the_city_has_forwarded_is_refused(monkeypatch):
    admin = province_admin()
    call = open_call(monkeypatch, admin=admin, quotas={"610100": 5})
    officers = bureaus()
    for _ in range(3):
        forwarded_in(call, officers)
    with pytest.raises(ValidationError) as e:
        calls.call_quotas_set(actor=admin, call=call, quotas={"610100": 2})
    assert e.value.message_dict == {"quota-610100": ["西安市已推荐 3 家，名额不能少于 3"]}
    assert CallQuota.objects.get(call=call, region_id="610100").quota == 5
    calls.call_quotas_set(actor=admin, call=call, quotas={"610100": 3})  # equal is allowed
    assert CallQuota.objects.get(call=call, region_id="610100").quota == 3


def test_quotas_may_not_exceed_the_total(monkeypatch):
    admin = province_admin()
    call = open_call(monkeypatch, admin=admin, total_quota=10, quotas={"610100": 6})
    with pytest.raises(ValidationError) as e:
        calls.call_quotas_set(actor=admin, call=call, quotas={"610300": 5})
    assert e.value.message_dict == {"quotas": ["各市名额合计 11，超过名额总数 10"]}
    assert not CallQuota.objects.filter(call=call, region_id="610300").exists()


def test_a_quota_for_a_region_outside_the_call_is_refused(monkeypatch):
    admin = province_admin()
    call = open_call(monkeypatch, admin=admin)  # 西安市, 宝鸡市
    with pytest.raises(ValidationError) as e:
        calls.call_quotas_set(actor=admin, call=call, quotas={"610400": 3})
    assert e.value.message_dict == {"quota-610400": ["咸阳市不在本批次的申报地区内，不能分配名额"]}
