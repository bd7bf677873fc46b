"""Formatting for the pages: amounts in 万元 with thousands separators, persons, rates as
percentages, durations, query strings."""

from decimal import Decimal

from django import template
from django.utils.http import urlencode

from smeplan.web import formatting

register = template.Library()


@register.filter
def wan(value) -> str:
    """An amount in 万元: '12,345.60'; '—' when missing."""
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(value):,.2f}"
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


@register.filter
def percent(value, places=2) -> str:
    """A rate stored as a fraction: 0.0500 → '5%', 0.1234 → '12.34%'; '—' when missing."""
    return formatting.percent(value, int(places))


@register.filter
def duration(seconds) -> str:
    """Seconds as '4.4 秒' (or '2 分 5 秒'); '—' when missing."""
    return formatting.duration(seconds)


@register.filter
def persons(value) -> str:
    """A head count: '1,234'; '—' when missing."""
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}"
    except (ValueError, TypeError):
        return str(value)


@register.filter
def above_scale_label(value) -> str:
    from django.utils.translation import gettext

    if value is None:
        return gettext("无法判定")
    return gettext("是") if value else gettext("否")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied (a value of None removes the key)."""
    request = context["request"]
    params = {k: v for k, v in request.GET.items()}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params) if params else "?"


@register.simple_tag(takes_context=True)
def sort_link(context, column: str) -> str:
    """Query string that sorts by ``column`` (ascending, or descending when already ascending)."""
    current = context["request"].GET.get("sort", "name")
    target = f"-{column}" if current == column else column
    return query_with(context, sort=target, page=None)


@register.simple_tag(takes_context=True)
def sort_mark(context, column: str) -> str:
    current = context["request"].GET.get("sort", "name")
    if current == column:
        return "▲"
    if current == f"-{column}":
        return "▼"
    return ""


@register.filter
def former_names(value) -> str:
    """The stored 'a|b' former names as 'a、b'."""
    return "、".join(n for n in str(value or "").split("|") if n)
