"""Reads of the industry classification (public reference data, not scoped)."""

from django.db.models import QuerySet

from smeplan.industries.models import Industry, IndustryLevel


def sections() -> QuerySet[Industry]:
    return Industry.objects.filter(level=IndustryLevel.SECTION).order_by("code")


def divisions(section: str | None = None) -> QuerySet[Industry]:
    qs = Industry.objects.filter(level=IndustryLevel.DIVISION)
    if section:
        qs = qs.filter(section=section)
    return qs.order_by("code")


def industry_get(code: str | None) -> Industry | None:
    if not code:
        return None
    return Industry.objects.filter(code=str(code).strip().upper()).first()


def industry_options() -> QuerySet[Industry]:
    """(code, name) of every code at every level, for pick lists."""
    return Industry.objects.order_by("code").values_list("code", "name")
