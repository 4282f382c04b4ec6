"""Documents of an inspection by the supervising authority, as Word files in the Decree 30/2020 layout:

- the inspection decision (quyết định kiểm tra việc áp dụng, duy trì HTQLCL), through decision_docx;
- the minutes (biên bản kiểm tra): the team and the agency's participants, the Art. 36 checklist with results, the
  findings with the corrective actions required and the 2-month report deadline, the conclusion, "made in two
  originals", and the signatures of the agency head and the team leader;
- the province's yearly summary of inspections (báo cáo kết quả kiểm tra), consolidated in November.

The app (eiso.inspections.documents) gathers plain data in Vietnamese; these functions only write it. Texts are
literals of the documents (always Vietnamese, whatever the interface language).
"""

from __future__ import annotations

from eiso.reports import layout
from eiso.reports.decision_docx import _header, _line, _signature, render_decision_docx
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

DECISION_SYMBOL = "QĐ-SKHCN"
DECISION_SUMMARY = ("Về việc kiểm tra việc áp dụng, duy trì hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia "
                    "TCVN ISO 9001:2015 tại {agency}")
DECISION_AUTHORITY = "GIÁM ĐỐC {authority}"
DIRECTOR = "Giám đốc"
DEPUTY_PREFIX = "KT. GIÁM ĐỐC"
ARTICLE_SCOPE = ("Kiểm tra việc áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia "
                 "TCVN ISO 9001:2015 tại {agency}.\n"
                 "Nội dung kiểm tra: theo quy định tại Điều 36 Thông tư số 26/2014/TT-BKHCN.\n"
                 "Hình thức kiểm tra: {method}.\n"
                 "Thời gian kiểm tra: {when}.")
ARTICLE_TEAM = ("Thành lập Đoàn kiểm tra gồm các ông (bà) có tên sau:\n{members}\n"
                "Đoàn kiểm tra có trách nhiệm kiểm tra theo nội dung tại Điều 1, lập biên bản kiểm tra và báo cáo "
                "kết quả về {authority}. Đoàn kiểm tra tự giải thể sau khi hoàn thành nhiệm vụ.")
ARTICLE_EXECUTION = ("Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Thủ trưởng {agency} và các "
                     "ông (bà) có tên tại Điều 2 chịu trách nhiệm thi hành Quyết định này.")
RECIPIENTS_DECISION = ["Như Điều 3;", "Lưu: VT."]
METHODS = {"on_site": "kiểm tra trực tiếp tại cơ quan", "by_documents": "kiểm tra qua hồ sơ, tài liệu và báo cáo"}
WHEN_MONTH = "tháng {month:02d} năm {year}"

MINUTES = "BIÊN BẢN KIỂM TRA"
MINUTES_SUMMARY = "Việc áp dụng, duy trì hệ thống quản lý chất lượng theo TCVN ISO 9001:2015"
MINUTES_SYMBOL = "BB-ĐKT"
TEAM_BODY = "ĐOÀN KIỂM TRA"
MINUTES_GROUND = ("Căn cứ Quyết định số {decision} ngày {date} của Giám đốc {authority} về việc kiểm tra việc áp "
                  "dụng, duy trì hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 tại {agency};")
MINUTES_OPENING = "Hôm nay, {date}, tại {place}, Đoàn kiểm tra tiến hành {method} tại {agency}."
SECTION_PARTIES = "I. THÀNH PHẦN"
PARTY_TEAM = "1. Đoàn kiểm tra:"
PARTY_AGENCY = "2. Đại diện {agency}:"
SECTION_CHECKLIST = "II. NỘI DUNG VÀ KẾT QUẢ KIỂM TRA"
CHECKLIST_HEADERS = ("STT", "Nội dung kiểm tra (Điều 36 Thông tư 26/2014/TT-BKHCN)", "Kết quả", "Ghi chú, bằng chứng")
CHECKLIST_WIDTHS_MM = (12, 78, 30, 45)
RESULTS = {"conform": "Phù hợp", "not_conform": "Không phù hợp", "not_applicable": "Không áp dụng", "": "Chưa đánh giá"}
SECTION_FINDINGS = "III. TỒN TẠI VÀ YÊU CẦU KHẮC PHỤC"
FINDING_HEADERS = ("STT", "Nội dung kiểm tra", "Tồn tại", "Yêu cầu khắc phục")
FINDING_WIDTHS_MM = (12, 45, 54, 54)
NO_FINDINGS = "Không có tồn tại."
REPORT_DUE = ("Trong thời hạn {months:02d} tháng kể từ ngày ký biên bản (chậm nhất ngày {due}), {agency} báo cáo kết "
              "quả thực hiện hành động khắc phục về {authority}.")
SECTION_CONCLUSION = "IV. KẾT LUẬN"
NO_CONCLUSION = "……"
ORIGINALS = "Biên bản được lập thành 02 bản có giá trị như nhau, mỗi bên giữ 01 bản."
SIGN_AGENCY = "ĐẠI DIỆN CƠ QUAN ĐƯỢC KIỂM TRA"
SIGN_LEADER = "TRƯỞNG ĐOÀN KIỂM TRA"
BLANK = "……"

SUMMARY_TITLE = "BÁO CÁO"
SUMMARY_SUMMARY = ("Kết quả kiểm tra việc áp dụng, duy trì hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 "
                   "năm {year}")
SUMMARY_SYMBOL = "BC-SKHCN"
SUMMARY_TO = "Kính gửi: {recipient}"
SUMMARY_SECTION_PLAN = "1. Kết quả thực hiện kế hoạch kiểm tra"
SUMMARY_PLANS = "Kế hoạch kiểm tra: {plans}."
SUMMARY_NO_PLAN = "Chưa có kế hoạch kiểm tra được phê duyệt."
SUMMARY_DONE = ("Đã kiểm tra {done}/{planned} cơ quan theo kế hoạch, trong đó kiểm tra trực tiếp {done_on_site}/"
                "{planned_on_site}, kiểm tra qua hồ sơ {done_by_documents}/{planned_by_documents}; tỷ lệ kiểm tra "
                "trực tiếp: {share}.")
FIGURE_HEADERS = ("Chỉ tiêu", "Kế hoạch", "Đã thực hiện")
FIGURE_WIDTHS_MM = (95, 35, 35)
FIGURES = (("Tổng số cơ quan được kiểm tra", "planned", "done"),
           ("Kiểm tra trực tiếp", "planned_on_site", "done_on_site"),
           ("Kiểm tra qua hồ sơ", "planned_by_documents", "done_by_documents"))
SUMMARY_SECTION_POINTS = "2. Tồn tại theo nội dung kiểm tra"
POINT_HEADERS = ("STT", "Nội dung kiểm tra", "Số tồn tại", "Đã khắc phục")
POINT_WIDTHS_MM = (12, 103, 25, 25)
SUMMARY_SECTION_FOLLOW_UP = "3. Khắc phục sau kiểm tra"
SUMMARY_FOLLOW_UP = ("Số cơ quan phải báo cáo khắc phục: {due}; đã báo cáo đúng hạn: {on_time}; báo cáo muộn: {late}; "
                     "chưa báo cáo: {open} (trong đó quá hạn: {overdue}). Số cuộc kiểm tra đã kết thúc: {closed}/"
                     "{planned}.")
SUMMARY_SECTION_MISSING = "4. Cơ quan chưa có trong kế hoạch kiểm tra"
SUMMARY_MISSING = "Số cơ quan chưa có trong kế hoạch kiểm tra năm {year}: {count}/{total}."
SUMMARY_RECIPIENTS = ["Bộ Khoa học và Công nghệ;", "Lưu: VT."]
TOTAL = "Tổng cộng"


def _percent(value) -> str:
    return "—" if value is None else f"{layout.format_number(value, pad=False)} %"


# --- The decision ----------------------------------------------------------------------------------------------


def render_inspection_decision_docx(data: dict) -> bytes:
    """The inspection decision from `eiso.inspections.documents.decision_snapshot`."""
    position = data["signer_position"] or DIRECTOR
    deputy = position.strip().lower() != DIRECTOR.lower()
    members = "\n".join(f"{n}. {line}" for n, line in enumerate(data["team"], start=1)) or BLANK
    return render_decision_docx(
        parent_body=data["parent_body"], issuing_body=data["authority"], number=data["number"],
        symbol=DECISION_SYMBOL, place=data["place"], date=data["date"], title="QUYẾT ĐỊNH",
        summary=DECISION_SUMMARY.format(agency=data["agency"]),
        authority=DECISION_AUTHORITY.format(authority=layout.upper(data["authority"])),
        grounds=data["grounds"],
        articles=[ARTICLE_SCOPE.format(agency=data["agency"], method=METHODS.get(data["method"], ""),
                                       when=data["when"]),
                  ARTICLE_TEAM.format(members=members, authority=data["authority"]),
                  ARTICLE_EXECUTION.format(agency=data["agency"])],
        signer_prefix=DEPUTY_PREFIX if deputy else "", signer_position=position, signer_name=data["signer"],
        recipients=RECIPIENTS_DECISION)


# --- The minutes -----------------------------------------------------------------------------------------------


def _table(document, headers, widths, rows, aligns):
    table = new_table(document, 1 + len(rows), list(widths))
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        fill_cell(cell, [header], bold=True, align="center")
    repeat_as_header(table.rows[0])
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value, align in zip(row.cells, values, aligns, strict=True):
            fill_cell(cell, layout.paragraphs(str(value)) or [str(value)], align=align)
    spacer(document, 6)
    return table


def _people(document, lines):
    for line in lines or [BLANK]:
        add_paragraph(document, f"- {line}", after=2, indent_mm=layout.FIRST_LINE_INDENT_MM)


def _minutes_signatures(document, data: dict) -> None:
    left_mm, right_mm = layout.HEADER_COLUMNS_MM
    widths = (left_mm + 20, right_mm - 20)
    table = new_table(document, 1, list(widths), grid=False)
    agency_cell, leader_cell = table.rows[0].cells
    _line(agency_cell, layout.HeaderLine(SIGN_AGENCY, bold=True), widths[0], layout.BODY_PT, first=True)
    if data["agency_position"]:
        _line(agency_cell, layout.HeaderLine(layout.upper(data["agency_position"]), bold=True), widths[0],
              layout.BODY_PT)
    _line(leader_cell, layout.HeaderLine(SIGN_LEADER, bold=True), widths[1], layout.BODY_PT, first=True)
    if data["agency_position"]:
        leader_cell.add_paragraph()  # keeps the names on one level
    for cell in (agency_cell, leader_cell):
        for _ in range(4):  # room for the signature and seal
            cell.add_paragraph()
    _line(agency_cell, layout.HeaderLine(data["agency_signer"], bold=True), widths[0], layout.BODY_PT)
    _line(leader_cell, layout.HeaderLine(data["team_leader"], bold=True), widths[1], layout.BODY_PT)


def render_inspection_minutes_docx(data: dict) -> bytes:
    """The minutes from `eiso.inspections.documents.minutes_snapshot`."""
    document = new_document(body_pt=layout.BODY_PT)
    document.core_properties.title = f"{MINUTES} – {data['agency']}"
    document.core_properties.language = "vi-VN"
    _header(document, parent_body=data["authority"], issuing_body=TEAM_BODY, number=None, symbol=MINUTES_SYMBOL,
            place=data["place_name"], date=data["date"])
    spacer(document, 12)
    add_paragraph(document, MINUTES, bold=True, align="center", after=0)
    add_paragraph(document, MINUTES_SUMMARY, bold=True, align="center", after=0)
    short_rule(document, layout.CONTENT_WIDTH_MM, fraction=0.2)
    spacer(document, 6)
    add_paragraph(document, MINUTES_GROUND.format(decision=data["decision"] or BLANK, date=data["decision_on"] or BLANK,
                                                  authority=data["authority"], agency=data["agency"]),
                  italic=True, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    add_paragraph(document, MINUTES_OPENING.format(date=data["long_date"], place=data["place"] or BLANK,
                                                   method=METHODS.get(data["method"], ""), agency=data["agency"]),
                  align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=6)

    add_paragraph(document, SECTION_PARTIES, bold=True, after=4)
    add_paragraph(document, PARTY_TEAM, bold=True, after=2)
    _people(document, data["team"])
    add_paragraph(document, PARTY_AGENCY.format(agency=data["agency"]), bold=True, after=2)
    _people(document, data["participants"])

    add_paragraph(document, SECTION_CHECKLIST, bold=True, after=4)
    _table(document, CHECKLIST_HEADERS, CHECKLIST_WIDTHS_MM,
           [(n, item["title"], RESULTS.get(item["result"], item["result"]), item["evidence"])
            for n, item in enumerate(data["checklist"], start=1)], ("center", "left", "center", "left"))

    add_paragraph(document, SECTION_FINDINGS, bold=True, after=4)
    if data["findings"]:
        _table(document, FINDING_HEADERS, FINDING_WIDTHS_MM,
               [(n, finding["point"], finding["description"], finding["required_action"])
                for n, finding in enumerate(data["findings"], start=1)], ("center", "left", "left", "left"))
        add_paragraph(document, REPORT_DUE.format(months=data["report_months"], due=data["report_due_on"] or BLANK,
                                                  agency=data["agency"], authority=data["authority"]),
                      align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    else:
        add_paragraph(document, NO_FINDINGS, italic=True, after=4)

    add_paragraph(document, SECTION_CONCLUSION, bold=True, after=4)
    for line in layout.paragraphs(data["conclusion"]) or [NO_CONCLUSION]:
        add_paragraph(document, line, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=2)
    add_paragraph(document, ORIGINALS, italic=True, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    spacer(document, 12)
    _minutes_signatures(document, data)
    return to_bytes(document)


# --- The yearly summary ----------------------------------------------------------------------------------------


def render_inspection_summary_docx(data: dict) -> bytes:
    """The province's yearly inspection report from `eiso.inspections.documents.summary_snapshot`."""
    document = new_document(body_pt=layout.DECISION_BODY_PT)
    document.core_properties.title = SUMMARY_SUMMARY.format(year=data["year"])
    document.core_properties.language = "vi-VN"
    _header(document, parent_body=data["parent_body"], issuing_body=data["authority"], number=None,
            symbol=SUMMARY_SYMBOL, place=data["place"], date=data["date"])
    spacer(document, 12)
    add_paragraph(document, SUMMARY_TITLE, bold=True, align="center", after=0)
    add_paragraph(document, SUMMARY_SUMMARY.format(year=data["year"]), bold=True, align="center", after=0)
    short_rule(document, layout.CONTENT_WIDTH_MM, fraction=0.2)
    spacer(document, 6)
    if data["parent_body"]:
        add_paragraph(document, SUMMARY_TO.format(recipient=data["parent_body"]), align="center", after=8)
    figures = data["figures"]

    add_paragraph(document, SUMMARY_SECTION_PLAN, bold=True, after=4)
    add_paragraph(document, SUMMARY_PLANS.format(plans="; ".join(data["plans"])) if data["plans"] else SUMMARY_NO_PLAN,
                  align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    add_paragraph(document, SUMMARY_DONE.format(share=_percent(figures["share_on_site_done"]), **{
        key: layout.format_number(figures[key]) for key in ("done", "planned", "done_on_site", "planned_on_site",
                                                            "done_by_documents", "planned_by_documents")}),
                  align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    _table(document, FIGURE_HEADERS, FIGURE_WIDTHS_MM,
           [(label, figures[planned], figures[done]) for label, planned, done in FIGURES],
           ("left", "center", "center"))

    add_paragraph(document, SUMMARY_SECTION_POINTS, bold=True, after=4)
    rows = [(n, point["title"], point["findings"], point["closed"])
            for n, point in enumerate(data["by_point"], start=1)]
    rows.append(("", TOTAL, figures["findings"], figures["findings_closed"]))
    table = _table(document, POINT_HEADERS, POINT_WIDTHS_MM, rows, ("center", "left", "center", "center"))
    for cell in table.rows[-1].cells:
        for run in (run for paragraph in cell.paragraphs for run in paragraph.runs):
            run.bold = True

    add_paragraph(document, SUMMARY_SECTION_FOLLOW_UP, bold=True, after=4)
    add_paragraph(document, SUMMARY_FOLLOW_UP.format(**{key: figures[key] for key in (
        "due", "on_time", "late", "open", "overdue", "closed", "planned")}),
                  align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)

    add_paragraph(document, SUMMARY_SECTION_MISSING, bold=True, after=4)
    paragraph = add_paragraph(document, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    add_run(paragraph, SUMMARY_MISSING.format(year=data["year"], count=len(data["not_planned"]),
                                              total=figures["agencies"]))
    for name in data["not_planned"]:
        add_paragraph(document, f"- {name}", after=0, indent_mm=layout.FIRST_LINE_INDENT_MM)
    spacer(document, 12)
    _signature(document, signer_prefix="", signer_position="GIÁM ĐỐC", signer_name="",
               recipients=SUMMARY_RECIPIENTS)
    return to_bytes(document)
