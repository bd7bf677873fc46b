"""Which firms a campaign asks (填报对象) and how their tasks are written.

:func:`resolve` turns a campaign's targeting (按地区 / 认定项目的有效认定企业 / 筛选结果 / 上传名单)
into a :class:`Target`: a queryset of the organisations asked, always narrowed by the actor's scope
(``scope_filter``: out-of-scope firms are never asked), and the detail stored on the campaign.
Problems are collected per field and raised together (``ValidationError``).

:func:`tasks_insert` writes the tasks SET-BASED: one ``INSERT INTO campaigns_campaigntask … SELECT …``
built from the queryset's own SQL and parameters (never from string formatting of user input); the
county is copied from the organisation, the state is 待填报. An uploaded list is turned into ids by a
few ``credit_code IN (…)`` lookups and inserted the same way, in chunks of ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, QuerySet

from smeplan.accounts.scoping import records_filter, scope_filter, scope_for
from smeplan.campaigns.models import Targeting, TaskState
from smeplan.registry.models import Organisation, OrganisationKind

LIST_MAX_CODES = 200_000  # codes of one uploaded list (the bench's 100,000 fit)
LIST_MAX_MESSAGES = 50  # refused rows listed one by one; the rest are counted
ID_CHUNK = 5_000  # ids per INSERT … SELECT of a list (SQLite's variable limit; plans stay simple)
LIST_HEADERS = ("统一社会信用代码", "信用代码", "社会信用代码")


@dataclass
class Target:
    """The organisations a campaign asks: ``queryset`` (scoped), or ``ids`` (an uploaded list, already
    checked); ``detail`` is stored as ``Campaign.targeting_detail``."""

    detail: dict
    queryset: QuerySet | None = None
    ids: list[int] = field(default_factory=list)
    programme: object = None
    screening_run: object = None


# --- resolving a targeting --------------------------------------------------------------------------


def resolve(*, actor, targeting: str, data: dict, list_file=None, today: dt.date) -> Target:
    """The firms asked. ``data`` holds the targeting's fields: ``regions`` (codes) and ``kind`` for
    按地区; ``programme`` (code) and ``tier`` (id) for 认定项目; ``screening_run`` (id) and
    ``include_incomplete`` for 筛选结果; ``list_file`` (an uploaded file) or ``credit_codes`` for 上传名单."""
    if targeting == Targeting.REGION:
        return _by_region(actor, data)
    if targeting == Targeting.PROGRAMME:
        return _by_programme(actor, data, today)
    if targeting == Targeting.SCREENING:
        return _by_screening(actor, data)
    if targeting == Targeting.LIST:
        return _by_list(actor, data, list_file)
    raise ValidationError({"targeting": ["请选择填报对象"]})


def _scoped(actor) -> QuerySet:
    return scope_filter(actor, Organisation.objects.all())


def _codes(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("，", ",").replace(" ", ",").split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def _by_region(actor, data: dict) -> Target:
    from smeplan.regions.models import Region

    codes = _codes(data.get("regions"))
    kind = (data.get("kind") or "").strip()
    problems: dict[str, list[str]] = {}
    if not codes:
        problems["regions"] = ["请选择至少一个地区"]
    scope = scope_for(actor)
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    for code in codes:
        if code not in regions:
            problems.setdefault("regions", []).append(f"地区代码「{code}」不存在")
        elif not scope.everything and code not in (scope.region_codes or ()):
            problems.setdefault("regions", []).append(f"「{regions[code].name}」不在您的管辖范围内")
    if kind and kind not in OrganisationKind.values:
        problems["kind"] = ["单位类型不正确"]
    if problems:
        raise ValidationError(problems)
    counties = set()
    chosen = sorted({r.path for r in regions.values()})
    for county_code, path in Region.objects.filter(is_county=True).values_list("code", "path"):
        if any(path.startswith(p) for p in chosen):
            counties.add(county_code)
    qs = _scoped(actor).filter(county_id__in=sorted(counties))
    if kind:
        qs = qs.filter(kind=kind)
    detail = {
        "regions": sorted(regions),
        "region_names": [regions[c].name for c in sorted(regions)],
        "kind": kind,
    }
    return Target(detail=detail, queryset=qs)


def _by_programme(actor, data: dict, today: dt.date) -> Target:
    from smeplan.programmes.models import Programme, Tier
    from smeplan.recognition.models import Certification
    from smeplan.recognition.selectors import in_force_on

    code = str(data.get("programme") or "").strip()
    tier_raw = str(data.get("tier") or "").strip()
    programme = Programme.objects.filter(code=code).first() if code else None
    problems: dict[str, list[str]] = {}
    if programme is None:
        problems["programme"] = ["请选择认定项目" if not code else f"认定项目「{code}」不存在"]
    tier = None
    if tier_raw:
        tier = (
            Tier.objects.filter(pk=int(tier_raw), programme=programme).first()
            if tier_raw.isdigit() and programme
            else None
        )
        if tier is None and programme is not None:
            problems["tier"] = ["所选梯队不属于该认定项目"]
    if problems:
        raise ValidationError(problems)
    certs = Certification.objects.filter(in_force_on(today), programme=programme)
    if tier is not None:
        certs = certs.filter(tier=tier)
    qs = _scoped(actor).filter(pk__in=certs.values("organisation_id"))
    detail = {
        "programme": programme.code,
        "programme_name": programme.name,
        "tier": tier.pk if tier else None,
        "tier_name": tier.name if tier else "",
        "on": today.isoformat(),
    }
    return Target(detail=detail, queryset=qs, programme=programme)


def _by_screening(actor, data: dict) -> Target:
    from smeplan.programmes.models import Outcome, ScreeningResult, ScreeningRun

    raw = str(data.get("screening_run") or "").strip()
    run = None
    if raw.isdigit():
        run = records_filter(actor, ScreeningRun.objects.all(), region="region", owner="actor").filter(
            pk=int(raw)
        )
        run = run.select_related("tier__programme").first()
    if run is None:
        raise ValidationError(
            {"screening_run": ["请选择筛选结果" if not raw else "所选筛选结果不存在或不在您的管辖范围内"]}
        )
    incomplete = _truthy(data.get("include_incomplete"))
    outcomes = [Outcome.PASS, Outcome.INCOMPLETE] if incomplete else [Outcome.PASS]
    results = ScreeningResult.objects.filter(run=run, outcome__in=outcomes)
    qs = _scoped(actor).filter(pk__in=results.values("organisation_id"))
    detail = {
        "screening_run": run.pk,
        "screening_name": str(run),
        "include_incomplete": incomplete,
    }
    return Target(detail=detail, queryset=qs, programme=run.tier.programme, screening_run=run)


def _truthy(value) -> bool:
    return value is True or str(value).strip().lower() in {"1", "true", "on", "yes", "是"}


def _by_list(actor, data: dict, list_file) -> Target:
    """An uploaded spreadsheet (``list_file``) or a JSON list (``credit_codes``): every code must be a
    valid code of a firm in the registry within the actor's scope — else every bad row is refused
    with its reason and nothing is written."""
    from smeplan.exchange.reading import ImportFileError, read_workbook

    if list_file is not None:
        name = getattr(list_file, "name", "") or "名单"
        try:
            content = list_file.read()
            book = read_workbook(content, name)
        except ImportFileError as exc:
            raise ValidationError({"list_file": [exc.message]}) from exc
        rows = book.sheets[0].rows if book.sheets else []
        entries = _codes_of_sheet(rows)
        where, source = "行", name
    elif data.get("credit_codes") is not None:
        raw = data.get("credit_codes")
        if isinstance(raw, str):
            raw = raw.split()
        entries = [(i, str(v).strip()) for i, v in enumerate(raw, start=1) if str(v).strip()]
        where, source = "个", ""
    else:
        raise ValidationError({"list_file": ["请上传企业名单（统一社会信用代码）"]})
    field_name = "list_file" if list_file is not None else "credit_codes"
    if not entries:
        raise ValidationError({field_name: ["名单中没有统一社会信用代码"]})
    if len(entries) > LIST_MAX_CODES:
        raise ValidationError({field_name: [f"名单最多{LIST_MAX_CODES}家企业，收到{len(entries)}家"]})
    ids = _check_codes(actor, entries, where, field_name)
    detail = {"file_name": source, "count": len(ids)}
    return Target(detail=detail, ids=ids)


def _codes_of_sheet(rows) -> list[tuple[int, str]]:
    """(Excel row number, code) of a sheet: the column headed 统一社会信用代码 if there is one in the
    first rows, else column A (a header row without a code is skipped)."""
    column, start = 0, 0
    for r, row in enumerate(rows[:5]):
        for c, cell in enumerate(row):
            if str(cell or "").strip() in LIST_HEADERS:
                column, start = c, r + 1
                break
        if start:
            break
    out = []
    for r in range(start, len(rows)):
        row = rows[r]
        cell = row[column] if column < len(row) else ""
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        text = str(cell if cell is not None else "").strip().upper()
        if not text or (r == 0 and not start and not any(ch.isdigit() for ch in text)):
            continue  # blank, or a header row such as "代码"
        out.append((r + 1, text))
    return out


def _check_codes(actor, entries: list[tuple[int, str]], where: str, field_name: str) -> list[int]:
    from smeplan.registry.credit_code import is_valid_credit_code

    codes = sorted({code for _, code in entries if is_valid_credit_code(code)})
    found: dict[str, tuple[int, str]] = {}
    for i in range(0, len(codes), ID_CHUNK):
        chunk = codes[i : i + ID_CHUNK]
        found.update(
            (code, (pk, county))
            for code, pk, county in Organisation.objects.filter(credit_code__in=chunk).values_list(
                "credit_code", "pk", "county_id"
            )
        )
    scope = scope_for(actor)
    problems: list[str] = []
    bad = 0
    ids: list[int] = []
    seen: set[int] = set()
    for number, code in entries:
        message = None
        if not is_valid_credit_code(code):
            message = f"第{number}{where}：「{code}」不是有效的统一社会信用代码"
        elif code not in found:
            message = f"第{number}{where}：统一社会信用代码 {code} 不在企业名录中"
        elif not scope.everything and found[code][1] not in (scope.county_codes or ()):
            message = f"第{number}{where}：统一社会信用代码 {code} 的企业不在您的管辖范围内"
        if message:
            bad += 1
            if len(problems) < LIST_MAX_MESSAGES:
                problems.append(message)
            continue
        pk = found[code][0]
        if pk not in seen:
            seen.add(pk)
            ids.append(pk)
    if bad:
        if bad > len(problems):
            problems.append(f"……共{bad}{where}有误，以上仅列出前{LIST_MAX_MESSAGES}{where}")
        problems.append("名单有误，未发出任何填报任务；请改正后重新上传")
        raise ValidationError({field_name: problems})
    return ids


# --- writing the tasks --------------------------------------------------------------------------------


def _insert_select(campaign_id: int, sql: str, params: Iterable, *, with_obligation: bool = False) -> int:
    """``INSERT … SELECT`` of one task per row of ``sql`` (columns ``o`` organisation, ``c`` county
    and, with ``with_obligation``, ``ob``); a firm already asked by the campaign is skipped."""
    json_empty, json_list = (
        ("'{}'::jsonb", "'[]'::jsonb") if connection.vendor == "postgresql" else ("'{}'", "'[]'")
    )
    columns = "campaign_id, organisation_id, county_id, state, answers, warnings, explanation, comment, lock_version"
    select = f"%s, t.o, t.c, %s, {json_empty}, {json_list}, '', '', 0"
    if with_obligation:
        columns += ", obligation_id"
        select += ", t.ob"
    statement = (
        f"INSERT INTO campaigns_campaigntask ({columns}) SELECT {select} FROM ({sql}) t WHERE TRUE "  # noqa: S608 - SQL of a queryset, values as params
        "ON CONFLICT DO NOTHING"  # WHERE TRUE: SQLite's parser needs it before ON CONFLICT
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [campaign_id, TaskState.PENDING.value, *params])
        return max(cursor.rowcount, 0)


def tasks_insert(campaign, target: Target) -> int:
    """Write the tasks of ``target`` for ``campaign`` set-based; returns how many were written."""
    if target.queryset is not None:
        sql, params = target.queryset.order_by().values(o=F("pk"), c=F("county_id")).query.sql_with_params()
        return _insert_select(campaign.pk, sql, params)
    written = 0
    for i in range(0, len(target.ids), ID_CHUNK):
        chunk = Organisation.objects.filter(pk__in=target.ids[i : i + ID_CHUNK])
        sql, params = chunk.order_by().values(o=F("pk"), c=F("county_id")).query.sql_with_params()
        written += _insert_select(campaign.pk, sql, params)
    return written


def obligation_tasks_insert(campaign, obligations: QuerySet) -> int:
    """The yearly annual report campaign: one task per open annual report obligation, linked to it."""
    sql, params = (
        obligations.order_by()
        .values(
            o=F("certification__organisation_id"),
            c=F("certification__organisation__county_id"),
            ob=F("pk"),
        )
        .query.sql_with_params()
    )
    return _insert_select(campaign.pk, sql, params, with_obligation=True)
