"""Input validation for organisations, shared by pages, API, commands and imports.

``organisation_clean`` turns raw input (strings from a form, JSON from the API, cells of a sheet)
into model values, collecting EVERY problem as a Chinese message per field, then raises one
``ValidationError`` carrying them all.

Values as bureaus write them are accepted: an industry code with its section letter ("C3411"), and
登记注册类型 as the statistics code table words or numbers it ("有限责任公司", "私营企业", "173"), mapped
to the registry's simplified types by the data file ``data/ownership_synonyms.csv``.
"""

import csv
import datetime as dt
import functools
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

from smeplan.industries.models import Industry
from smeplan.regions.models import Region
from smeplan.regions.selectors import region_resolve
from smeplan.registry.credit_code import CreditCodeError, validate_credit_code
from smeplan.registry.models import ConstructionQualification, OrganisationKind, OwnershipType

TEXT_LIMITS = {"name": 120, "address": 200, "contact_person": 40, "contact_phone": 40}
OWNERSHIP_SYNONYMS_CSV = Path(__file__).parent / "data" / "ownership_synonyms.csv"


def _key(text) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).replace("(", "（").replace(")", "）")


@functools.cache
def ownership_synonyms() -> dict[str, str]:
    """written form (normalised) → OwnershipType value, from ``data/ownership_synonyms.csv``."""
    table = {}
    with OWNERSHIP_SYNONYMS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            value = row["ownership_type"].strip()
            if value not in OwnershipType.values:
                raise ValueError(f"ownership_synonyms.csv: unknown type {value!r}")
            table.setdefault(_key(row["written"]), value)
    return table


def industry_code_of(raw) -> tuple[str, str]:
    """(code, section letter given with it or "") of an industry cell: "3411", "C3411", "C 3411",
    "3411 金属结构制造", 3411 (a number) → ("3411", "C"/"")."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip().upper()
    parts = text.split()
    code = parts[0] if parts else ""
    if len(parts) > 1 and len(code) == 1 and code.isalpha() and parts[1].isdigit():
        code = code + parts[1]  # "C 3411"
    if len(code) >= 3 and code[0].isalpha() and code[1:].isdigit():
        return code[1:], code[0]
    return code, ""


def parse_decimal(
    raw,
    *,
    label: str,
    errors: dict,
    field: str,
    allow_negative: bool = True,
    integer: bool = False,
    scale: Decimal | int = 1,
):
    """Parse a number given as Decimal/int/float/str (full-width digits, thousands separators,
    '—'/'-'/'' for empty). Records a Chinese error under ``field`` and returns None on failure.

    ``scale`` multiplies the number before it is checked and rounded (a unit conversion, e.g.
    Decimal("0.0001") for 元 → 万元), so no precision is lost to rounding in the file's unit."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        errors.setdefault(field, []).append(f"{label}应为数字，收到“{raw}”")
        return None
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().translate(_FULLWIDTH).replace(",", "").replace(" ", "")
        if text in ("", "-", "—", "--", "——"):
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            errors.setdefault(field, []).append(f"{label}应为数字，收到“{raw}”")
            return None
    if not value.is_finite():
        errors.setdefault(field, []).append(f"{label}应为数字，收到“{raw}”")
        return None
    if scale != 1:
        value = value * Decimal(scale)
    if integer and value != value.to_integral_value():
        errors.setdefault(field, []).append(f"{label}应为整数，收到“{raw}”")
        return None
    if not allow_negative and value < 0:
        errors.setdefault(field, []).append(f"{label}不能为负数（收到 {value}）")
        return None
    if abs(value) >= Decimal("1e14"):
        errors.setdefault(field, []).append(f"{label}数值过大（收到 {value}）")
        return None
    return int(value) if integer else value.quantize(Decimal("0.01"))


_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {
    0xFF0E: ord("."),
    0xFF0C: ord(","),
    0xFF0D: ord("-"),
}


def _parse_date(raw, *, label: str, errors: dict, field: str) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.setdefault(field, []).append(f"{label}应为日期（如 2015-06-30），收到“{raw}”")
    return None


def _choice(
    raw,
    choices,
    *,
    label: str,
    errors: dict,
    field: str,
    required: bool = False,
    synonyms: Mapping[str, str] | None = None,
) -> str:
    if raw in (None, ""):
        if required:
            errors.setdefault(field, []).append(f"请填写{label}")
        return ""
    text = str(raw).strip()
    for value, display in choices.choices:
        if text in (value, str(display)):
            return value
    if synonyms:
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if _key(text) in synonyms:
            return synonyms[_key(text)]
    options = "、".join(str(d) for _, d in choices.choices)
    errors.setdefault(field, []).append(f"{label}“{raw}”无效，可选：{options}")
    return ""


def organisation_clean(
    data: dict, *, partial: bool = False, industries: Mapping[str, Industry] | None = None
) -> dict:
    """Validate organisation input. Returns model values for the keys present (all keys unless
    ``partial``); raises ValidationError({field: [messages]}) listing every problem.

    ``industries`` (code → Industry, e.g. the whole table read once by an import) replaces the
    look-up query per call."""
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def present(key):
        return key in data or not partial

    if present("credit_code"):
        try:
            out["credit_code"] = validate_credit_code(data.get("credit_code") or "")
        except CreditCodeError as exc:
            errors["credit_code"] = [exc.message]
    if present("name"):
        name = " ".join(str(data.get("name") or "").split())
        if not name:
            errors["name"] = ["请填写单位名称"]
        out["name"] = name
    if present("kind"):
        out["kind"] = _choice(
            data.get("kind") or OrganisationKind.ENTERPRISE,
            OrganisationKind,
            label="单位类型",
            errors=errors,
            field="kind",
            required=True,
        )
    if present("county"):
        raw = data.get("county")
        county = raw if isinstance(raw, Region) else region_resolve(raw)
        if raw in (None, ""):
            errors["county"] = ["请选择所属区县"]
        elif county is None:
            errors["county"] = [f"未知区县“{raw}”：请填写陕西省的县级行政区名称或代码"]
        elif not county.is_county:
            errors["county"] = [f"“{county.name}”不是县级行政区，请选择具体区县"]
        else:
            out["county"] = county
    if present("industry"):
        raw = data.get("industry")
        if isinstance(raw, Industry):
            out["industry"] = raw
        elif raw in (None, ""):
            out["industry"] = None
        else:
            code, section = industry_code_of(raw)
            if industries is not None:
                industry = industries.get(code)
            else:
                industry = Industry.objects.filter(code=code).first() if code else None
            if industry is None:
                errors["industry"] = [
                    f"未知行业代码“{raw}”：请填写 GB/T 4754-2017 的门类、大类、中类或小类代码"
                ]
            elif section and industry.section != section:
                errors["industry"] = [
                    f"行业代码“{raw}”的门类字母与代码不符：{code}（{industry.name}）属于 {industry.section} 门类"
                ]
                industry = None
            out["industry"] = industry
    if present("founded_on"):
        founded = _parse_date(data.get("founded_on"), label="成立日期", errors=errors, field="founded_on")
        if founded and founded > timezone.localdate():
            errors.setdefault("founded_on", []).append(f"成立日期不能晚于今天（收到 {founded}）")
        out["founded_on"] = founded
    if present("registered_capital"):
        out["registered_capital"] = parse_decimal(
            data.get("registered_capital"),
            label="注册资本",
            errors=errors,
            field="registered_capital",
            allow_negative=False,
        )
    if present("ownership_type"):
        out["ownership_type"] = _choice(
            data.get("ownership_type"),
            OwnershipType,
            label="登记注册类型",
            errors=errors,
            field="ownership_type",
            synonyms=ownership_synonyms(),
        )
    if present("construction_qualification"):
        out["construction_qualification"] = _choice(
            data.get("construction_qualification"),
            ConstructionQualification,
            label="建筑业资质",
            errors=errors,
            field="construction_qualification",
        )
    for key, limit in TEXT_LIMITS.items():
        if key == "name" or not present(key):
            continue
        value = " ".join(str(data.get(key) or "").split())
        if len(value) > limit:
            errors.setdefault(key, []).append(f"不能超过{limit}个字（现有{len(value)}个）")
        out[key] = value
    if "name" in out and len(out["name"]) > TEXT_LIMITS["name"]:
        errors.setdefault("name", []).append(f"单位名称不能超过{TEXT_LIMITS['name']}个字")
    if errors:
        raise ValidationError(errors)
    return out
