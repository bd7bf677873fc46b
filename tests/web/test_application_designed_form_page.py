"""The application page renders the form version it was filed on (sections, conditions, table rows,
upload inputs), saves posted tables and uploads to their fields, shows Chinese errors per field and
keeps nothing of a rejected save; detail and print show the answers as users read them, and the
PDF 申报表 reads back with its sections, answers, attachments and signature boxes."""

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smeplan.recognition import services
from tests.factories import tier_of
from tests.recognition.designed_form import designed
from tests.recognition.make import YEAR, applicant
from tests.web.helpers import field_errors, text

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def draft(client):
    designed()
    _org, user = applicant(name="秦川页面测试有限公司")
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    client.force_login(user)
    return application, user


def test_the_page_renders_the_version_it_was_filed_on(client, draft):
    application, _ = draft
    body = text(client.get(f"/recognition/applications/{application.pk}/edit/"))
    assert "一、企业基本情况" in body and "二、转型升级成效" in body
    assert 'name="name" id="id_name" value="秦川页面测试有限公司"' in body
    assert 'data-show-field="has_award" data-show-values="true" hidden' in body
    assert 'name="products-0-name"' in body and 'data-add-row="products"' in body
    assert 'type="file" name="attachment-licence"' in body and 'enctype="multipart/form-data"' in body
    assert f'name="figures-{YEAR - 1}-operating_revenue"' in body and f'name="figures-{YEAR - 2}-' not in body


def test_a_rejected_save_shows_errors_per_field_and_keeps_nothing(client, draft):
    application, _ = draft
    response = client.post(
        f"/recognition/applications/{application.pk}/edit/",
        {
            "version": application.lock_version,
            "op": "save",
            "name": "甲",
            "rd_share": "150",
            "has_award": "true",
            "products-0-name": "车床",
            "products-0-sales": "很多",
        },
    )
    assert response.status_code == 200
    assert field_errors(response, "rd_share") == ["研发费用占营业收入比重不能大于100%（收到150%）"]
    assert field_errors(response, "products") == ["第1行销售收入应为数字（收到「很多」）"]
    body = text(response)
    assert 'name="products-0-sales" value="很多"' in body  # the entered values stay, to correct
    assert 'data-show-field="has_award" data-show-values="true">' in body  # shown: has_award is yes
    application.refresh_from_db()
    assert application.form == {"name": "秦川页面测试有限公司", "revenue_last": "5000.00"}


def test_tables_and_uploads_are_saved_then_submitted(client, draft):
    application, _ = draft
    response = client.post(
        f"/recognition/applications/{application.pk}/edit/",
        {
            "version": application.lock_version,
            "op": "submit",
            "declare": "1",
            "name": "甲",
            "rd_share": "4.5",
            "has_award": "true",
            "award_name": "陕西省科学技术奖",
            "products-0-name": "车床",
            "products-0-sales": "800",
            "products-3-name": "铣床",
            "attachment-licence": SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, field_errors(response, "licence")
    application.refresh_from_db()
    assert application.state != "draft"
    assert application.form["products"] == [
        {"name": "车床", "sales": "800.00"},
        {"name": "铣床", "sales": None},
    ]
    assert application.form["rd_share"] == "0.045"
    assert application.attachments.get().field == "licence"
    detail = text(client.get(f"/recognition/applications/{application.pk}/"))
    assert (
        "4.5%" in detail
        and "800.00 万元" in detail
        and "陕西省科学技术奖" in detail
        and "营业执照.pdf" in detail
    )
    printed = text(client.get(f"/recognition/applications/{application.pk}/print/"))
    assert "附件2" in printed and "省级中小企业成长梯队申报表" in printed and "二、转型升级成效" in printed


def test_the_pdf_reads_back_like_the_form(client, draft):
    application, user = draft
    services.attachment_add(
        actor=user, application=application, name="营业执照.pdf", content=PDF, field="licence"
    )
    application.refresh_from_db()
    services.application_update(
        actor=user,
        application=application,
        expected_version=application.lock_version,
        form={
            "name": "秦川页面测试有限公司",
            "rd_share": "5",
            "has_award": "true",
            "award_name": "省科技奖",
            "products": [{"name": "数控车床", "sales": "800"}],
        },
    )
    response = client.get(f"/recognition/applications/{application.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) missing: `make test` installs them"
    read = subprocess.run([pdftotext, "-", "-"], input=response.content, capture_output=True, check=True)  # noqa: S603
    read = read.stdout.decode()
    flat = "".join(read.split())
    for words in (
        "附件2",
        "省级中小企业成长梯队申报表",
        "一、企业基本情况",
        "秦川页面测试有限公司",
        "研发费用占营业收入比重",
        "5%",
        "数控车床",
        "800.00万元",
        "营业执照.pdf",
        "省科技奖",
        "法定代表人（签字）",
        "（企业盖章）",
        "县（区）中小企业主管部门意见",
    ):
        assert words in flat, words
    detail = text(client.get(f"/recognition/applications/{application.pk}/"))
    assert f"/recognition/applications/{application.pk}/pdf/" in detail
