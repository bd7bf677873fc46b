"""json_schema: the same design as JSON Schema — types, units, choices, required, conditions."""

from smeplan.programmes import formdesign
from tests.programmes.form_designs import FULL


def test_schema_of_every_field_type():
    s = formdesign.json_schema(FULL)
    p = s["properties"]
    assert s["$schema"].endswith("2020-12/schema") and s["type"] == "object"
    assert s["required"] == ["name", "revenue_last"]  # unconditional required fields; tables use minItems
    assert p["name"]["title"] == "企业名称" and p["name"]["type"] == "string"
    assert p["revenue_last"]["x-unit"] == "万元"
    assert p["rd_share"]["maximum"] == 100 and "5 表示 5%" in p["rd_share"]["description"]
    assert p["staff"]["type"] == ["integer", "string"] and p["staff"]["x-unit"] == "人"
    assert p["founded"]["format"] == "date"
    assert p["ip_class"]["oneOf"][0] == {"const": "i_high", "title": "Ⅰ类高价值知识产权"}
    assert p["markets"]["type"] == "array"
    assert p["has_award"]["type"] == "boolean"
    assert p["products"]["minItems"] == 1 and p["products"]["maxItems"] == 3
    assert p["products"]["items"]["required"] == ["name"]
    assert p["award_name"]["x-show-if"] == {"field": "has_award", "equals": True}
    assert {
        "if": {"properties": {"has_award": {"const": True}}, "required": ["has_award"]},
        "then": {"required": ["award_name"]},
    } in s["allOf"]
    assert s["x-attachments"] == [
        {
            "field": "licence",
            "title": "营业执照",
            "required": True,
            "file_types": ["pdf", "jpg", "png"],
            "max_mb": 10,
        }
    ]
    assert s["x-figures"]["years"] == [-2, -1, 0]
    assert "licence" not in p and "figures" not in p
    assert [x["title"] for x in s["x-sections"]] == ["一、企业基本情况", "二、主要产品"]
