"""The pages: run now, the 综合测评表 with its .xlsx, the what-if (nothing saved), proposals confirmed
in bulk with a document number, scheme edits."""

import io

import pytest
from python_calamine import CalamineWorkbook

from smeplan.evaluation.models import EvaluationRun, EvaluationScheme
from smeplan.recognition.models import Certification
from tests.evaluation.make import DOCUMENT, YEAR
from tests.evaluation.test_proposals import tier_of_21
from tests.factories import county_officer, province_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = province_admin()
    client.force_login(admin)
    return admin, client


def test_run_now_then_the_table_and_its_xlsx(admin_client):
    admin, client = admin_client
    growth, certs = tier_of_21(admin)
    response = client.post("/evaluation/", {"tier": growth.pk, "year": YEAR})
    run = EvaluationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evaluation/runs/{run.pk}/"
    page = client.get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert certs[0].organisation.name in page and "营业收入利润率" in page and "末位" in page
    xlsx = client.get(f"/evaluation/runs/{run.pk}/export.xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = book.get_sheet_by_name("综合测评表").to_python()
    assert rows[1][0] == "名次" and "综合得分" in rows[1]
    first = rows[2]
    assert first[0] == 1 and first[2] == certs[20].organisation.name


def test_bad_year_is_named(admin_client):
    admin, client = admin_client
    growth, _ = tier_of_21(admin)
    page = client.post("/evaluation/", {"tier": growth.pk, "year": "去年"}).content.decode()
    assert "测评年度「去年」无效" in page
    assert not EvaluationRun.objects.exists()


def test_what_if_lists_rank_changes_and_saves_nothing(admin_client):
    admin, client = admin_client
    growth, _certs = tier_of_21(admin)
    client.post("/evaluation/", {"tier": growth.pk, "year": YEAR})
    run = EvaluationRun.objects.get()
    page = client.get(
        f"/evaluation/runs/{run.pk}/what-if/",
        {"weight_revenue_growth": "1", "weight_profit_margin": "0", "method": "percentile"},
    ).content.decode()
    assert 'id="changes"' in page
    assert EvaluationRun.objects.count() == 1
    same = client.get(f"/evaluation/runs/{run.pk}/what-if/", {"weight_profit_margin": "5"}).content.decode()
    assert 'id="no-changes"' in same
    bad = client.get(f"/evaluation/runs/{run.pk}/what-if/", {"weight_rd_ratio": "-2"}).content.decode()
    assert "研发费用占营业收入比重的权重「-2」不能为负数" in bad


def test_proposals_page_confirms_in_bulk(admin_client):
    admin, client = admin_client
    growth, certs = tier_of_21(admin)
    client.post("/evaluation/", {"tier": growth.pk, "year": YEAR})
    run = EvaluationRun.objects.get()
    proposal = run.termination_proposals.get()
    missing = client.post(
        f"/evaluation/runs/{run.pk}/proposals/", {"ids": [proposal.pk], "document_number": ""}
    )
    assert "请填写文号" in missing.content.decode()
    ok = client.post(
        f"/evaluation/runs/{run.pk}/proposals/", {"ids": [proposal.pk], "document_number": DOCUMENT}
    )
    assert ok.status_code == 302
    assert Certification.objects.get(pk=certs[0].pk).state == "terminated"
    move = run.move_proposals.get(certification=certs[20])
    client.post(f"/evaluation/runs/{run.pk}/moves/", {"ids": [move.pk], "document_number": DOCUMENT})
    assert Certification.objects.get(pk=certs[20].pk).state == "superseded"


def test_county_officer_cannot_confirm(client):
    admin = province_admin()
    growth, certs = tier_of_21(admin)
    from smeplan.evaluation.services import evaluation_run

    run = evaluation_run(actor=admin, tier=growth, year=YEAR)
    client.force_login(county_officer("610113"))
    response = client.post(
        f"/evaluation/runs/{run.pk}/proposals/",
        {"ids": [run.termination_proposals.get().pk], "document_number": DOCUMENT},
    )
    assert response.status_code == 403
    assert Certification.objects.get(pk=certs[0].pk).state == "active"


def test_scheme_edit_page(admin_client):
    _admin, client = admin_client
    from tests.factories import tier_of

    programme = tier_of("growth-province", "growth_star").programme
    bad = client.post(
        "/evaluation/schemes/",
        {
            "programme": programme.pk,
            "effective_year": "2025",
            "weight_tax_ratio": "x",
            "bottom_share": "0.05",
        },
    ).content.decode()
    assert "实缴税金占营业收入比重的权重「x」不是数字" in bad
    client.post(
        "/evaluation/schemes/",
        {
            "programme": programme.pk,
            "effective_year": "2025",
            "method": "percentile",
            "bottom_share": "0.1",
            **{
                f"weight_{k}": "2"
                for k in ("revenue_growth", "profit_growth", "profit_margin", "tax_ratio", "rd_ratio")
            },
        },
    )
    scheme = EvaluationScheme.objects.get(effective_year=2025)
    assert scheme.method == "percentile" and scheme.weights["tax_ratio"] == 2
