"""申报表设计 pages: the versions of a programme's form with a preview; the editor prefilled from the
newest version, saved (checked first) as a new version; errors name the row and save nothing."""

import re

import pytest

from smeplan.programmes import formdesign
from smeplan.programmes.form_services import form_version_create
from smeplan.programmes.models import FormVersion, Programme
from smeplan.web.views.formdesigner import design_from_rows, rows_of
from tests.factories import county_officer, province_admin
from tests.programmes.form_designs import FULL
from tests.web.helpers import text

pytestmark = pytest.mark.django_db
URL = "/programmes/transformation-demo/forms/application/"


def _version(**kw):
    return form_version_create(
        actor=province_admin(),
        programme=Programme.objects.get(code="transformation-demo"),
        purpose="application",
        design=FULL,
        effective_year=2025,
        title="申报表",
        note="测试版",
        **kw,
    )


def test_editor_rows_and_design_round_trip():
    design = formdesign.design_check(FULL)
    back, problems = design_from_rows(rows_of(design))
    assert problems == []
    again = formdesign.design_check(back)

    def fields(d):  # section codes are renumbered; a one-value "in" reads back as "equals"
        out = []
        for f in formdesign.fields(d):
            cond = f.get("show_if", {})
            if len(cond.get("in", [])) == 1:
                f = {**f, "show_if": {"field": cond["field"], "equals": cond["in"][0]}}
            out.append(f)
        return out

    assert fields(again) == fields(design)


def test_versions_list_and_preview(client):
    version = _version()
    client.force_login(county_officer())
    body = text(client.get(URL + f"?version={version.number}"))
    assert "申报表设计：陕西省中小企业转型升级示范企业" in body
    assert f"第{version.number}版预览" in body and "测试版" in body
    assert 'name="rd_share"' in body and "<fieldset disabled>" in body
    assert "新建版本" not in body  # a county officer reads, does not design
    listing = text(client.get("/programmes/"))
    assert URL in listing


def test_editor_is_prefilled_from_the_newest_version_and_saves_a_new_one(client):
    version = _version()
    admin = province_admin()
    client.force_login(admin)
    page = text(client.get(URL + "new/"))
    assert 'value="award_name"' in page and 'value="has_award=是"' in page
    assert 'value="name:产品名称:text:必填；sales:销售收入:money；share:市场占有率:percent"' in page
    post = {k: v for k, v in re.findall(r'name="(f-\d+-[a-z_]+)" value="([^"]*)"', page)}
    post |= {k: "1" for k in re.findall(r'name="(f-\d+-required)" value="1" checked', page)}
    for key, value in re.findall(
        r'<select name="(f-\d+-type)"[^>]*>.*?<option value="([a-z_]+)" selected>', page
    ):
        post[key] = value
    post |= {"title": "申报表", "effective_year": "2026", "annex": "附件1", "note": "复制"}
    response = client.post(URL + "new/", post)
    assert response.status_code == 302, text(response)[:3000]
    new = FormVersion.objects.get(
        programme__code="transformation-demo", purpose="application", number=version.number + 1
    )
    assert new.effective_year == 2026 and new.design["annex"] == "附件1"
    assert [f["code"] for f in formdesign.fields(new.design)] == [
        f["code"] for f in formdesign.fields(version.design)
    ]


def test_a_design_that_cannot_work_is_shown_with_its_rows_and_nothing_is_saved(client):
    client.force_login(province_admin())
    count = FormVersion.objects.count()
    response = client.post(
        URL + "new/",
        {
            "title": "申报表",
            "effective_year": "2026",
            "f-0-section": "一、概况",
            "f-0-code": "a",
            "f-0-label": "甲",
            "f-0-type": "number",
            "f-0-min": "5",
            "f-0-max": "1",
            "f-1-section": "一、概况",
            "f-1-code": "a",
            "f-1-label": "乙",
            "f-1-type": "text",
            "f-2-section": "一、概况",
            "f-2-code": "c",
            "f-2-label": "丙",
            "f-2-type": "text",
            "f-2-show_if": "zz=1",
            "f-3-section": "一、概况",
            "f-3-code": "d",
            "f-3-label": "丁",
            "f-3-type": "choice",
            "f-4-section": "一、概况",
            "f-4-code": "e",
            "f-4-label": "戊",
            "f-4-type": "text",
            "f-4-prefill": "phone",
        },
    )
    assert response.status_code == 422
    body = text(response)
    assert "第5行（戊）：预填来源应写成" in body
    response = client.post(
        URL + "new/",
        {
            "title": "申报表",
            "effective_year": "2026",
            "f-0-section": "一、概况",
            "f-0-code": "a",
            "f-0-label": "甲",
            "f-0-type": "number",
            "f-0-min": "5",
            "f-0-max": "1",
            "f-1-section": "一、概况",
            "f-1-code": "a",
            "f-1-label": "乙",
            "f-1-type": "text",
            "f-2-section": "一、概况",
            "f-2-code": "c",
            "f-2-label": "丙",
            "f-2-type": "text",
            "f-2-show_if": "zz=1",
            "f-3-section": "一、概况",
            "f-3-code": "d",
            "f-3-label": "丁",
            "f-3-type": "choice",
        },
    )
    body = text(response)
    assert "第1部分「一、概况」第1个字段「甲」：最小值 5 大于最大值 1" in body
    assert "第2个字段「乙」：字段代码「a」重复" in body
    assert "第3个字段「丙」：显示条件依据的字段「zz」不存在" in body
    assert "第4个字段「丁」：单选/多选字段须列出选项" in body
    assert 'value="zz=1"' in body  # the rows as entered, to correct
    assert FormVersion.objects.count() == count
