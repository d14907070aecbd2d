"""Inline SVG charts for the HTML report: no scripts, no external resources.

Every text placed in a chart goes through ``html.escape``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def line_chart(
    points: Sequence[tuple[date | datetime, float | None]],
    *,
    width: int = 720,
    height: int = 220,
    y_range: tuple[float, float] = (3.0, 5.0),
    guides: Sequence[tuple[float, str]] = (),
    title: str = "",
    empty_text: str = "no data",
) -> str:
    """A line chart of (date, value) points; ``None`` values break the line (a gap, not
    a zero). ``guides`` are horizontal dashed lines (value, label), e.g. tier thresholds.
    The y axis covers ``y_range``, widened to take in every value."""
    pad_left, pad_right, pad_top, pad_bottom = 44, 16, 14, 30
    inner_w, inner_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    values = [v for _, v in points if v is not None]
    lo = min([y_range[0], *values])
    hi = max([y_range[1], *values])
    if hi - lo < 1e-9:
        hi = lo + 1.0

    def x_at(i: int) -> float:
        return pad_left + (inner_w * i / (len(points) - 1) if len(points) > 1 else inner_w / 2)

    def y_at(v: float) -> float:
        return pad_top + inner_h * (hi - v) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{pad_left}" y="{pad_top}" width="{inner_w}" height="{inner_h}" '
        'fill="#fafafa" stroke="#ddd"/>',
    ]
    step = 0.5 if hi - lo <= 3 else 1.0
    tick = round(lo / step) * step
    while tick <= hi + 1e-9:
        if tick >= lo - 1e-9:
            y = _fmt(y_at(tick))
            parts.append(
                f'<line x1="{pad_left}" x2="{pad_left + inner_w}" y1="{y}" y2="{y}" '
                'stroke="#eee"/>'
                f'<text x="{pad_left - 6}" y="{y}" text-anchor="end" '
                f'dominant-baseline="middle" class="tick">{tick:.1f}</text>'
            )
        tick += step
    for value, label in guides:
        if lo <= value <= hi:
            y = _fmt(y_at(value))
            parts.append(
                f'<line x1="{pad_left}" x2="{pad_left + inner_w}" y1="{y}" y2="{y}" '
                'stroke="#c99" stroke-dasharray="4 3"/>'
                f'<text x="{pad_left + inner_w - 4}" y="{_fmt(y_at(value) - 4)}" '
                f'text-anchor="end" class="guide">{escape(label)}</text>'
            )
    if not values:
        parts.append(
            f'<text x="{pad_left + inner_w / 2}" y="{pad_top + inner_h / 2}" '
            f'text-anchor="middle" class="empty">{escape(empty_text)}</text>'
        )
    runs: list[list[tuple[float, float]]] = [[]]
    for i, (_, v) in enumerate(points):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((x_at(i), y_at(v)))
    for run in runs:
        if len(run) > 1:
            coords = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in run)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="#2563eb" stroke-width="2"/>'
            )
    for i, (when, v) in enumerate(points):
        if v is not None:
            parts.append(
                f'<circle cx="{_fmt(x_at(i))}" cy="{_fmt(y_at(v))}" r="3" fill="#2563eb">'
                f"<title>{escape(f'{when:%Y-%m-%d}')}: {v:.2f}</title></circle>"
            )
    if points:
        labelled = {0, len(points) - 1, (len(points) - 1) // 2}
        for i in sorted(labelled):
            anchor = "start" if i == 0 else "end" if i == len(points) - 1 else "middle"
            parts.append(
                f'<text x="{_fmt(x_at(i))}" y="{height - 10}" text-anchor="{anchor}" '
                f'class="tick">{escape(f"{points[i][0]:%Y-%m-%d}")}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
