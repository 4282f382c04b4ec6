"""The decision announcing conformity (Quyết định công bố HTQLCL phù hợp TCVN ISO 9001:2015) in the Decree 30/2020
layout, as DOCX and PDF.

`decision_data(announcement)` gathers the decision as plain data — its wording is statutory Vietnamese, whatever
the interface language, like eiso.reports.labels; `decision_docx(announcement) -> bytes` (the contract the PAR
evidence export uses) and `decision_pdf(announcement) -> bytes` render it (eiso.reports.announcement_docx and
eiso.reports.announcement_pdf). A draft prints "DỰ THẢO", without number, date or name under the signature.
"""

from __future__ import annotations

import datetime as dt

from eiso.announcements import selectors
from eiso.announcements.choices import AnnouncementKind
from eiso.core.permissions import today
from eiso.organizations.choices import AdminUnitLevel, AgencyKind
from eiso.reports import labels, layout

TITLE = "QUYẾT ĐỊNH"
SUMMARY = "Về việc công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia {standard}"
SUMMARY_AGAIN = "Về việc công bố lại Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia {standard}"
LOCAL_GOVERNMENT_2025 = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
LOCAL_GOVERNMENT_2015 = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
                         "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
                         "11 năm 2019;")
LOCAL_GOVERNMENT_2025_FROM = dt.date(2025, 7, 1)
FUNCTIONS = "Căn cứ văn bản quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {agency};"
DECISION_19 = ("Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về việc áp dụng "
               "Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào hoạt động của các cơ "
               "quan, tổ chức thuộc hệ thống hành chính nhà nước;")
CIRCULAR_26 = ("Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học và Công nghệ "
               "quy định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính "
               "phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào hoạt "
               "động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước;")
FRAMEWORK_101 = ("Căn cứ Quyết định số 101/QĐ-BKHCN ngày 21 tháng 01 năm 2019 của Bộ trưởng Bộ Khoa học và Công nghệ "
                 "công bố mô hình khung hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 cho "
                 "các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước tại địa phương;")
PREVIOUS = ("Căn cứ Quyết định số {number} ngày {date} của {agency} về việc công bố Hệ thống quản lý chất lượng phù "
            "hợp Tiêu chuẩn quốc gia {standard};")
EFFECTIVENESS = ("Căn cứ kết quả xây dựng, áp dụng Hệ thống quản lý chất lượng và xác nhận hiệu lực của người đứng đầu "
                 "ngày {date}.")
EFFECTIVENESS_UNDATED = "Căn cứ kết quả xây dựng, áp dụng Hệ thống quản lý chất lượng."
ARTICLE_1 = "Công bố Hệ thống quản lý chất lượng của {agency} phù hợp Tiêu chuẩn quốc gia {standard}."
ARTICLE_1_AGAIN = "Công bố lại Hệ thống quản lý chất lượng của {agency} phù hợp Tiêu chuẩn quốc gia {standard}."
SCOPE = "Phạm vi áp dụng: {scope}"
LIST = ("Danh mục {count} quy trình giải quyết thủ tục hành chính thuộc phạm vi áp dụng kèm theo Quyết định "
        "này.")
REASON = "Lý do công bố lại: {reason}."
REASONS = {
    "scope_extended": "mở rộng phạm vi áp dụng",
    "scope_narrowed": "thu hẹp phạm vi áp dụng",
    "scope_adjusted": "điều chỉnh phạm vi áp dụng",
    "merger": "sắp xếp, hợp nhất cơ quan",
}
ARTICLE_2 = "Quyết định này có hiệu lực kể từ ngày ký."
ARTICLE_2_AGAIN = ("Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số {number} ngày {date} của "
                   "{agency} về việc công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia {standard}.")
MAINTAIN = ("Các cơ quan, đơn vị, cá nhân thuộc phạm vi áp dụng có trách nhiệm duy trì, cải tiến thường xuyên Hệ thống "
            "quản lý chất lượng; công bố lại khi mở rộng, thu hẹp hoặc điều chỉnh phạm vi áp dụng.")
ARTICLE_3_COMMUNE = ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân, các phòng chuyên môn, Thư ký ISO và cán bộ, công "
                     "chức có liên quan chịu trách nhiệm thi hành Quyết định này.")
ARTICLE_3_PROVINCE = ("Chánh Văn phòng Ủy ban nhân dân {province}, Thư ký ISO và các cơ quan, đơn vị, cá nhân có liên "
                      "quan chịu trách nhiệm thi hành Quyết định này.")
ARTICLE_3_OTHER = ("Chánh Văn phòng, Trưởng các phòng, đơn vị thuộc {agency}, Thư ký ISO và các cá nhân có liên quan "
                   "chịu trách nhiệm thi hành Quyết định này.")
AS_ARTICLE_3 = "Như Điều 3;"
TO_REPORT = "{agency} (để báo cáo);"
TO_POST = "Trang thông tin điện tử của cơ quan (để đăng tải);"
DEFAULT_AUTHORITY = "Sở Khoa học và Công nghệ"
ARCHIVE = "Lưu: VT, ISO."
APPENDIX_TITLE = ("DANH MỤC QUY TRÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THUỘC PHẠM VI ÁP DỤNG HỆ THỐNG QUẢN LÝ CHẤT "
                  "LƯỢNG PHÙ HỢP TIÊU CHUẨN QUỐC GIA {standard}")
APPENDIX_OF = "(Kèm theo Quyết định số {number} ngày {date} của {agency})"
APPENDIX_HEADERS = ("STT", "Mã hiệu quy trình", "Tên quy trình", "Mã thủ tục hành chính")
APPENDIX_WIDTHS_MM = (12, 35, 95, 23)
DRAFT = labels.STATUS_NOTES["draft"]
BLANK = "……"
PLACE_PREFIXES = ("tỉnh ", "thành phố ")


def _place(agency) -> str:
    """Decree 30: a commune's documents are dated at the commune ("Cam Đường, ngày …"), the others at the province
    ("Lào Cai, ngày …")."""
    unit = agency.admin_unit
    if unit is not None and unit.level == AdminUnitLevel.COMMUNE:
        name, kind = unit.name.strip(), (unit.division_type or "").strip()
        if kind and name.lower().startswith(kind.lower() + " "):
            return name[len(kind):].strip()
        return name
    name = (agency.province.name if agency.province_id else "").strip()
    for prefix in PLACE_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix):].strip()
    return name


def _province_label(agency) -> str:
    if not agency.province_id:
        return ""
    province = agency.province
    if province.name.lower().startswith(PLACE_PREFIXES):
        return province.name[0].lower() + province.name[1:]
    return f"{province.division_type or 'tỉnh'} {province.name}".strip()


def _number(announcement) -> str:
    """"15/QĐ-UBND", or "   /QĐ-UBND" for a draft."""
    return announcement.number_display or f"{BLANK}/{announcement.symbol}"


def _date(value) -> str:
    return layout.short_date(value) or BLANK


def _authority_heading(agency, prefix: str, position: str) -> str:
    if prefix:  # a collective decision (TM. Ủy ban nhân dân): the body itself
        return agency.name
    return f"{position} {agency.name}"


def _article_3(agency) -> str:
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        unit = agency.admin_unit
        if unit is not None and unit.level == AdminUnitLevel.PROVINCE:
            return ARTICLE_3_PROVINCE.format(province=_province_label(agency))
        return ARTICLE_3_COMMUNE
    return ARTICLE_3_OTHER.format(agency=agency.short_name or agency.name)


def _recipients(agency) -> list[str]:
    items = [AS_ARTICLE_3]
    authority = getattr(agency.province, "supervising_authority", None) if agency.province_id else None
    if authority is None:
        items.append(TO_REPORT.format(agency=f"{DEFAULT_AUTHORITY} {_province_label(agency)}".strip()))
    elif authority.agency_id != agency.pk:
        items.append(TO_REPORT.format(agency=authority.agency.name))
    if agency.parent_id and (authority is None or agency.parent_id != authority.agency_id):
        items.append(TO_REPORT.format(agency=agency.parent.name))
    items += [TO_POST, ARCHIVE]
    return items


def decision_data(announcement) -> dict:
    """Everything the decision shows, as plain data (the texts of the document in Vietnamese)."""
    agency = announcement.agency
    draft = announcement.is_draft
    prefix, _position = selectors.default_signer(agency)
    position = announcement.signer_position
    standard = announcement.standard
    again = announcement.kind == AnnouncementKind.REANNOUNCEMENT
    previous = announcement.replaces
    signed_on = announcement.signed_on
    grounds = [LOCAL_GOVERNMENT_2025 if (signed_on or today()) >= LOCAL_GOVERNMENT_2025_FROM
               else LOCAL_GOVERNMENT_2015] if agency.kind == AgencyKind.PEOPLES_COMMITTEE else [
        FUNCTIONS.format(agency=agency.name)]
    grounds += [DECISION_19, CIRCULAR_26, FRAMEWORK_101]
    if previous is not None:
        grounds.append(PREVIOUS.format(number=_number(previous), date=_date(previous.signed_on),
                                       agency=previous.agency.name, standard=previous.standard))
    confirmed = announcement.effectiveness_confirmed_on if not draft else selectors.confirmation_for(agency, today())
    grounds.append(EFFECTIVENESS.format(date=_date(confirmed)) if confirmed else EFFECTIVENESS_UNDATED)

    procedures = [item for item in announcement.procedures or [] if isinstance(item, dict)]
    article_1 = [(ARTICLE_1_AGAIN if again else ARTICLE_1).format(agency=agency.name, standard=standard)]
    article_1 += [SCOPE.format(scope=line) if index == 0 else line
                  for index, line in enumerate(layout.paragraphs(announcement.scope))]
    if procedures:
        article_1.append(LIST.format(count=layout.format_number(len(procedures))))
    elif selectors.NO_PROCEDURES_NOTE not in announcement.scope:
        article_1.append(selectors.NO_PROCEDURES_NOTE)
    if again and announcement.reason in REASONS:
        article_1.append(REASON.format(reason=REASONS[announcement.reason]))
        article_1 += layout.paragraphs(announcement.reason_detail)
    article_2 = [ARTICLE_2_AGAIN.format(number=_number(previous), date=_date(previous.signed_on),
                                        agency=previous.agency.name, standard=previous.standard)
                 if previous is not None else ARTICLE_2, MAINTAIN]
    of = APPENDIX_OF.format(number=_number(announcement), date=_date(signed_on), agency=agency.name)
    appendix = None
    if procedures:
        appendix = {
            "title": APPENDIX_TITLE.format(standard=standard.upper()), "of": of, "headers": APPENDIX_HEADERS,
            "widths_mm": APPENDIX_WIDTHS_MM,
            "rows": [(layout.format_number(index), str(item.get("code") or ""), str(item.get("title") or ""),
                      ", ".join(item.get("procedures") or [])) for index, item in enumerate(procedures, start=1)],
        }
    return {
        "draft": draft, "draft_label": DRAFT if draft else "",
        "parent_body": (agency.parent.name if agency.parent_id and agency.kind != AgencyKind.PEOPLES_COMMITTEE
                        else ""),
        "issuing_body": agency.name, "number": announcement.number or "", "symbol": announcement.symbol,
        "number_display": announcement.number_display,
        "place": _place(agency), "date": signed_on, "title": TITLE,
        "summary": (SUMMARY_AGAIN if again else SUMMARY).format(standard=standard),
        "authority": _authority_heading(agency, prefix, position),
        "grounds": grounds,
        "articles": ["\n".join(article_1), "\n".join(article_2), _article_3(agency)],
        "signer_prefix": prefix, "signer_position": position,
        "signer_name": "" if draft else announcement.signer_name,
        "recipients": _recipients(agency),
        "appendix": appendix,
        "procedures": procedures,
    }


def decision_docx(announcement) -> bytes:
    """The decision as a Word file (Decree 30/2020 layout), with the list of procedures in an appendix."""
    from eiso.reports.announcement_docx import render_announcement_docx

    return render_announcement_docx(decision_data(announcement))


def decision_pdf(announcement) -> bytes:
    """The decision as PDF (the same content and layout as the Word file)."""
    from eiso.reports.announcement_pdf import render_announcement_pdf

    return render_announcement_pdf(decision_data(announcement))


def filename(announcement, extension: str) -> str:
    """"quyet-dinh-cong-bo-15-2026.docx"; "du-thao-quyet-dinh-cong-bo.docx" for a draft."""
    if announcement.number is None:
        return f"du-thao-quyet-dinh-cong-bo.{extension}"
    return f"quyet-dinh-cong-bo-{announcement.number:02d}-{announcement.year}.{extension}"
