"""The tables of the province report of a reporting period as an XLSX workbook (openpyxl):

1. "Cap - giai doan": agencies by level × QMS stage, announced and converted (the dashboard's numbers, from
   `eiso.oversight.selectors.province_summary`), with a total row;
2. "Bao cao co quan": one row per agency with its report's status and figures;
3. "Dieu 36 theo cap": the inspection points of Circular 26/2014 Art. 36 met, per level, among the reports received.

`render_province_report_xlsx(data)` writes the data of `eiso.reporting.province.province_report_data`. Numbers are
written as numbers, dates as dates (dd/mm/yyyy), so that the tables can be added up and read back.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from eiso.reports.layout import parse_date

SHEET_STAGES = "Cap - giai doan"
SHEET_AGENCIES = "Bao cao co quan"
SHEET_POINTS = "Dieu 36 theo cap"
TITLE_STAGES = "Cơ quan theo cấp và giai đoạn áp dụng HTQLCL — {province}, {period}"
TITLE_AGENCIES = "Báo cáo của các cơ quan — {period}"
TITLE_POINTS = "Nội dung kiểm tra (Điều 36 Thông tư 26/2014/TT-BKHCN) đạt, theo cấp — {period}"
STAGE_HEADERS_BEFORE = ("Cấp", "Tổng số cơ quan")
STAGE_HEADERS_AFTER = ("Đã công bố (gồm duy trì)", "Đã chuyển đổi TCVN ISO 9001:2015")
TOTAL = "Cộng"
NO_STAGES = "Số liệu theo giai đoạn chưa có trong hệ thống."
AGENCY_HEADERS = (
    "Cơ quan", "Mã", "Cấp", "Trạng thái báo cáo", "Ngày gửi", "Nộp muộn", "TTHC có quy trình đang áp dụng",
    "TTHC thuộc danh mục", "Quy trình TTHC đã ban hành", "Quy trình TTHC đã xây dựng", "Tài liệu ban hành mới",
    "Tài liệu sửa đổi", "Đánh giá nội bộ gần nhất", "Xem xét của lãnh đạo gần nhất", "NC phát sinh", "NC đã khắc phục",
    "NC còn mở", "Cập nhật pháp luật đúng hạn", "Cập nhật pháp luật trễ hạn", "Hồ sơ đã giải quyết",
    "Tỷ lệ đúng hạn (%)", "Nội dung đạt", "Nội dung chưa đạt", "Nội dung chưa xác định",
)
RECEIVED = "Số báo cáo đã nhận"
YES, NO = "Có", "Không"


def _bold_row(sheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _number(value):
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _stages(sheet, data: dict) -> None:
    sheet.append([TITLE_STAGES.format(province=data["province"], period=data["period_label"])])
    sheet["A1"].font = Font(bold=True)
    rows, stages = data["levels"], data["stages"]
    if rows is None:
        sheet.append([NO_STAGES])
        return
    sheet.append([*STAGE_HEADERS_BEFORE, *(label for _key, label in stages), *STAGE_HEADERS_AFTER])
    _bold_row(sheet, 2)
    for row in rows:
        sheet.append([row["label"], row["total"], *(row["by_stage"].get(key, 0) for key, _label in stages),
                      row["announced"], row["converted"]])
    sheet.append([TOTAL, sum(r["total"] for r in rows),
                  *(sum(r["by_stage"].get(key, 0) for r in rows) for key, _label in stages),
                  sum(r["announced"] for r in rows), sum(r["converted"] for r in rows)])
    _bold_row(sheet, sheet.max_row)
    sheet.column_dimensions["A"].width = 40


def _agencies(sheet, data: dict) -> None:
    sheet.append([TITLE_AGENCIES.format(period=data["period_label"])])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(AGENCY_HEADERS))
    _bold_row(sheet, 2)
    for report in data["reports"]:
        figures = report["figures"]
        procedures = figures.get("procedures") or {}
        documents = figures.get("documents") or {}
        nonconformities = figures.get("nonconformities") or {}
        legal = figures.get("legal_updates") or {}
        dossiers = figures.get("dossiers") or {}
        sheet.append([
            report["agency"], report["code"], report["level_label"], report["status_label"], report["submitted_on"],
            YES if report["is_late"] else NO, procedures.get("covered"), procedures.get("catalogue"),
            procedures.get("published"), procedures.get("adopted"), documents.get("issued"), documents.get("revised"),
            parse_date(figures.get("last_audit_on")), parse_date(figures.get("last_review_on")),
            nonconformities.get("raised"), nonconformities.get("closed"), nonconformities.get("open"),
            legal.get("on_time"), legal.get("late"), dossiers.get("resolved"), _number(dossiers.get("on_time_rate")),
            report["met"]["met"], report["met"]["not_met"], report["met"]["unknown"],
        ])
        for column in (5, 13, 14):
            sheet.cell(row=sheet.max_row, column=column).number_format = "DD/MM/YYYY"
    sheet.column_dimensions["A"].width = 50
    sheet.freeze_panes = "B3"


def _points(sheet, data: dict) -> None:
    sheet.append([TITLE_POINTS.format(period=data["period_label"])])
    sheet["A1"].font = Font(bold=True)
    levels = data["by_level"]
    sheet.append(["STT", "Nội dung kiểm tra", *(level["label"] for level in levels), TOTAL])
    _bold_row(sheet, 2)
    sheet.append(["", RECEIVED, *(level["received"] for level in levels), sum(lv["received"] for lv in levels)])
    for number, (key, title) in enumerate(data["points"], start=1):
        met = [level["points_met"][key] for level in levels]
        sheet.append([number, title, *met, sum(met)])
    sheet.column_dimensions["B"].width = 70


def render_province_report_xlsx(data: dict) -> bytes:
    """The three tables as XLSX bytes."""
    book = Workbook()
    stages = book.active
    stages.title = SHEET_STAGES
    _stages(stages, data)
    _agencies(book.create_sheet(SHEET_AGENCIES), data)
    _points(book.create_sheet(SHEET_POINTS), data)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
