"""申报批次 (calls): a programme's call for one year — the window, the regions that may apply,
quotas per city-level unit (推荐名额), the form and rubric versions, required attachments.

Writes are ``call_create`` / ``call_update`` / ``call_close`` / ``call_quotas_set`` (atomic, the
permission checked here, one ``call.*`` audit event each). Reads: ``calls_visible_to``,
``calls_open_for`` (an enterprise's open calls), ``call_progress`` (per bureau).

The window is half-open: a call accepts applications from ``opens_at`` (inclusive) until
``closes_at`` (exclusive) — or until it was closed early (``closed_at``). The quota of a city-level
unit counts the call's applications from that unit that its city bureau has forwarded
(``FORWARDED``: every state after city review, certified included); the city's forward action over
the quota is refused (``workflow.Transition.counts_quota``) and so is a new application once the
quota is used up.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from smeplan.accounts.models import Role
from smeplan.accounts.scoping import require, scope_filter, scope_for
from smeplan.audit.services import audit_record
from smeplan.programmes.models import FormPurpose, FormVersion, OwnerLevel, Programme, RubricVersion
from smeplan.recognition import clock
from smeplan.recognition.models import Application, Call, CallQuota, State
from smeplan.regions.models import PROVINCE_CODE, Region
from smeplan.regions.selectors import city_level_units, county_cities

#: states of an application its city bureau has forwarded (recommended up or selected/sent to experts)
FORWARDED = (State.PROVINCE_REVIEW, State.EXPERT_REVIEW, State.SELECTED, State.ON_NOTICE, State.CERTIFIED)
#: states of a submitted application still in the race (not a draft, not withdrawn)
NOT_SUBMITTED = (State.DRAFT, State.WITHDRAWN)
PHASE_LABELS = {"not_started": "未开始", "open": "受理中", "closed": "已截止"}
FILE_TYPES = ("pdf", "jpg", "png", "xlsx")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FIELDS = (
    "programme", "year", "title", "opens_at", "closes_at", "regions", "form_version", "rubric_version",
    "attachments", "notes", "total_quota",
)  # fmt: skip


# --- the window ------------------------------------------------------------------------------------


def deadline(call: Call) -> dt.datetime:
    """When the call stops accepting: its closing time, or the moment it was closed early."""
    if call.closed_at is not None and call.closed_at < call.closes_at:
        return call.closed_at
    return call.closes_at


def phase(call: Call, now: dt.datetime | None = None) -> str:
    now = now or clock.now()
    if now < call.opens_at:
        return "not_started"
    return "open" if now < deadline(call) else "closed"


def phase_label(call: Call, now=None) -> str:
    return PHASE_LABELS[phase(call, now)]


def _day(moment: dt.datetime, *, with_year: bool = True, closing: bool = False) -> str:
    local = timezone.localtime(moment)
    if closing and (local.hour, local.minute, local.second) == (0, 0, 0):
        local -= dt.timedelta(seconds=1)  # closes at midnight: the day before is the last day
        clock_part = ""
    elif closing and (local.hour, local.minute) == (23, 59):
        clock_part = ""
    else:
        clock_part = "" if (local.hour, local.minute) == (0, 0) else f" {local:%H:%M}"
    text = f"{local.month}月{local.day}日{clock_part}"
    return f"{local.year}年{text}" if with_year else text


def window_text(call: Call) -> str:
    """申报时间为 2027年3月1日至3月31日 (the closing year repeated only when it differs)."""
    opens, closes = timezone.localtime(call.opens_at), timezone.localtime(call.closes_at)
    return f"{_day(opens)}至{_day(closes, with_year=opens.year != closes.year, closing=True)}"


def window_refusal(call: Call, now=None) -> str | None:
    """None while the call accepts applications, else why not."""
    now = now or clock.now()
    current = phase(call, now)
    if current == "not_started":
        return f"申报时间为 {window_text(call)}，尚未开始受理"
    if current == "closed":
        if call.closed_at is not None and call.closed_at < call.closes_at:
            return (
                f"申报时间为 {window_text(call)}，本批次已于 "
                f"{timezone.localtime(call.closed_at):%Y年%m月%d日 %H:%M} 提前截止"
            )
        return f"申报时间为 {window_text(call)}，现已截止"
    return None


# --- who may open and edit calls -------------------------------------------------------------------


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def may_open_calls(user) -> bool:
    """May ``user`` open calls of some programme (provincial admins/officers; city bureaus)?"""
    return _active(user) and (
        user.role in (Role.PROVINCIAL_ADMIN, Role.PROVINCIAL_OFFICER)
        or (user.role == Role.CITY_OFFICER and bool(user.region_id))
    )


def may_open_call_of(user, programme: Programme) -> bool:
    """Provincial admins/officers for provincial programmes; a city bureau for city-level ones
    (its own city's call; a programme owned by one city — ``owner_region`` — only that city's)."""
    if not _active(user):
        return False
    if programme.owner_level == OwnerLevel.PROVINCE:
        return user.role in (Role.PROVINCIAL_ADMIN, Role.PROVINCIAL_OFFICER)
    if programme.owner_level == OwnerLevel.CITY and user.role == Role.CITY_OFFICER and user.region_id:
        owner = getattr(programme, "owner_region_id", None)
        return owner in (None, "", user.region_id)
    return False


def may_edit_call(user, call: Call) -> bool:
    return may_open_call_of(user, call.programme) and (call.region_id or PROVINCE_CODE) == (
        PROVINCE_CODE if call.programme.owner_level == OwnerLevel.PROVINCE else user.region_id
    )


def programmes_for(user):
    """The programmes ``user`` may open calls of (for the form's choice)."""
    return [p for p in Programme.objects.order_by("position", "code") if may_open_call_of(user, p)]


def _programme_closed(programme: Programme) -> str | None:
    closed = getattr(programme, "closed_at", None)
    if closed:
        when = timezone.localtime(closed).date() if isinstance(closed, dt.datetime) else closed
        return f"{programme.name}已于 {when:%Y年%m月%d日} 关闭，不再发布或受理申报"
    return None


# --- cleaning --------------------------------------------------------------------------------------


def _moment(raw, label: str) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        value = raw
    else:
        text = " ".join(str(raw or "").replace("T", " ").split())
        if not text:
            raise ValueError(f"请填写{label}")
        try:
            value = dt.datetime.fromisoformat(text.replace(" ", "T", 1)) if "-" in text[:5] else None
        except ValueError:
            value = None
        for fmt in () if value is not None else ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                value = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if value is None:
            raise ValueError(f"{label}「{text}」不是有效的日期时间（格式：2027-03-01 09:00）")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _city_units() -> dict[str, Region]:
    return {r.code: r for r in city_level_units()}


def _regions_clean(raw, units: dict[str, Region]) -> list[str]:
    by_name = {r.name: code for code, r in units.items()}
    if isinstance(raw, str):
        raw = [x for x in re.split(r"[,，、\s]+", raw) if x]
    out, bad = [], []
    for item in raw or []:
        text = str(item).strip()
        code = text if text in units else by_name.get(text)
        if code is None:
            bad.append(text)
        elif code not in out:
            out.append(code)
    if bad:
        raise ValueError(
            f"「{'、'.join(bad)}」不是市级单位（可选：{'、'.join(r.name for r in units.values())}）"
        )
    return sorted(out)


def _attachments_clean(raw) -> tuple[list[dict], list[str]]:
    limit_mb = _limit_mb()
    rows, problems, seen = [], [], set()
    for n, item in enumerate(raw or [], start=1):
        if not isinstance(item, dict):
            problems.append(f"第{n}行附件格式不正确")
            continue
        code = str(item.get("code") or "").strip()
        label = " ".join(str(item.get("label") or "").split())
        if not (code or label):
            continue  # an empty row of the form
        if not code:
            code = f"file{n}"  # the page may leave the code out: the row's number names it
        types = item.get("types") or []
        if isinstance(types, str):
            types = [t for t in re.split(r"[,，、\s]+", types) if t]
        types = [str(t).strip().lower().lstrip(".") for t in types]
        where = f"第{n}行附件{f'「{label}」' if label else ''}"
        if not CODE_RE.match(code):
            problems.append(
                f"{where}：代码「{code}」应以小写字母开头，只含小写字母、数字和下划线（至多40个字符）"
            )
        elif code in seen:
            problems.append(f"{where}：代码「{code}」重复")
        seen.add(code)
        if not label:
            problems.append(f"{where}：请填写附件名称")
        elif len(label) > 60:
            problems.append(f"{where}：名称不能超过60个字")
        if not types:
            problems.append(f"{where}：请选择允许的文件类型（{'、'.join(FILE_TYPES)}）")
        wrong = [t for t in types if t not in FILE_TYPES]
        if wrong:
            problems.append(f"{where}：文件类型「{'、'.join(wrong)}」不在 {'、'.join(FILE_TYPES)} 之中")
        raw_mb = item.get("max_mb")
        max_mb = limit_mb
        if raw_mb not in (None, ""):
            try:
                max_mb = int(str(raw_mb).strip())
            except ValueError:
                problems.append(f"{where}：大小上限应为整数 MB（收到「{raw_mb}」）")
            else:
                if not 1 <= max_mb <= limit_mb:
                    problems.append(
                        f"{where}：大小上限 {max_mb} MB 应在 1–{limit_mb} MB 之间（系统附件上限 {limit_mb} MB）"
                    )
        required = item.get("required", True)
        required = required not in (False, "false", "0", "", "no")
        rows.append(
            {
                "code": code,
                "label": label,
                "types": sorted(set(types)),
                "max_mb": max_mb,
                "required": required,
            }
        )
    return rows, problems


def _attachment_clashes(rows: list[dict], programme: Programme, values: dict) -> list[str]:
    """A call's attachment code must not be a field of the form its applications are filed on
    (both name an upload by ``Attachment.field``)."""
    if not rows or "year" not in values:
        return []
    from smeplan.programmes import formdesign
    from smeplan.recognition import forms

    version = values.get("form_version") or forms.version_for(programme, values["year"])
    if version is None:
        return []
    fields = formdesign.field_map(formdesign.design_check(version.design))
    return [
        f"附件代码「{r['code']}」与申报表的「{fields[r['code']]['label']}」重名，请换一个代码"
        for r in rows
        if r["code"] in fields
    ]


def _limit_mb() -> int:
    from smeplan.recognition.services import attachment_max_bytes

    return max(1, attachment_max_bytes() // (1024 * 1024))


def _version_of(model, raw, programme: Programme, label: str, **extra):
    if raw in (None, ""):
        return None
    if isinstance(raw, model):
        version = raw
    else:
        try:
            version = model.objects.filter(pk=int(str(raw).strip()), **extra).first()
        except ValueError:
            version = None
    if version is None or version.programme_id != programme.pk:
        raise ValueError(f"所选{label}不属于{programme.name}")
    return version


def _programme_of(raw) -> Programme | None:
    if isinstance(raw, Programme):
        return raw
    text = str(raw or "").strip()
    if not text:
        return None
    if text.isdigit():
        return Programme.objects.filter(pk=int(text)).first()
    return Programme.objects.filter(code=text).first()


def call_clean(*, actor, data: dict, call: Call | None = None) -> dict:
    """The call's values from raw input (page text or API JSON); every problem at once as
    ValidationError({field: [Chinese message]}). The programme of an existing call does not change."""
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    programme = call.programme if call is not None else _programme_of(data.get("programme"))
    if programme is None:
        raise ValidationError({"programme": ["请选择认定项目"]})
    require(may_open_call_of(actor, programme), f"您无权发布或修改{programme.name}的申报批次")
    if call is None:
        closed = _programme_closed(programme)
        if closed:
            raise ValidationError({"programme": [closed]})
    out["programme"] = programme
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        fail("title", "请填写批次名称")
    elif len(title) > 200:
        fail("title", f"批次名称不能超过200个字（现为{len(title)}个字）")
    out["title"] = title
    latest = clock.today().year + 2
    try:
        year = int(str(data.get("year")).strip())
    except (TypeError, ValueError):
        fail("year", f"申报年度应为四位年份（收到「{data.get('year') or ''}」）")
    else:
        if not 2000 <= year <= latest:
            fail("year", f"申报年度 {year} 不在 2000–{latest} 之间")
        out["year"] = year
    for field, label in (("opens_at", "开始受理时间"), ("closes_at", "截止受理时间")):
        try:
            out[field] = _moment(data.get(field), label)
        except ValueError as e:
            fail(field, str(e))
    if "opens_at" in out and "closes_at" in out and out["closes_at"] <= out["opens_at"]:
        fail(
            "closes_at",
            f"截止受理时间（{timezone.localtime(out['closes_at']):%Y-%m-%d %H:%M}）须晚于开始受理时间"
            f"（{timezone.localtime(out['opens_at']):%Y-%m-%d %H:%M}）",
        )
    units = _city_units()
    try:
        regions = _regions_clean(data.get("regions"), units)
    except ValueError as e:
        fail("regions", str(e))
        regions = []
    if programme.owner_level == OwnerLevel.CITY:
        own = actor.region_id
        if any(code != own for code in regions):
            fail("regions", f"市级认定项目的申报批次只面向本市（{units[own].name if own in units else own}）")
        regions = [own]
    out["regions"] = regions
    for field, model, label, extra in (
        ("form_version", FormVersion, "申报表版本", {"purpose": FormPurpose.APPLICATION}),
        ("rubric_version", RubricVersion, "评分细则版本", {}),
    ):
        try:
            out[field] = _version_of(model, data.get(field), programme, label, **extra)
        except ValueError as e:
            fail(field, str(e))
    attachments, problems = _attachments_clean(data.get("attachments"))
    problems += _attachment_clashes(attachments, programme, out)
    for p in problems:
        fail("attachments", p)
    out["attachments"] = attachments
    notes = str(data.get("notes") or "").strip()
    if len(notes) > 4000:
        fail("notes", f"申报须知不能超过4000个字（现为{len(notes)}个字）")
    out["notes"] = notes
    total = data.get("total_quota")
    out["total_quota"] = None
    if total not in (None, ""):
        try:
            out["total_quota"] = int(str(total).strip())
            if out["total_quota"] < 1:
                raise ValueError
        except ValueError:
            fail("total_quota", f"名额总数应为正整数（收到「{total}」），不限总数时请留空")
    if errors:
        raise ValidationError(errors)
    return out


def quota_used(call: Call, city_code: str) -> int:
    """How many of the call's applications from ``city_code`` its city bureau has forwarded."""
    return Application.objects.filter(
        call=call, organisation__county_id__in=_counties_of(city_code), state__in=FORWARDED
    ).count()


def _counties_of(city_code: str) -> list[str]:
    return [county for county, city in county_cities().items() if city == city_code]


def _used_by_city(call: Call) -> dict[str, int]:
    cities = county_cities()
    out: dict[str, int] = {}
    rows = (
        Application.objects.filter(call=call, state__in=FORWARDED)
        .values("organisation__county_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        city = cities.get(row["organisation__county_id"])
        out[city] = out.get(city, 0) + row["n"]
    return out


def _quotas_clean(
    call: Call | None, raw: dict, *, regions: list[str], total: int | None, units: dict[str, Region]
) -> tuple[dict[str, int | None], dict[str, list[str]]]:
    """{city code: quota or None (no quota)} and the problems keyed ``quota-<code>`` (``quotas`` for
    the sum)."""
    errors: dict[str, list[str]] = {}
    used = _used_by_city(call) if call is not None and call.pk else {}
    out: dict[str, int | None] = {}
    for key, value in (raw or {}).items():
        key = str(key).strip()
        code = key if key in units else next((c for c, r in units.items() if r.name == key), None)
        field = f"quota-{code or key}"
        if code is None:
            errors.setdefault("quotas", []).append(f"「{key}」不是市级单位")
            continue
        name = units[code].name
        if regions and code not in regions and value not in (None, ""):
            errors.setdefault(field, []).append(f"{name}不在本批次的申报地区内，不能分配名额")
            continue
        if value in (None, ""):
            out[code] = None
            continue
        try:
            quota = int(str(value).strip())
            if quota < 0:
                raise ValueError
        except ValueError:
            errors.setdefault(field, []).append(f"{name}的名额应为不小于 0 的整数（收到「{value}」）")
            continue
        if quota < used.get(code, 0):
            errors.setdefault(field, []).append(f"{name}已推荐 {used[code]} 家，名额不能少于 {used[code]}")
            continue
        out[code] = quota
    if total is not None and not errors:
        existing = {q.region_id: q.quota for q in call.quotas.all()} if call is not None and call.pk else {}
        merged = {**existing, **out}
        sum_ = sum(v for v in merged.values() if v is not None)
        if sum_ > total:
            errors.setdefault("quotas", []).append(f"各市名额合计 {sum_}，超过名额总数 {total}")
    return out, errors


def _quotas_write(call: Call, quotas: dict[str, int | None]) -> None:
    for code, quota in quotas.items():
        if quota is None:
            CallQuota.objects.filter(call=call, region_id=code).delete()
        else:
            CallQuota.objects.update_or_create(call=call, region_id=code, defaults={"quota": quota})


def _quotas_text(quotas: dict[str, int | None]) -> str:
    units = _city_units()
    return "、".join(
        f"{units[code].name} {'不限' if quota is None else f'{quota} 家'}"
        for code, quota in sorted(quotas.items())
    )


def _values(call: Call) -> dict:
    return {
        "programme": call.programme_id,
        "year": call.year,
        "title": call.title,
        "opens_at": timezone.localtime(call.opens_at).isoformat(timespec="minutes"),
        "closes_at": timezone.localtime(call.closes_at).isoformat(timespec="minutes"),
        "regions": "、".join(_city_units()[c].name for c in call.regions) or "全省",
        "form_version": call.form_version_id,
        "rubric_version": call.rubric_version_id,
        "attachments": [a["label"] for a in call.attachments],
        "notes": call.notes,
        "total_quota": call.total_quota,
    }


# --- writes ----------------------------------------------------------------------------------------


@transaction.atomic
def call_create(*, actor, data: dict, quotas: dict | None = None) -> Call:
    """发布申报批次. ``quotas``: {city code or name: quota or "" (none)}."""
    values = call_clean(actor=actor, data=data)
    units = _city_units()
    clean_quotas, quota_errors = _quotas_clean(
        None, quotas or {}, regions=values["regions"], total=values["total_quota"], units=units
    )
    if quota_errors:
        raise ValidationError(quota_errors)
    programme = values["programme"]
    call = Call.objects.create(
        **values,
        region_id=PROVINCE_CODE if programme.owner_level == OwnerLevel.PROVINCE else actor.region_id,
        created_by=actor,
    )
    _quotas_write(call, clean_quotas)
    audit_record(
        actor=actor,
        event_type="call.created",
        subject=call,
        payload={"values": _values(call), "quotas": _quotas_text(clean_quotas)},
    )
    return call


@transaction.atomic
def call_update(*, actor, call: Call, data: dict, quotas: dict | None = None) -> Call:
    """修改申报批次 (its programme stays)."""
    call = Call.objects.select_for_update().select_related("programme").get(pk=call.pk)
    require(may_edit_call(actor, call), "只有发布该批次的部门可以修改")
    values = call_clean(actor=actor, data=data, call=call)
    values.pop("programme")
    errors: dict[str, list[str]] = {}
    every = set(_city_units())
    removed = sorted(set(call.regions or every) - set(values["regions"] or every))
    if removed:
        cities = county_cities()
        holders = {
            cities.get(c)
            for c in Application.objects.filter(call=call)
            .exclude(state=State.WITHDRAWN)
            .values_list("organisation__county_id", flat=True)
        }
        taken = [c for c in removed if c in holders]
        if taken:
            names = "、".join(_city_units()[c].name for c in taken)
            errors.setdefault("regions", []).append(f"{names}已有本批次的申报，不能从申报地区中去掉")
    clean_quotas, quota_errors = _quotas_clean(
        call, quotas or {}, regions=values["regions"], total=values["total_quota"], units=_city_units()
    )
    errors.update(quota_errors)
    if errors:
        raise ValidationError(errors)
    before = _values(call)
    for field, value in values.items():
        setattr(call, field, value)
    call.save()
    _quotas_write(call, clean_quotas)
    after = _values(call)
    audit_record(
        actor=actor,
        event_type="call.updated",
        subject=call,
        payload={
            "changes": {k: [before[k], after[k]] for k in after if before[k] != after[k]},
            "quotas": _quotas_text(clean_quotas),
        },
    )
    return call


@transaction.atomic
def call_quotas_set(*, actor, call: Call, quotas: dict) -> Call:
    """分配推荐名额 per city-level unit ({code or name: quota, "" removes the quota})."""
    call = Call.objects.select_for_update().select_related("programme").get(pk=call.pk)
    require(may_edit_call(actor, call), "只有发布该批次的部门可以分配名额")
    if call.programme.owner_level == OwnerLevel.CITY:
        own = {actor.region_id}
        if set(map(str, quotas)) - own - {r.name for r in Region.objects.filter(pk__in=own)}:
            raise ValidationError({"quotas": ["市级认定项目的申报批次只能为本市分配名额"]})
    clean, errors = _quotas_clean(
        call, quotas, regions=call.regions, total=call.total_quota, units=_city_units()
    )
    if errors:
        raise ValidationError(errors)
    _quotas_write(call, clean)
    changed = {code: quota for code, quota in clean.items()}  # by region code: 西安市：5
    audit_record(actor=actor, event_type="call.quotas_set", subject=call, payload=changed)
    return call


@transaction.atomic
def call_close(*, actor, call: Call, reason: str = "") -> Call:
    """提前截止: the call stops accepting applications now (those already submitted go on)."""
    call = Call.objects.select_for_update().select_related("programme").get(pk=call.pk)
    require(may_edit_call(actor, call), "只有发布该批次的部门可以截止受理")
    now = clock.now()
    if phase(call, now) == "closed":
        raise ValidationError(f"{call.title}已截止受理（{window_text(call)}）")
    reason = " ".join(str(reason or "").split())
    if len(reason) > 500:
        raise ValidationError({"reason": ["原因不能超过500个字"]})
    call.closed_at = max(now, call.opens_at)
    call.save(update_fields=["closed_at"])
    audit_record(actor=actor, event_type="call.closed", subject=call, payload={"reason": reason})
    return call


# --- applying through a call ---------------------------------------------------------------------


def city_of(organisation) -> str | None:
    return county_cities().get(organisation.county_id)


def apply_refusals(call: Call, organisation, *, now=None) -> list[str]:
    """Why ``organisation`` may not open an application in ``call`` now ([] when it may). The ban,
    the one-application-per-year and tier checks are the services' own (``_new_application_checks``)."""
    problems = []
    closed = _programme_closed(call.programme)
    if closed:
        problems.append(closed)
    window = window_refusal(call, now)
    if window:
        problems.append(window)
    city = city_of(organisation)
    if call.regions and city not in call.regions:
        names = "、".join(r.name for r in Region.objects.filter(pk__in=call.regions).order_by("code"))
        problems.append(f"{call.title}只受理{names}的申报，{organisation.name}所在地不在其中")
    elif city is not None:
        quota = CallQuota.objects.filter(call=call, region_id=city).select_related("region").first()
        if quota is not None:
            used = quota_used(call, city)
            if used >= quota.quota:
                problems.append(
                    f"{quota.region.name}的推荐名额已用完（名额 {quota.quota} 家，已推荐 {used} 家）"
                )
    return problems


def quota_refusal(application: Application) -> str | None:
    """The city's forward action on an application of a call: None while the city's quota allows
    one more (the quota row is locked so two simultaneous forwards cannot both pass)."""
    if not application.call_id:
        return None
    city = city_of(application.organisation)
    quota = (
        CallQuota.objects.select_for_update().filter(call_id=application.call_id, region_id=city).first()
        if city
        else None
    )
    if quota is None:
        return None
    used = quota_used(application.call, city)
    if used >= quota.quota:
        name = Region.objects.values_list("name", flat=True).get(pk=city)
        return f"{name}在本批次的推荐名额为 {quota.quota} 家，已推荐 {used} 家，名额已用完，不能再推荐"
    return None


def submit_refusals(application: Application) -> list[str]:
    """A call's own conditions of submitting: the window (not for a resubmission after a return),
    and its required attachments present."""
    call = application.call
    if call is None:
        return []
    problems = []
    # a returned application was submitted in time: its correction may come after the window
    window = window_refusal(call) if application.state != State.RETURNED else None
    if window:
        problems.append(window)
    have = set(application.attachments.values_list("field", flat=True))
    missing = [a["label"] for a in call.attachments if a.get("required", True) and a["code"] not in have]
    if missing:
        problems.append(f"请上传本批次要求的附件：{'、'.join(missing)}")
    return problems


KIND_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def call_attachment(application: Application, field: str) -> dict | None:
    """The call's required attachment ``field`` names, or None (no call, or another form field)."""
    if not application.call_id or not field:
        return None
    return next((a for a in application.call.attachments if a["code"] == field), None)


def attachment_field_check(application: Application, field: str, name: str, kind: str, size: int) -> str:
    """An upload for one of the call's attachments: its type among those allowed and its size under
    the row's limit. Returns the field code (blank for an unnamed attachment)."""
    field = str(field or "").strip()[:40]
    wanted = call_attachment(application, field)
    if wanted is None:
        return field
    ext = KIND_TYPES.get(kind, "")
    if ext not in wanted["types"]:
        raise ValidationError(
            {
                "file": [
                    f"{wanted['label']}只接受 {'、'.join(wanted['types'])} 文件，{name}是 {ext or '其他类型'}"
                ]
            }
        )
    if size > wanted["max_mb"] * 1024 * 1024:
        raise ValidationError(
            {
                "file": [
                    f"{wanted['label']}：{name} 为 {size / 1048576:.1f} MB，超过本项 {wanted['max_mb']} MB 的上限"
                ]
            }
        )
    return field


# --- reads -----------------------------------------------------------------------------------------


def calls_visible_to(user):
    """Calls a user may open: the province all; a city or county bureau (or viewer) those open to
    its city-level unit or published by it; an enterprise user those open to its city."""
    qs = Call.objects.select_related("programme", "region")
    if not _active(user):
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    if user.role in (Role.ENTERPRISE_USER,) and user.organisation_id:
        from smeplan.registry.models import Organisation

        county = Organisation.objects.values_list("county_id", flat=True).get(pk=user.organisation_id)
        city = county_cities().get(county)
        return _open_to(qs, city)
    if scope.region_codes and user.region_id:
        city = (
            user.region_id
            if Region.objects.filter(pk=user.region_id, level="city").exists()
            else county_cities().get(user.region_id)
        )
        return _open_to(qs, city) | qs.filter(region_id__in=sorted(scope.region_codes))
    return qs.none()


def _open_to(qs, city: str | None):
    if city is None:
        return qs.none()
    ids = [pk for pk, regions in Call.objects.values_list("pk", "regions") if not regions or city in regions]
    return qs.filter(pk__in=ids)


def calls_open_for(user, *, now=None) -> list[tuple[Call, list[str]]]:
    """An enterprise user's calls now accepting applications that its organisation may apply to
    (its region, the window open, the programme open, not banned), each with its reasons if not."""
    from smeplan.recognition.services import _ban_of

    if not (_active(user) and user.role == Role.ENTERPRISE_USER and user.organisation_id):
        return []
    organisation = user.organisation
    out = []
    for call in calls_visible_to(user):
        if phase(call, now) != "open" or call.programme.applicant_kind != organisation.kind:
            continue
        if _programme_closed(call.programme) or _ban_of(organisation.pk, call.programme_id) is not None:
            continue
        out.append(call)
    return out


def call_get(user, pk) -> Call:
    from django.http import Http404

    try:
        return calls_visible_to(user).get(pk=int(pk))
    except (Call.DoesNotExist, ValueError, TypeError):
        raise Http404("申报批次不存在或不在您的范围内") from None


PROGRESS_COLUMNS = (
    ("submitted", "已提交"),
    ("county_review", "县级审核中"),
    ("city_review", "市级审核中"),
    ("forwarded", "已推荐上报"),
    ("certified", "已认定"),
    ("quota", "名额"),
    ("used", "已用名额"),
    ("remaining", "剩余名额"),
)


def call_progress(user, call: Call) -> dict:
    """进度 of a call for the user's bureau: the province — a row per city-level unit; a city — its
    counties (and its quota); a county — itself. Counts only applications the user may see."""
    if not (
        _active(user)
        and user.role
        in (
            Role.PROVINCIAL_ADMIN,
            Role.PROVINCIAL_OFFICER,
            Role.CITY_OFFICER,
            Role.COUNTY_OFFICER,
            Role.VIEWER,
        )
    ):
        raise PermissionDenied("只有主管部门可以查看申报进度")
    cities = county_cities()
    units = _city_units()
    quotas = {q.region_id: q.quota for q in call.quotas.all()}
    apps = scope_filter(user, Application.objects.filter(call=call), organisation="organisation")
    counts = (
        apps.values("organisation__county_id")
        .annotate(
            submitted=Count("id", filter=~Q(state__in=NOT_SUBMITTED)),
            county_review=Count("id", filter=Q(state=State.COUNTY_REVIEW)),
            city_review=Count("id", filter=Q(state=State.CITY_REVIEW)),
            forwarded=Count("id", filter=Q(state__in=FORWARDED)),
            certified=Count("id", filter=Q(state=State.CERTIFIED)),
        )
        .order_by()
    )
    by_county = {row["organisation__county_id"]: row for row in counts}
    keys = ("submitted", "county_review", "city_review", "forwarded", "certified")
    scope = scope_for(user)
    if scope.everything:
        level = "province"
        listed = [c for c in units if not call.regions or c in call.regions]
        rows = []
        for code in listed:
            row = {"code": code, "name": units[code].name, **dict.fromkeys(keys, 0)}
            for county, city in cities.items():
                if city == code and county in by_county:
                    for k in keys:
                        row[k] += by_county[county][k]
            rows.append(row)
    else:
        own = Region.objects.get(pk=user.region_id)
        level = "city" if own.level == "city" else "county"
        counties = sorted(c for c in scope.county_codes or ())
        names = dict(Region.objects.filter(pk__in=counties).values_list("code", "name"))
        rows = [
            {"code": c, "name": names.get(c, c), **{k: by_county.get(c, {}).get(k, 0) for k in keys}}
            for c in counties
        ]
    total = {"code": "", "name": "合计", **{k: sum(r[k] for r in rows) for k in keys}}
    for row in rows:
        row["quota"] = quotas.get(row["code"]) if level == "province" else None
    if level == "province":
        for row in rows:
            row["used"] = row["forwarded"]
            row["remaining"] = None if row["quota"] is None else max(row["quota"] - row["forwarded"], 0)
        total_quota = sum(q for q in (r["quota"] for r in rows) if q is not None) if quotas else None
        total.update(quota=call.total_quota or total_quota, used=total["forwarded"])
        total["remaining"] = None if total["quota"] is None else max(total["quota"] - total["forwarded"], 0)
    else:
        city = own.code if level == "city" else cities.get(own.code)
        quota = quotas.get(city)
        used = quota_used(call, city) if city else 0
        for row in rows:
            row.update(used=None, remaining=None)
        total.update(quota=quota, used=used, remaining=None if quota is None else max(quota - used, 0))
        if level == "county":
            total.update(quota=None, used=None, remaining=None)
            if city and quota is not None:
                total["city_note"] = f"{units[city].name}名额 {quota} 家，已推荐 {used} 家"
    return {"level": level, "rows": rows, "total": total, "columns": PROGRESS_COLUMNS}
