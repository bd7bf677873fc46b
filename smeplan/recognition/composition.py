"""梯队构成 — the plan's rule that 规模以下工业或限额以下 enterprises (not 四上:
``Organisation.above_scale`` False) make up at least half of a tier list (陕中企规发〔2017〕69号
《中小企业成长梯队培育行动计划》三（二）), as data: ``data/composition.csv`` (per programme —
each level's list — and effective year).

* ``composition(user, day=…, area=…)`` — the share per level (programme) and place of the area: the
  province and each city-level unit, a city and each of its counties, or one county. One grouped
  query over the certifications in force on ``day`` (``selectors.in_force_on``) in the user's scope:
  programme × county × 四上 status, distinct enterprises; counties are summed into their places.
  Enterprises whose 四上 status is unknown are shown apart: they count in the total, never as
  规模以下.
* ``batch_impacts(applications, day=…)`` — what a certification batch does to each list it adds to
  (the certifying bureau's level and area): the share before and after, and how many more
  规模以下 enterprises the list would need to reach the share (or as many fewer 四上 ones in the
  batch: the same number). The certify page and the API show these before the officer confirms.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from django.db.models import Count

from smeplan.accounts.scoping import scope_filter
from smeplan.recognition.models import Certification
from smeplan.recognition.selectors import in_force_on
from smeplan.regions.models import PROVINCE_CODE, Region
from smeplan.regions.selectors import county_cities

RULES_CSV = Path(__file__).parent / "data" / "composition.csv"
LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级"}


@dataclasses.dataclass(frozen=True)
class Rule:
    programme: str
    effective_year: int
    min_percent: Decimal
    source: str


@lru_cache(maxsize=2)
def _rules(path: Path = RULES_CSV) -> tuple[Rule, ...]:
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    out = []
    for n, row in enumerate(csv.DictReader(lines), start=2):
        percent = Decimal(row["min_below_scale_percent"].strip())
        if not 0 < percent < 100:
            raise ValueError(f"{path.name} 第{n}行：占比应在 0—100 之间，收到“{percent}”")
        out.append(Rule(row["programme"].strip(), int(row["effective_year"]), percent, row["source"].strip()))
    return tuple(out)


def rules_for(year: int) -> dict[str, Rule]:
    """Programme code → the rule in force in ``year`` (programmes without one are not listed)."""
    chosen: dict[str, Rule] = {}
    for rule in _rules():
        if rule.effective_year <= year and (
            rule.programme not in chosen or rule.effective_year >= chosen[rule.programme].effective_year
        ):
            chosen[rule.programme] = rule
    return chosen


def percent_text(value: Fraction | Decimal | None) -> str:
    """1/2 → "50%"; 17/35 → "48.6%"; None → "—"."""
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    text = f"{Decimal(value) * 100:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


@dataclasses.dataclass
class Mix:
    """The enterprises of one tier list by 四上 status."""

    below: int = 0  # 规模以下/限额以下 (above_scale False)
    above: int = 0  # 四上
    unknown: int = 0  # 四上 status not known

    def add(self, above_scale: bool | None, n: int = 1) -> None:
        if above_scale is None:
            self.unknown += n
        elif above_scale:
            self.above += n
        else:
            self.below += n

    def plus(self, other: Mix) -> Mix:
        return Mix(self.below + other.below, self.above + other.above, self.unknown + other.unknown)

    @property
    def total(self) -> int:
        return self.below + self.above + self.unknown

    @property
    def share(self) -> Fraction | None:
        """规模以下 ÷ all (None for an empty list)."""
        return Fraction(self.below, self.total) if self.total else None

    @property
    def share_text(self) -> str:
        return percent_text(self.share)

    def meets(self, min_percent: Decimal) -> bool:
        return self.total == 0 or Fraction(self.below) * 100 >= Fraction(min_percent) * self.total

    def needed(self, min_percent: Decimal) -> int:
        """How many more 规模以下 enterprises bring the list to the share — (p·N − B) / (1 − p),
        rounded up; the same number of 四上 enterprises fewer does it too when p = 50%."""
        p = Fraction(min_percent) / 100
        return max(0, math.ceil((p * self.total - self.below) / (1 - p)))

    def describe(self) -> str:
        """ "48.6%（17/35 家）" — share, 规模以下 / all."""
        return f"{self.share_text}（{self.below}/{self.total} 家）"


@dataclasses.dataclass(frozen=True)
class Cell:
    programme: str
    mix: Mix
    ok: bool  # meets the rule's share (an empty list does)


@dataclasses.dataclass
class Place:
    code: str
    name: str
    kind: str  # "province" | "city" | "county"
    mixes: dict[str, Mix]  # programme code → its list's enterprises in this place
    is_total: bool = False
    cells: list[Cell] = dataclasses.field(default_factory=list)  # in the order of the levels


@dataclasses.dataclass
class Composition:
    day: dt.date
    levels: list[tuple[str, str, Rule]]  # (programme code, label, rule), province level first
    places: list[Place]

    @property
    def any_below(self) -> bool:
        return any(not cell.ok for place in self.places for cell in place.cells)

    @property
    def min_percent_text(self) -> str:
        """ "50%" (or "50%、60%" should the levels' rules differ)."""
        return "、".join(sorted({percent_text(rule.min_percent / 100) for _c, _l, rule in self.levels}))

    @property
    def sources(self) -> list[str]:
        return sorted({rule.source for _c, _l, rule in self.levels})


def _levels(day: dt.date) -> list[tuple[str, str, Rule]]:
    from smeplan.programmes.models import Programme

    rules = rules_for(day.year)
    programmes = Programme.objects.filter(code__in=list(rules)).order_by("position")
    order = {"province": 0, "city": 1, "county": 2}
    rows = [
        (
            p.code,
            f"{LEVEL_LABELS.get(p.owner_level, p.owner_level)}梯队",
            rules[p.code],
            order.get(p.owner_level, 9),
        )
        for p in programmes
    ]
    return [(code, label, rule) for code, label, rule, _ in sorted(rows, key=lambda r: r[3])]


def _mixes_by_county(user, codes: Iterable[str], day: dt.date, **filters) -> dict[tuple[str, str], Mix]:
    """(programme, county) → Mix of the enterprises in force on ``day``: ONE grouped query."""
    qs = Certification.objects.filter(in_force_on(day), programme__code__in=list(codes), **filters)
    if user is not None:
        qs = scope_filter(user, qs, organisation="organisation")
    rows = (
        qs.values_list("programme__code", "organisation__county_id", "organisation__above_scale")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    )
    out: dict[tuple[str, str], Mix] = {}
    for programme, county, above_scale, n in rows:
        out.setdefault((programme, county), Mix()).add(above_scale, n)
    return out


def composition(*, user, day: dt.date, area_kind: str, area_code: str) -> Composition:
    """The share per level and place of the area ``user`` looks at (see the module docstring):
    ``area_kind`` "province" (the province, then each city-level unit), "city" (the city, then each
    of its counties) or "county"."""
    from smeplan.accounts.scoping import regions_filter
    from smeplan.regions.selectors import city_level_units, counties

    levels = _levels(day)
    codes = [code for code, _l, _r in levels]
    cells = _mixes_by_county(user, codes, day)
    cities = county_cities()

    def place(code: str, name: str, kind: str, inside, is_total=False) -> Place:
        mixes = {c: Mix() for c in codes}
        for (programme, county), mix in cells.items():
            if inside(county):
                mixes[programme] = mixes[programme].plus(mix)
        row = [Cell(c, mixes[c], mixes[c].meets(rule.min_percent)) for c, _label, rule in levels]
        return Place(code, name, kind, mixes, is_total, row)

    if area_kind == "province":
        places = [place(PROVINCE_CODE, "全省", "province", lambda c: True, True)]
        for code, name in regions_filter(user, city_level_units()).values_list("code", "name"):
            places.append(place(code, name, "city", lambda c, code=code: cities.get(c) == code))
    elif area_kind == "city":
        name = Region.objects.filter(code=area_code).values_list("name", flat=True).first() or area_code
        places = [place(area_code, name, "city", lambda c: cities.get(c) == area_code, True)]
        for code, county_name in (
            regions_filter(user, counties()).filter(
                code__in=[c for c, city in cities.items() if city == area_code]
            )
        ).values_list("code", "name"):
            places.append(place(code, county_name, "county", lambda c, code=code: c == code))
    else:
        name = Region.objects.filter(code=area_code).values_list("name", flat=True).first() or area_code
        places = [place(area_code, name, "county", lambda c: c == area_code, True)]
    return Composition(day=day, levels=levels, places=places)


# --- a certification batch ------------------------------------------------------------------------


@dataclasses.dataclass
class BatchImpact:
    """What a batch does to one list: ``programme`` certified by the bureau of ``region``."""

    programme: str
    label: str  # "省级梯队（全省）"
    rule: Rule
    before: Mix
    after: Mix
    added: int  # enterprises the batch adds to the list

    @property
    def warns(self) -> bool:
        return not self.after.meets(self.rule.min_percent)

    @property
    def needed(self) -> int:
        return self.after.needed(self.rule.min_percent)

    @property
    def message(self) -> str:
        minimum = percent_text(self.rule.min_percent / 100)
        if self.before.meets(self.rule.min_percent):
            head = (
                f"{self.label}：本批认定后，规模以下（限额以下）企业占比将由 {self.before.describe()} "
                f"降至 {self.after.describe()}，低于不少于 {minimum} 的要求"
            )
        else:
            head = (
                f"{self.label}：规模以下（限额以下）企业占比已低于 {minimum}，本批认定前 "
                f"{self.before.describe()}，认定后 {self.after.describe()}"
            )
        tail = f"；须再有 {self.needed} 家规模以下企业认定（或本批少认定 {self.needed} 家“四上”企业）才能达到 {minimum}"
        if self.rule.min_percent != 50:
            tail = f"；须再有 {self.needed} 家规模以下企业认定才能达到 {minimum}"
        unknown = (
            f"。另有 {self.after.unknown} 家企业“四上”情况未知，计入总数、未计入规模以下"
            if self.after.unknown
            else ""
        )
        return f"{head}{tail}（{self.rule.source}）{unknown}"


def batch_impacts(applications, *, day: dt.date) -> list[BatchImpact]:
    """For each list the applications would be certified into (programme × certifying bureau):
    its composition before and after. Only programmes with a composition rule."""
    rules = rules_for(day.year)
    groups: dict[tuple[str, str], list] = {}
    for application in applications:
        code = application.programme.code
        if code in rules:
            groups.setdefault((code, application.chain[-1][1]), []).append(application)
    out = []
    cities = county_cities()
    for (code, region_code), apps in groups.items():
        region = Region.objects.get(pk=region_code)
        if region.code == PROVINCE_CODE:
            inside, where = (lambda c: True), "全省"
        elif region.level == "county" and cities.get(region.code) != region.code:
            inside, where = (lambda c, r=region.code: c == r), region.name
        else:  # a city-level unit (韩城市 is one too)
            inside, where = (lambda c, r=region.code: cities.get(c) == r), region.name
        before = Mix()
        for (_programme, county), mix in _mixes_by_county(None, [code], day).items():
            if inside(county):
                before = before.plus(mix)
        org_ids = {a.organisation_id for a in apps}
        listed = set(
            Certification.objects.filter(
                in_force_on(day), programme__code=code, organisation_id__in=org_ids
            ).values_list("organisation_id", flat=True)
        )
        added = Mix()
        seen: set[int] = set()
        for a in apps:
            if a.organisation_id in listed or a.organisation_id in seen:
                continue
            seen.add(a.organisation_id)
            added.add(a.organisation.above_scale)
        level = LEVEL_LABELS.get(apps[0].programme.owner_level, "")
        out.append(
            BatchImpact(
                programme=code,
                label=f"{level}梯队（{where}）",
                rule=rules[code],
                before=before,
                after=before.plus(added),
                added=added.total,
            )
        )
    return out


def certify_check(*, user, ids: list[int], day: dt.date) -> list[BatchImpact]:
    """``batch_impacts`` of the applications ``ids`` as their certifying bureau would certify them:
    an application the user cannot see is a 404 (naming no one), one not waiting for the user's
    bureau a 403 — the same refusals as certifying."""
    from django.http import Http404

    from smeplan.accounts.scoping import require
    from smeplan.recognition import selectors, services

    if not ids:
        from django.core.exceptions import ValidationError

        raise ValidationError("请选择要认定的申报")
    found = {a.pk: a for a in selectors.applications_visible_to(user).filter(pk__in=ids)}
    if any(pk not in found for pk in ids):
        raise Http404("申报不存在或不在您的管辖范围内")
    applications = [found[pk] for pk in dict.fromkeys(ids)]
    for a in applications:
        require(services.is_awaited_bureau(user, a), f"{a.organisation.name}的申报不在本部门的待办中")
    return batch_impacts(applications, day=day)
