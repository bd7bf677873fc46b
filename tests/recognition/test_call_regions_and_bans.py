"""A call accepts applicants of its regions only; a banned enterprise and a closed programme are
refused with the reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition.models import Application, Ban
from tests.factories import tier_of
from tests.recognition.calls_make import open_call, start
from tests.recognition.make import applicant

pytestmark = pytest.mark.django_db


def test_an_enterprise_outside_the_call_regions_is_refused(monkeypatch):
    call = open_call(monkeypatch, regions=["610300"])  # 宝鸡市 only
    _, user = applicant("610113")  # 雁塔区, 西安市
    with pytest.raises(ValidationError) as e:
        start(user, call)
    assert "只受理宝鸡市的申报" in e.value.messages[0]
    assert not Application.objects.exists()


def test_an_enterprise_of_the_call_regions_may_apply(monkeypatch):
    call = open_call(monkeypatch, regions=["610300"])
    _, user = applicant("610302")  # 渭滨区, 宝鸡市
    assert start(user, call).call == call


def test_a_banned_enterprise_is_refused(monkeypatch):
    call = open_call(monkeypatch)
    org, user = applicant()
    today = dt.date(2027, 3, 15)
    Ban.objects.create(
        organisation=org,
        programme=tier_of("transformation-demo", "demonstration").programme,
        starts_on=today - dt.timedelta(days=10),
        until=today + dt.timedelta(days=365),
        reason="复核不合格",
    )
    with pytest.raises(ValidationError) as e:
        start(user, call)
    assert "前不再受理申报" in e.value.messages[0]


def test_a_closed_programme_is_refused(monkeypatch):
    call = open_call(monkeypatch)
    _, user = applicant()
    from django.utils import timezone

    from smeplan.programmes.models import Programme

    closed = timezone.make_aware(dt.datetime(2027, 3, 10, 9, 0))
    if "closed_at" in {f.name for f in Programme._meta.get_fields()}:  # the programme pages' field
        Programme.objects.filter(pk=call.programme_id).update(closed_at=closed)
    else:  # read with getattr until that field is merged
        monkeypatch.setattr(Programme, "closed_at", closed, raising=False)
    with pytest.raises(ValidationError) as e:
        start(user, call)
    assert "已于 2027年03月10日 关闭" in e.value.messages[0]
