"""年度报告 (issue 7 item 6): the report of a plan period as PDF and .xlsx, scoped like the dashboard,
and the SVG charts it draws.

Fixture: a period 2022—2026 with two computed targets (省级梯队企业, 各级梯队企业: certifications in
西安 and 宝鸡) and a reported one (融资额, a ReportedValue of 37.5 for the province); today is moved
to 30 June 2024."""

import datetime as dt
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.http import Http404
from python_calamine import CalamineWorkbook

from smeplan.recognition import clock
from smeplan.targets import report as annual
from smeplan.targets import svg
from smeplan.targets.models import PlanPeriod, ReportedValue, Target
from tests.factories import city_officer, province_admin
from tests.reporting.make import certification, enterprise

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 30)


@pytest.fixture
def world(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    period = PlanPeriod.objects.create(
        code="rpt", name="“测试”（2022—2026年）", start_year=2022, end_year=2026
    )
    common = {
        "period": period,
        "kind": "cumulative",
        "deadline": dt.date(2026, 12, 31),
        "description": "测试",
    }
    province = Target.objects.create(
        code="prov",
        plan="growth",
        position=1,
        name="省级梯队企业数",
        value=Decimal(10),
        unit="家",
        source="computed",
        metric="growth.province",
        **common,
    )
    all_levels = Target.objects.create(
        code="all",
        plan="growth",
        position=2,
        name="各级梯队企业总数",
        value=Decimal(40),
        unit="家",
        source="computed",
        metric="growth.all_levels",
        **common,
    )
    reported = Target.objects.create(
        code="loans",
        plan="financing",
        position=3,
        name="中小企业新增贷款额",
        value=Decimal(100),
        unit="亿元",
        source="reported",
        reporter="省地方金融监管局",
        **common,
    )
    admin = province_admin()
    ReportedValue.objects.create(
        target=reported, region_id="610000", year=2023, value=Decimal("37.5"), source_note="金融统计年报"
    )
    # 西安 (雁塔): 3 province-level, 1 county-level; 宝鸡 (渭滨): 1 province-level, one more in 2024
    for on in ("2022-05-01", "2023-03-01", "2024-02-01"):
        certification(enterprise("610113", {}), level="province", tier="growth_star", on=on)
    certification(enterprise("610113", {}), level="county", tier="startup_star", on="2023-06-01")
    certification(enterprise("610302", {}), level="province", tier="industry_star", on="2023-04-01")
    certification(enterprise("610302", {}), level="city", tier="growth_star", on="2024-01-15")
    return {"period": period, "admin": admin, "targets": (province, all_levels, reported)}


def _sheet(data: bytes, name: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python()


def _row_of(rows, name):
    (row,) = [r for r in rows if len(r) > 1 and r[1] == name]
    return row


def test_report_gathers_rows_summary_cities_and_charts(world):
    report = annual.annual_report(user=world["admin"], period=world["period"])
    assert report.year == 2024 and report.area.kind == "province"
    values = {r.target.name: r.value for r in report.rows}
    assert values == {"省级梯队企业数": 4, "各级梯队企业总数": 6, "中小企业新增贷款额": Decimal("37.5")}
    assert [name for name, _ in report.groups] == ["中小企业成长梯队培育", "中小企业融资渠道拓展"]
    assert sum(report.summary.values()) == 3
    cities = {c.name: [r.value for r in c.rows] for c in report.cities}
    assert len(cities) == 12 and cities["西安市"] == [3, 4] and cities["宝鸡市"] == [1, 2]
    keys = [c.key for c in report.charts]
    assert "completion" in keys and "tiers" in keys
    assert sum(1 for c in report.charts if c.small) == 2  # a trend per computed target
    tiers = dict((place, counts) for place, counts in report.tier_table[1])
    assert tiers["西安市"] == [0, 3, 1] and tiers["宝鸡市"] == [1, 1, 0]
    for chart in report.charts:
        ET.fromstring(chart.svg)  # noqa: S314 - well-formed (our own output)


def test_a_past_year_is_the_state_at_its_end(world):
    report = annual.annual_report(user=world["admin"], period=world["period"], year="2022")
    assert report.as_of == dt.date(2022, 12, 31)
    assert {r.target.name: r.value for r in report.rows}["省级梯队企业数"] == 1
    assert {r.target.name: r.value for r in report.rows}["中小企业新增贷款额"] is None


@pytest.mark.parametrize("year", ["2021", "2025", "abc"])
def test_a_year_outside_the_period_or_in_the_future_is_refused(world, year):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        annual.annual_report(user=world["admin"], period=world["period"], year=year)


def test_pdf_is_a_paged_pdf_with_the_names_and_values(world):
    report = annual.annual_report(user=world["admin"], period=world["period"])
    pdf = annual.report_pdf(report)
    assert pdf.startswith(b"%PDF")
    pdfinfo, pdftotext = shutil.which("pdfinfo"), shutil.which("pdftotext")
    assert pdfinfo and pdftotext, "poppler-utils (pdfinfo, pdftotext) missing: `make test` installs them"
    info = subprocess.run([pdfinfo, "-"], input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    text = subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603
    flat = "".join(text.split())
    assert "目标完成情况年度报告" in flat and "（全省，2024年）" in flat
    for name in ("省级梯队企业数", "各级梯队企业总数", "中小企业新增贷款额", "西安市", "宝鸡市"):
        assert name in flat
    assert "37.5亿元" in flat and "金融统计" in flat
    assert f"共{pages}页" in flat and "第2页" in flat


def test_xlsx_has_the_rows_numbers_cities_and_charts(world):
    report = annual.annual_report(user=world["admin"], period=world["period"])
    data = annual.report_xlsx(report)
    rows = _sheet(data, "目标完成情况")
    assert "目标完成情况年度报告" in rows[0][0] and "生成人" in rows[0][0]
    assert rows[1][:5] == ["行动计划", "指标", "类型", "单位", "目标值"]
    assert _row_of(rows, "省级梯队企业数")[4:8] == [10.0, "全省目标", 4.0, 0.4]
    assert _row_of(rows, "中小企业新增贷款额")[6] == 37.5
    cities = {r[0]: r for r in _sheet(data, "分市情况")[3:]}
    assert cities["西安市"][2] == 3.0 and cities["宝鸡市"][2] == 1.0
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(1 for n in names if n.startswith("xl/charts/chart")) == 3  # completion, trend, tiers


def test_a_city_officer_sees_only_its_city_and_not_another(world, client):
    officer = city_officer("610100")
    report = annual.annual_report(user=officer, period=world["period"])
    assert report.area.name == "西安市" and report.cities == []
    assert {r.target.name: r.value for r in report.rows}["省级梯队企业数"] == 3
    rows = _sheet(annual.report_xlsx(report), "目标完成情况")
    assert _row_of(rows, "省级梯队企业数")[6] == 3.0
    assert "（西安市，2024年）" in rows[0][0]
    with pytest.raises(Http404):
        annual.annual_report(user=officer, period=world["period"], city="610300")
    client.force_login(officer)
    assert client.get("/targets/report/?period=rpt&city=610300&format=xlsx").status_code == 404
    assert client.get("/targets/report/?period=rpt&city=610300").status_code == 404
    response = client.get("/targets/report/?period=rpt&format=xlsx")
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert _row_of(_sheet(response.content, "目标完成情况"), "省级梯队企业数")[6] == 3.0


def test_the_page_and_the_downloads(world, client):
    client.force_login(world["admin"])
    page = client.get("/targets/report/?period=rpt")
    assert page.status_code == 200 and "生成并下载" in page.content.decode()
    response = client.get("/targets/report/?period=rpt&city=610300&year=2024&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert client.get("/targets/report/?period=rpt&year=2030&format=pdf").status_code == 422
    assert client.get("/targets/report/?period=nope").status_code == 404
    assert client.get("/targets/report/?format=doc&period=rpt").status_code == 404
    dashboard = client.get("/targets/?period=rpt&city=610100").content.decode()
    assert "/targets/report/?period=rpt&amp;city=610100" in dashboard


def test_enterprise_users_may_not_open_the_report(world, client):
    from tests.factories import enterprise_user

    user = enterprise_user(enterprise("610113", {}))
    client.force_login(user)
    assert client.get("/targets/report/?period=rpt").status_code in (403, 404)


def test_svg_escapes_labels_and_is_well_formed():
    nasty = "A<B>&\"C'<script>"
    charts = [
        svg.bar_chart(title=nasty, categories=[nasty, "西安"], series=[(nasty, [1, 2]), ("乙", [3, None])]),
        svg.bar_chart(
            title="堆叠", categories=["甲", "乙"], series=[("x", [1, 2]), ("y", [2, 0])], stacked=True
        ),
        svg.hbar_chart(title="完成率", labels=[nasty, "乙"], values=[Decimal("0.5"), None], reference=1.0),
        svg.line_chart(
            title=nasty, categories=["2022", "2023", "2024"], series=[(nasty, [1, None, 3])], goal=5
        ),
        svg.line_chart(title="空", categories=[], series=[("x", [])]),
    ]
    for text in charts:
        assert "<script>" not in text and "A<B>" not in text
        root = ET.fromstring(text)  # noqa: S314 - our own output
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert "Noto Sans CJK SC" in root.get("font-family")
        if "完成率" not in text and "堆叠" not in text and "空" not in text:
            assert any(nasty in t or t.startswith("A<B>") for t in texts)


def test_nice_ticks():
    assert svg.nice_ticks(9) == [0, 2, 4, 6, 8, 10]
    assert svg.nice_ticks(0) == [0.0, 1.0]
    assert svg.nice_ticks(1.4)[-1] >= 1.4
