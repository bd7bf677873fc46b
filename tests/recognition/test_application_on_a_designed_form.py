"""An application is filed on the form version in force for its year: prefilled from the registry
and the figures, saved through the design's checks (Chinese messages per field, a rejected save
changes nothing), attachments uploaded to the design's fields, and submitted only when the required
fields and attachments are there."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.indicators.models import FigureRevision
from smeplan.recognition import services
from smeplan.recognition.models import State
from tests.factories import tier_of
from tests.recognition.designed_form import designed
from tests.recognition.make import YEAR, act, applicant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    version = designed()
    org, user = applicant(name="秦川转型测试有限公司")
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    return application, user, version


def save(application, user, form, **kw):
    application.refresh_from_db()
    return services.application_update(
        actor=user, application=application, expected_version=application.lock_version, form=form, **kw
    )


def test_start_files_the_version_in_force_and_prefills(draft):
    application, _, version = draft
    assert application.form_version == version
    assert application.form == {"name": "秦川转型测试有限公司", "revenue_last": "5000.00"}
    assert services.figures_years(application) == [YEAR - 1, YEAR]


def test_a_rejected_save_names_each_field_and_changes_nothing(draft):
    application, user, _ = draft
    before = (application.form, application.lock_version)
    with pytest.raises(ValidationError) as e:
        save(
            application,
            user,
            {
                "name": "甲",
                "rd_share": "150",
                "has_award": "true",
                "products": [{"name": "车床", "sales": "十二"}],
            },
            figures={YEAR: {"operating_revenue": "-5"}},
        )
    errors = e.value.message_dict
    assert errors["rd_share"] == ["研发费用占营业收入比重不能大于100%（收到150%）"]
    assert errors["products"] == ["第1行销售收入应为数字（收到「十二」）"]
    assert any(k.startswith(f"figures-{YEAR}-") for k in errors)
    application.refresh_from_db()
    assert (application.form, application.lock_version) == before
    assert not FigureRevision.objects.filter(organisation=application.organisation, year=YEAR).exists()


def test_a_saved_draft_stores_the_cleaned_answers(draft):
    application, user, _ = draft
    application = save(
        application,
        user,
        {
            "name": "甲",
            "rd_share": "5",
            "has_award": "false",
            "award_name": "不应保存",
            "products": [{"name": "车床"}],
        },
    )
    assert application.form == {
        "name": "甲",
        "revenue_last": None,
        "rd_share": "0.05",
        "has_award": False,
        "products": [{"name": "车床", "sales": None}],
    }


def test_figures_outside_the_forms_years_are_refused(draft):
    application, user, _ = draft
    with pytest.raises(ValidationError) as e:
        save(application, user, {}, figures={YEAR - 2: {"operating_revenue": "1"}})
    assert e.value.message_dict[f"figures-{YEAR - 2}"] == [f"登记表只填写 {YEAR - 1}–{YEAR} 年的数据"]


def test_attachments_go_to_their_field_with_its_types(draft):
    application, user, _ = draft
    with pytest.raises(ValidationError) as e:
        services.attachment_add(
            actor=user,
            application=application,
            name="执照.png",
            content=b"\x89PNG\r\n\x1a\n" + b"0" * 10,
            field="licence",
        )
    assert "营业执照：执照.png：只接受 PDF 文件" in e.value.message_dict["licence"][0]
    with pytest.raises(ValidationError, match="申报表没有附件项「honours」"):
        services.attachment_add(
            actor=user, application=application, name="a.pdf", content=PDF, field="honours"
        )
    attachment = services.attachment_add(
        actor=user, application=application, name="执照.pdf", content=PDF, field="licence"
    )
    assert attachment.field == "licence"


def test_submission_names_missing_fields_and_attachments(draft):
    application, user, _ = draft
    save(application, user, {"name": "甲", "has_award": "true", "products": [{"sales": "1"}]}, declare=True)
    with pytest.raises(ValidationError) as e:
        act(user, application, "submit")
    message = "；".join(e.value.messages)
    assert "请填写奖励名称、主要产品第1行「产品名称」" in message and "请上传附件：「营业执照」" in message
    services.attachment_add(
        actor=user, application=application, name="执照.pdf", content=PDF, field="licence"
    )
    save(
        application,
        user,
        {"name": "甲", "has_award": "true", "award_name": "省科技奖", "products": [{"name": "车床"}]},
        declare=True,
    )
    assert act(user, application, "submit").state != State.DRAFT


def test_a_new_form_version_never_changes_filed_applications(draft):
    application, user, version = draft
    save(application, user, {"name": "甲", "has_award": "false", "products": [{"name": "车床"}]})
    newer = designed(
        year=YEAR,
        design={
            "sections": [
                {
                    "code": "s",
                    "title": "一、概况",
                    "fields": [
                        {"code": "summary", "label": "企业概况", "type": "textarea", "required": True}
                    ],
                }
            ]
        },
        title="申报表（修订）",
    )
    application.refresh_from_db()
    assert application.form_version == version and application.form["name"] == "甲"
    # saving again still uses the version it was filed on
    application = save(
        application, user, {"name": "乙", "has_award": "false", "products": [{"name": "车床"}]}
    )
    assert application.form["name"] == "乙" and "summary" not in application.form
    version.refresh_from_db()
    assert version.design["sections"][0]["title"] == "一、企业基本情况"
    _, other_user = applicant()
    later = services.application_start(
        actor=other_user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    assert later.form_version == newer
