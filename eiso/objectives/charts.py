"""An indicator's measurements against its target, drawn on the server as inline SVG (no JavaScript).

    measurement_chart(indicator, readings, *, chart_id) -> SafeString

One point per period (a line through them), the target as a dashed line; each point has a <title> with its
period, value and result, and the <desc> says the figures in words. The same figures are in the table below it.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from eiso.objectives.choices import MeasurementResult

LINE_COLOUR, TARGET_COLOUR, BELOW_COLOUR, GRID, MUTED = "#0b5cad", "#1e7b34", "#b3261e", "#d9e0e7", "#5d6b7a"


def _scale_top(values: list[Decimal], target: Decimal) -> Decimal:
    top = max([*values, target, Decimal(1)])
    if top <= 100 and target <= 100 and all(v >= 0 for v in values) and target > 10:
        return Decimal(100)  # a percentage
    return top * Decimal("1.1")


def measurement_chart(indicator, readings, *, chart_id: str) -> SafeString:
    """`readings`: [(label, value | None, result | None)] in period order."""
    from eiso.objectives.selectors import figure, target_text

    values = [v for _label, v, _result in readings if v is not None]
    top = _scale_top(values, indicator.target)
    left, plot_h, col_w = 48, 160, max(40, min(70, 600 // max(len(readings), 1)))
    width, base = left + col_w * len(readings) + 10, 180
    title = _("%(indicator)s: measurements and target") % {"indicator": indicator.name}
    words = "; ".join(f"{label}: {figure(v, indicator.unit)}" for label, v, _r in readings)
    desc = _("Target %(target)s. %(values)s") % {"target": target_text(indicator), "values": words}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {max(width, 260)} {base + 30}" '
        f'width="100%" style="max-width:{max(width, 260)}px" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]

    def y_of(value: Decimal) -> float:
        return base - plot_h * float(value / top)

    for step in range(5):
        tick = top * step / 4
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="{GRID}"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
                     f'{escape(figure(tick.quantize(Decimal(1))))}</text>')
    target_y = y_of(indicator.target)
    parts.append(f'<line x1="{left}" y1="{target_y:.1f}" x2="{width}" y2="{target_y:.1f}" stroke="{TARGET_COLOUR}" '
                 f'stroke-width="2" stroke-dasharray="6 4"><title>{escape(_("Target"))} '
                 f'{escape(target_text(indicator))}</title></line>')
    points = []
    for index, (label, value, result) in enumerate(readings):
        x = left + index * col_w + col_w / 2
        parts.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" fill="{MUTED}">{escape(label)}</text>')
        if value is None:
            continue
        y = y_of(value)
        points.append(f"{x:.1f},{y:.1f}")
        colour = BELOW_COLOUR if result == MeasurementResult.BELOW else LINE_COLOUR
        result_label = MeasurementResult(result).label if result else ""
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"><title>{escape(label)}: '
                     f'{escape(figure(value, indicator.unit))} ({escape(str(result_label))})</title></circle>')
    if len(points) > 1:
        parts.insert(2, f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above  # nosec B308 B703
