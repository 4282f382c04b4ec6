"""Training certificates (giấy chứng nhận) as a Word file in the Decree 30/2020 layout: the header of the
supervising authority with the certificate's number, the title, the person (name, position, agency), the course
(topic, dates, place, trainer) and the signature block of the authority's director. One certificate per page; a
course's certificates print as one file.

`certificate_snapshot(participant)` gathers one certificate as plain data; `render_certificates_docx(items)` writes
them. The texts are the document's own, in Vietnamese.
"""

from __future__ import annotations

from eiso.reports import layout
from eiso.reports.decision_docx import _header, _line
from eiso.reports.docx_tools import add_paragraph, add_run, new_document, new_table, page_break, spacer, to_bytes

TITLE = "GIẤY CHỨNG NHẬN"
SUBTITLE = "Hoàn thành khóa đào tạo về hệ thống quản lý chất lượng"
CERTIFIES = "{issuer} chứng nhận:"
FULL_NAME = "Ông/Bà:"
POSITION = "Chức vụ:"
AGENCY = "Đơn vị công tác:"
COMPLETED = "Đã hoàn thành khóa đào tạo:"
COURSE_NUMBER = "Khóa đào tạo số:"
PERIOD = "Thời gian:"
PERIOD_TEXT = "từ ngày {start} đến ngày {end}"
PLACE = "Địa điểm:"
TRAINER = "Giảng viên/đơn vị giảng dạy:"
SIGNER = "GIÁM ĐỐC"
BLANK = "……"
KINDS = {
    "awareness": "Nhận thức chung về TCVN ISO 9001:2015",
    "internal_auditor": "Đánh giá viên nội bộ hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
    "documentation": "Xây dựng hệ thống tài liệu quản lý chất lượng theo TCVN ISO 9001:2015",
    "other": "",
}
KIND = "Nội dung:"


def certificate_snapshot(participant) -> dict:
    """One certificate as plain data (the participant, its course and the authority that issued it)."""
    training = participant.training
    authority = training.agency
    parent = authority.parent.name if authority.parent_id else (
        authority.province.name if authority.province_id else "")
    trainer = training.trainer or (training.consultant.name if training.consultant_id else "")
    return {
        "authority": {"name": authority.name, "parent_name": parent,
                      "place": authority.province.name if authority.province_id else ""},
        "number": participant.certificate_number,
        "issued_on": participant.certificate_issued_on,
        "full_name": participant.full_name,
        "position": participant.position,
        "agency": participant.agency.name,
        "course": {"reference": training.reference, "topic": training.topic, "kind": KINDS.get(training.kind, ""),
                   "start_on": training.start_on, "end_on": training.end_on, "location": training.location,
                   "trainer": trainer},
    }


def _labelled(document, label: str, text: str, *, bold_value: bool = False) -> None:
    paragraph = add_paragraph(document, align="left", after=4, indent_mm=layout.FIRST_LINE_INDENT_MM)
    add_run(paragraph, label + " ", italic=True)
    add_run(paragraph, text or BLANK, bold=bold_value)


def _certificate(document, data: dict) -> None:
    authority, course = data["authority"], data["course"]
    _header(document, parent_body=authority["parent_name"], issuing_body=authority["name"],
            number=data["number"] or "", symbol="GCN", place=authority["place"], date=data["issued_on"])
    spacer(document, 24)
    add_paragraph(document, TITLE, bold=True, align="center", size=20, after=2)
    add_paragraph(document, SUBTITLE, bold=True, align="center", after=12)
    add_paragraph(document, CERTIFIES.format(issuer=authority["name"]), align="left", after=6,
                  indent_mm=layout.FIRST_LINE_INDENT_MM)
    _labelled(document, FULL_NAME, data["full_name"], bold_value=True)
    _labelled(document, POSITION, data["position"])
    _labelled(document, AGENCY, data["agency"])
    _labelled(document, COMPLETED, course["topic"], bold_value=True)
    if course["kind"] and course["kind"] != course["topic"]:
        _labelled(document, KIND, course["kind"])
    _labelled(document, COURSE_NUMBER, course["reference"])
    _labelled(document, PERIOD, PERIOD_TEXT.format(start=layout.short_date(course["start_on"]),
                                                   end=layout.short_date(course["end_on"])))
    _labelled(document, PLACE, course["location"])
    _labelled(document, TRAINER, course["trainer"])
    spacer(document, 18)
    left_mm, right_mm = layout.HEADER_COLUMNS_MM
    table = new_table(document, 1, [left_mm, right_mm], grid=False)
    signer = table.rows[0].cells[1]
    _line(signer, layout.HeaderLine(SIGNER, bold=True), right_mm, layout.BODY_PT, first=True)
    for _ in range(4):  # room for the signature and seal
        signer.add_paragraph()


def render_certificates_docx(items: list[dict]) -> bytes:
    """The certificates as DOCX bytes, one per page, from `certificate_snapshot`."""
    document = new_document(body_pt=14)
    document.core_properties.title = TITLE if len(items) != 1 else f"{TITLE} {items[0]['number']}"
    document.core_properties.language = "vi-VN"
    for index, data in enumerate(items):
        if index:
            page_break(document)
        _certificate(document, data)
    return to_bytes(document)
