"""企业名录 by spreadsheet: a bureau's enterprise list (title rows, a merged group row over the header,
capital in 元, dates and codes as Excel keeps them, notes under the table) goes through the one import
flow — upload, how each column was understood, every problem, all-or-nothing commit — creating the
enterprises not yet registered and updating the others; a different name is a rename recorded as a
name change (old name kept as a former name)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.exchange.models import ImportedOrganisationChange, ImportStatus
from smeplan.exchange.uploads import import_analyse, import_commit_file, import_upload
from smeplan.registry.models import Organisation, OrganisationNameChange
from tests.exchange.bureau_sheets import code, registry_xlsx
from tests.factories import OrganisationFactory, county_officer, region

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "所属区县代码",
    "国民经济行业代码",
    "成立日期",
    "登记注册类型",
    "注册资本（元）",
    "详细地址",
    "联系人",
    "联系电话",
]
GROUPS = [("", 1), ("企业基本情况", 8), ("联系方式", 2)]


@pytest.fixture
def registry():
    renamed = OrganisationFactory(
        name="秦川阀门有限公司", county=region("610113"), industry_id="3311", contact_phone="029-1111"
    )
    same = OrganisationFactory(
        name="雁塔软件有限公司",
        county=region("610113"),
        industry_id="6513",
        founded_on=dt.date(2015, 6, 30),
        ownership_type="private",
        registered_capital=Decimal("100.00"),
        address="科技路 9 号",
        contact_person="赵六",
        contact_phone="029-2222",
    )
    return renamed, same


def rows(renamed, same):
    return [
        # a rename, a new industry (with its section letter), a phone Excel kept as a number
        [
            1,
            renamed.credit_code,
            "秦川阀门集团有限公司",
            "610113",
            "C3411",
            None,
            "有限责任公司",
            5_000_000,
            None,
            "张三",
            13_800_138_000,
        ],
        # as registered; only the founding year given (成立日期 2015 keeps 2015-06-30)
        [
            2,
            same.credit_code,
            "雁塔软件有限公司",
            610113,
            "6513",
            2015,
            "民营",
            1_000_000,
            "科技路 9 号",
            "赵六",
            "029-2222",
        ],
        # not registered: created with everything
        [
            3,
            code("610113", 7),
            "雁塔新材料有限公司",
            "610113",
            "2641",
            dt.date(2019, 5, 6),
            "173",
            2_000_000,
            "丈八东路 2 号",
            "李四",
            "029-88886666",
        ],
        # not registered, county by name, founding year and month only
        [
            4,
            code("610113", 8),
            "曲江文化传媒有限公司",
            "雁塔区",
            "8710",
            "2021年3月",
            "私营企业",
            None,
            None,
            None,
            None,
        ],
    ]


def test_a_bureau_list_creates_updates_and_renames(registry):
    renamed, same = registry
    officer = county_officer()
    data = registry_xlsx(HEADER, rows(renamed, same), groups=GROUPS)

    batch = import_analyse(
        actor=officer, batch=import_upload(actor=officer, file_name="雁塔区名录.xlsx", content=data)
    )

    assert batch.kind == "organisations" and batch.status == ImportStatus.VALIDATED
    columns = {c["header"]: c for c in batch.layout["sheets"][0]["columns"]}
    assert columns["国民经济行业代码"]["target"] == "industry"
    assert (
        columns["注册资本（元）"]["target"] == "registered_capital"
        and columns["注册资本（元）"]["unit"] == "元"
    )
    assert columns["序号"]["target"] == "ignored"
    assert batch.layout["sheets"][0]["header_rows"] == [4]
    (warning,) = batch.issues
    assert warning["level"] == "warning" and (warning["row"], warning["column"]) == (5, "C")
    assert warning["message"] == "名称将由“秦川阀门有限公司”改为“秦川阀门集团有限公司”，导入时记录更名"
    assert (batch.new_organisations, batch.updated_organisations, batch.renamed_organisations) == (2, 1, 1)

    with pytest.raises(ValidationError):
        import_commit_file(actor=officer, batch=batch)
    assert Organisation.objects.count() == 2
    batch = import_commit_file(actor=officer, batch=batch, confirm_warnings=True)

    assert batch.status == ImportStatus.COMMITTED
    renamed.refresh_from_db()
    assert renamed.name == "秦川阀门集团有限公司" and renamed.former_names == "秦川阀门有限公司"
    assert renamed.industry_id == "3411" and renamed.ownership_type == "joint_stock"
    assert renamed.registered_capital == Decimal("500.00") and renamed.contact_person == "张三"
    assert renamed.contact_phone == "13800138000" and renamed.address == ""  # empty cell: unchanged
    change = OrganisationNameChange.objects.get(organisation=renamed)
    assert (change.old_name, change.new_name, change.recorded_by) == (
        "秦川阀门有限公司",
        "秦川阀门集团有限公司",
        officer,
    )

    same_before = same.updated_at
    same.refresh_from_db()
    assert same.founded_on == dt.date(2015, 6, 30) and same.updated_at == same_before

    created = Organisation.objects.get(credit_code=code("610113", 7))
    assert (created.name, created.county_id, created.industry_id) == ("雁塔新材料有限公司", "610113", "2641")
    assert (created.founded_on, created.ownership_type, created.registered_capital) == (
        dt.date(2019, 5, 6),
        "private",
        Decimal("200.00"),
    )
    assert (created.address, created.contact_person, created.contact_phone) == (
        "丈八东路 2 号",
        "李四",
        "029-88886666",
    )
    media = Organisation.objects.get(credit_code=code("610113", 8))
    assert media.county_id == "610113" and media.founded_on == dt.date(2021, 3, 1)

    record = ImportedOrganisationChange.objects.get(batch=batch)
    assert record.organisation == renamed and record.name_change == change
    assert record.before["industry"] == "3311" and record.after["industry"] == "3411"
    event = AuditEvent.objects.get(event_type="import.committed")
    assert event.payload["new_organisations"] == 2 and event.payload["renamed_organisations"] == 1
    assert event.payload["updated_organisations"] == 1


def test_a_list_that_changes_nothing_updates_nothing(registry):
    renamed, same = registry
    officer = county_officer()
    data = registry_xlsx(HEADER, rows(renamed, same)[1:2], groups=GROUPS)

    batch = import_analyse(
        actor=officer, batch=import_upload(actor=officer, file_name="名录.xlsx", content=data)
    )
    batch = import_commit_file(actor=officer, batch=batch)

    assert batch.issues == [] and (batch.new_organisations, batch.updated_organisations) == (0, 0)
    assert not ImportedOrganisationChange.objects.exists() and not OrganisationNameChange.objects.exists()
