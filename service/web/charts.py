"""Small server-rendered SVG charts: no charting library, no script, nothing loaded by the browser.

Every label goes through `markupsafe.escape`, because source names and analyst names are data.
Colours come from CSS classes (`series-0` ...), so the charts follow the page's palette.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
BAR_HEIGHT = 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 12, 12, 44


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 4.0
    if value <= 40 and float(value).is_integer():
        return float(-(-int(value) // 4) * 4)  # counts: four whole-number grid steps
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(value)


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def stacked_bars(title: str, categories: Sequence[str], series: Sequence[Series]) -> Markup:
    """Vertical stacked bars (e.g. ads per day, stacked by source), with a legend."""
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top = _nice_max(max(totals, default=0))
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, BAR_HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_w / max(1, len(categories))
    bar_w = max(2.0, slot * 0.7)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {BAR_HEIGHT + 24 * ((len(series) + 3) // 4)}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i in range(5):
        y = PAD_TOP + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="axis" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{_fmt(top * i / 4)}</text>')
    label_every = max(1, len(categories) // 8)
    for i, category in enumerate(categories):
        x = PAD_LEFT + slot * i + (slot - bar_w) / 2
        base = float(PAD_TOP + plot_h)
        for k, s in enumerate(series):
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / top
            base -= h
            parts.append(f'<rect class="series-{k % 8}" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" '
                         f'height="{h:.1f}"><title>{escape(category)} · {escape(s.name)}: {_fmt(value)}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text class="axis" x="{x + bar_w / 2:.1f}" y="{PAD_TOP + plot_h + 16}" '
                         f'text-anchor="middle">{escape(category)}</text>')
    parts.append(_legend([s.name for s in series], BAR_HEIGHT - 8))
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bars(title: str, values: Mapping[str, float], value_format: str = "{:.0f}") -> Markup:
    """One bar per label (e.g. decisions per analyst, queue by status), longest first."""
    items = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    row_h, label_w = 26, 170
    height = max(1, len(items)) * row_h + 8
    top = _nice_max(max((v for _, v in items), default=0))
    plot_w = WIDTH - label_w - 60
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">'
             f"<title>{escape(title)}</title>"]
    if not items:
        parts.append(f'<text class="axis" x="{WIDTH / 2}" y="{height / 2 + 4}" text-anchor="middle">'
                     "belum ada data</text>")
    for i, (name, value) in enumerate(items):
        y = 4 + i * row_h
        w = plot_w * value / top
        parts.append(f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(name)}</text>'
                     f'<rect class="series-{i % 8}" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}"/>'
                     f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 17}">'
                     f"{escape(value_format.format(value))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(names: Sequence[str], y: float) -> str:
    """Legend items laid out left to right by their label length, wrapping to a new row when full."""
    parts = []
    x, row_y = float(PAD_LEFT), y
    for k, name in enumerate(names):
        width = 30 + 7 * len(name)
        if x + width > WIDTH - PAD_RIGHT and x > PAD_LEFT:
            x, row_y = float(PAD_LEFT), row_y + 24
        parts.append(f'<rect class="series-{k % 8}" x="{x}" y="{row_y - 10}" width="12" height="12"/>'
                     f'<text class="legend" x="{x + 18}" y="{row_y}">{escape(name)}</text>')
        x += width
    return "".join(parts)
