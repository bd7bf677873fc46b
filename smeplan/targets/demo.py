"""Demo lists of past years for the demo province (``manage.py demo_targets``, run by ``make run``).

The demo workflow (``demo_recognition``) certifies a handful of enterprises through the services;
the targets dashboard, the county map, the charts and the yearly evaluation need the lists a
province builds over years. This replays them, year by year from 2017 (or the first year the
figures allow) to the demo's latest figures year, as the bureaus would have decided them:

* every year C the certifying bureaus look at the figures of year C − 1 with the screening engine
  (``programmes.engine``, the criteria in force, same-industry averages over the programme's area);
  only enterprises that meet a tier's criteria are certified in it, chosen at random among them —
  so each county, city and industry gets certifications in proportion to its eligible firms;
* how many per year is :data:`PLAN` (a share of the province's enterprises, so the lists stay a
  realistic few percent of the registry whatever its size; never more than are eligible);
* before certifying, each year's review (综合测评) of the growth tiers: an enterprise whose revenue
  has moved into another tier's band and meets that tier's criteria is moved there (梯队调整, a new
  certification chained to the old one); one that no longer meets its tier's criteria two reviews
  running is terminated (不再符合认定条件) and barred for the programme's ban years (不再受理);
* 转型升级示范企业 keep their validity (5 years) and re-review (after 3): a passed review is
  recorded, a failed one terminates; a certification past its validity is written as 已到期 with
  its end date, exactly as the daily job (``recognition_daily``) would have left it — nothing
  lapsed is written as active.

Document numbers end in （演示历年）, so they are recognisable as demo data. No reported value of
another agency is invented: those targets stay 未填报. Deterministic (seeded), idempotent with
``--if-empty``; inserted in bulk like the demo province's enterprises (nothing here is a bureau
decision to audit).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction

MARK = "（演示历年）"
FIRST_YEAR = 2017
#: New certifications per year as a share of the province's enterprises (plausible assumptions:
#: the plans' tier lists are a few percent of the registry — 行业之星 : 成长之星 : 创业之星 about
#: 1 : 3 : 6 at the province — and the transformation library about 1 %). Order = who picks first.
PLAN = (
    ("growth-province", "industry_star", 0.0001),
    ("growth-province", "growth_star", 0.0002),
    ("growth-province", "startup_star", 0.0006),
    ("growth-city", "industry_star", 0.00005),
    ("growth-city", "growth_star", 0.0001),
    ("growth-city", "startup_star", 0.0008),
    ("growth-county", "growth_star", 0.0001),
    ("growth-county", "startup_star", 0.0012),
    ("transformation", "demo_recommend", 0.0004),
    ("transformation", "upgrade_library", 0.0009),
    ("transformation-demo", "demonstration", 0.0003),
)
GROWTH = ("growth-province", "growth-city", "growth-county")
#: A growth-tier certification that fails its criteria this many reviews running is terminated.
FAILS_TO_TERMINATE = 2
#: 同行业平均 areas: the programme's ``average_area``
PROVINCE_AREA = "province"


@dataclass
class _Cert:
    """A certification being laid out (written at the end, in chain order)."""

    organisation_id: int
    programme: object
    tier: object
    region_code: str
    document_number: str
    certified_on: dt.date
    previous: _Cert | None = None
    state: str = "active"
    ended_on: dt.date | None = None
    termination_reason: str = ""
    termination_document: str = ""
    termination_note: str = ""
    valid_until: dt.date | None = None
    next_review_on: dt.date | None = None
    last_reviewed_on: dt.date | None = None
    review_note: str = ""
    fails: int = 0
    pk: int | None = field(default=None, repr=False)


def _round_stochastic(rng: random.Random, x: float) -> int:
    whole = math.floor(x)
    return whole + (1 if rng.random() < x - whole else 0)


class _Documents:
    """文号 of the demo batches: 陕中小企发〔2019〕3号（演示历年）, 西安中小企发〔2019〕1号（演示历年） …"""

    def __init__(self, names: dict[str, str]):
        from smeplan.registry.demo import short_name

        self.prefix = {code: f"{short_name(name)}中小企发" for code, name in names.items()}
        self.serial: dict[tuple[str, int], int] = {}

    def next(self, region_code: str, year: int, province_code: str) -> str:
        prefix = "陕中小企发" if region_code == province_code else self.prefix[region_code]
        n = self.serial[(prefix, year)] = self.serial.get((prefix, year), 0) + 1
        return f"{prefix}〔{year}〕{n}号{MARK}"


def _outcomes(year: int, tiers: list, passes: dict) -> np.ndarray:
    """Load the province frame of ``year`` and record in ``passes[(programme code, tier code)]``
    who meets each tier's criteria (bool per frame row). Returns the frame's organisation ids."""
    from smeplan.programmes.engine import (
        OUTCOME_PASS,
        Averages,
        evaluate,
        fields_of,
        outcome,
        since_of,
        years_back_of,
    )
    from smeplan.programmes.frame import frame_load
    from smeplan.programmes.selectors import specs_of, version_in_force

    specs_by_tier = {}
    for tier in tiers:
        version = version_in_force(tier, year)
        specs_by_tier[tier] = specs_of(version) if version else []
    every = [s for specs in specs_by_tier.values() for s in specs]
    since = since_of(every, year)
    frame = frame_load(
        year=year,
        years_back=max(2, years_back_of(every)),
        fields=fields_of(every),
        since=since,
    )
    averages = Averages(frame=frame)
    for tier, specs in specs_by_tier.items():
        key = (tier.programme.code, tier.code)
        if not specs:
            passes[key] = np.zeros(frame.n, dtype=bool)
            continue
        results = evaluate(frame, specs, averages=averages, area=tier.programme.average_area)
        passes[key] = outcome(results, frame.n) == OUTCOME_PASS
    passes["revenue"] = (
        frame.figure("operating_revenue", year) if "operating_revenue" in frame.values else None
    )
    return frame.ids


def load_demo_targets(*, if_empty: bool = True, say=lambda _m: None) -> dict:
    from django.db.models import Max, Min

    from smeplan.accounts.models import User
    from smeplan.evaluation.services import tier_bands
    from smeplan.indicators.models import AnnualFigures
    from smeplan.programmes.models import Programme
    from smeplan.recognition import clock
    from smeplan.recognition.models import (
        Application,
        Ban,
        Certification,
        CertificationState,
        TerminationReason,
    )
    from smeplan.regions.models import PROVINCE_CODE, Region
    from smeplan.regions.selectors import county_cities
    from smeplan.registry.models import Organisation

    if Certification.objects.filter(document_number__endswith=MARK).exists():
        if if_empty:
            return {"skipped": True}
        raise ValueError("演示历年名单已加载")
    span = AnnualFigures.objects.aggregate(first=Min("year"), last=Max("year"))
    if span["last"] is None:
        raise ValueError("请先加载演示省份（manage.py demo_province）")
    # certifying in year C reads the figures of C − 1 and their growth over two years (C − 3 …)
    years = range(max(FIRST_YEAR, span["first"] + 3), span["last"] + 1)
    rng = random.Random(2017)
    today = clock.today()
    programmes = {p.code: p for p in Programme.objects.prefetch_related("tiers")}
    tiers = {(p.code, t.code): t for p in programmes.values() for t in p.tiers.all()}
    plan = [(code, tier, share) for code, tier, share in PLAN if (code, tier) in tiers]
    used = [tiers[(code, tier)] for code, tier, _ in plan]
    for code in GROWTH:  # the reviews check every growth tier, planned or not
        used += [t for (c, _), t in tiers.items() if c == code and t not in used]
    county_of = dict(Organisation.objects.values_list("id", "county_id"))
    names = dict(Organisation.objects.values_list("id", "name"))
    n_enterprises = Organisation.objects.filter(kind="enterprise").count()
    # the story's enterprises (users' own), those in the live demo workflow and those certified
    # already stay out
    busy = set(Application.objects.values_list("organisation_id", flat=True))
    busy |= set(User.objects.filter(organisation__isnull=False).values_list("organisation_id", flat=True))
    busy |= set(Certification.objects.values_list("organisation_id", flat=True))
    city_of = county_cities()
    region_names = dict(Region.objects.values_list("code", "name"))
    documents = _Documents(region_names)
    bands = {code: {} for code in GROWTH}

    certs: list[_Cert] = []
    active: dict[tuple[int, str], _Cert] = {}  # (organisation, programme) → its active certification
    growth_holder: dict[int, _Cert] = {}  # organisation → its active growth-tier certification
    banned: dict[tuple[int, str], dt.date] = {}  # (organisation, programme) → no new application before
    bans: list[tuple[_Cert, dt.date, dt.date, str]] = []

    def region_for(programme, organisation_id: int) -> str:
        county = county_of[organisation_id]
        return {"province": PROVINCE_CODE, "city": city_of.get(county, county), "county": county}[
            programme.owner_level
        ]

    def end(cert: _Cert, *, on: dt.date, state: str, reason: str = "", note: str = "") -> None:
        cert.state, cert.ended_on = state, on
        active.pop((cert.organisation_id, cert.programme.code), None)
        if growth_holder.get(cert.organisation_id) is cert:
            growth_holder.pop(cert.organisation_id)
        if state == CertificationState.TERMINATED:
            cert.termination_reason = reason
            cert.termination_document = documents.next(cert.region_code, on.year, PROVINCE_CODE)
            cert.termination_note = note
            if cert.programme.ban_years:
                until = clock.add_years(on, cert.programme.ban_years)
                banned[(cert.organisation_id, cert.programme.code)] = until
                label = TerminationReason(reason).label
                bans.append((cert, on, until, f"{label}（{cert.termination_document}）"))

    def issue(organisation_id: int, programme, tier, *, on: dt.date, document: str, previous=None) -> _Cert:
        cert = _Cert(
            organisation_id=organisation_id,
            programme=programme,
            tier=tier,
            region_code=previous.region_code if previous else region_for(programme, organisation_id),
            document_number=document,
            certified_on=on,
            previous=previous,
        )
        if previous is not None:
            cert.valid_until, cert.next_review_on = previous.valid_until, previous.next_review_on
        else:
            if programme.validity_years:
                cert.valid_until = clock.add_years(on, programme.validity_years)
            if programme.review_interval_years:
                cert.next_review_on = clock.add_years(on, programme.review_interval_years)
        certs.append(cert)
        active[(organisation_id, programme.code)] = cert
        if programme.code in GROWTH:
            growth_holder[organisation_id] = cert
        return cert

    previous: dict[tuple[str, str], set[int]] = {}  # who met each tier's criteria the year before
    for year in years:
        data_year = year - 1
        passes: dict = {}
        ids = _outcomes(data_year, used, passes)
        position = {int(pk): i for i, pk in enumerate(ids.tolist())}
        revenue, present = passes.pop("revenue") or (None, None)
        review_day = dt.date(year, 4, 20)

        def meets(organisation_id: int, key: tuple[str, str], position=position, passes=passes) -> bool:
            i = position.get(organisation_id)
            return i is not None and bool(passes[key][i])

        # the yearly review of the growth tiers (figures of the year before)
        for code in GROWTH:
            if code in programmes:
                bands[code] = tier_bands(programmes[code], data_year)
        for cert in [c for c in certs if c.state == "active" and c.programme.code in GROWTH]:
            if cert.certified_on.year >= year:
                continue
            if meets(cert.organisation_id, (cert.programme.code, cert.tier.code)):
                cert.fails = 0
                continue
            i = position.get(cert.organisation_id)
            moved = False
            if i is not None and revenue is not None and present[i]:
                value = int(revenue[i]) / 100  # 万元 (the frame holds cents)
                for tier, (low, high) in bands[cert.programme.code].items():
                    if tier.pk == cert.tier.pk or not meets(
                        cert.organisation_id, (cert.programme.code, tier.code)
                    ):
                        continue
                    if (low is None or value >= low) and (high is None or value < high):
                        document = documents.next(cert.region_code, year, PROVINCE_CODE)
                        end(cert, on=review_day, state=CertificationState.SUPERSEDED)
                        issue(
                            cert.organisation_id,
                            cert.programme,
                            tier,
                            on=review_day,
                            document=document,
                            previous=cert,
                        )
                        moved = True
                        break
            if moved:
                continue
            cert.fails += 1
            if cert.fails >= FAILS_TO_TERMINATE:
                end(
                    cert,
                    on=review_day,
                    state=CertificationState.TERMINATED,
                    reason=TerminationReason.CRITERIA,
                    note=f"连续 {cert.fails} 年年度测评不符合{cert.tier.name}认定条件（演示历年）",
                )

        # re-reviews and expiry of certifications with a validity (转型升级示范企业)
        for cert in [
            c for c in certs if c.state == "active" and c.next_review_on and c.next_review_on.year == year
        ]:
            if cert.next_review_on > today:
                continue
            if meets(cert.organisation_id, (cert.programme.code, cert.tier.code)):
                cert.last_reviewed_on = cert.next_review_on
                cert.review_note = "复核合格（演示历年）"
                following = clock.add_years(cert.next_review_on, cert.programme.review_interval_years)
                cert.next_review_on = (
                    None if cert.valid_until and following >= cert.valid_until else following
                )
            else:
                cert.last_reviewed_on = cert.next_review_on
                cert.review_note = "复核不合格（演示历年）"
                end(
                    cert,
                    on=cert.next_review_on,
                    state=CertificationState.TERMINATED,
                    reason=TerminationReason.CRITERIA,
                    note="复核不合格：不再符合认定条件（演示历年）",
                )

        # this year's lists: per certifying bureau one batch, one document number, one date
        for code, tier_code, share in plan:
            programme, tier = programmes[code], tiers[(code, tier_code)]
            wanted = _round_stochastic(rng, share * n_enterprises)
            if not wanted:
                continue
            eligible = [
                int(pk)
                for pk in ids[passes[(code, tier_code)]].tolist()
                if pk not in busy
                and (pk, code) not in active
                and not (code in GROWTH and pk in growth_holder)
                and banned.get((pk, code), dt.date.min) <= dt.date(year, 1, 1)
            ]
            # bureaus take the enterprises with a record first: those that met the criteria the year
            # before too (then the others), at random within each group
            steady = [pk for pk in eligible if pk in previous.get((code, tier_code), ())]
            others = [pk for pk in eligible if pk not in previous.get((code, tier_code), ())]
            chosen = rng.sample(steady, min(wanted, len(steady)))
            chosen = sorted(chosen + rng.sample(others, min(wanted - len(chosen), len(others))))
            batches: dict[str, list[int]] = {}
            for pk in chosen:
                batches.setdefault(region_for(programme, pk), []).append(pk)
            for region_code in sorted(batches):
                on = dt.date(year, rng.randint(5, 11), rng.randint(1, 28))
                document = documents.next(region_code, year, PROVINCE_CODE)
                for pk in batches[region_code]:
                    issue(pk, programme, tier, on=on, document=document)
        previous = {key: set(ids[mask].tolist()) for key, mask in passes.items()}

    # what the daily job would have done by today: validity ended → 已到期 (ended on the last day)
    expired = 0
    for cert in certs:
        if cert.state == "active" and cert.valid_until and cert.valid_until < today:
            cert.state, cert.ended_on = CertificationState.EXPIRED, cert.valid_until
            expired += 1

    def title(cert: _Cert) -> str:
        region = "陕西省" if cert.region_code == PROVINCE_CODE else region_names[cert.region_code]
        return cert.programme.title_for(region_name=region, tier_name=cert.tier.name)

    def depth(cert: _Cert) -> int:
        d = 0
        while cert.previous is not None:
            cert, d = cert.previous, d + 1
        return d

    with transaction.atomic():
        for level in sorted({depth(c) for c in certs}):
            batch = [c for c in certs if depth(c) == level]
            rows = [
                Certification(
                    organisation_id=c.organisation_id,
                    programme=c.programme,
                    tier=c.tier,
                    level=c.programme.owner_level,
                    region_id=c.region_code,
                    document_number=c.document_number,
                    certified_on=c.certified_on,
                    title=title(c),
                    organisation_name=names[c.organisation_id],
                    valid_until=c.valid_until,
                    next_review_on=c.next_review_on,
                    last_reviewed_on=c.last_reviewed_on,
                    review_note=c.review_note,
                    state=c.state,
                    previous_id=c.previous.pk if c.previous else None,
                    ended_on=c.ended_on,
                    termination_reason=c.termination_reason,
                    termination_document=c.termination_document,
                    termination_note=c.termination_note,
                )
                for c in batch
            ]
            made = Certification.objects.bulk_create(rows, batch_size=2000)
            for c, row in zip(batch, made, strict=True):
                c.pk = row.pk
            if any(c.pk is None for c in batch):  # a backend that does not return ids: read them back
                raise RuntimeError("bulk_create did not return the certification ids")
        Ban.objects.bulk_create(
            [
                Ban(
                    organisation_id=c.organisation_id,
                    programme=c.programme,
                    certification_id=c.pk,
                    starts_on=start,
                    until=until,
                    reason=reason,
                )
                for c, start, until, reason in bans
            ],
            batch_size=2000,
        )
    counts = {
        "certifications": len(certs),
        "active": sum(c.state == "active" for c in certs),
        "moved": sum(c.state == CertificationState.SUPERSEDED for c in certs),
        "terminated": sum(c.state == CertificationState.TERMINATED for c in certs),
        "expired": expired,
        "bans": len(bans),
    }
    # the daily job, as on the first day: annual report tasks of the programmes that ask for one
    # (转型升级示范企业: 年度报告与复核) and re-reviews that have come due
    from smeplan.recognition.obligations import obligations_due

    counts["obligations"] = obligations_due(today=today)["created"]
    first, last = (years[0], years[-1]) if len(years) else (None, None)
    say(
        f"演示历年名单：{counts['certifications']} 条认定（{first}—{last} 年），其中有效 {counts['active']} 条、"
        f"梯队调整 {counts['moved']} 条、终止 {counts['terminated']} 条、到期 {counts['expired']} 条"
        if len(years)
        else "演示历年名单：年度数据不足三年，未生成历年名单"
    )
    if counts["obligations"]:
        say(f"年度报告与复核：生成任务 {counts['obligations']} 项")
    return counts
