"""Internal audit documents as Word files in the Decree 30/2020 layout: the audit plan (KẾ HOẠCH ĐÁNH GIÁ NỘI
BỘ), the audit report (BÁO CÁO ĐÁNH GIÁ NỘI BỘ) and the yearly programme. They take the plain data of
eiso.audits.selectors (audit_document_data, programme_document_data); the text is Vietnamese, whatever the
interface language, as for every statutory document."""

from eiso.reports import layout
from eiso.reports.decision_docx import _header, _signature
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

PLAN_TITLE = "KẾ HOẠCH ĐÁNH GIÁ NỘI BỘ"
REPORT_TITLE = "BÁO CÁO ĐÁNH GIÁ NỘI BỘ"
PROGRAMME_TITLE = "CHƯƠNG TRÌNH ĐÁNH GIÁ NỘI BỘ"
SUMMARY = "Hệ thống quản lý chất lượng theo {standard} năm {year}"
PLAN_SYMBOL = "KH"
REPORT_SYMBOL = "BC"
GRADES = {  # in the order of the report
    "major": "Không phù hợp nặng",
    "minor": "Không phù hợp nhẹ",
    "observation": "Điểm lưu ý",
    "improvement": "Cơ hội cải tiến",
}
RESULTS = {"conforming": "Phù hợp", "nonconformity": "Không phù hợp", "observation": "Điểm lưu ý",
           "not_applicable": "Không áp dụng", "": "Chưa đánh giá"}
SCHEDULE_HEADERS = ("STT", "Ngày", "Thời gian", "Đơn vị, quy trình được đánh giá", "Điều khoản",
                    "Chuyên gia đánh giá")
SCHEDULE_WIDTHS = [11, 22, 24, 60, 24, 24]
FINDING_HEADERS = ("STT", "Điều khoản", "Quy trình", "Nội dung phát hiện", "Bằng chứng", "Phiếu SKPH")
FINDING_WIDTHS = [11, 18, 20, 60, 36, 20]
TEAM_HEADERS = ("STT", "Họ và tên", "Nhiệm vụ", "Chữ ký")
TEAM_WIDTHS = [12, 70, 45, 38]
PROGRAMME_HEADERS = ("STT", "Tháng", "Đơn vị, quy trình được đánh giá", "Điều khoản", "Chuyên gia đánh giá",
                     "Ghi chú")
PROGRAMME_WIDTHS = [11, 16, 66, 26, 28, 18]
LEAD = "Trưởng đoàn"
MEMBER = "Thành viên"
NONE = "Không có."


def _date(value) -> str:
    return layout.short_date(value) or "……"


def _section(document, text: str) -> None:
    add_paragraph(document, text, bold=True, after=2)


def _lines(document, lines, prefix: str = "- ") -> None:
    lines = [str(line).strip() for line in lines if str(line).strip()]
    for line in lines or [NONE]:
        add_paragraph(document, f"{prefix}{line}", align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=2)


def _table(document, headers, widths, rows) -> None:
    table = new_table(document, 1 + len(rows), widths)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        fill_cell(cell, [text], bold=True, align="center")
    repeat_as_header(table.rows[0])
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            fill_cell(cell, layout.paragraphs(str(value)) or [""])
    spacer(document)


def _start(data: dict, *, title: str, symbol: str, date):
    document = new_document()
    agency = data["agency"]
    document.core_properties.title = f"{title} {data.get('number', '')}".strip()
    document.core_properties.language = "vi-VN"
    _header(document, parent_body=agency["parent_name"], issuing_body=agency["name"], number="", symbol=symbol,
            place=agency["place"], date=date)
    spacer(document, 12)
    add_paragraph(document, title, bold=True, align="center", after=0)
    summary = SUMMARY.format(standard=data.get("standard", "TCVN ISO 9001:2015"), year=data["year"])
    add_paragraph(document, summary, bold=True, align="center", after=0)
    short_rule(document, layout.CONTENT_WIDTH_MM, fraction=0.2)
    spacer(document, 6)
    return document


def _scope_and_criteria(document, data: dict, first: int) -> int:
    _section(document, f"{first}. Phạm vi đánh giá")
    _lines(document, [*(f"Đơn vị: {u}" for u in data["org_units"]), *(f"Quy trình: {p}" for p in data["processes"])])
    _section(document, f"{first + 1}. Chuẩn mực đánh giá")
    _lines(document, [f"{data['standard']}, các điều khoản: " + "; ".join(data["clauses"]),
                      *data["documents"], "Các văn bản quy phạm pháp luật liên quan đến quy trình được đánh giá."])
    _section(document, f"{first + 2}. Thời gian đánh giá")
    _lines(document, [f"Từ ngày {_date(data['start_on'])} đến ngày {_date(data['end_on'])}."])
    _section(document, f"{first + 3}. Đoàn đánh giá")
    _lines(document, [f"{LEAD}: {data['lead'] or '……'}", *(f"{MEMBER}: {m}" for m in data["members"])])
    return first + 4


def render_audit_plan_docx(data: dict) -> bytes:
    """The internal audit plan: purpose, scope, criteria, time, team, auditees, schedule, signature."""
    document = _start(data, title=PLAN_TITLE, symbol=PLAN_SYMBOL, date=None)
    add_paragraph(document, f"Cuộc đánh giá: {data['number']} - {data['title']}", align="justify", after=4)
    _section(document, "1. Mục đích")
    _lines(document, layout.paragraphs(data["objectives"]) or [
        "Xác định mức độ phù hợp và hiệu lực của hệ thống quản lý chất lượng so với yêu cầu của tiêu chuẩn và "
        "các quy định của cơ quan."])
    following = _scope_and_criteria(document, data, 2)
    _section(document, f"{following}. Đối tượng được đánh giá")
    _lines(document, layout.paragraphs(data["auditees"]))
    _section(document, f"{following + 1}. Lịch đánh giá")
    _table(document, SCHEDULE_HEADERS, SCHEDULE_WIDTHS, [
        (str(index), _date(item["on"]), item["time"], item["subject"], item["clauses"], item["auditors"])
        for index, item in enumerate(data["schedule"], start=1)])
    _signature(document, signer_prefix="", signer_position="THỦ TRƯỞNG CƠ QUAN", signer_name="",
               recipients=["Đoàn đánh giá;", "Các đơn vị được đánh giá;"])
    return to_bytes(document)


def render_audit_report_docx(data: dict) -> bytes:
    """The internal audit report: scope, criteria, team, checklist summary, findings by grade, conclusions,
    and the team's signatures."""
    document = _start(data, title=REPORT_TITLE, symbol=REPORT_SYMBOL, date=data.get("completed_on"))
    add_paragraph(document, f"Cuộc đánh giá: {data['number']} - {data['title']}", align="justify", after=4)
    following = _scope_and_criteria(document, data, 1)
    _section(document, f"{following}. Kết quả đánh giá")
    counts = data["checklist_counts"]
    add_paragraph(document, f"Số câu hỏi đánh giá: {data['checklist_total']} ("
                  + "; ".join(f"{label}: {counts.get(key, 0)}" for key, label in RESULTS.items() if key) + ").",
                  align="justify", after=4)
    by_grade = {grade: [f for f in data["findings"] if f["grade"] == grade] for grade in GRADES}
    add_paragraph(document, "Tổng hợp phát hiện: " + "; ".join(
        f"{label}: {len(by_grade[grade])}" for grade, label in GRADES.items()) + ".", align="justify", after=4)
    for grade, label in GRADES.items():
        paragraph = add_paragraph(document, after=2)
        add_run(paragraph, f"{label} ({len(by_grade[grade])})", bold=True, italic=True)
        if by_grade[grade]:
            _table(document, FINDING_HEADERS, FINDING_WIDTHS, [
                (str(f["no"]), f["clause"], f["process"], f["description"], f["evidence"], f["nonconformity"])
                for f in by_grade[grade]])
    _section(document, f"{following + 1}. Kết luận")
    _lines(document, layout.paragraphs(data["conclusions"]), prefix="")
    _section(document, f"{following + 2}. Xác nhận của đoàn đánh giá")
    team = [(data["lead"], LEAD)] if data["lead"] else []
    team += [(member, MEMBER) for member in data["members"]]
    _table(document, TEAM_HEADERS, TEAM_WIDTHS, [(str(i), name, role, "") for i, (name, role) in
                                                 enumerate(team, start=1)])
    _signature(document, signer_prefix="", signer_position="TRƯỞNG ĐOÀN ĐÁNH GIÁ", signer_name=data["lead"],
               recipients=["Thủ trưởng cơ quan;", "Các đơn vị được đánh giá;"])
    return to_bytes(document)


def render_programme_docx(data: dict) -> bytes:
    """The yearly programme: one line per process or unit audited, with month and auditor."""
    document = _start(data, title=PROGRAMME_TITLE, symbol=PLAN_SYMBOL, date=data.get("approved_on"))
    for line in layout.paragraphs(data["objectives"]):
        add_paragraph(document, line, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    _table(document, PROGRAMME_HEADERS, PROGRAMME_WIDTHS, [
        (str(i), f"{e['month']:02d}/{data['year']}", e["subject"], e["clauses"], e["auditor"], e["notes"])
        for i, e in enumerate(data["entries"], start=1)])
    _signature(document, signer_prefix="", signer_position="THỦ TRƯỞNG CƠ QUAN", signer_name=data["approved_by"],
               recipients=["Các đơn vị;", "Chuyên gia đánh giá nội bộ;"])
    return to_bytes(document)
