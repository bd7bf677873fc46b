"""Server-side SVG charts for printed reports (WeasyPrint renders SVG; no JavaScript, no matplotlib).

Three shapes, each a pure function of plain values returning one ``<svg>`` element as text:

* :func:`bar_chart` — vertical bars, grouped or stacked, one colour per series, with a legend;
* :func:`hbar_chart` — horizontal bars with long Chinese labels at the left (the completion of each
  target), an optional reference line (100 %) and one colour per bar;
* :func:`line_chart` — a line per series over years (missing values leave a gap), an optional
  dashed goal line.

Axes with "nice" ticks (1, 2, 2.5, 5 × 10ⁿ), labels in Chinese, font "Noto Sans CJK SC" (Debian's
``fonts-noto-cjk``). Every piece of text goes through :func:`esc`, so labels may hold ``<&>"``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

FONT = "'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif"
PALETTE = ["#1f4e8c", "#c0392b", "#d68910", "#2e8b57", "#7d3c98", "#17a2b8", "#5d6d7e", "#a04000"]
AXIS = "#555"
GRID = "#dde3ea"
TEXT = "#222"

Number = int | float | Decimal | None


def esc(text) -> str:
    """Text for an SVG text node or attribute."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def text_width(text: str, size: float) -> float:
    """Rough width of ``text`` at ``size`` px: a CJK character is one em, others about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.56 for ch in str(text))


def clip(text: str, size: float, width: float) -> str:
    """``text`` cut with "…" to fit ``width``."""
    text = str(text)
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def number_text(value: float) -> str:
    """5000 → "5,000", 12.5 → "12.5", 0.333 → "0.33"."""
    if value is None:
        return "—"
    value = float(value)
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Ticks from 0 to at least ``high`` at a round step."""
    high = float(high)
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{esc(FONT)}" font-size="11" fill="{TEXT}" '
        f'role="img" aria-label="{esc(title)}">'
        f"<title>{esc(title)}</title>" + "".join(body) + "</svg>"
    )


def _text(x, y, text, *, size=11, anchor="start", weight="normal", fill=TEXT, rotate=None) -> str:
    transform = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate is not None else ""
    bold = ' font-weight="bold"' if weight != "normal" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"'
        f"{bold}{transform}>{esc(text)}</text>"
    )


def _legend(names: Sequence[str], colors: Sequence[str], x: float, y: float, width: float) -> list[str]:
    """A legend row (wrapping) starting at (x, y); returns the elements."""
    out, cx, cy = [], x, y
    for name, color in zip(names, colors, strict=False):
        w = 16 + text_width(name, 11) + 16
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 16
        out.append(f'<rect x="{cx:.1f}" y="{cy - 9:.1f}" width="11" height="11" fill="{color}"/>')
        out.append(_text(cx + 15, cy, name))
        cx += w
    return out


def _legend_height(names: Sequence[str], width: float) -> float:
    rows, cx = 1, 0.0
    for name in names:
        w = 16 + text_width(name, 11) + 16
        if cx + w > width and cx > 0:
            rows, cx = rows + 1, 0.0
        cx += w
    return rows * 16


def _value_axis(ticks, *, left, top, plot_w, plot_h, unit, fmt=number_text) -> list[str]:
    out = []
    peak = ticks[-1] or 1
    for t in ticks:
        y = top + plot_h - plot_h * t / peak
        out.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.8"/>'
        )
        out.append(_text(left - 6, y + 4, fmt(t), size=10, anchor="end", fill=AXIS))
    out.append(
        f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{top + plot_h:.1f}" stroke="{AXIS}" stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{left:.1f}" y1="{top + plot_h:.1f}" x2="{left + plot_w:.1f}" y2="{top + plot_h:.1f}" stroke="{AXIS}" stroke-width="1"/>'
    )
    if unit:
        out.append(_text(left - 6, top - 8, f"（{unit}）", size=10, anchor="end", fill=AXIS))
    return out


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    unit: str = "",
    stacked: bool = False,
    width: int = 680,
    height: int = 300,
    colors: Sequence[str] = PALETTE,
    value_labels: bool = True,
) -> str:
    """Vertical bars: one group (or stack) per category, one bar (or segment) per series."""
    names = [name for name, _ in series]
    legend_h = _legend_height(names, width - 80) if len(series) > 1 else 0
    rotate = (
        max((text_width(c, 9.5) for c in categories), default=0) > (width - 72) / max(len(categories), 1) - 2
    )
    bottom = 64 if rotate else 30
    left, right, top = 56, 14, 34 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [[float(v) if v is not None else None for v in vals] for _, vals in series]
    if stacked:
        peak = max((sum(v[i] or 0 for v in values) for i in range(len(categories))), default=0)
    else:
        peak = max((x for v in values for x in v if x is not None), default=0)
    ticks = nice_ticks(peak * 1.08 if value_labels else peak)
    scale = plot_h / (ticks[-1] or 1)
    body = [_text(width / 2, 16, title, size=13, anchor="middle", weight="bold")]
    if len(series) > 1:
        body += _legend(names, colors, left, 34, width - left - right)
    body += _value_axis(ticks, left=left, top=top, plot_w=plot_w, plot_h=plot_h, unit=unit)
    slot = plot_w / max(len(categories), 1)
    inner = slot * 0.7
    base_y = top + plot_h
    for i, category in enumerate(categories):
        x0 = left + slot * i + (slot - inner) / 2
        if stacked:
            acc = 0.0
            for s, vals in enumerate(values):
                v = vals[i] or 0
                if v <= 0:
                    continue
                h = v * scale
                y = base_y - (acc + v) * scale
                body.append(
                    f'<rect x="{x0:.1f}" y="{y:.1f}" width="{inner:.1f}" height="{h:.1f}" fill="{colors[s % len(colors)]}"/>'
                )
                acc += v
            if value_labels and acc:
                body.append(
                    _text(x0 + inner / 2, base_y - acc * scale - 3, number_text(acc), size=9, anchor="middle")
                )
        else:
            bar_w = inner / max(len(values), 1)
            for s, vals in enumerate(values):
                v = vals[i]
                if v is None:
                    continue
                h = max(v, 0) * scale
                x = x0 + bar_w * s
                body.append(
                    f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{bar_w * 0.92:.1f}" height="{h:.1f}" fill="{colors[s % len(colors)]}"/>'
                )
                if value_labels:
                    body.append(
                        _text(x + bar_w * 0.46, base_y - h - 3, number_text(v), size=8.5, anchor="middle")
                    )
        cx = left + slot * (i + 0.5)
        if rotate:
            body.append(
                _text(
                    cx + 4, base_y + 12, clip(category, 10, bottom * 1.3), size=10, anchor="end", rotate=-40
                )
            )
        else:
            body.append(_text(cx, base_y + 15, clip(category, 9.5, slot - 2), size=9.5, anchor="middle"))
    return _svg(width, height, body, title)


def hbar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[Number],
    colors: Sequence[str] | None = None,
    value_texts: Sequence[str] | None = None,
    unit: str = "",
    reference: float | None = None,
    reference_label: str = "",
    cap: float | None = None,
    legend: Sequence[tuple[str, str]] = (),
    width: int = 680,
    max_height: int = 880,
    label_width: int = 230,
    percent_axis: bool = False,
) -> str:
    """Horizontal bars, one per label (top to bottom); values above ``cap`` are drawn at the cap.
    Rows get thinner (down to 12 px) so that the chart stays within ``max_height`` (one A4 page)."""
    legend_names = [n for n, _ in legend]
    legend_h = _legend_height(legend_names, width - 40) + 6 if legend else 0
    top = 30 + legend_h + 14
    row_h = max(12.0, min(24.0, (max_height - top - 30) / max(len(labels), 1)))
    bar_height = row_h * 0.68
    font = min(10.5, row_h * 0.66)
    plot_h = row_h * max(len(labels), 1)
    height = int(top + plot_h + 30)
    left, right = label_width, 58
    plot_w = width - left - right
    nums = [float(v) if v is not None else None for v in values]
    peak = max([x for x in nums if x is not None] + [reference or 0, 0])
    if cap is not None:
        peak = min(peak, cap)
    ticks = nice_ticks(peak)
    scale = plot_w / (ticks[-1] or 1)
    fmt = (lambda t: f"{number_text(t * 100)}%") if percent_axis else number_text
    body = [_text(width / 2, 16, title, size=13, anchor="middle", weight="bold")]
    if legend:
        body += _legend(legend_names, [c for _, c in legend], 20, 36, width - 40)
    for t in ticks:
        x = left + t * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + plot_h:.1f}" stroke="{GRID}" stroke-width="0.8"/>'
        )
        body.append(_text(x, top + plot_h + 14, fmt(t), size=10, anchor="middle", fill=AXIS))
    if unit:
        body.append(_text(left + plot_w, top + plot_h + 26, f"（{unit}）", size=10, anchor="end", fill=AXIS))
    for i, label in enumerate(labels):
        y = top + row_h * i + (row_h - bar_height) / 2
        base = y + bar_height / 2 + font * 0.36
        body.append(_text(left - 6, base, clip(label, font, left - 12), size=font, anchor="end"))
        v = nums[i]
        shown = value_texts[i] if value_texts else (number_text(v) if v is not None else "—")
        if v is None:
            body.append(_text(left + 4, base, shown, size=font, fill="#888"))
            continue
        drawn = min(max(v, 0), ticks[-1])
        color = colors[i] if colors else PALETTE[0]
        body.append(
            f'<rect x="{left:.1f}" y="{y:.1f}" width="{drawn * scale:.1f}" height="{bar_height:.1f}" fill="{color}"/>'
        )
        body.append(_text(left + drawn * scale + 4, base, shown, size=font))
    body.append(
        f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{top + plot_h:.1f}" stroke="{AXIS}" stroke-width="1"/>'
    )
    if reference is not None and reference <= ticks[-1]:
        x = left + reference * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6:.1f}" x2="{x:.1f}" y2="{top + plot_h:.1f}" stroke="#c0392b" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
        if reference_label:
            body.append(_text(x, top - 9, reference_label, size=9.5, anchor="middle", fill="#c0392b"))
    return _svg(width, height, body, title)


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    unit: str = "",
    goal: Number = None,
    goal_label: str = "目标",
    width: int = 330,
    height: int = 200,
    colors: Sequence[str] = PALETTE,
    title_size: float = 11.5,
) -> str:
    """Lines over ``categories`` (years); a None value breaks the line. ``goal``: a dashed line."""
    names = [name for name, _ in series] + ([goal_label] if goal is not None else [])
    legend_h = _legend_height(names, width - 20) if len(names) > 1 else 0
    left, right, top, bottom = 52, 14, 30 + legend_h + 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [[float(v) if v is not None else None for v in vals] for _, vals in series]
    peak = max([x for v in values for x in v if x is not None] + [float(goal or 0), 0])
    ticks = nice_ticks(peak * 1.05)
    scale = plot_h / (ticks[-1] or 1)
    body = [
        _text(
            width / 2,
            15,
            clip(title, title_size, width - 10),
            size=title_size,
            anchor="middle",
            weight="bold",
        )
    ]
    if len(names) > 1:
        body += _legend(names, [*colors[: len(series)], "#c0392b"], 10, 32, width - 20)
    body += _value_axis(ticks, left=left, top=top, plot_w=plot_w, plot_h=plot_h, unit=unit)
    n = max(len(categories), 1)
    step = plot_w / n
    xs = [left + step * (i + 0.5) for i in range(n)]
    base_y = top + plot_h
    every = max(1, math.ceil(len(categories) * 30 / plot_w))
    for i, category in enumerate(categories):
        if i % every == 0:
            body.append(_text(xs[i], base_y + 14, category, size=10, anchor="middle", fill=AXIS))
    if goal is not None:
        y = base_y - float(goal) * scale
        body.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="#c0392b" stroke-width="1.2" stroke-dasharray="5 3"/>'
        )
    for s, vals in enumerate(values):
        color = colors[s % len(colors)]
        run: list[str] = []
        segments: list[list[str]] = []
        for i, v in enumerate(vals):
            if v is None:
                if run:
                    segments.append(run)
                run = []
                continue
            run.append(f"{xs[i]:.1f},{base_y - v * scale:.1f}")
        if run:
            segments.append(run)
        for seg in segments:
            if len(seg) > 1:
                body.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{color}" stroke-width="1.8"/>'
                )
        for i, v in enumerate(vals):
            if v is None:
                continue
            y = base_y - v * scale
            body.append(f'<circle cx="{xs[i]:.1f}" cy="{y:.1f}" r="2.6" fill="{color}"/>')
            if len(values) == 1:
                body.append(_text(xs[i], y - 5, number_text(v), size=8.5, anchor="middle"))
    return _svg(width, height, body, title)
