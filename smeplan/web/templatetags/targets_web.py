"""Filters of the targets pages: numbers without needless decimals, ratios as percentages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def num(value) -> str:
    """5000 → "5,000"; 12.50 → "12.5"; None → "—"."""
    if value is None or value == "":
        return "—"
    try:
        text = f"{Decimal(value):,.2f}"
    except (ArithmeticError, ValueError, TypeError):
        return str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def pct(value) -> str:
    """0.4567 → "45.7%"; None → "—"."""
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.1f}%"


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when absent)."""
    if not mapping:
        return None
    return mapping.get(key)
