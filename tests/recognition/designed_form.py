"""A designed application form for the recognition tests: a programme's new form version with a
condition, a table, a percent, a required attachment and figures."""

from smeplan.programmes.form_services import form_version_create
from smeplan.programmes.models import Programme
from tests.factories import province_admin

DESIGN = {
    "annex": "附件2",
    "sections": [
        {
            "code": "basic",
            "title": "一、企业基本情况",
            "fields": [
                {
                    "code": "name",
                    "label": "企业名称",
                    "type": "text",
                    "required": True,
                    "prefill": {"registry": "name"},
                },
                {
                    "code": "revenue_last",
                    "label": "营业收入（上一年度）",
                    "type": "money",
                    "prefill": {"figure": "operating_revenue", "year": -1},
                },
                {
                    "code": "rd_share",
                    "label": "研发费用占营业收入比重",
                    "type": "percent",
                    "min": 0,
                    "max": 100,
                },
                {
                    "code": "has_award",
                    "label": "近三年获得省级以上科技奖励",
                    "type": "yes_no",
                    "required": True,
                },
                {
                    "code": "award_name",
                    "label": "奖励名称",
                    "type": "text",
                    "required": True,
                    "show_if": {"field": "has_award", "equals": True},
                },
            ],
        },
        {
            "code": "effect",
            "title": "二、转型升级成效",
            "fields": [
                {
                    "code": "products",
                    "label": "主要产品",
                    "type": "table",
                    "min_rows": 1,
                    "columns": [
                        {"code": "name", "label": "产品名称", "type": "text", "required": True},
                        {"code": "sales", "label": "销售收入", "type": "money"},
                    ],
                },
                {
                    "code": "licence",
                    "label": "营业执照",
                    "type": "attachment",
                    "file_types": ["pdf"],
                    "max_mb": 1,
                    "required": True,
                },
                {
                    "code": "figures",
                    "label": "近两年经营数据",
                    "type": "figures",
                    "years": [-1, 0],
                    "figures": ["operating_revenue", "employees"],
                },
            ],
        },
    ],
}


def designed(programme_code: str = "growth-province", *, year: int = 2020, design=None, title="申报表"):
    return form_version_create(
        actor=province_admin(),
        programme=Programme.objects.get(code=programme_code),
        purpose="application",
        design=design or DESIGN,
        effective_year=year,
        title=title,
        note="测试",
    )
