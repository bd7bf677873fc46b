"""Helpers shared by the views."""

from django.core.exceptions import PermissionDenied

from smeplan.accounts.scoping import regions_filter
from smeplan.regions.models import Region
from smeplan.regions.selectors import city_level_units, counties


def require_page(allowed: bool) -> None:
    """Refuse (403) a page the user's role may not open."""
    if not allowed:
        raise PermissionDenied("您的角色无权打开此页面")


def visible_cities(user) -> list[Region]:
    return list(regions_filter(user, city_level_units()))


def visible_counties(user, city: Region | None = None) -> list[Region]:
    qs = regions_filter(user, counties())
    if city is not None:
        qs = qs.filter(path__startswith=city.path)
    return list(qs.select_related("parent"))


def county_choices(user) -> list:
    """Counties within the user's scope grouped by city-level unit, for a <select> with <optgroup>s."""
    groups: dict[str, list] = {}
    labels: dict[str, str] = {}
    for county in visible_counties(user):
        city_code = county.city_level_unit_code() or county.code
        groups.setdefault(city_code, []).append((county.code, county.name))
        if county.parent is not None:
            labels.setdefault(
                city_code, county.parent.name if county.parent.code == city_code else county.name
            )
    return [(labels.get(code, code), options) for code, options in groups.items()]


# --- what the pages of every app share: service refusals, selections, the page to go back to ------


def messages_of(exc) -> list[str]:
    """The Chinese messages of a service refusal (ValidationError, PermissionDenied, …)."""
    return list(getattr(exc, "messages", None) or [str(exc)])


def flash_errors(request, exc) -> None:
    """A refusal shown as messages on the next page."""
    from django.contrib import messages

    for text in messages_of(exc):
        messages.error(request, text)


def split_errors(exc) -> tuple[dict[str, list[str]], list[str]]:
    """(messages per field, messages for the top of the page) of a ValidationError."""
    if hasattr(exc, "error_dict"):
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        return fields, fields.pop("__all__", [])
    return {}, messages_of(exc)


def selected_items(values) -> list[tuple[int, int]]:
    """Checked rows posted as "pk:version" → [(pk, version)]; anything else is refused."""
    from django.core.exceptions import ValidationError

    out = []
    for value in values:
        pk, _, version = str(value).partition(":")
        if not (pk.strip().isdigit() and version.strip().isdigit()):
            raise ValidationError(f"所选申报的格式不正确（收到「{value}」），请刷新页面后重试")
        out.append((int(pk), int(version)))
    return out


def safe_next(request, default: str) -> str:
    """The page a form came from (``next``), when it is on this site; else ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def warnings_digest(messages) -> str:
    """A short fingerprint of the plausibility warnings shown with a form: the 确认无误 tick confirms
    exactly these (a value changed since, and so a different warning, asks again)."""
    import hashlib

    return hashlib.sha256("\n".join(sorted(str(m) for m in messages)).encode()).hexdigest()[:16]


def confirmed_for(post, messages) -> bool:
    """The user ticked 确认无误 under exactly these warnings."""
    return post.get("confirm_warnings") == "1" and post.get("warnings_digest") == warnings_digest(messages)
