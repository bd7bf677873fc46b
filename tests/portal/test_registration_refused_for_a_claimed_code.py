"""A code already claimed — its organisation has an active enterprise account, or a request for it
waits for review — is refused with the offer to be invited by the firm's administrator."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.accounts.models import User
from smeplan.portal.models import EnterpriseRegistration
from smeplan.portal.registration import registration_submit
from tests.factories import OrganisationFactory, enterprise_user, registration_data, registration_make

pytestmark = pytest.mark.django_db


def test_an_organisation_with_an_account_is_refused():
    org = OrganisationFactory()
    enterprise_user(org)
    users = User.objects.count()

    with pytest.raises(ValidationError) as caught:
        registration_submit(data=registration_data(credit_code=org.credit_code, name=org.name))

    assert caught.value.message_dict["credit_code"] == ["该单位已有账号，请联系本单位管理员邀请您加入"]
    assert User.objects.count() == users and not EnterpriseRegistration.objects.exists()


def test_a_code_with_a_pending_request_is_refused():
    first = registration_make()

    with pytest.raises(ValidationError) as caught:
        registration_submit(data=registration_data(credit_code=first.credit_code))

    assert "请联系本单位管理员邀请您加入" in caught.value.message_dict["credit_code"][0]
    assert EnterpriseRegistration.objects.count() == 1


def test_a_registry_organisation_without_accounts_may_register():
    org = OrganisationFactory()

    registration = registration_submit(data=registration_data(credit_code=org.credit_code, name=org.name))

    assert registration.organisation == org and not registration.proposes_new
