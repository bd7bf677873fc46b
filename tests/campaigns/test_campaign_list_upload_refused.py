"""An uploaded list with an invalid code, a code not in the registry or a firm outside the issuer's
scope is refused row by row, in Chinese, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from smeplan.audit.models import AuditEvent
from smeplan.campaigns.models import Campaign, CampaignTask
from smeplan.campaigns.services import campaign_create
from smeplan.registry.credit_code import make_credit_code
from tests.factories import OrganisationFactory, campaign_data, county_officer, region

pytestmark = pytest.mark.django_db


def test_bad_unknown_and_foreign_codes_are_refused_and_nothing_is_written():
    good = OrganisationFactory(county=region("610113"))
    foreign = OrganisationFactory(county=region("610302"))
    unknown = make_credit_code("610113", 77_000_001)
    upload = SimpleUploadedFile(
        "名单.csv",
        "\n".join(
            ["统一社会信用代码", good.credit_code, "91610113ABC", unknown, foreign.credit_code]
        ).encode(),
    )
    with pytest.raises(ValidationError) as exc:
        campaign_create(
            actor=county_officer("610113"), data=campaign_data(targeting="list"), list_file=upload
        )
    assert exc.value.message_dict["list_file"] == [
        "第3行：「91610113ABC」不是有效的统一社会信用代码",
        f"第4行：统一社会信用代码 {unknown} 不在企业名录中",
        f"第5行：统一社会信用代码 {foreign.credit_code} 的企业不在您的管辖范围内",
        "名单有误，未发出任何填报任务；请改正后重新上传",
    ]
    assert not Campaign.objects.exists()
    assert not CampaignTask.objects.exists()
    assert not AuditEvent.objects.filter(event_type__startswith="campaign.").exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    upload = SimpleUploadedFile("名单.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(ValidationError) as exc:
        campaign_create(
            actor=county_officer("610113"), data=campaign_data(targeting="list"), list_file=upload
        )
    assert "list_file" in exc.value.message_dict
    assert not Campaign.objects.exists()
