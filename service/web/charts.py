"""Small server-rendered SVG charts: no charting library, no script, nothing loaded by the browser.

Every label goes through `markupsafe.escape`, because source names and analyst names are data.
Colours are never chosen here: each bar carries a tone class (`tone-trafficking`, `tone-source-0`, ...)
and desk.css gives each tone its one colour, the same one the badges and buttons use, so TPPO is the
same purple in every chart and on every page. Each chart is drawn twice, wide for laptops and narrow
for phones, and the stylesheet shows the one that fits: text stays at its real size, nothing scrolls.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDE, NARROW = 640, 330
BAR_HEIGHT = 220
PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 8, 18, 44
LABEL_SPACING = 38  # least room one day label ("30/11") needs on the x axis
NEUTRAL = "neutral"  # counts that belong to no class (queue states, analysts, model figures)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    tone: str = NEUTRAL  # a tone class of desk.css: trafficking, scam, benign, below-threshold, source-N, neutral
    shade: int = 0  # 1, 2, 3: lighter versions of the tone, for several series of one class


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
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".replace(".", ",")


def _tone(tone: str, shade: int = 0) -> str:
    return f"tone-{escape(tone)}" + (f" shade-{min(shade, 3)}" if shade else "")


def responsive(draw: Callable[[int], Markup]) -> Markup:
    """The chart drawn at laptop and at phone width; CSS shows one (`chart-wide` / `chart-narrow`)."""
    return (Markup('<div class="chart-wide">') + draw(WIDE) + Markup('</div><div class="chart-narrow">')
            + draw(NARROW) + Markup("</div>"))


def stacked_bars(title: str, categories: Sequence[str], series: Sequence[Series], width: int = WIDE) -> Markup:
    """Vertical stacked bars (e.g. ads per day, stacked by source), each with its total, and a legend."""
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top = _nice_max(max(totals, default=0))
    pad_left = 28
    plot_w, plot_h = width - pad_left - PAD_RIGHT, BAR_HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_w / max(1, len(categories))
    bar_w = max(2.0, slot * 0.7)
    legend, legend_rows = _legend([(s.name, _tone(s.tone, s.shade)) for s in series], BAR_HEIGHT - 8, width,
                                  pad_left)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {BAR_HEIGHT + 24 * (legend_rows - 1) + 8}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i in range(5):
        y = PAD_TOP + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{pad_left}" x2="{width - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="axis" x="{pad_left - 5}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{_fmt(top * i / 4)}</text>')
    label_every = max(1, math.ceil(LABEL_SPACING / slot))
    for i, category in enumerate(categories):
        x = pad_left + slot * i + (slot - bar_w) / 2
        base = float(PAD_TOP + plot_h)
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / top
            base -= h
            parts.append(f'<rect class="{_tone(s.tone, s.shade)}" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" '
                         f'height="{h:.1f}"><title>{escape(category)} · {escape(s.name)}: {_fmt(value)}</title></rect>')
        if totals[i] > 0 and slot >= 14:
            parts.append(f'<text class="value total" x="{x + bar_w / 2:.1f}" y="{base - 4:.1f}" '
                         f'text-anchor="middle">{_fmt(totals[i])}</text>')
        if i % label_every == 0:
            parts.append(f'<text class="axis" x="{x + bar_w / 2:.1f}" y="{PAD_TOP + plot_h + 16}" '
                         f'text-anchor="middle">{escape(category)}</text>')
    parts.append(legend)
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bars(title: str, values: Mapping[str, float], value_format: str = "{:.0f}",
                    tones: Mapping[str, str] | None = None, width: int = WIDE) -> Markup:
    """One bar per label (e.g. decisions per analyst, queue by status), longest first.

    Wide: the label left of its bar. Narrow: the label on its own line above the bar, so a long name
    never squeezes the bar or pushes the value off the screen.
    """
    items = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    narrow = width < 480
    row_h, label_w = (40, 0) if narrow else (26, 170)
    height = max(1, len(items)) * row_h + 8
    top = _nice_max(max((v for _, v in items), default=0))
    plot_w = width - label_w - 60
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
             f"<title>{escape(title)}</title>"]
    if not items:
        parts.append(f'<text class="axis" x="{width / 2}" y="{height / 2 + 4}" text-anchor="middle">'
                     "belum ada data</text>")
    for i, (name, value) in enumerate(items):
        y = 4 + i * row_h
        w = plot_w * value / top
        tone = _tone((tones or {}).get(name, NEUTRAL))
        if narrow:
            parts.append(f'<text class="label" x="0" y="{y + 13}">{escape(name)}</text>'
                         f'<rect class="{tone}" x="0" y="{y + 19}" width="{w:.1f}" height="14"/>'
                         f'<text class="value" x="{w + 6:.1f}" y="{y + 31}">'
                         f"{escape(value_format.format(value))}</text>")
        else:
            parts.append(f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(name)}</text>'
                         f'<rect class="{tone}" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}"/>'
                         f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 17}">'
                         f"{escape(value_format.format(value))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class SplitRow:
    """One bar of `split_bars`: its label, its class tone, and one value per part (e.g. waiting, decided)."""

    name: str
    tone: str
    values: Sequence[float]


def split_bars(title: str, rows: Sequence[SplitRow], parts: Sequence[str], width: int = WIDE) -> Markup:
    """One horizontal bar per row, split into parts: the row's tone for its class, a lighter shade per part.

    The order of `rows` is kept (callers group them by class); the legend names the parts by shade.
    """
    narrow = width < 480
    row_h, label_w = (40, 0) if narrow else (26, 190)
    top = _nice_max(max((sum(row.values) for row in rows), default=0))
    plot_w = width - label_w - 60
    legend, legend_rows = _legend([(part, _tone(NEUTRAL, 2 * k)) for k, part in enumerate(parts)],
                                  max(1, len(rows)) * row_h + 24, width, 0)
    height = max(1, len(rows)) * row_h + 24 * legend_rows + 12
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
           f"<title>{escape(title)}</title>"]
    if not rows:
        out.append(f'<text class="axis" x="{width / 2}" y="{row_h / 2 + 4}" text-anchor="middle">belum ada data</text>')
    for i, row in enumerate(rows):
        y = 4 + i * row_h
        bar_y, bar_h = (y + 19, 14) if narrow else (y + 4, row_h - 8)
        if narrow:
            out.append(f'<text class="label" x="0" y="{y + 13}">{escape(row.name)}</text>')
        else:
            out.append(f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">'
                       f"{escape(row.name)}</text>")
        x = float(label_w)
        for k, (part, value) in enumerate(zip(parts, row.values, strict=True)):
            if value <= 0:
                continue
            w = plot_w * value / top
            out.append(f'<rect class="{_tone(row.tone, 2 * k)}" x="{x:.1f}" y="{bar_y}" width="{w:.1f}" '
                       f'height="{bar_h}"><title>{escape(row.name)} · {escape(part)}: {_fmt(value)}</title></rect>')
            x += w
        out.append(f'<text class="value" x="{x + 6:.1f}" y="{bar_y + bar_h - 3}">{_fmt(sum(row.values))}</text>')
    out.append(legend)
    out.append("</svg>")
    return Markup("".join(out))


def _legend(items: Sequence[tuple[str, str]], y: float, width: int, left: int) -> tuple[str, int]:
    """Legend entries (name, tone classes) left to right by label length, wrapping when full; (svg, rows)."""
    parts = []
    x, row_y, rows = float(left), y, 1
    for name, tone_class in items:
        item_w = 30 + 7 * len(name)
        if x + item_w > width - PAD_RIGHT and x > left:
            x, row_y, rows = float(left), row_y + 24, rows + 1
        parts.append(f'<rect class="{tone_class}" x="{x}" y="{row_y - 10}" width="12" height="12"/>'
                     f'<text class="legend" x="{x + 18}" y="{row_y}">{escape(name)}</text>')
        x += item_w
    return "".join(parts), rows
