"""认定项目的建立与维护 through the services: create with tiers (audited), Chinese refusals that write
nothing (duplicate code, bad plan, missing basis …), edit (the code stays), close — a closed
programme refuses new applications — and reopen; a programme in use is never deleted."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.programmes import services
from smeplan.programmes.models import Programme
from smeplan.recognition import services as recognition
from tests.factories import province_admin, tier_of
from tests.recognition.make import YEAR, applicant

pytestmark = pytest.mark.django_db


def _data(**over):
    return {
        "code": "quality-sme",
        "name": "陕西省质量标杆中小企业",
        "plan": "brand",
        "source": "陕中企规发〔2017〕69号《关于印发〈小微企业创业创新基地建设行动计划〉等八项行动计划的通知》",
        "basis_clause": "中小企业品牌提升培育行动计划 三（三）",
        "owner_level": "province",
        "subject_kind": "enterprise",
        "title_template": "{地区}{梯队}",
        "tiers": [["benchmark", "质量标杆企业"], ["candidate", "质量标杆培育企业"]],
        **over,
    }


def test_a_provincial_admin_creates_a_programme_with_its_tiers():
    admin = province_admin()
    programme = services.programme_create(actor=admin, data=_data())
    assert (programme.plan, programme.owner_level, programme.owner_region) == ("brand", "province", None)
    assert programme.title_template == "{region}{tier}"
    assert [t.name for t in programme.tiers.all()] == ["质量标杆企业", "质量标杆培育企业"]
    event = AuditEvent.objects.get(event_type="programme.created")
    assert event.actor == admin and event.payload["tiers"] == "质量标杆企业、质量标杆培育企业"


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"code": "growth-city"}, "code", "项目代码「growth-city」已被「市级中小企业成长梯队」使用"),
        ({"code": "Bad Code"}, "code", "项目代码应以小写字母开头"),
        ({"plan": "moon"}, "plan", "所属行动计划“moon”无效"),
        ({"plan": ""}, "plan", "请选择所属行动计划"),
        ({"source": " "}, "source", "请填写依据（文号及文件名称）"),
        ({"basis_clause": ""}, "basis_clause", "请填写依据条款"),
        ({"subject_kind": "person"}, "subject_kind", "认定对象“person”无效"),
        ({"title_template": "{地区}企业"}, "title_template", "称号格式须包含 {梯队}"),
        ({"tiers": []}, "tiers", "请至少设置一个梯队"),
        ({"tiers": [["a", "示范"], ["a", "培育"]]}, "tiers", "第 2 个梯队：代码「a」重复"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(over, field, message):
    before = Programme.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.programme_create(actor=province_admin(), data=_data(**over))
    assert any(m.startswith(message) for m in refused.value.message_dict[field]), refused.value.message_dict
    assert Programme.objects.count() == before
    assert not AuditEvent.objects.filter(event_type="programme.created").exists()


def test_an_edit_keeps_the_code_and_is_audited_as_before_and_after():
    admin = province_admin()
    programme = services.programme_create(actor=admin, data=_data())
    services.programme_update(
        actor=admin, programme=programme, data=_data(name="陕西省质量标杆企业", plan="platforms", tiers=None)
    )
    programme.refresh_from_db()
    assert (programme.name, programme.plan) == ("陕西省质量标杆企业", "platforms")
    event = AuditEvent.objects.get(event_type="programme.updated")
    assert (event.payload["before"]["plan"], event.payload["after"]["plan"]) == ("brand", "platforms")
    with pytest.raises(ValidationError) as refused:
        services.programme_update(actor=admin, programme=programme, data=_data(code="other-code"))
    assert refused.value.message_dict["code"] == [
        "项目代码建立后不能修改（规划目标和数据文件按代码引用该项目）"
    ]


def test_a_closed_programme_refuses_new_applications_and_reopens():
    admin = province_admin()
    tier = tier_of("growth-province", "growth_star")
    _org, user = applicant()
    services.programme_close(actor=admin, programme=tier.programme, note="本年度不再受理")
    tier.programme.refresh_from_db()
    assert tier.programme.closed_at is not None
    with pytest.raises(ValidationError) as refused:
        recognition.application_start(actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR)
    assert "该认定项目已关闭，不再受理申报" in refused.value.messages
    with pytest.raises(ValidationError, match="已于"):
        services.programme_close(actor=admin, programme=tier.programme)
    services.programme_reopen(actor=admin, programme=tier.programme)
    application = recognition.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    assert application.pk
    assert list(
        AuditEvent.objects.filter(subject_id=str(tier.programme.pk), event_type__startswith="programme.")
        .order_by("id")
        .values_list("event_type", flat=True)
    ) == ["programme.closed", "programme.reopened"]


def test_a_programme_in_use_is_never_deleted_but_an_unused_one_is():
    admin = province_admin()
    _org, user = applicant()
    tier = tier_of("growth-province", "growth_star")
    recognition.application_start(actor=user, tier=tier, year=YEAR)
    with pytest.raises(ValidationError) as refused:
        services.programme_delete(actor=admin, programme=tier.programme)
    assert refused.value.message_dict["programme"] == [
        "省级中小企业成长梯队已有1份申报、1个申报表版本，不能删除；如不再受理，请关闭该认定项目"
    ]
    assert Programme.objects.filter(code="growth-province").exists()
    unused = services.programme_create(actor=admin, data=_data())
    services.programme_delete(actor=admin, programme=unused)
    assert not Programme.objects.filter(code="quality-sme").exists()


def test_level_and_subject_kind_are_fixed_once_the_programme_has_applications():
    admin = province_admin()
    _org, user = applicant()
    tier = tier_of("growth-province", "growth_star")
    recognition.application_start(actor=user, tier=tier, year=YEAR)
    programme = tier.programme
    data = {
        "name": programme.name,
        "plan": "growth",
        "source": programme.source,
        "basis_clause": "中小企业成长梯队培育行动计划 四、五",
        "owner_level": "city",
        "subject_kind": "enterprise",
    }
    with pytest.raises(ValidationError) as refused:
        services.programme_update(actor=admin, programme=programme, data=data)
    assert refused.value.message_dict["owner_level"] == [
        "该认定项目已有1份申报、1个申报表版本，不能再修改认定层级（可关闭后新建认定项目）"
    ]
    programme.refresh_from_db()
    assert programme.owner_level == "province"


def test_an_enterprise_applies_to_a_programme_of_its_products():
    admin = province_admin()
    programme = services.programme_create(
        actor=admin,
        data=_data(code="sme-products", subject_kind="product", tiers=[["product", "专精特新产品"]]),
    )
    _org, user = applicant()
    application = recognition.application_start(actor=user, tier=programme.tiers.get(), year=YEAR)
    assert application.programme == programme
