"""A server-drawn SVG flowchart of a process's steps: Bắt đầu → B1 → … → Bn → Kết thúc.

Standalone SVG (xmlns, viewBox, no external resources), safe to inline in a page or embed as a file.
Every text is XML-escaped: step texts come from users and may hold <, & and quotes.
"""

import textwrap
from xml.sax.saxutils import escape  # builds XML, parses none  # nosec B406

from eiso.reports import labels
from eiso.reports.layout import hours_label, to_decimal

WIDTH = 640
MARGIN = 16
BOX_X = 100
BOX_WIDTH = WIDTH - 2 * BOX_X
LABEL_COLUMN = 56  # the "B1" column at the left of a step box
TERMINAL_WIDTH = 200
TERMINAL_HEIGHT = 44
GAP = 40  # vertical room for the arrow between two shapes
LINE_HEIGHT = 18
PADDING = 12
FONT_SIZE = 13
ACTION_WRAP = 40
DETAIL_WRAP = 50
FONT_FAMILY = "sans-serif"


def _esc(text) -> str:
    return escape(str(text), {'"': "&quot;", "'": "&apos;"})


def _wrap(text, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in str(text or "").splitlines():
        lines.extend(textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False))
    return lines


def _step_lines(step: dict) -> list[tuple[str, str]]:
    """(text, css class) lines of a step box: the action, the responsible (italic), the time."""
    lines = [(line, "action") for line in _wrap(step.get("action"), ACTION_WRAP)] or [("", "action")]
    lines += [(line, "responsible") for line in _wrap(step.get("responsible"), DETAIL_WRAP)]
    time = str(step.get("time_label") or "").strip() or hours_label(step.get("hours"), days=False)
    lines += [(line, "time") for line in _wrap(time, DETAIL_WRAP)]
    return lines


def _terminal(y: float, text: str) -> str:
    x = (WIDTH - TERMINAL_WIDTH) / 2
    return (f'<g class="terminal"><rect x="{x:g}" y="{y:g}" width="{TERMINAL_WIDTH}" height="{TERMINAL_HEIGHT}" '
            f'rx="{TERMINAL_HEIGHT / 2:g}" ry="{TERMINAL_HEIGHT / 2:g}"/>'
            f'<text x="{WIDTH / 2:g}" y="{y + TERMINAL_HEIGHT / 2 + FONT_SIZE * 0.35:g}" text-anchor="middle" '
            f'font-weight="bold">{_esc(text)}</text></g>')


def _arrow(y_from: float, y_to: float) -> str:
    x = WIDTH / 2
    return f'<line class="arrow" x1="{x:g}" y1="{y_from:g}" x2="{x:g}" y2="{y_to - 2:g}" marker-end="url(#arrow)"/>'


def _step_box(y: float, label: str, lines: list[tuple[str, str]]) -> tuple[str, float]:
    height = 2 * PADDING + len(lines) * LINE_HEIGHT
    text_x = BOX_X + LABEL_COLUMN + 12
    parts = [
        f'<g class="step"><rect x="{BOX_X}" y="{y:g}" width="{BOX_WIDTH}" height="{height:g}" rx="4" ry="4"/>',
        f'<line class="divider" x1="{BOX_X + LABEL_COLUMN}" y1="{y:g}" x2="{BOX_X + LABEL_COLUMN}" '
        f'y2="{y + height:g}"/>',
        f'<text x="{BOX_X + LABEL_COLUMN / 2:g}" y="{y + height / 2 + FONT_SIZE * 0.35:g}" text-anchor="middle" '
        f'font-weight="bold">{_esc(label)}</text>',
    ]
    for index, (text, kind) in enumerate(lines):
        baseline = y + PADDING + index * LINE_HEIGHT + FONT_SIZE
        style = {"action": "", "responsible": ' font-style="italic"', "time": ""}[kind]
        parts.append(f'<text class="{kind}" x="{text_x}" y="{baseline:g}"{style}>{_esc(text)}</text>')
    parts.append("</g>")
    return "".join(parts), height


def process_flowchart_svg(snapshot: dict) -> str:
    """The flowchart of a process snapshot's steps as a standalone SVG document (a str)."""
    process = (snapshot or {}).get("process") or {}
    document = (snapshot or {}).get("document") or {}
    steps = [s or {} for s in process.get("steps") or []]
    steps.sort(key=lambda s: to_decimal(s.get("order")) or 0)
    title = " ".join(part for part in (str(document.get("code") or process.get("code") or ""),
                                       str(document.get("title") or process.get("title") or "")) if part)

    shapes: list[str] = []
    y: float = MARGIN
    shapes.append(_terminal(y, labels.FLOW_START))
    y += TERMINAL_HEIGHT
    for index, step in enumerate(steps, start=1):
        shapes.append(_arrow(y, y + GAP))
        y += GAP
        label = labels.STEP_LABEL.format(n=step.get("order") or index)
        box, height = _step_box(y, label, _step_lines(step))
        shapes.append(box)
        y += height
    shapes.append(_arrow(y, y + GAP))
    y += GAP
    shapes.append(_terminal(y, labels.FLOW_END))
    height = y + TERMINAL_HEIGHT + MARGIN

    return "".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:g}" '
        f'viewBox="0 0 {WIDTH} {height:g}" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" role="img">',
        f"<title>{_esc(title)}</title>" if title else "",
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
        "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1f2937\"/></marker></defs>",
        "<style>rect{fill:#ffffff;stroke:#1f2937;stroke-width:1.5}.terminal rect{fill:#e8f0fe}"
        ".arrow,.divider{stroke:#1f2937;stroke-width:1.5}text{fill:#111111}text.time{fill:#374151}</style>",
        *shapes,
        "</svg>",
    ])
