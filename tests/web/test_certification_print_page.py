"""The printable certificate shows the title, the name as certified, the document number and validity."""

import pytest

from tests.factories import enterprise_user
from tests.recognition.make import DOCUMENT, applicant, bureaus, certified, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_the_enterprise_prints_its_certificate(client, monkeypatch, baoji_org):
    officers = bureaus()
    _, user = applicant(name="雁塔证书有限公司")
    certification = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)
    url = f"/recognition/certifications/{certification.pk}/print/"

    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    body = text(page)
    assert "陕西省成长之星企业" in body
    assert "雁塔证书有限公司" in body
    assert DOCUMENT in body
    assert "长期有效，以年度综合测评维持" in body
    assert "@media print" in body

    client.force_login(enterprise_user(baoji_org))  # another enterprise: not found
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_without_a_yearly_evaluation_the_certificate_is_simply_without_end(client, monkeypatch):
    """A programme no 综合测评 keeps (none of its schemes) says 长期有效, not the growth tiers' words."""
    officers = bureaus()
    _, user = applicant(name="雁塔无期限有限公司")
    certification = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)
    certification.programme.evaluation_schemes.all().delete()
    client.force_login(user)
    body = text(client.get(f"/recognition/certifications/{certification.pk}/print/"))
    assert "长期有效" in body and "年度综合测评" not in body
