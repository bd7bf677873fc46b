"""评分结果 pages: a bureau computes the scores of a programme's applications of a year, sees them
sorted with the outcome, opens one application's explanation line by line (linked from the
application), and exports them to .xlsx; the enterprise sees none of it."""

import io
import re

import pytest
from python_calamine import CalamineWorkbook

from smeplan.accounts.models import Role, User
from smeplan.recognition import services
from tests.factories import UserFactory
from tests.recognition.make import YEAR, act, applicant, bureaus, submitted
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def scored_by_an_expert(officers, name):
    application = submitted(applicant(name=name)[1], programme="transformation-demo", tier="demonstration")
    for level in ("county", "city"):
        application = act(officers[level], application, "recommend")
    application = act(officers["province"], application, "send_to_experts")
    expert = UserFactory(role=Role.EXPERT, region=None, first_name="李专家")
    (assignment,) = services.experts_assign(
        actor=officers["province"], application=application, expert_ids=[expert.pk]
    )
    services.expert_declare(actor=expert, assignment=assignment)
    services.expert_score(
        actor=expert,
        assignment=assignment,
        scores={"transformation": 27, "innovation": 20, "performance": 20, "demonstration": 15},
    )
    return application


def test_compute_list_explain_and_export(client):
    officers = bureaus()
    application = scored_by_an_expert(officers, "评分示范有限公司")
    client.force_login(officers["province"])
    response = client.post(
        "/recognition/scores/compute/", {"programme": "transformation-demo", "year": str(YEAR)}
    )
    assert response.status_code == 302
    listing = text(client.get(response["Location"]))
    assert "已计算 1 件申报的评分" in listing
    assert "评分示范有限公司" in listing and ">82<" in listing and "达到分数要求" in listing

    opened = text(client.get("/recognition/scores/"))  # no programme chosen: the latest scored one
    assert "评分示范有限公司" in opened and "还没有评分结果" not in opened

    detail = text(client.get(f"/recognition/applications/{application.pk}/"))
    assert f'href="/recognition/applications/{application.pk}/score/"' in detail
    assert "总分 82 分" in re.sub(r"<[^>]+>", "", detail)
    page = text(client.get(f"/recognition/applications/{application.pk}/score/"))
    assert "结论：" in page and "达到分数要求" in page
    assert "转型升级成效（技术改造、产品升级、模式创新）" in page and "专家评分 0–30 分" in page
    assert "1 位专家评分，不足 3 位，不去掉最高最低分，按算术平均" in page
    assert "区间约定：区间“a–b”表示 a ≤ 数值 < b" in page

    export = client.get("/recognition/scores/export.xlsx?programme=transformation-demo")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    rows = book.get_sheet_by_name("评分结果").to_python()
    header = next(r for r in rows if "企业名称" in r)
    row = next(r for r in rows if "评分示范有限公司" in r)
    assert row[header.index("总分（分）")] == 82 and row[header.index("评分结论")] == "达到分数要求"


def test_the_enterprise_sees_no_scores(client):
    officers = bureaus()
    application = scored_by_an_expert(officers, "评分保密有限公司")
    client.force_login(User.objects.get(organisation=application.organisation))
    assert client.get("/recognition/scores/").status_code == 403
    assert client.get(f"/recognition/applications/{application.pk}/score/").status_code == 403
    assert "评分明细" not in text(client.get(f"/recognition/applications/{application.pk}/"))
