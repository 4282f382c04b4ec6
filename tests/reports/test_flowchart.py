"""The server-drawn SVG flowchart of a process's steps."""

import xml.etree.ElementTree as ET

from eiso.reports.flowchart import process_flowchart_svg

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str):
    return ET.fromstring(svg)


def _texts(root) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_svg_is_standalone_and_valid(snapshot):
    svg = process_flowchart_svg(snapshot)
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox").startswith("0 0 640 ")
    assert root.get("font-family") == "sans-serif"
    assert "href" not in svg and "@import" not in svg and "url(http" not in svg


def test_one_box_per_step_between_terminals(snapshot):
    root = _parse(process_flowchart_svg(snapshot))
    rects = list(root.iter(f"{SVG}rect"))
    assert len(rects) == 5 + 2
    texts = _texts(root)
    assert texts[0] == "Bắt đầu" and texts[-1] == "Kết thúc"
    assert [t for t in texts if t.startswith("B") and t[1:].isdigit()] == ["B1", "B2", "B3", "B4", "B5"]
    assert "Công chức Bộ phận Một cửa" in texts and "04 giờ làm việc" in texts
    assert len(list(root.iter(f"{SVG}line"))) >= 6  # arrows (and dividers)


def test_step_text_is_escaped(snapshot):
    svg = process_flowchart_svg(snapshot)
    assert "Chuyển hồ sơ &lt;b&gt;&amp; thẩm định &quot;sơ bộ&quot;" in svg
    assert 'Chuyển hồ sơ <b>& thẩm định "sơ bộ"' in _texts(_parse(svg))


def test_long_actions_wrap_and_grow_the_box(snapshot):
    root = _parse(process_flowchart_svg(snapshot))
    boxes = [r for r in root.iter(f"{SVG}rect") if r.get("rx") == "4"]
    heights = [float(r.get("height")) for r in boxes]
    assert heights[3] > heights[0]  # B4's action needs two lines
    assert all(len(t) <= 50 for t in _texts(root))
    responsible = [t for t in root.iter(f"{SVG}text") if t.get("class") == "responsible"]
    assert responsible and all(t.get("font-style") == "italic" for t in responsible)


def test_no_steps_still_draws_start_and_end(empty_snapshot):
    root = _parse(process_flowchart_svg(empty_snapshot))
    assert len(list(root.iter(f"{SVG}rect"))) == 2
    assert _texts(root) == ["Bắt đầu", "Kết thúc"]
