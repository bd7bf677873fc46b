"""Validation of yearly figures input (forms, API, imports): every problem, in Chinese, per field."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from smeplan.indicators.models import FIGURE_FIELDS
from smeplan.registry.validation import parse_decimal

FIRST_YEAR = 1949
# Figures that can never be negative; total_profit (利润总额) may be.
NON_NEGATIVE = {f for f, _, _ in FIGURE_FIELDS} - {"total_profit"}


def year_clean(raw, errors: dict) -> int | None:
    current = timezone.localdate().year
    if raw in (None, ""):
        errors.setdefault("year", []).append("请填写年度")
        return None
    try:
        year = int(str(raw).strip().removesuffix("年"))
    except ValueError:
        errors.setdefault("year", []).append(f"年度应为四位数字年份，收到“{raw}”")
        return None
    if year > current:
        errors.setdefault("year", []).append(f"年度不能晚于当前年度（{current}），收到 {year}")
    elif year < FIRST_YEAR:
        errors.setdefault("year", []).append(f"年度不能早于{FIRST_YEAR}年，收到 {year}")
    return year


def figures_clean(data: dict, *, partial: bool = False, with_year: bool = True) -> dict:
    """Validate figure values (and the year). Missing keys are left out when ``partial``; an empty
    value means "no figure" (NULL). Raises ValidationError({field: [messages]})."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    if with_year:
        out["year"] = year_clean(data.get("year"), errors)
    for field, label, unit in FIGURE_FIELDS:
        if partial and field not in data:
            continue
        out[field] = parse_decimal(
            data.get(field),
            label=label,
            errors=errors,
            field=field,
            allow_negative=field not in NON_NEGATIVE,
            integer=(unit == "人"),
        )
    if errors:
        raise ValidationError(errors)
    return out
