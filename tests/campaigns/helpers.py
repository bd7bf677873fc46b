"""What the 数据填报 (bureau side) tests share: certifications made directly."""

import datetime as dt
import itertools

from smeplan.recognition import clock
from smeplan.recognition.models import Certification
from tests.factories import tier_of

_serials = itertools.count(1)


def certify(org, *, programme="growth-province", tier="growth_star", certified_on=None, **fields):
    t = tier_of(programme, tier)
    return Certification.objects.create(
        organisation=org,
        programme=t.programme,
        tier=t,
        level="province",
        region_id="610000",
        document_number=f"测试认定〔2026〕{next(_serials)}号",
        certified_on=certified_on or clock.today() - dt.timedelta(days=400),
        title="测试成长之星企业",
        organisation_name=org.name,
        **fields,
    )
