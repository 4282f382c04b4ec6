"""The province report of a reporting period as a Word file in the Decree 30/2020 layout: the Department of Science
and Technology reports to the provincial People's Committee and the Ministry of Science and Technology on the QMS of
the province's agencies: I. agencies by level and stage ("x/y announced"), II. the periodic reports received and
late, III. the inspection points of Circular 26/2014 Art. 36 met by level, IV. difficulties and V. proposals
quoted from the agencies' reports.

`render_province_report_docx(data)` writes the data of `eiso.reporting.province.province_report_data`.
"""

from __future__ import annotations

from eiso.reports import layout
from eiso.reports.decision_docx import _header, _signature
from eiso.reports.docx_tools import add_paragraph, new_document, spacer, to_bytes
from eiso.reports.periodic_report_docx import REPORT, lines, section, table, title_block

SUMMARY = ("Kết quả xây dựng, áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 tại "
           "các cơ quan hành chính nhà nước trên địa bàn {province} {period}")
TO = ("Kính gửi:", "- Ủy ban nhân dân {province};", "- Bộ Khoa học và Công nghệ.")
INTRO = ("Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ và Thông tư số 26/2014/TT-BKHCN "
         "ngày 10/10/2014 của Bộ trưởng Bộ Khoa học và Công nghệ; trên cơ sở báo cáo của các cơ quan ({title}), "
         "{authority} báo cáo kết quả {period} như sau:")
SECTION_STAGES = "I. TÌNH HÌNH XÂY DỰNG, ÁP DỤNG, CÔNG BỐ HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG"
SECTION_REPORTS = "II. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN"
SECTION_POINTS = "III. KẾT QUẢ TỰ ĐÁNH GIÁ THEO NỘI DUNG KIỂM TRA (Điều 36 Thông tư số 26/2014/TT-BKHCN)"
SECTION_DIFFICULTIES = "IV. KHÓ KHĂN, VƯỚNG MẮC CỦA CÁC CƠ QUAN"
SECTION_PROPOSALS = "V. ĐỀ XUẤT, KIẾN NGHỊ"
ANNOUNCED = "{label}: {announced}/{total} cơ quan đã công bố hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015"
CONVERTED = "; {converted} cơ quan đã chuyển đổi sang TCVN ISO 9001:2015"
NO_STAGES = "Số liệu theo giai đoạn chưa có trong hệ thống."
LEVEL = "Cấp"
TOTAL = "Tổng số"
ALL = "Cộng"
REPORT_HEADERS = ("Cấp", "Số cơ quan", "Đã gửi", "Đã chấp nhận", "Trả lại", "Nộp muộn/chưa nộp")
REPORTS_TEXT = ("Tổng số {total} cơ quan phải báo cáo; đã nhận {received} báo cáo ({accepted} đã chấp nhận); "
                "{returned} báo cáo trả lại để hoàn thiện; {not_submitted} cơ quan chưa gửi báo cáo; {late} cơ quan "
                "nộp muộn hoặc chưa nộp khi đến hạn ({due}).")
LATE = "Các cơ quan nộp muộn hoặc chưa nộp: {names}."
POINTS_TEXT = "Số cơ quan đạt từng nội dung trên số báo cáo đã nhận, theo cấp:"
QUOTE = "{agency}: {text}"
SIGNER_POSITION = "GIÁM ĐỐC"
SYMBOL = "BC-SKHCN"
RECIPIENTS = ["Như trên;", "Lãnh đạo Sở;"]


def _stage_table(document, data: dict) -> None:
    rows, stages = data["levels"], data["stages"]
    if rows is None:
        lines(document, [NO_STAGES])
        return
    lines(document, [ANNOUNCED.format(**row) + (CONVERTED.format(**row) if row["converted"] else "") + "."
                     for row in rows])
    headers = (LEVEL, TOTAL, *(label for _key, label in stages), "Đã chuyển đổi")
    body = [(row["label"], row["total"], *(row["by_stage"].get(key, 0) for key, _label in stages), row["converted"])
            for row in rows]
    body.append((ALL, sum(r["total"] for r in rows),
                 *(sum(r["by_stage"].get(key, 0) for r in rows) for key, _label in stages),
                 sum(r["converted"] for r in rows)))
    width = (layout.CONTENT_WIDTH_MM - 40) / (len(headers) - 1)
    table(document, headers, [40, *([width] * (len(headers) - 1))], [[str(v) for v in row] for row in body],
          aligns=["left", *(["center"] * (len(headers) - 1))])


def _reports(document, data: dict) -> None:
    totals = data["totals"]
    lines(document, [REPORTS_TEXT.format(**totals, due=layout.short_date(data["due_on"]))])
    rows = [(level["label"], level["total"], level["received"], level["accepted"], level["returned"], level["late"])
            for level in data["by_level"]]
    rows.append((ALL, totals["total"], totals["received"], totals["accepted"], totals["returned"], totals["late"]))
    table(document, REPORT_HEADERS, [45, 24, 24, 24, 24, 24], [[str(v) for v in row] for row in rows],
          aligns=["left", "center", "center", "center", "center", "center"])
    if data["late_agencies"]:
        lines(document, [LATE.format(names="; ".join(data["late_agencies"]))])


def _points(document, data: dict) -> None:
    lines(document, [POINTS_TEXT])
    levels = data["by_level"]
    headers = ("STT", "Nội dung kiểm tra", *(level["label"] for level in levels))
    rows = [(str(number), title, *(f"{level['points_met'][key]}/{level['received']}" for level in levels))
            for number, (key, title) in enumerate(data["points"], start=1)]
    width = (layout.CONTENT_WIDTH_MM - 11 - 70) / max(len(levels), 1)
    table(document, headers, [11, 70, *([width] * len(levels))], rows,
          aligns=["center", "left", *(["center"] * len(levels))])


def render_province_report_docx(data: dict) -> bytes:
    """The province report as DOCX bytes."""
    document = new_document()
    authority = data["authority"]
    document.core_properties.title = f"{REPORT} {data['period_label']} – {authority['name']}"
    document.core_properties.language = "vi-VN"
    _header(document, parent_body=authority["parent_name"], issuing_body=authority["name"], number="",
            symbol=SYMBOL, place=authority["place"], date=data["date"])
    title_block(document, title=REPORT, summary=SUMMARY.format(province=data["province"], period=data["period_label"]))
    for index, line in enumerate(TO):
        add_paragraph(document, line.format(province=data["province"]), align="center" if index == 0 else "left",
                      indent_mm=None if index == 0 else 40, after=0)
    spacer(document, 8)
    add_paragraph(document, INTRO.format(title=data["period_title"], authority=authority["name"],
                                         period=data["period_label"]),
                  align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    section(document, SECTION_STAGES)
    _stage_table(document, data)
    section(document, SECTION_REPORTS)
    _reports(document, data)
    section(document, SECTION_POINTS)
    _points(document, data)
    section(document, SECTION_DIFFICULTIES)
    lines(document, [QUOTE.format(agency=agency, text=text) for agency, text in data["difficulties"]])
    section(document, SECTION_PROPOSALS)
    lines(document, [QUOTE.format(agency=agency, text=text) for agency, text in data["proposals"]])
    spacer(document, 12)
    _signature(document, signer_prefix="", signer_position=SIGNER_POSITION, signer_name="", recipients=RECIPIENTS)
    return to_bytes(document)
