"""Every configured programme file (``smeplan/programmes/data/configured/programmes/``) passes the
loader's checks and names its sources: the document (文号) and clause of the programme, the basis of
every criterion and of every workflow setting; a clause of the 69号 action plans names a chapter and
item the plan really has; the files of the seeded programmes describe them as the seed does."""

import json
import re

from smeplan.programmes.configured import FOLDER, programme_file_check, programme_files
from smeplan.programmes.loading import seed
from tests.programmes.test_programme_basis_matches_the_plan_document import _check, _document

DOCUMENT_NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")
EXPECTED = {
    "growth-province", "growth-city", "growth-county", "transformation", "transformation-demo",
    "innovative-sme", "specialised-sme", "internet-demo", "smart-manufacturing-demo",
}  # fmt: skip


def _files() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in programme_files()}


def test_every_programme_of_the_issue_has_a_file_and_each_passes_the_checks():
    assert set(_files()) == EXPECTED
    for path in programme_files():
        programme_file_check(path)  # raises with the file and key named


def test_every_programme_names_its_document_and_clause():
    for code, data in _files().items():
        assert DOCUMENT_NUMBER.search(data["basis"]), f"{code}: 依据没有文号"
        assert data["basis_clause"].strip(), f"{code}: 没有依据条款"


def test_every_criterion_and_every_setting_names_its_source():
    for code, data in _files().items():
        for tier, items in data["criteria"].items():
            for i, item in enumerate(items):
                assert DOCUMENT_NUMBER.search(item.get("basis", "")), f"{code} {tier} 第{i + 1}条没有依据"
        assert set(data["workflow_basis"]) == set(data["workflow"]), code
        assert all(text.strip() for text in data["workflow_basis"].values()), code


def test_clauses_of_the_action_plans_are_chapters_the_plans_have():
    doc = _document()
    source = seed()["source"]
    problems = {}
    for code, data in _files().items():
        cited = []
        if data["basis"] == source:
            cited.append(data["basis_clause"])
        if "plan_clause" in data:
            cited.append(data["plan_clause"])
        for clause in cited:
            found = _check(f"{source} {clause}", doc)
            if found:
                problems[code] = found
        for tier, items in data["criteria"].items():
            for item in items:
                if item["basis"].startswith("陕中企规发〔2017〕69号 "):
                    clause = item["basis"].split("：")[0][len("陕中企规发〔2017〕69号 ") :]
                    # items below an item ("四（一）1") are checked to the item
                    found = _check(f"{source} {re.sub(r'\d+$', '', clause)}", doc)
                    if found:
                        problems[f"{code} {tier}"] = found
    assert problems == {}
    assert _check(f"{source} “互联网+”中小企业创业创新行动计划 九（一）", doc)  # the check can fail


def test_the_seeded_programmes_files_agree_with_the_seed():
    data = seed()
    files = _files()
    for spec in data["programmes"]:
        file = files[spec["code"]]
        assert (file["name"], file["owner_level"], file["tiers"]) == (
            spec["name"],
            spec["owner_level"],
            spec["tiers"],
        )
        assert file["basis"] == data["source"]
        assert f"{data['source']} {file['basis_clause']}" == f"{data['source']} {spec['section']}"
        for tier, _name in spec["tiers"]:
            without_basis = [{k: v for k, v in c.items() if k != "basis"} for c in file["criteria"][tier]]
            assert without_basis == data["criteria"][tier]
        for key, value in spec["workflow"].items():
            assert file["workflow"][key] == value, (spec["code"], key)


def test_the_new_programmes_serve_their_plans():
    files = _files()
    assert {
        code: files[code]["plan"] for code in EXPECTED - set(p["code"] for p in seed()["programmes"])
    } == {
        "innovative-sme": "brand",
        "specialised-sme": "brand",
        "internet-demo": "internet",
        "smart-manufacturing-demo": "internet",
    }
    innovative = files["innovative-sme"]
    assert innovative["basis"] == "工信部企业〔2022〕63号《优质中小企业梯度培育管理暂行办法》"
    assert innovative["workflow"]["validity_years"] == 3
    assert innovative["workflow"]["ban_years"] == 3
    assert FOLDER.name == "programmes"
