"""The minutes of a management review (biên bản họp xem xét của lãnh đạo) as a Word file in the Decree 30/2020
layout: the header block, the title, time, place, chair, secretary and attendees, each input (ISO 9001 9.3.2)
with its figures and comments, the table of decisions and actions (9.3.3), the conclusion on the effectiveness
of the QMS and the signatures of the secretary and the chair.

`review_minutes_snapshot(review)` gathers the review as plain data (the input titles and the kinds in
Vietnamese, the language of the document); `render_review_minutes_docx(data)` writes it.
"""

from __future__ import annotations

from django.utils import timezone, translation

from eiso.reports import layout
from eiso.reports.decision_docx import _header, _line
from eiso.reports.docx_tools import (
    add_paragraph,
    add_run,
    fill_cell,
    new_document,
    new_table,
    repeat_as_header,
    short_rule,
    spacer,
    to_bytes,
)

MINUTES = "BIÊN BẢN HỌP XEM XÉT CỦA LÃNH ĐẠO"
SUMMARY = "Về hệ thống quản lý chất lượng theo TCVN ISO 9001:2015"
SYMBOL = "BB"
SECTION_MEETING = "I. THỜI GIAN, ĐỊA ĐIỂM VÀ THÀNH PHẦN"
SECTION_INPUTS = "II. NỘI DUNG XEM XÉT (ĐẦU VÀO)"
SECTION_OUTPUTS = "III. CÁC QUYẾT ĐỊNH VÀ HÀNH ĐỘNG (ĐẦU RA)"
SECTION_CONCLUSION = "IV. KẾT LUẬN VỀ HIỆU LỰC CỦA HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG"
TIME = "Thời gian:"
PLACE = "Địa điểm:"
CHAIR = "Chủ trì:"
SECRETARY = "Thư ký:"
ATTENDEES = "Thành phần tham dự:"
PERIOD = "Kỳ xem xét:"
PERIOD_TEXT = "từ ngày {start} đến ngày {end}"
COMMENT = "Ý kiến, nhận xét:"
NOTHING = "Không có dữ liệu trong kỳ."
NO_ACTIONS = "Không có quyết định, hành động nào."
ACTION_HEADERS = ("STT", "Nội dung quyết định, hành động", "Loại", "Người thực hiện", "Thời hạn", "Tình trạng")
ACTION_WIDTHS_MM = (12, 62, 28, 30, 20, 13)
CONFIRMATION = "Xác nhận của Thủ trưởng cơ quan về hiệu lực của hệ thống quản lý chất lượng ({date}, {name}):"
NOT_CONFIRMED = "Thủ trưởng cơ quan chưa xác nhận hiệu lực của hệ thống quản lý chất lượng."
NO_CONCLUSION = "Chưa có kết luận."
SIGN_SECRETARY = "THƯ KÝ"
SIGN_CHAIR = "CHỦ TRÌ"
DONE = "Đã thực hiện"
OPEN = "Đang thực hiện"
BLANK = "……"


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"name": user.full_name or user.get_username(), "position": user.position or ""}


def _meeting_time(moment) -> str:
    if moment is None:
        return f"{BLANK} giờ {BLANK}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    local = timezone.localtime(moment)
    return f"{local:%H} giờ {local:%M}, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def review_minutes_snapshot(review) -> dict:
    """Everything the minutes show, as plain data (texts of the document in Vietnamese)."""
    agency = review.agency
    parent = agency.parent.name if agency.parent_id else (agency.province.name if agency.province_id else "")
    with translation.override("vi"):
        inputs = [{"title": str(row.source.title) if row.source else row.key,
                   "clause": row.source.clause if row.source else "", "lines": [list(line) for line in row.lines],
                   "comment": row.comment} for row in review.inputs.order_by("order")]
        actions = [{"description": action.description, "kind": str(action.get_kind_display()),
                    "owner": (action.owner.full_name or action.owner.get_username()),
                    "due_on": layout.short_date(action.due_on), "done": action.status == "done"}
                   for action in review.actions.select_related("owner").order_by("due_on", "created_at")]
    confirmed_at = review.effectiveness_confirmed_at
    return {
        "agency": {"name": agency.name, "parent_name": parent,
                   "place": agency.province.name if agency.province_id else ""},
        "number": review.number, "year": review.year, "title": review.title, "date": review.held_on,
        "meeting_time": _meeting_time(review.meeting_at), "place": review.place,
        "chair": _person(review.chair), "secretary": _person(review.secretary),
        "attendees": layout.paragraphs(review.attendees),
        "period": PERIOD_TEXT.format(start=layout.short_date(review.period_start),
                                     end=layout.short_date(review.period_end)),
        "inputs": inputs, "actions": actions, "conclusion": review.conclusion,
        "confirmation": {
            "statement": review.effectiveness_statement,
            "date": layout.short_date(timezone.localtime(confirmed_at).date()),
            "name": _person(review.effectiveness_confirmed_by)["name"] if review.effectiveness_confirmed_by else "",
        } if confirmed_at else None,
    }


def _labelled(document, label: str, text: str) -> None:
    paragraph = add_paragraph(document, align="justify", after=2)
    add_run(paragraph, label + " ", bold=True)
    add_run(paragraph, text)


def _signatures(document, data: dict) -> None:
    left_mm, right_mm = layout.HEADER_COLUMNS_MM
    table = new_table(document, 1, [left_mm + 20, right_mm - 20], grid=False)
    for cell, title, person, width in ((table.rows[0].cells[0], SIGN_SECRETARY, data["secretary"], left_mm + 20),
                                       (table.rows[0].cells[1], SIGN_CHAIR, data["chair"], right_mm - 20)):
        _line(cell, layout.HeaderLine(title, bold=True), width, layout.BODY_PT, first=True)
        for _ in range(4):  # room for the signature
            cell.add_paragraph()
        _line(cell, layout.HeaderLine(person["name"] if person else "", bold=True), width, layout.BODY_PT)


def render_review_minutes_docx(data: dict) -> bytes:
    """The minutes as DOCX bytes, from `review_minutes_snapshot`."""
    document = new_document(body_pt=layout.BODY_PT)
    document.core_properties.title = f"{MINUTES} {data['number']:02d}/{data['year']}"
    document.core_properties.language = "vi-VN"
    agency = data["agency"]
    _header(document, parent_body=agency["parent_name"], issuing_body=agency["name"], number=data["number"],
            symbol=SYMBOL, place=agency["place"], date=data["date"])
    spacer(document, 12)
    add_paragraph(document, MINUTES, bold=True, align="center", after=0)
    add_paragraph(document, SUMMARY, bold=True, align="center", after=0)
    if data["title"]:
        add_paragraph(document, data["title"], italic=True, align="center", after=0)
    short_rule(document, layout.CONTENT_WIDTH_MM, fraction=0.2)
    spacer(document, 6)

    add_paragraph(document, SECTION_MEETING, bold=True, after=4)
    _labelled(document, TIME, data["meeting_time"])
    _labelled(document, PLACE, data["place"] or BLANK)
    for label, person in ((CHAIR, data["chair"]), (SECRETARY, data["secretary"])):
        text = BLANK if person is None else " – ".join(filter(None, [person["name"], person["position"]]))
        _labelled(document, label, text)
    _labelled(document, PERIOD, data["period"])
    add_paragraph(document, ATTENDEES, bold=True, after=2)
    for attendee in data["attendees"] or [BLANK]:
        add_paragraph(document, f"- {attendee}", after=2, indent_mm=layout.FIRST_LINE_INDENT_MM)

    add_paragraph(document, SECTION_INPUTS, bold=True, after=4)
    for index, item in enumerate(data["inputs"], start=1):
        add_paragraph(document, f"{index}. {item['title']}", bold=True, align="justify", after=2)
        for label, value in item["lines"]:
            paragraph = add_paragraph(document, align="justify", after=2, indent_mm=layout.FIRST_LINE_INDENT_MM)
            add_run(paragraph, f"- {label}: ")
            add_run(paragraph, value, bold=True)
        if not item["lines"] and not item["comment"]:
            add_paragraph(document, NOTHING, italic=True, after=2, indent_mm=layout.FIRST_LINE_INDENT_MM)
        if item["comment"]:
            paragraph = add_paragraph(document, align="justify", after=2, indent_mm=layout.FIRST_LINE_INDENT_MM)
            add_run(paragraph, COMMENT + " ", italic=True)
            add_run(paragraph, item["comment"])

    add_paragraph(document, SECTION_OUTPUTS, bold=True, after=4)
    if data["actions"]:
        table = new_table(document, 1 + len(data["actions"]), list(ACTION_WIDTHS_MM))
        for cell, header in zip(table.rows[0].cells, ACTION_HEADERS, strict=True):
            fill_cell(cell, [header], bold=True, align="center")
        repeat_as_header(table.rows[0])
        for number, (row, action) in enumerate(zip(table.rows[1:], data["actions"], strict=True), start=1):
            values = (str(number), action["description"], action["kind"], action["owner"], action["due_on"],
                      DONE if action["done"] else OPEN)
            for cell, value, align in zip(row.cells, values, ("center", "left", "left", "left", "center", "left"),
                                          strict=True):
                fill_cell(cell, layout.paragraphs(value) or [value], align=align)
        spacer(document, 6)
    else:
        add_paragraph(document, NO_ACTIONS, italic=True, after=4)

    add_paragraph(document, SECTION_CONCLUSION, bold=True, after=4)
    for line in layout.paragraphs(data["conclusion"]) or [NO_CONCLUSION]:
        add_paragraph(document, line, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=2)
    confirmation = data["confirmation"]
    if confirmation:
        add_paragraph(document, CONFIRMATION.format(date=confirmation["date"], name=confirmation["name"]),
                      italic=True, align="justify", after=2)
        for line in layout.paragraphs(confirmation["statement"]):
            add_paragraph(document, line, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=2)
    else:
        add_paragraph(document, NOT_CONFIRMED, italic=True, after=2)
    spacer(document, 12)
    _signatures(document, data)
    return to_bytes(document)
