"""The heat map of the risk register as an SVG picture: one grid per assessment (current and residual), a
cell per likelihood × consequence with the number of risks in it, coloured by the cell's level. Built with
ElementTree (well-formed XML, every text escaped); colours are presentation attributes plus a class per
level, never inline style attributes."""

from __future__ import annotations

from xml.etree import ElementTree as ET  # builds XML, parses none  # nosec B405

from django.utils.translation import gettext as _

from eiso.risks.choices import RiskLevel
from eiso.risks.models import RiskMatrix

SVG_NS = "http://www.w3.org/2000/svg"
FILL = {RiskLevel.LOW: "#a5d6a7", RiskLevel.MEDIUM: "#ffe082", RiskLevel.HIGH: "#ef9a9a"}
CELL = 44
AXIS = 150  # room for the likelihood labels
TOP = 40
GAP = 60


def _el(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def _grid(svg, x0: int, title: str, matrix: RiskMatrix, counts: dict) -> None:
    group = _el(svg, "g", class_="heatmap-grid")
    _el(group, "title", title)
    _el(group, "text", title, x=x0, y=TOP - 20, font_weight="bold", font_size=14)
    rows, columns = matrix.likelihood_size, matrix.consequence_size
    for row in range(rows):
        likelihood = rows - row  # highest likelihood on top
        y = TOP + row * CELL
        _el(group, "text", matrix.likelihood_label(likelihood), x=x0 + AXIS - 6, y=y + CELL / 2 + 4,
            text_anchor="end", font_size=11)
        for column in range(columns):
            consequence = column + 1
            x = x0 + AXIS + column * CELL
            level = matrix.level_for(likelihood, consequence)
            count = counts.get((likelihood, consequence), 0)
            cell = _el(group, "g", class_=f"cell level-{level}")
            _el(cell, "title", _("Likelihood %(l)s × consequence %(c)s (%(level)s): %(count)s") % {
                "l": likelihood, "c": consequence, "level": RiskLevel(level).label, "count": count})
            _el(cell, "rect", x=x, y=y, width=CELL, height=CELL, fill=FILL[level], stroke="#ffffff", stroke_width=2)
            _el(cell, "text", count if count else "", x=x + CELL / 2, y=y + CELL / 2 + 5, text_anchor="middle",
                font_size=14, font_weight="bold", fill="#212121", class_="count")
    bottom = TOP + rows * CELL
    for column in range(columns):
        _el(group, "text", column + 1, x=x0 + AXIS + column * CELL + CELL / 2, y=bottom + 16, text_anchor="middle",
            font_size=11)
    _el(group, "text", _("Consequence →"), x=x0 + AXIS, y=bottom + 34, font_size=11)
    _el(group, "text", _("↑ Likelihood"), x=x0, y=TOP - 4, font_size=11)


def heatmap_svg(*, matrix: RiskMatrix, current: dict, residual: dict) -> str:
    """The SVG document (text) with the current and the residual heat maps side by side."""
    width_one = AXIS + matrix.consequence_size * CELL
    width = 2 * width_one + GAP + 20
    height = TOP + matrix.likelihood_size * CELL + 50
    svg = ET.Element("svg", {
        "xmlns": SVG_NS, "width": str(width), "height": str(height), "viewBox": f"0 0 {width} {height}", "role": "img",
        "font-family": "sans-serif", "class": "risk-heatmap"})
    _el(svg, "title", _("Heat map of risks and opportunities"))
    _grid(svg, 10, _("Current level"), matrix, current)
    _grid(svg, 10 + width_one + GAP, _("Residual level"), matrix, residual)
    return ET.tostring(svg, encoding="unicode")
