"""How numbers are shown to users — one formatter each, used by templates (filters in
``templatetags/smeplan_web``) and views' messages alike: durations in 秒 (or 分/小时), rates as
percentages (5%, not 0.0500)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def duration(seconds) -> str:
    """A duration: '不到 0.1 秒', '4.4 秒', '2 分 5 秒', '1 小时 3 分'; '—' when missing."""
    if seconds is None or seconds == "":
        return "—"
    try:
        s = float(seconds)
    except (TypeError, ValueError):
        return "—"
    if s < 0.05:
        return "不到 0.1 秒"
    if s < 59.95:
        return f"{s:.1f} 秒"
    whole = round(s)
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} 分 {rest} 秒" if rest else f"{minutes} 分"
    hours, rest = divmod(whole, 3600)
    minutes = rest // 60
    return f"{hours} 小时 {minutes} 分" if minutes else f"{hours} 小时"


def percent(value, places: int = 2, *, trim: bool = True) -> str:
    """A rate given as a fraction, as a percentage with at most ``places`` decimals: 0.05 → '5%',
    0.1234 → '12.34%' (``trim=False`` keeps the zeros: '5.00%', for aligned columns); '—' when
    missing."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value)) * 100
        if not number.is_finite():
            return "—"
    except (InvalidOperation, TypeError, ValueError):
        return "—"
    text = f"{number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0." + "0" * places):
        text = text[1:]
    return f"{text}%"
