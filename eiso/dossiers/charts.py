"""Charts of the dossier statistics, drawn on the server as inline SVG: no JavaScript, no library, nothing
fetched from elsewhere.

    stacked_bars(categories, series, *, title, desc, chart_id, vertical=False, compact=False) -> SafeString
    rate_chart(categories, rates, *, title, desc, chart_id, vertical=False) -> SafeString
    outcome_series(rows) -> list        (early / on time / late of statistics rows, for stacked_bars)

Accessible: each chart is `role="img"` labelled by its <title> and described by its <desc> (what it shows and
its figures in words); every bar has a <title> with its label and value (a tooltip, and read by screen
readers); the colours come with a legend, and late is also hatched so the three kinds differ without colour.
The same figures are in the table on the page.
"""

from __future__ import annotations

import math

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

EARLY, ON_TIME, LATE = "#1e7b34", "#0b5cad", "#b3261e"
RATE = "#0b5cad"
MUTED, LINE = "#5d6b7a", "#d9e0e7"
MAX_BARS = 40  # more groups than this: the first ones are drawn, the table has them all
LABEL_CHARS = 34


def _number(value) -> str:
    """In the language's format (1.234 and 92,5 in Vietnamese)."""
    whole = isinstance(value, int) or float(value).is_integer()
    return number_format(int(value) if whole else round(float(value), 1), decimal_pos=None if whole else 1,
                         force_grouping=True)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ticks(largest: float, count: int = 4) -> list:
    """Round tick values from 0 up to at least `largest` (about `count` steps of 1, 2, 2.5 or 5 × 10ⁿ)."""
    if largest <= 0:
        return [0, 1]
    raw = largest / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    steps = math.ceil(largest / step)
    return [int(step * n) if float(step * n).is_integer() else step * n for n in range(steps + 1)]


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{LATE}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>',
    ]


def _fill(chart_id: str, color: str) -> str:
    return f"url(#{chart_id}-hatch)" if color == LATE else color


def _legend(chart_id: str, series, y: int, x: int = 0) -> list:
    parts = []
    for name, color, _values in series:
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{_fill(chart_id, color)}"/>'
                     f'<text x="{x + 16}" y="{y}">{escape(name)}</text>')
        x += 28 + 7 * len(name)
    return parts


def _x_label(category: str, index: int, x: float, base: float, *, year: bool = True) -> list:
    """A column's label: a month "mm/yyyy" as "mm", with the year under the first column and under January."""
    month, _slash, year_text = category.partition("/")
    if not year_text:
        return [f'<text x="{x:.1f}" y="{base + 14}" text-anchor="middle" fill="{MUTED}">{escape(category)}</text>']
    parts = [f'<text x="{x:.1f}" y="{base + 14}" text-anchor="middle" fill="{MUTED}">{escape(month)}</text>']
    if year and (index == 0 or month == "01"):
        parts.append(f'<text x="{x:.1f}" y="{base + 28}" text-anchor="middle" fill="{MUTED}">{escape(year_text)}'
                     f'</text>')
    return parts


def outcome_series(rows) -> list:
    return [(_("Early"), EARLY, [row["early"] for row in rows]),
            (_("On time"), ON_TIME, [row["on_time"] for row in rows]),
            (_("Late"), LATE, [row["late"] for row in rows])]


def stacked_bars(categories, series, *, title: str, desc: str, chart_id: str, vertical: bool = False,
                 compact: bool = False) -> SafeString:
    """Stacked bars, one per category: horizontal (long labels: agencies, procedures) or vertical (months).
    `series`: [(name, colour, [value per category])]."""
    categories = list(categories)[:MAX_BARS]
    series = [(name, color, list(values)[: len(categories)]) for name, color, values in series]
    totals = [sum(values[i] or 0 for _n, _c, values in series) for i in range(len(categories))]
    ticks = _ticks(max(totals, default=0))
    top = ticks[-1] or 1
    if vertical:
        return _columns(categories, series, totals, ticks, top, title, desc, chart_id, compact)
    label_w, bar_w, row_h = 230, 380, 22
    width, height = label_w + bar_w + 60, 40 + row_h * len(categories) + 30
    parts = _open(chart_id, width, height, title, desc)
    parts += _legend(chart_id, series, 14)
    for tick in ticks:
        x = label_w + bar_w * tick / top
        parts.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{height - 24}" stroke="{LINE}"/>'
                     f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" fill="{MUTED}">{_number(tick)}</text>')
    for i, category in enumerate(categories):
        y = 30 + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end"><title>{escape(category)}</title>'
                     f'{escape(_short(category))}</text>')
        x = label_w
        for name, color, values in series:
            value = values[i] or 0
            if value:
                w = bar_w * value / top
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                             f'fill="{_fill(chart_id, color)}"><title>{escape(category)} – {escape(name)}: '
                             f'{_number(value)}</title></rect>')
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" fill="{MUTED}">{_number(totals[i])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above  # nosec B308 B703


def _columns(categories, series, totals, ticks, top, title, desc, chart_id, compact) -> SafeString:
    left, plot_h = 44, (90 if compact else 200)
    col_w = 26 if compact else max(28, min(60, 560 // max(len(categories), 1)))
    width = left + col_w * len(categories) + 10
    height = plot_h + (44 if compact else 64)
    base = plot_h + 24
    parts = _open(chart_id, max(width, 240), height, title, desc)
    parts += _legend(chart_id, series, 14)
    for tick in (ticks if not compact else (ticks[0], ticks[-1])):
        y = base - plot_h * tick / top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="{LINE}"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{_number(tick)}</text>')
    for i, category in enumerate(categories):
        x, y = left + i * col_w + 3, base
        for name, color, values in series:
            value = values[i] or 0
            if value:
                h = plot_h * value / top
                y -= h
                parts.append(f'<rect x="{x}" y="{y:.1f}" width="{col_w - 6}" height="{h:.1f}" '
                             f'fill="{_fill(chart_id, color)}"><title>{escape(category)} – {escape(name)}: '
                             f'{_number(value)}</title></rect>')
        parts += _x_label(category, i, x + (col_w - 6) / 2, base, year=not compact)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above  # nosec B308 B703


def rate_chart(categories, rates, *, title: str, desc: str, chart_id: str, vertical: bool = False) -> SafeString:
    """The on-time rate (shares 0–1, None: nothing resolved) per category, 0–100 %: horizontal bars, or a line
    over the months (`vertical`)."""
    categories, rates = list(categories)[:MAX_BARS], list(rates)[:MAX_BARS]
    if vertical:
        left, plot_h, col_w = 44, 160, max(28, min(60, 560 // max(len(categories), 1)))
        width, base = left + col_w * len(categories) + 10, 180
        parts = _open(chart_id, max(width, 240), base + 40, title, desc)
        for tick in (0, 25, 50, 75, 100):
            y = base - plot_h * tick / 100
            parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="{LINE}"/>'
                         f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{tick}%</text>')
        points = []
        for i, (category, rate) in enumerate(zip(categories, rates, strict=True)):
            x = left + i * col_w + col_w / 2
            parts += _x_label(category, i, x, base)
            if rate is not None:
                y = base - plot_h * rate
                points.append(f"{x:.1f},{y:.1f}")
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{RATE}"><title>{escape(category)}: '
                             f'{_number(round(rate * 100, 1))}%</title></circle>')
        if len(points) > 1:
            parts.insert(5, f'<polyline points="{" ".join(points)}" fill="none" stroke="{RATE}" stroke-width="2"/>')
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above  # nosec B308 B703
    label_w, bar_w, row_h = 230, 380, 22
    width, height = label_w + bar_w + 60, 16 + row_h * len(categories) + 30
    parts = _open(chart_id, width, height, title, desc)
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="8" x2="{x:.1f}" y2="{height - 24}" stroke="{LINE}"/>'
                     f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" fill="{MUTED}">{tick}%</text>')
    for i, (category, rate) in enumerate(zip(categories, rates, strict=True)):
        y = 10 + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end"><title>{escape(category)}</title>'
                     f'{escape(_short(category))}</text>')
        if rate is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 14}" fill="{MUTED}">–</text>')
            continue
        w = bar_w * rate
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{RATE}">'
                     f'<title>{escape(category)}: {_number(round(rate * 100, 1))}%</title></rect>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" fill="{MUTED}">'
                     f'{_number(round(rate * 100, 1))}%</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above  # nosec B308 B703
