"""A county that does not exist (or a city rather than a county) is refused; a county typed by name
is accepted."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.accounts.models import User
from smeplan.portal.models import EnterpriseRegistration
from smeplan.portal.registration import registration_submit
from tests.factories import registration_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("county", "message"),
    [
        ("999999", "未知区县“999999”：请从列表中选择陕西省的县级行政区"),
        ("西安市", "“西安市”不是县级行政区，请选择具体区县"),
        ("", "请选择所在区县"),
    ],
)
def test_refused_and_nothing_written(county, message):
    users = User.objects.count()

    with pytest.raises(ValidationError) as caught:
        registration_submit(data=registration_data(county=county))

    assert caught.value.message_dict["county"] == [message]
    assert User.objects.count() == users and not EnterpriseRegistration.objects.exists()


def test_a_county_by_name_is_accepted():
    registration = registration_submit(data=registration_data(county="雁塔区"))

    assert registration.county_id == "610113"
