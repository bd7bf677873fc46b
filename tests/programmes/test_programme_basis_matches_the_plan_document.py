"""Every programme's 依据 names the document the seed is (its 文号 and title) and a plan of it by the
plan's own title, with chapters and items the plan really has — read from the document itself
(docs/seed/action-plans-2017-69.md), in the data file and in the stored rows alike."""

import re
from pathlib import Path

import pytest

from smeplan.programmes.loading import basis_of, correct_basis, seed
from smeplan.programmes.models import Programme

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "seed" / "action-plans-2017-69.md"
NUMERALS = "一二三四五六七八九十"


def _document() -> dict:
    lines = DOCUMENT.read_text(encoding="utf-8").splitlines()
    title = next(line[2:].strip() for line in lines if line.startswith("# "))
    number = next(line.strip() for line in lines if re.fullmatch(r"\S+〔\d{4}〕\d+号", line.strip()))
    plans: dict[str, list[str]] = {}
    current = None
    for line in lines:
        heading = re.fullmatch(r"##\s+(\S*行动计划)\s*", line)
        if heading:
            current = heading.group(1)
            plans[current] = []
        elif current:
            plans[current].append(line)
    return {"title": title, "number": number, "plans": plans}


def _chapters(plan_lines: list[str]) -> dict[str, set[str]]:
    """{chapter numeral: {item numerals}} of one plan ("四、进入条件" … "（二）筛选和认定。")."""
    chapters: dict[str, set[str]] = {}
    current = None
    for line in plan_lines:
        text = line.lstrip("#* ").strip()
        chapter = re.match(rf"([{NUMERALS}]+)、", text)
        item = re.match(rf"[（(]\s*([{NUMERALS}]+)\s*[）)]", text)
        if chapter:
            current = chapter.group(1)
            chapters.setdefault(current, set())
        elif item and current:
            chapters[current].add(item.group(1))
    return chapters


def _check(basis: str, doc: dict) -> list[str]:
    """What is wrong with one 依据 text (empty when it matches the document)."""
    problems = []
    nested_title = doc["title"].replace("《", "〈").replace("》", "〉")
    expected_source = f"{doc['number']}《{nested_title}》"
    if not basis.startswith(expected_source + " "):
        return [f"依据应以“{expected_source}”开头：{basis}"]
    section = basis[len(expected_source) + 1 :]
    plan = next((name for name in doc["plans"] if section.startswith(name + " ")), None)
    if plan is None:
        return [f"“{section}”不以文件中的任何一项行动计划的标题开头（{'、'.join(doc['plans'])}）"]
    chapters = _chapters(doc["plans"][plan])
    refs = section[len(plan) + 1 :]
    match = re.fullmatch(rf"([{NUMERALS}]+)((?:、[{NUMERALS}]+)*)((?:（[{NUMERALS}]+）)*)", refs)
    if not match:
        return [f"章节“{refs}”无法识别"]
    named = [match.group(1), *filter(None, match.group(2).split("、"))]
    for chapter in named:
        if chapter not in chapters:
            problems.append(f"{plan}没有第{chapter}部分")
    for item in re.findall(rf"（([{NUMERALS}]+)）", match.group(3)):
        if item not in chapters.get(named[0], set()):
            problems.append(f"{plan}第{named[0]}部分没有第（{item}）项")
    return problems


def test_the_document_is_read_as_expected():
    doc = _document()
    assert doc["number"] == "陕中企规发〔2017〕69号"
    assert len(doc["plans"]) == 8
    assert "“千企示范万企转型”行动计划" in doc["plans"]
    assert _chapters(doc["plans"]["“千企示范万企转型”行动计划"])["四"] == {"一", "二", "三", "四", "五"}


def test_every_programme_in_the_data_file_cites_the_document():
    doc = _document()
    data = seed()
    problems = {spec["code"]: _check(basis_of(spec, data), doc) for spec in data["programmes"]}
    assert {code: p for code, p in problems.items() if p} == {}


@pytest.mark.django_db
def test_every_stored_programme_cites_the_document():
    doc = _document()
    programmes = list(Programme.objects.all())
    assert {p.code for p in programmes} >= {spec["code"] for spec in seed()["programmes"]}
    problems = {p.code: _check(p.source, doc) for p in programmes}
    assert {code: p for code, p in problems.items() if p} == {}


def test_a_wrong_basis_is_reported():
    doc = _document()
    assert _check(
        "陕政办发〔2017〕69号《陕西省中小企业八个专项行动计划》 中小企业成长梯队培育行动计划 四、五", doc
    )
    right = basis_of({"section": "中小企业转型升级行动计划 四（二）"}, seed())
    assert _check(right, doc)  # the plan's name as it was, not as the document has it
    assert _check(basis_of({"section": "中小企业成长梯队培育行动计划 九"}, seed()), doc)
    assert _check(basis_of({"section": "“千企示范万企转型”行动计划 四（八）"}, seed()), doc)


@pytest.mark.django_db
def test_stored_rows_with_the_old_wording_are_corrected():
    Programme.objects.filter(code="transformation").update(
        source="陕政办发〔2017〕69号《陕西省中小企业八个专项行动计划》 中小企业转型升级行动计划 四（二）"
    )
    Programme.objects.filter(code="growth-city").update(
        source="陕政办发〔2017〕69号 中小企业成长梯队培育行动计划"
    )
    assert correct_basis(Programme) == 2
    assert Programme.objects.get(code="transformation").source == (
        "陕中企规发〔2017〕69号《关于印发〈小微企业创业创新基地建设行动计划〉等八项行动计划的通知》"
        " “千企示范万企转型”行动计划 四（二）"
    )
    assert (
        Programme.objects.get(code="growth-city").source
        == "陕中企规发〔2017〕69号 中小企业成长梯队培育行动计划"
    )
    assert correct_basis(Programme) == 0
