"""企业名录 by spreadsheet: the registry part of an import of kind ``organisations``.

Bureaus keep their enterprise lists in Excel — name, credit code, county, industry code, founding
date, ownership, capital, address, contact person and phone. Such a file goes through the one
import flow (upload → how each column was understood → every problem per cell → all-or-nothing
commit → undo, audit); this module is its registry step, beside ``writing.py`` (the figures):

``registry_validate``  per credit code, every value through the registry's own validation
                       (``registry.validation.organisation_clean``, field by field, so each problem
                       lands on its cell), compared with the registry: a new organisation (name and
                       county required) or the changes to a registered one. A different name is a
                       rename (warning; recorded as ``OrganisationNameChange`` on commit, as
                       ``registry.services.organisation_rename`` does), a different county a move
                       (warning; both counties must be the importer's). An empty cell changes
                       nothing; a year-only founding date ("2015", 成立年份) keeps a stored date of
                       that year. When a code appears on several rows (a long layout: one row per
                       year), their values must agree.
``validate_organisations``  the whole validation of such a file: the registry step, then the
                       figures of the rows that carry figures (``validation.validate_records``, which
                       then leaves identity to the registry step).
``registry_write``     inside the commit's transaction: create (``ImportedOrganisation`` rows, so
                       undo can remove them), update and rename set-based; what was changed is kept
                       as ``ImportedOrganisationChange`` (before / after).
``registry_undo_blocks`` / ``registry_undo``  undo: refused when a value the batch wrote was changed
                       since; otherwise the previous values (and name) are restored and the name
                       change it recorded is removed.
``unreferenced``       of the organisations a batch created, those nothing else refers to (yearly
                       figures, users, applications, certifications, flags, name changes …): the
                       ones its undo deletes.

Scope: as for figures — bureau users within their counties (``accounts.scoping.scope_for``).
Queries are set-based: one per 5,000 credit codes to read the registry, the industry table once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES
from smeplan.accounts.scoping import scope_for
from smeplan.exchange.models import ImportedOrganisation, ImportedOrganisationChange
from smeplan.exchange.parsed import Issue, ParsedRecord, PartialDate
from smeplan.exchange.synonyms import ATTRIBUTE_LABELS, ATTRIBUTE_TARGETS
from smeplan.exchange.validation import OUT_OF_SCOPE, Validation, _Collector, validate_records
from smeplan.indicators.models import FigureRevision
from smeplan.industries.models import Industry
from smeplan.regions.models import Region
from smeplan.registry.credit_code import CreditCodeError, validate_credit_code
from smeplan.registry.models import (
    Organisation,
    OrganisationKind,
    OrganisationNameChange,
    OrganisationNameGram,
)
from smeplan.registry.validation import organisation_clean

CHUNK = 5_000
FIELD_LABELS = {"name": "企业名称", "county": "所属区县"} | ATTRIBUTE_LABELS
#: Organisation fields a 企业名录 import writes besides the name (which is a rename).
WRITTEN_FIELDS = ("county", *ATTRIBUTE_TARGETS)
#: The model column of each written field (foreign keys by their code).
COLUMNS = {"county": "county_id", "industry": "industry_id"}
#: Relations that do not keep an organisation a batch created from its undo: the batch's own
#: records of it, and figure revisions (any value changed after the batch blocks the undo anyway).
#: reverse relations of Organisation that do not keep it: the import's own records, figure revisions
#: and the name-search table (derived from the name, PostgreSQL only)
NOT_A_REFERENCE = {ImportedOrganisation, ImportedOrganisationChange, FigureRevision, OrganisationNameGram}


@dataclass
class RegistryPlan:
    """What a 企业名录 file does to the registry (all keyed by credit code)."""

    creates: dict[str, dict] = field(default_factory=dict)  # code → Organisation field values
    updates: dict[str, dict] = field(default_factory=dict)  # code → {field: new value} ("name": rename)
    ids: dict[str, int] = field(default_factory=dict)  # code → id of the registered ones
    failed: set[str] = field(default_factory=set)  # codes with a problem: none of their rows is written
    unchanged: int = 0

    @property
    def renamed(self) -> int:
        return sum(1 for changes in self.updates.values() if "name" in changes)

    @property
    def updated(self) -> int:
        return sum(1 for changes in self.updates.values() if set(changes) - {"name"})


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _registered(codes: list[str]) -> dict[str, dict]:
    out = {}
    for chunk in _chunks(codes):
        for row in Organisation.objects.filter(credit_code__in=chunk).values(
            "id", "credit_code", "name", "former_names", *(COLUMNS.get(f, f) for f in WRITTEN_FIELDS)
        ):
            out[row["credit_code"]] = row
    return out


def _stored(row: dict, name: str):
    return row[COLUMNS.get(name, name)]


def _key(value):
    """What a cleaned value is compared by: a region or an industry by its code."""
    if isinstance(value, Region | Industry):
        return value.pk
    if isinstance(value, PartialDate):
        return value.plain()
    return value


def _differs(name: str, value, stored) -> bool:
    if isinstance(value, PartialDate):
        return not value.covers(stored)
    return _key(value) != stored


def _shown(value) -> str:
    if isinstance(value, Region | Industry):
        return f"{value.pk} {value.name}" if isinstance(value, Industry) else value.name
    if isinstance(value, PartialDate):
        return f"{value.year}年" if value.precision == "year" else f"{value.year}年{value.month}月"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def as_text(value):
    """A model value as stored in ImportedOrganisationChange (JSON)."""
    if value is None:
        return None
    if isinstance(value, Region | Industry):
        return value.pk
    if isinstance(value, PartialDate):
        return value.plain().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _from_text(name: str, text):
    """The model value (for setattr on the column) of a stored text."""
    if text is None:
        return None if name in ("industry", "founded_on", "registered_capital", "county") else ""
    if name == "founded_on":
        return dt.date.fromisoformat(text)
    if name == "registered_capital":
        return Decimal(text)
    return text


def _model_value(value):
    return value.plain() if isinstance(value, PartialDate) else value


def save_columns(changed: dict[tuple[str, ...], list[Organisation]]) -> None:
    """Write the given fields (and ``updated_at``) of many organisations: per set of fields one
    parametrised ``UPDATE … WHERE id = %s`` run with ``executemany`` (Django's ``bulk_update``
    builds a CASE per field and row: ≈ 40 s for 15,000 organisations, against well under a second)."""
    opts = Organisation._meta
    qn = connection.ops.quote_name
    for names, orgs in changed.items():
        if not orgs:
            continue
        fields = [opts.get_field(name) for name in names] + [opts.get_field("updated_at")]
        sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
        sql = f"UPDATE {qn(opts.db_table)} SET {sets} WHERE {qn(opts.pk.column)} = %s"  # noqa: S608
        params = [
            [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] + [o.pk] for o in orgs
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(params), CHUNK):
                cursor.executemany(sql, params[start : start + CHUNK])


class _Cleaner:
    """``organisation_clean`` one field at a time, each distinct value once (a long layout repeats
    an enterprise's attributes on every year's row), with the industry table read once."""

    def __init__(self):
        self.cache: dict[tuple, tuple] = {}
        self._industries: dict[str, Industry] | None = None

    @property
    def industries(self) -> dict[str, Industry]:
        if self._industries is None:
            self._industries = {i.code: i for i in Industry.objects.all()}
        return self._industries

    def __call__(self, name: str, raw) -> tuple[object, str]:
        key = (name, type(raw), raw, getattr(raw, "precision", None))
        if key not in self.cache:
            industries = self.industries if name == "industry" else None
            try:
                value = organisation_clean({name: raw}, partial=True, industries=industries)[name]
                self.cache[key] = (raw if isinstance(raw, PartialDate) else value, "")
            except ValidationError as exc:
                message = "；".join(exc.message_dict.get(name, exc.messages))
                label = FIELD_LABELS.get(name, "")
                if label and label not in message and not message.startswith(("未知", "“")):
                    message = f"{label}{message}"  # "不能超过40个字" → "联系电话不能超过40个字"
                self.cache[key] = (None, message)
        return self.cache[key]


def registry_validate(*, actor, records: list[ParsedRecord], out: _Collector) -> RegistryPlan:
    """Check the registry side of every record; problems go to ``out`` (errors and warnings on their
    cells). Codes that fail are in ``plan.failed``. A record carrying figures whose credit code is
    malformed is left to the figures validation (which reports it); others are reported here."""
    plan = RegistryPlan()
    scope = scope_for(actor)
    may_write = bool(actor.is_superuser or actor.role in BUREAU_ROLES)
    everything = may_write and scope.everything
    scope_counties = scope.county_codes if may_write else set()

    def in_scope(county_code: str) -> bool:
        return everything or county_code in (scope_counties or ())

    checked: dict[str, str | CreditCodeError] = {}
    groups: dict[str, list[ParsedRecord]] = {}
    for rec in records:
        raw = rec.credit_code or ""
        code = checked.get(raw)
        if code is None:
            try:
                code = validate_credit_code(raw)
            except CreditCodeError as exc:
                code = exc
            checked[raw] = code
        if type(code) is not str:
            if not rec.values:
                out.error(rec, "credit_code", rec.credit_code, code.message)
            continue
        groups.setdefault(code, []).append(rec)

    registered = _registered(sorted(groups))
    plan.ids = {code: row["id"] for code, row in registered.items()}
    county_names = dict(Region.objects.values_list("code", "name")) if groups else {}
    clean = _Cleaner()

    for code, recs in groups.items():
        ok = True
        merged: dict[str, tuple[object, ParsedRecord]] = {}

        def take(name, value, rec, merged=merged):
            nonlocal ok
            first = merged.get(name)
            if first is None:
                merged[name] = (value, rec)
            elif _key(first[0]) != _key(value):
                other = first[1]
                where = (
                    f"第{other.row}行"
                    if other.sheet == rec.sheet
                    else f"工作表“{other.sheet}”第{other.row}行"
                )
                out.error(
                    rec,
                    name,
                    _shown(value),
                    f"同一单位在文件中填写了不同的{FIELD_LABELS[name]}（{where}为“{_shown(first[0])}”）",
                )
                ok = False

        for rec in recs:
            for name, raw in (("name", rec.name), ("county", rec.county), *rec.attributes.items()):
                if raw is None or (isinstance(raw, str) and not raw.strip()):
                    continue
                value, message = clean(name, raw)
                if message:
                    out.error(rec, name, raw, message)
                    ok = False
                    continue
                take(name, value, rec)
        first = recs[0]
        row = registered.get(code)
        if row is not None:
            if not in_scope(row["county_id"]):
                out.error(first, "credit_code", first.credit_code, OUT_OF_SCOPE)
                plan.failed.add(code)
                continue
            changes: dict[str, object] = {}
            if "name" in merged and merged["name"][0] != row["name"]:
                new_name, rec = merged["name"]
                formerly = new_name in (row["former_names"] or "").split("|")
                out.warning(
                    rec,
                    "name",
                    new_name,
                    f"名称将由“{row['name']}”改为“{new_name}”"
                    + ("（为该单位曾用名）" if formerly else "")
                    + "，导入时记录更名",
                )
                changes["name"] = new_name
            if "county" in merged and merged["county"][0].pk != row["county_id"]:
                county, rec = merged["county"]
                if not in_scope(county.pk):
                    out.error(rec, "county", rec.county, OUT_OF_SCOPE)
                    ok = False
                else:
                    old = county_names.get(row["county_id"], row["county_id"])
                    out.warning(rec, "county", rec.county, f"所属区县将由“{old}”改为“{county.name}”")
                    changes["county"] = county
            for name in ATTRIBUTE_TARGETS:
                if name in merged and _differs(name, merged[name][0], _stored(row, name)):
                    changes[name] = merged[name][0]
            if not ok:
                plan.failed.add(code)
            elif changes:
                plan.updates[code] = changes
            else:
                plan.unchanged += 1
            continue
        # not registered: a new organisation, which needs its name and county
        missing = "、".join(
            label for name, label in (("name", "单位名称"), ("county", "所属区县")) if name not in merged
        )
        if missing:
            if ok:  # a name or county given but wrong is already reported on its cell
                out.error(
                    first,
                    "credit_code",
                    first.credit_code,
                    f"名录中没有该统一社会信用代码的单位，且缺少{missing}，无法登记新单位",
                )
            plan.failed.add(code)
            continue
        county, rec = merged["county"]
        if not in_scope(county.pk):
            out.error(rec, "county", rec.county, OUT_OF_SCOPE)
            ok = False
        if not ok:
            plan.failed.add(code)
            continue
        plan.creates[code] = {name: value for name, (value, _rec) in merged.items()}
    return plan


def validate_organisations(*, actor, records, sheet_issues=()) -> Validation:
    """Validate a 企业名录 file: the registry step for every record, then the figures of the records
    that carry figures (a file may hold both: one row per enterprise, or per enterprise-year)."""
    records = records if isinstance(records, list) else list(records)
    issues: list[Issue] = list(sheet_issues)
    plan = registry_validate(actor=actor, records=records, out=_Collector(issues))
    result = validate_records(
        actor=actor, records=[r for r in records if r.values], sheet_issues=issues, registry=plan
    )
    result.record_count = len(records)
    result.registry = plan
    return result


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------


def registry_write(*, batch, actor, plan: RegistryPlan) -> tuple[dict[str, int], list[int]]:
    """Create, update and rename (inside the caller's transaction). Returns (credit code → id of
    every organisation of the plan, ids whose industry changed: to be reclassified)."""
    ids = dict(plan.ids)
    reclassify: list[int] = []
    if plan.creates:
        created = Organisation.objects.bulk_create(
            [
                Organisation(
                    credit_code=code,
                    kind=OrganisationKind.ENTERPRISE,
                    **{name: _model_value(value) for name, value in values.items()},
                )
                for code, values in plan.creates.items()
            ],
            batch_size=2_000,
        )
        if any(o.pk is None for o in created):
            for chunk in _chunks(list(plan.creates)):
                ids.update(
                    Organisation.objects.filter(credit_code__in=chunk).values_list("credit_code", "id")
                )
        else:
            ids.update((o.credit_code, o.pk) for o in created)
        ImportedOrganisation.objects.bulk_create(
            [ImportedOrganisation(batch=batch, organisation_id=ids[code]) for code in plan.creates],
            batch_size=5_000,
        )
        # new organisations have no figures of their own yet; those the same file gives them are
        # reclassified with the figures (organisations_to_reclassify)
    if not plan.updates:
        return ids, reclassify
    today = timezone.localdate()
    changed: dict[tuple[str, ...], list[Organisation]] = defaultdict(list)
    records: list[ImportedOrganisationChange] = []
    renames: list[tuple[OrganisationNameChange, ImportedOrganisationChange]] = []
    now = timezone.now()
    for chunk in _chunks(sorted(plan.updates)):
        current = {
            o.credit_code: o for o in Organisation.objects.select_for_update().filter(credit_code__in=chunk)
        }
        for code in chunk:
            org = current.get(code)
            if org is None:
                raise ValidationError(
                    f"统一社会信用代码为 {code} 的单位已从名录中删除，未导入任何数据；请重新校验"
                )
            before, after = {}, {}
            for name, value in plan.updates[code].items():
                if name == "name":
                    continue
                stored = getattr(org, COLUMNS.get(name, name))
                if not _differs(name, value, stored):
                    continue  # changed the same way meanwhile
                before[name] = _current_text(org, name)
                setattr(org, name, _model_value(value))
                after[name] = as_text(value)
                if name == "industry":
                    reclassify.append(org.pk)
            new_name = plan.updates[code].get("name")
            name_change = None
            if new_name and new_name != org.name:
                before["name"], before["former_names"] = org.name, org.former_names
                former = [n for n in org.former_names.split("|") if n]
                if org.name not in former:
                    former.append(org.name)
                name_change = OrganisationNameChange(
                    organisation=org,
                    old_name=org.name,
                    new_name=new_name,
                    changed_on=today,
                    recorded_by=actor,
                )
                org.name, org.former_names = new_name, "|".join(former)
                after["name"], after["former_names"] = org.name, org.former_names
            if not after:
                continue
            org.updated_at = now
            changed[tuple(sorted(after))].append(org)
            record = ImportedOrganisationChange(batch=batch, organisation=org, before=before, after=after)
            records.append(record)
            if name_change is not None:
                renames.append((name_change, record))
    if renames:
        made = OrganisationNameChange.objects.bulk_create([n for n, _ in renames], batch_size=2_000)
        for name_change, (_, record) in zip(made, renames, strict=True):
            record.name_change = name_change
    save_columns(changed)
    ImportedOrganisationChange.objects.bulk_create(records, batch_size=2_000)
    return ids, reclassify


# ------------------------------------------------------------------------------------------------
# Undo
# ------------------------------------------------------------------------------------------------


def _current_text(org: Organisation, name: str):
    if name in ("name", "former_names"):
        return getattr(org, name)
    if name in COLUMNS:
        return getattr(org, COLUMNS[name])
    return as_text(getattr(org, name))


def registry_undo_blocks(batch) -> list[str]:
    """Why the batch's registry changes cannot be undone: a value it wrote was changed since."""
    blocks = []
    changes = ImportedOrganisationChange.objects.filter(batch=batch).select_related("organisation")
    for change in changes.order_by("id"):
        org = change.organisation
        for name, written in change.after.items():
            if name == "former_names":
                continue
            if _current_text(org, name) != written:
                blocks.append(f"{org.name}的{FIELD_LABELS.get(name, name)}在本次导入后已被修改，无法撤销")
    return blocks


@transaction.atomic
def registry_undo(batch) -> tuple[int, list[int]]:
    """Restore what the batch changed on registered organisations (call after
    ``registry_undo_blocks`` found nothing). Returns (organisations restored, ids to reclassify)."""
    changes = list(ImportedOrganisationChange.objects.filter(batch=batch).order_by("id"))
    if not changes:
        return 0, []
    orgs = {}
    for chunk in _chunks([c.organisation_id for c in changes]):
        orgs.update(Organisation.objects.select_for_update().in_bulk(chunk))
    changed: dict[tuple[str, ...], list[Organisation]] = defaultdict(list)
    reclassify = []
    name_changes = []
    now = timezone.now()
    for change in changes:
        org = orgs[change.organisation_id]
        for name, text in change.before.items():
            if name in ("name", "former_names"):
                setattr(org, name, text)
            else:
                setattr(org, COLUMNS.get(name, name), _from_text(name, text))
            if name == "industry":
                reclassify.append(org.pk)
        if change.name_change_id:
            name_changes.append(change.name_change_id)
        org.updated_at = now
        changed[tuple(sorted(change.before))].append(org)
    save_columns(changed)
    for chunk in _chunks(name_changes):
        OrganisationNameChange.objects.filter(pk__in=chunk).delete()
    return len(changes), reclassify


def unreferenced(ids: list[int]) -> list[int]:
    """Of ``ids``, the organisations nothing else refers to (every reverse relation of Organisation
    but the import's own records and figure revisions)."""
    left = set(ids)
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        if model in NOT_A_REFERENCE or not left:
            continue
        name = relation.field.name
        for chunk in _chunks(sorted(left)):
            used = (
                model._base_manager.filter(**{f"{name}__in": chunk}).values_list(name, flat=True).distinct()
            )
            left -= set(used)
    return sorted(left)
