"""A form design using every field type, for the formdesign tests."""

FULL = {
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
                {"code": "intro", "label": "企业简介", "type": "textarea", "max_length": 20},
                {
                    "code": "revenue_last",
                    "label": "营业收入（上一年度）",
                    "type": "money",
                    "required": True,
                    "prefill": {"figure": "operating_revenue", "year": -1},
                },
                {
                    "code": "rd_share",
                    "label": "研发费用占营业收入比重",
                    "type": "percent",
                    "min": 0,
                    "max": 100,
                    "prefill": {"figure": "ratio.rd_ratio", "year": -1},
                },
                {
                    "code": "staff",
                    "label": "从业人员",
                    "type": "number",
                    "unit": "人",
                    "decimals": 0,
                    "min": 0,
                },
                {"code": "founded", "label": "成立日期", "type": "date"},
                {
                    "code": "ip_class",
                    "label": "主导产品相关有效知识产权",
                    "type": "choice",
                    "choices": [["i_high", "Ⅰ类高价值知识产权"], ["i", "Ⅰ类知识产权"], ["none", "无"]],
                },
                {
                    "code": "markets",
                    "label": "主要市场",
                    "type": "multi_choice",
                    "choices": [["local", "省内"], ["national", "国内"], ["abroad", "国外"]],
                },
                {"code": "has_award", "label": "近三年获得省级以上科技奖励", "type": "yes_no"},
                {
                    "code": "award_name",
                    "label": "奖励名称",
                    "type": "text",
                    "required": True,
                    "show_if": {"field": "has_award", "equals": True},
                },
                {
                    "code": "export_note",
                    "label": "出口情况",
                    "type": "textarea",
                    "show_if": {"field": "markets", "in": ["abroad"]},
                },
            ],
        },
        {
            "code": "products",
            "title": "二、主要产品",
            "fields": [
                {
                    "code": "products",
                    "label": "主要产品",
                    "type": "table",
                    "min_rows": 1,
                    "max_rows": 3,
                    "columns": [
                        {"code": "name", "label": "产品名称", "type": "text", "required": True},
                        {"code": "sales", "label": "销售收入", "type": "money"},
                        {"code": "share", "label": "市场占有率", "type": "percent"},
                    ],
                },
                {
                    "code": "licence",
                    "label": "营业执照",
                    "type": "attachment",
                    "file_types": ["pdf", "jpg", "png"],
                    "max_mb": 10,
                    "required": True,
                },
                {"code": "figures", "label": "近三年主要经济指标", "type": "figures", "years": [-2, -1, 0]},
            ],
        },
    ]
}


def design_with(field: dict, *before: dict) -> dict:
    """A one-section design holding ``before`` fields and then ``field``."""
    return {"sections": [{"code": "s", "title": "一、基本情况", "fields": [*before, field]}]}
