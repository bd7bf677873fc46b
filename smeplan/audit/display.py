"""How the audit log reads to a person: the event's Chinese name, the object's name with a link to its
page, and what changed as “字段：旧值 → 新值” — Chinese field labels, 万元 amounts, dates, the labels
of choices and the names of referenced objects (never codes, model labels or Python dicts).

Names of event types and the meaning of payload keys are the registry in ``smeplan.audit.events``;
this module reads a page of events with one query per referenced model (``describe_events``)."""

import datetime as dt
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse

from smeplan.audit.events import PAIRS, PUBLIC_EVENTS, REGION_KEYED, VALUES_MODEL, event_name, field_spec

EMPTY = "（空）"
LIST_SHOWN = 10  # names listed before "等 N 个"


@dataclass
class Change:
    """One line of an event: ``label：new`` or, for a change, ``label：old → new``."""

    label: str
    new: str
    old: str | None = None

    @property
    def is_change(self) -> bool:
        return self.old is not None

    def __str__(self) -> str:
        return f"{self.label}：{self.old} → {self.new}" if self.is_change else f"{self.label}：{self.new}"


@dataclass
class EventRow:
    event: object
    name: str
    subject_name: str
    subject_kind: str
    subject_url: str | None
    changes: list[Change] = field(default_factory=list)
    subject_then: str = ""  # the object's name when the event happened, where it has changed

    @property
    def actor_missing(self) -> str:
        """Who acted when no user did: the public (an objection) or the system (daily jobs)."""
        return "社会公众" if self.event.event_type in PUBLIC_EVENTS else "系统"


# --- objects: names and pages -------------------------------------------------------------------

#: related rows each model's name needs (so a page of names is one query per model)
_RELATED = {
    "recognition.application": ("organisation", "tier__programme"),
    "recognition.changereport": ("certification",),
    "programmes.tier": ("programme",),
    "programmes.criteriaversion": ("tier__programme",),
    "programmes.screeningrun": ("tier__programme",),
    "evaluation.evaluationrun": ("tier__programme",),
    "evaluation.evaluationscheme": ("programme",),
    "reporting.cityannualplan": ("city",),
    "reporting.annex3filing": ("city",),
    "targets.reportedvalue": ("target", "region"),
    "targets.target": (),
    "flags.figureflag": ("organisation",),
    "accounts.apitoken": ("user",),
}

#: models whose ``str()`` is not a name a person reads
_NAMES = {
    "flags.figureflag": lambda o: f"{o.organisation.name} {o.year}年 {o.get_kind_display()}",
    "accounts.user": lambda o: f"{o.display_name}（{o.username}）" if o.display_name else o.username,
    "accounts.apitoken": lambda o: f"{o.user.username} 的 API 令牌（{o.prefix}…）",
    "industries.industry": lambda o: f"{o.name}（{o.code}）",
}


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


#: the page of each kind of object (the audit log is for provincial admins, who may open them all)
_PAGES = {
    "registry.organisation": lambda o: _url("organisation_detail", o.pk),
    "recognition.application": lambda o: _url("application_detail", o.pk),
    "recognition.certification": lambda o: _url("certification_detail", o.pk),
    "recognition.publicnotice": lambda o: _url("notice_detail", o.pk),
    "recognition.changereport": lambda o: _url("change_report_detail", o.pk),
    "recognition.call": lambda o: _url("call_detail", o.pk),
    "exchange.importbatch": lambda o: _url("import_detail", o.pk),
    "exchange.importmappingtemplate": lambda o: _url("mapping_template_list"),
    "programmes.programme": lambda o: _url("programme_settings", o.code),
    "programmes.tier": lambda o: _url("programme_list"),
    "programmes.criteriaversion": lambda o: _url("programme_list"),
    "programmes.screeningrun": lambda o: _url("programme_run_detail", o.pk),
    "evaluation.evaluationrun": lambda o: _url("evaluation_run_detail", o.pk),
    "evaluation.evaluationscheme": lambda o: _url("evaluation_schemes"),
    "flags.figureflag": lambda o: _url("flag_list"),
    "reporting.cityannualplan": lambda o: _url("reporting_plan_detail", o.pk),
    "reporting.annex3filing": lambda o: _url("reporting_filing_detail", o.pk),
    "targets.target": lambda o: _url("target_detail", o.pk),
    "targets.reportedvalue": lambda o: _url("target_detail", o.target_id),
    "targets.planperiod": lambda o: _url("target_dashboard"),
    "regions.region": lambda o: _url("region_detail", o.pk),
    "accounts.user": lambda o: _url("admin:accounts_user_change", o.pk),
    "accounts.apitoken": lambda o: _url("admin:accounts_apitoken_change", o.pk),
}


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def object_name(label: str, obj) -> str:
    namer = _NAMES.get(label)
    return namer(obj) if namer else str(obj)


def object_url(label: str, obj) -> str | None:
    page = _PAGES.get(label)
    return page(obj) if page else None


class _Objects:
    """Objects referenced by a page of events, read with one query per model."""

    def __init__(self):
        self.wanted: dict[str, set[str]] = defaultdict(set)
        self.found: dict[str, dict[str, object]] = {}

    def want(self, label: str, pk) -> None:
        if pk is not None and pk != "":
            self.wanted[label].add(str(pk))

    def load(self) -> None:
        for label, pks in self.wanted.items():
            model = _model(label)
            if model is None:
                self.found[label] = {}
                continue
            pk_field = model._meta.pk
            keys = []
            for pk in pks:
                with suppress(ValidationError):  # a stored id that no longer fits the key: none to find
                    keys.append(pk_field.to_python(pk))
            qs = model._default_manager.all()
            if _RELATED.get(label):
                qs = qs.select_related(*_RELATED[label])
            self.found[label] = {str(k): o for k, o in qs.in_bulk(keys).items()}

    def get(self, label: str, pk):
        return self.found.get(label, {}).get(str(pk))


# --- payload keys → (label, kind) ---------------------------------------------------------------


def _field_spec(model, key: str) -> tuple[str, str] | None:
    """(label, kind) of a model field named ``key`` (or its ``<key>_id`` attribute)."""
    if model is None:
        return None
    try:
        f = model._meta.get_field(key)
    except FieldDoesNotExist:
        f = next((x for x in model._meta.concrete_fields if x.attname == key), None)
        if f is None:
            return None
    label = str(getattr(f, "verbose_name", key))
    if f.is_relation and f.related_model is not None:
        return label, f"ref:{f.related_model._meta.label_lower}"
    if getattr(f, "choices", None):
        return label, f"choice:{model._meta.label_lower}.{f.name}"
    for unit in ("万元", "人"):
        if label.endswith(f"（{unit}）"):
            return label[: -len(unit) - 2], "amount" if unit == "万元" else "count:人"
    if isinstance(f, models.BooleanField):
        return label, "bool"
    if isinstance(f, models.DateTimeField):
        return label, "datetime"
    if isinstance(f, models.DateField):
        return label, "date"
    if isinstance(f, models.JSONField):
        return label, "count:项"
    return label, "text"


def spec_for(event_type: str, key: str, subject_model) -> tuple[str, str] | None:
    """How one payload key of an event reads; None when nothing knows the key (it is then not
    shown — ``tests/audit`` checks that every key a service writes is known)."""
    spec = field_spec(event_type, key)
    if spec:
        return spec
    values_model = _model(VALUES_MODEL[event_type]) if event_type in VALUES_MODEL else subject_model
    return _field_spec(values_model, key) or _field_spec(subject_model, key)


# --- values -------------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _plain_number(d: Decimal) -> str:
    text = f"{d:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _choice_label(spec: str, value) -> str:
    label, _, field_name = spec.rpartition(".")
    model = _model(label)
    try:
        choices = dict(model._meta.get_field(field_name).flatchoices) if model else {}
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


def _weights(value) -> str:
    from smeplan.evaluation.models import INDICATORS

    if not isinstance(value, dict) or not value:
        return EMPTY
    total = sum(Decimal(str(w)) for w in value.values()) or Decimal(1)
    return "、".join(
        f"{INDICATORS.get(k, '其他指标')} {_plain_number(Decimal(str(w)) * 100 / total)}%"
        for k, w in value.items()
    )


def _options(value) -> str:
    if not isinstance(value, dict):
        return EMPTY
    parts = []
    if value.get("default_year"):
        parts.append(f"默认年度 {value['default_year']}")
    if value.get("sheets"):
        parts.append("读取工作表 " + "、".join(f"“{s}”" for s in value["sheets"]))
    corrections = sum(len(c or {}) for c in (value.get("corrections") or {}).values())
    if corrections:
        parts.append(f"修改列对应 {corrections} 处")
    if value.get("template"):
        parts.append("使用列对应模板")
    return "；".join(parts) or "按文件自动识别"


class _Formatter:
    def __init__(self, objects: _Objects):
        self.objects = objects

    def want(self, kind: str, value) -> None:
        """First pass: note the objects a value refers to."""
        if kind.startswith("ref:") and value not in (None, ""):
            for pk in value if isinstance(value, list) else [value]:
                self.objects.want(kind[4:], pk)

    def text(self, kind: str, value, subject_model=None) -> str:
        """Second pass: the value as a person reads it."""
        if value is None or value == "" or value == []:
            return EMPTY
        if kind == "text":
            return str(value) if not isinstance(value, (dict, list)) else f"{len(value)} 项"
        if kind == "amount":
            d = _decimal(value)
            return f"{d:,.2f} 万元" if d is not None else str(value)
        if kind == "ratio":
            d = _decimal(value)
            return f"{_plain_number(d * 100)}%" if d is not None else str(value)
        if kind == "seconds":
            d = _decimal(value)
            return f"{d:.1f} 秒" if d is not None else str(value)
        if kind.startswith("count:"):
            unit = kind[6:]
            n = len(value) if isinstance(value, (list, dict)) else _decimal(value)
            return f"{_plain_number(Decimal(n))} {unit}" if n is not None else str(value)
        if kind == "bytes":
            size = int(value)
            if size >= 1024 * 1024:
                return f"{size / 1024 / 1024:.1f} MB"
            return f"{max(size / 1024, 0.1):.1f} KB"
        if kind == "bool":
            return "是" if value in (True, "true", "True", 1) else "否"
        if kind == "date":
            return str(value)[:10]
        if kind == "datetime":
            try:
                return dt.datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")
            except ValueError:
                return str(value)
        if kind == "year":
            return f"{value}年"
        if kind == "version":
            return f"第 {value} 版"
        if kind == "weights":
            return _weights(value)
        if kind == "options":
            return _options(value)
        if kind == "title":
            from smeplan.programmes.models import title_template_as_text

            return title_template_as_text(str(value))
        if kind == "state":
            if subject_model is not None:
                return _choice_label(f"{subject_model._meta.label_lower}.state", value)
            return str(value)
        if kind.startswith("choice:"):
            return _choice_label(kind[7:], value)
        if kind.startswith("ref:"):
            label = kind[4:]
            pks = value if isinstance(value, list) else [value]
            names = []
            for pk in pks:
                obj = self.objects.get(label, pk)
                names.append(object_name(label, obj) if obj is not None else "（已删除）")
            shown = "、".join(names[:LIST_SHOWN])
            return shown if len(names) <= LIST_SHOWN else f"{shown} 等 {len(names)} 个"
        return str(value)


# --- events → lines -----------------------------------------------------------------------------


def _items(event) -> list[tuple[str, object, object, bool]]:
    """(key, old, new, is_change) of one event's payload, in reading order."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    out: list[tuple[str, object, object, bool]] = []
    used: set[str] = set()
    if event.event_type in REGION_KEYED:
        return [("@region:" + k, None, v, False) for k, v in payload.items()]
    for old_key, new_key in PAIRS:
        if old_key in payload and new_key in payload:
            out.append((old_key, payload[old_key], payload[new_key], True))
            used |= {old_key, new_key}
    before, after = payload.get("before"), payload.get("after")
    if isinstance(before, dict) and isinstance(after, dict):
        for key in after:
            out.append((key, before.get(key), after[key], True))
        used |= {"before", "after"}
    changes = payload.get("changes")
    if isinstance(changes, dict):
        for key, pair in changes.items():
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                out.append((key, pair[0], pair[1], True))
        used.add("changes")
    values = payload.get("values")
    if isinstance(values, dict):
        for key, value in values.items():
            out.append((key, None, value, False))
        used.add("values")
    for key, value in payload.items():
        if key not in used:
            out.append((key, None, value, False))
    return out


def describe_events(events) -> list[EventRow]:
    """A page of audit events as rows a person reads (one query per referenced model)."""
    events = list(events)
    objects = _Objects()
    fmt = _Formatter(objects)
    planned = []
    for e in events:
        subject_model = _model(e.subject_type)
        objects.want(e.subject_type, e.subject_id)
        lines = []
        for key, old, new, is_change in _items(e):
            if key.startswith("@region:"):
                code = key[len("@region:") :]
                objects.want("regions.region", code)
                lines.append((("@region", code), old, new, is_change))
                continue
            spec = spec_for(e.event_type, key, subject_model)
            if spec is None or spec[1] == "skip":
                continue
            fmt.want(spec[1], old)
            fmt.want(spec[1], new)
            lines.append((spec, old, new, is_change))
        planned.append((e, subject_model, lines))
    objects.load()
    rows = []
    for e, subject_model, lines in planned:
        subject = objects.get(e.subject_type, e.subject_id)
        changes = []
        for spec, old, new, is_change in lines:
            if spec[0] == "@region":
                region = objects.get("regions.region", spec[1])
                label = region.name if region is not None else "（已删除的地区）"
                unit = getattr(subject, "unit", "")
                changes.append(
                    Change(label, fmt.text(f"count:{unit}", new).strip() if new is not None else "不分解")
                )
                continue
            label, kind = spec
            if not is_change and (new is None or new == "" or new == []):
                continue
            changes.append(
                Change(
                    label,
                    fmt.text(kind, new, subject_model),
                    fmt.text(kind, old, subject_model) if is_change else None,
                )
            )
        rows.append(
            EventRow(
                event=e,
                name=event_name(e.event_type),
                subject_name=object_name(e.subject_type, subject) if subject is not None else e.subject_label,
                subject_kind=str(subject_model._meta.verbose_name) if subject_model is not None else "",
                subject_url=object_url(e.subject_type, subject) if subject is not None else None,
                changes=changes,
                subject_then=(
                    e.subject_label
                    if subject is not None
                    and e.subject_type not in _NAMES
                    and e.subject_label
                    and e.subject_label != str(subject)[:200]
                    else ""
                ),
            )
        )
    return rows
