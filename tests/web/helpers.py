"""Small helpers of the page tests."""

import html
import re


def text(response) -> str:
    """The response body as text (HTML entities decoded)."""
    return html.unescape(response.content.decode())


def field_errors(response, field: str) -> list[str]:
    """The error messages shown beside form field ``field`` (empty when none)."""
    body = response.content.decode()
    match = re.search(rf'<ul class="field-errors" id="id_{field}-errors">(.*?)</ul>', body, re.S)
    if not match:
        return []
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


def row_names(response) -> list[str]:
    """Names of the organisations listed in the 企业名录 table, in order."""
    body = response.content.decode()
    tbody = re.search(r"<tbody>(.*?)</tbody>", body, re.S)
    if not tbody:
        return []
    return [
        html.unescape(n) for n in re.findall(r'<a href="/organisations/\d+/">([^<]+)</a>', tbody.group(1))
    ]


def organisation_post(**changes) -> dict:
    """A valid 新增单位 form submission for 雁塔区, with ``changes`` applied."""
    from smeplan.registry.credit_code import make_credit_code

    data = {
        "credit_code": make_credit_code("610113", 7_000_001),
        "name": "雁塔新登记科技有限公司",
        "kind": "enterprise",
        "county": "610113",
        "industry": "3311 金属结构制造",
        "founded_on": "2015-06-30",
        "registered_capital": "1,000",
        "ownership_type": "private",
        "construction_qualification": "",
        "address": "西安市雁塔区科技路1号",
        "contact_person": "李明",
        "contact_phone": "029-88888888",
    }
    data.update(changes)
    return data


def figures_post(**changes) -> dict:
    """A valid 新增年度数据 form submission for 2022, with ``changes`` applied."""
    data = {
        "year": "2022",
        "operating_revenue": "3,200.5",
        "main_business_revenue": "3000",
        "total_profit": "-20",
        "tax_paid": "90",
        "rd_expense": "60",
        "employees": "85",
        "total_assets": "4100",
        "total_liabilities": "1800",
        "new_product_revenue": "",
        "export_value": "",
        "note": "",
    }
    data.update(changes)
    return data
