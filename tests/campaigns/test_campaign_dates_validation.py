"""发起数据填报 checks its year and dates, every problem at once, in Chinese; nothing is written."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from smeplan.campaigns.models import Campaign
from smeplan.campaigns.services import campaign_create
from smeplan.recognition import clock
from tests.factories import OrganisationFactory, campaign_data, county_officer

pytestmark = pytest.mark.django_db


def test_year_and_dates_are_checked_together():
    OrganisationFactory()
    today = clock.today()
    data = campaign_data(
        title="",
        year=str(today.year + 1),
        opens_on=(today - dt.timedelta(days=3)).isoformat(),
        deadline=(today - dt.timedelta(days=5)).isoformat(),
    )
    with pytest.raises(ValidationError) as exc:
        campaign_create(actor=county_officer(), data=data)
    errors = exc.value.message_dict
    assert errors["title"] == ["请填写名称"]
    assert errors["year"] == [f"数据年度不能晚于今年（{today.year}年）"]
    assert errors["deadline"] == ["截止日期不能早于开始日期", f"截止日期不能早于今天（{today:%Y-%m-%d}）"]
    assert not Campaign.objects.exists()


def test_a_date_that_is_not_a_date_and_a_missing_form():
    OrganisationFactory()
    data = campaign_data(opens_on="2026-13-01", deadline="", content="form", form_version="")
    with pytest.raises(ValidationError) as exc:
        campaign_create(actor=county_officer(), data=data)
    errors = exc.value.message_dict
    assert errors["opens_on"] == ["开始日期「2026-13-01」不是有效的日期（格式如 2026-03-31）"]
    assert errors["deadline"] == ["请填写截止日期"]
    assert errors["form_version"] == ["请选择填报的表单"]
