"""上传名单: an uploaded spreadsheet of credit codes asks exactly those firms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smeplan.campaigns.models import CampaignTask
from smeplan.campaigns.services import campaign_create
from tests.factories import OrganisationFactory, campaign_data, county_officer, region
from tests.web.import_files import xlsx_bytes

pytestmark = pytest.mark.django_db


def test_the_listed_firms_are_asked_once_each():
    a = OrganisationFactory(name="名单甲", county=region("610113"))
    b = OrganisationFactory(name="名单乙", county=region("610113"))
    OrganisationFactory(name="未列入", county=region("610113"))
    upload = SimpleUploadedFile(
        "名单.xlsx",
        xlsx_bytes(
            [
                ["甲", a.credit_code],
                ["乙", b.credit_code],
                ["甲", a.credit_code.lower()],
            ],
            header=["企业名称", "统一社会信用代码"],
            title="2025年数据填报名单",
        ),
    )
    campaign = campaign_create(
        actor=county_officer("610113"), data=campaign_data(targeting="list"), list_file=upload
    )
    assert set(
        CampaignTask.objects.filter(campaign=campaign).values_list("organisation__name", flat=True)
    ) == {
        "名单甲",
        "名单乙",
    }
    assert campaign.task_count == 2
    assert campaign.targeting_detail == {"file_name": "名单.xlsx", "count": 2}
