"""Every rubric data file loads, passes the design check, states the interval convention, and every
rule names its source (document and clause); the answers it reads are fields of the programme's
application form file; 特色化 indicators say they are provincial data and where they come from."""

import json
from pathlib import Path

import pytest

from smeplan.programmes import rubric

CONFIGURED = Path(rubric.__file__).parent / "data" / "configured"
FILES = sorted((CONFIGURED / "rubrics").glob("*.json"))
CODES = {
    "innovative-sme",
    "specialised-sme",
    "transformation-demo",
    "internet-demo",
    "smart-manufacturing-demo",
}


def answers_of(node, out):
    if isinstance(node, dict):
        if "answer" in node:
            out.add(node["answer"])
        for value in node.values():
            answers_of(value, out)
    elif isinstance(node, list):
        for value in node:
            answers_of(value, out)
    return out


def test_every_configured_programme_has_a_rubric_file():
    assert {json.loads(p.read_text(encoding="utf-8"))["programme"] for p in FILES} >= CODES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_rubric_file_names_its_sources(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert path.name == f"{data['programme']}.{data['effective_year']}.json"
    assert "〔" in data["basis"] and "号" in data["basis"]
    design = rubric.design_check(data["design"])
    assert "a ≤ 数值 < b" in design["convention"]
    rules = design["indicators"] + [r for key in rubric.RULE_LISTS for r in design[key]]
    for rule in rules:
        assert "〔" in rule["basis"] and "号" in rule["basis"], rule["label"]
    for group in design["groups"]:
        assert group.get("basis"), group["label"]
    for item in design["indicators"]:
        if item.get("group") == "distinctive":
            assert "号" in item["provincial"]["source"], item["label"]
    form = CONFIGURED / "forms" / f"{data['programme']}.application.{data['effective_year']}.json"
    if form.exists():
        labels, _ = rubric.form_labels(json.loads(form.read_text(encoding="utf-8"))["design"])
        assert answers_of(design, set()) <= set(labels)


def test_specialised_needs_the_innovative_certification_and_has_provincial_indicators():
    design = rubric.design_check(
        json.loads((CONFIGURED / "rubrics" / "specialised-sme.2022.json").read_text(encoding="utf-8"))[
            "design"
        ]
    )
    assert {"holds": "innovative-sme"} in [r["test"] for r in design["basic_conditions"]]
    distinctive = [i for i in design["indicators"] if i.get("group") == "distinctive"]
    assert 1 <= len(distinctive) <= 3 and sum(i["max"] for i in distinctive) == 15
    assert [g.get("minimum") for g in design["groups"]] == [None] * 4
