"""Name, county and address, and 登记注册类型 are no longer changed by the enterprise itself — not by
the service, the edit page, the rename page or the API; it files a change request instead. Its
other registry fields (contact, founding date, capital, industry) it still edits."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.registry.services import organisation_rename, organisation_update
from tests.factories import OrganisationFactory, enterprise_user

pytestmark = pytest.mark.django_db


def test_the_registry_refuses_the_enterprise_these_fields(client, api_as):
    org = OrganisationFactory(name="直接修改测试有限公司", address="雁塔路1号", ownership_type="private")
    user = enterprise_user(org)

    for data in ({"county": "610302"}, {"address": "新地址"}, {"ownership_type": "joint_stock"}):
        with pytest.raises(ValidationError) as exc:
            organisation_update(actor=user, organisation=org, data=data)
        assert exc.value.message_dict == {next(iter(data)): ["企业用户不能修改此项，请联系主管部门"]}
    with pytest.raises(PermissionDenied):
        organisation_rename(actor=user, organisation=org, new_name="自改名称有限公司")
    organisation_update(actor=user, organisation=org, data={"registered_capital": "500"})

    client.force_login(user)
    form = client.get(f"/organisations/{org.pk}/edit/").content.decode()
    assert 'name="address"' not in form and 'name="ownership_type"' not in form
    assert 'name="registered_capital"' in form
    assert client.get(f"/organisations/{org.pk}/rename/").status_code == 403
    detail = client.get(f"/organisations/{org.pk}/").content.decode()
    assert f"/organisations/{org.pk}/rename/" not in detail
    response = api_as(user).post(f"/organisations/{org.pk}/rename", {"new_name": "接口自改有限公司"})
    assert response.status_code == 403

    org.refresh_from_db()
    assert (org.name, org.county_id, org.address, org.ownership_type) == (
        "直接修改测试有限公司",
        "610113",
        "雁塔路1号",
        "private",
    )
    assert org.registered_capital == 500
