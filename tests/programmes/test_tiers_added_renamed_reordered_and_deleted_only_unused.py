"""A programme's tiers (梯队/层级): added at the end, renamed, reordered, deleted — never one with
applications or certifications, never the last one; each change audited."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.programmes import services
from smeplan.recognition import services as recognition
from tests.factories import province_admin, tier_of
from tests.recognition.make import YEAR, applicant

pytestmark = pytest.mark.django_db


def test_add_rename_and_reorder():
    admin = province_admin()
    programme = tier_of("transformation-demo", "demonstration").programme
    added = services.tier_create(actor=admin, programme=programme, code="candidate", name="示范培育企业")
    services.tier_rename(actor=admin, tier=added, name="转型升级示范培育企业")
    services.tiers_reorder(actor=admin, programme=programme, order=["candidate", "demonstration"])
    assert [t.name for t in programme.tiers.all()] == ["转型升级示范培育企业", "转型升级示范企业"]
    assert set(AuditEvent.objects.values_list("event_type", flat=True)) == {
        "programme.tier_created",
        "programme.tier_renamed",
        "programme.tiers_reordered",
    }


def test_bad_tier_input_is_refused_in_chinese():
    admin = province_admin()
    programme = tier_of("transformation-demo", "demonstration").programme
    with pytest.raises(ValidationError, match="代码「demonstration」重复"):
        services.tier_create(actor=admin, programme=programme, code="demonstration", name="另一个")
    with pytest.raises(ValidationError, match="名称「转型升级示范企业」重复"):
        services.tier_create(actor=admin, programme=programme, code="other", name="转型升级示范企业")
    with pytest.raises(ValidationError, match="梯队排序应列出本项目的全部 1 个梯队"):
        services.tiers_reorder(actor=admin, programme=programme, order=[])


def test_a_tier_with_applications_is_never_deleted_and_the_last_one_neither():
    admin = province_admin()
    tier = tier_of("growth-province", "growth_star")
    _org, user = applicant()
    recognition.application_start(actor=user, tier=tier, year=YEAR)
    with pytest.raises(ValidationError) as refused:
        services.tier_delete(actor=admin, tier=tier)
    assert refused.value.message_dict["tiers"] == ["梯队「成长之星」已有1份申报，不能删除"]
    demo = tier_of("transformation-demo", "demonstration")
    with pytest.raises(ValidationError, match="唯一的梯队，不能删除"):
        services.tier_delete(actor=admin, tier=demo)
    spare = services.tier_create(actor=admin, programme=demo.programme, code="spare", name="备用")
    services.tier_delete(actor=admin, tier=spare)
    assert list(demo.programme.tiers.values_list("code", flat=True)) == ["demonstration"]
