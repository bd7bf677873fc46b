"""Undoing a 企业名录 import restores the attributes and names it changed (the name change it recorded
goes), removes the enterprises it created that nothing else refers to — and keeps one that an
account now belongs to; it is refused, naming the enterprise and the field, when a value it wrote
was changed since."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.exchange.models import ImportStatus
from smeplan.exchange.services import import_undo
from smeplan.exchange.uploads import import_analyse, import_commit_file, import_upload
from smeplan.registry.models import Organisation, OrganisationNameChange
from smeplan.registry.services import organisation_update
from tests.exchange.bureau_sheets import code, registry_xlsx
from tests.factories import OrganisationFactory, county_officer, enterprise_user, region

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "所属区县", "行业代码", "成立日期", "联系电话"]


def _commit(officer, rows):
    data = registry_xlsx(HEADER, rows)
    batch = import_analyse(
        actor=officer, batch=import_upload(actor=officer, file_name="名录.xlsx", content=data)
    )
    return import_commit_file(actor=officer, batch=batch, confirm_warnings=True)


def test_undo_restores_and_removes():
    officer = county_officer()
    org = OrganisationFactory(
        name="秦川阀门有限公司",
        county=region("610113"),
        industry_id="3311",
        founded_on=dt.date(2010, 1, 5),
        contact_phone="",
    )
    batch = _commit(
        officer,
        [
            [org.credit_code, "秦川阀门集团有限公司", "雁塔区", "3411", "2011-02-03", "029-5555"],
            [code("610113", 21), "新企业甲有限公司", "雁塔区", "2641", None, None],
            [code("610113", 22), "新企业乙有限公司", "雁塔区", None, None, None],
        ],
    )
    kept = Organisation.objects.get(credit_code=code("610113", 22))
    enterprise_user(kept)  # an account now belongs to it: the undo must keep it

    batch = import_undo(actor=officer, batch=batch)

    assert batch.status == ImportStatus.UNDONE
    org.refresh_from_db()
    assert (org.name, org.former_names, org.industry_id) == ("秦川阀门有限公司", "", "3311")
    assert (org.founded_on, org.contact_phone) == (dt.date(2010, 1, 5), "")
    assert not OrganisationNameChange.objects.exists()
    assert not Organisation.objects.filter(credit_code=code("610113", 21)).exists()
    assert Organisation.objects.filter(credit_code=code("610113", 22)).exists()
    event = AuditEvent.objects.get(event_type="import.undone")
    assert event.payload["organisations_restored"] == 1
    assert (event.payload["organisations_removed"], event.payload["organisations_kept"]) == (1, 1)


def test_undo_is_refused_after_a_later_change():
    officer = county_officer()
    org = OrganisationFactory(name="雁塔软件有限公司", county=region("610113"), contact_phone="029-1")
    batch = _commit(officer, [[org.credit_code, "雁塔软件有限公司", "雁塔区", None, None, "029-2"]])
    organisation_update(actor=officer, organisation=org, data={"contact_phone": "029-3"})

    with pytest.raises(ValidationError) as exc:
        import_undo(actor=officer, batch=batch)

    assert exc.value.messages == ["雁塔软件有限公司的联系电话在本次导入后已被修改，无法撤销"]
    org.refresh_from_db()
    assert org.contact_phone == "029-3"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
