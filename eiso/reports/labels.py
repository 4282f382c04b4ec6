"""Fixed Vietnamese text of the statutory forms.

Generated statutory documents are always Vietnamese, whatever the user's interface language, so these
labels are literals of the legal forms (Decree 30/2020/NĐ-CP and the process document model of the
framework QMS), not translatable interface strings.
"""

# Decree 30/2020 header and closing.
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER_PREFIX = "Số:"
DEFAULT_DECISION_SYMBOL = "QĐ-UBND"
DECISION = "QUYẾT ĐỊNH"
DECISION_OPERATIVE = "QUYẾT ĐỊNH:"
ARTICLE = "Điều {n}."
RECIPIENTS = "Nơi nhận:"
ARCHIVE_RECIPIENT = "Lưu: VT."
ARCHIVE_PREFIX = "Lưu:"
DAY = "ngày"
MONTH = "tháng"
YEAR = "năm"
BLANK_DATE_PART = "……"

# Process document: header, approval and amendment log.
PROCESS = "QUY TRÌNH"
ISSUE_NUMBER = "Lần ban hành: {n}"
ISSUE_DATE = "Ngày ban hành: {date}"
DRAFTED_BY = "Người soạn thảo"
REVIEWED_BY = "Người xem xét"
APPROVED_BY = "Người phê duyệt"
FULL_NAME = "Họ và tên"
SIGNATURE = "Chữ ký"
POSITION = "Chức vụ"
AMENDMENT_LOG = "THEO DÕI SỬA ĐỔI TÀI LIỆU"
AMENDMENT_HEADERS = ("STT", "Vị trí sửa đổi", "Tóm tắt nội dung sửa đổi", "Lần ban hành/sửa đổi", "Ngày ban hành")

STATUS_NOTES = {
    "draft": "DỰ THẢO",
    "in_review": "DỰ THẢO (đang xem xét)",
    "superseded": "Tài liệu đã được thay thế, chỉ dùng để tham khảo",
    "withdrawn": "Tài liệu đã bị thu hồi, chỉ dùng để tham khảo",
}

# Process document: sections.
SECTION_PURPOSE = "1. MỤC ĐÍCH"
SECTION_SCOPE = "2. PHẠM VI ÁP DỤNG"
SECTION_REFERENCES = "3. TÀI LIỆU VIỆN DẪN"
SECTION_DEFINITIONS = "4. ĐỊNH NGHĨA/VIẾT TẮT"
SECTION_CONTENT = "5. NỘI DUNG QUY TRÌNH"
SECTION_FORMS = "6. BIỂU MẪU"
SECTION_RECORDS = "7. HỒ SƠ CẦN LƯU"

SUB_LEGAL_BASES = "5.1. Cơ sở pháp lý"
SUB_CONDITIONS = "5.2. Yêu cầu, điều kiện"
SUB_DOSSIER = "5.3. Thành phần hồ sơ"
SUB_SETS = "5.4. Số lượng hồ sơ"
SUB_DEADLINE = "5.5. Thời hạn giải quyết"
SUB_PLACE = "5.6. Nơi tiếp nhận và trả kết quả"
SUB_FEES = "5.7. Lệ phí"
SUB_STEPS = "5.8. Quy trình xử lý công việc"
# System and internal procedures described step by step.
SUB_SYSTEM_STEPS = "5.1. Trình tự thực hiện"
SUB_SYSTEM_DESCRIPTIONS = "5.2. Diễn giải"

PROCEDURES_COVERED = "Thủ tục hành chính áp dụng:"
APPLICANTS = "Đối tượng thực hiện:"
CHANNELS = "Cách thức thực hiện:"
COMPETENT_UNITS = "Cơ quan có thẩm quyền giải quyết:"
COOPERATING_UNITS = "Cơ quan phối hợp:"
RESULT = "Kết quả giải quyết:"
SETS = "{n} bộ"
PROCEDURE_CODE = "(mã {code})"

DOSSIER_HEADERS = ("STT", "Tên hồ sơ", "Bản chính", "Bản sao")
ORIGINAL_OR_COPY = "{quantity} (bản chính hoặc bản sao)"
MARK = "x"

STEP_HEADERS = ("Bước", "Nội dung công việc", "Trách nhiệm", "Thời gian", "Biểu mẫu, hồ sơ/kết quả")
STEP_LABEL = "B{n}"
TOTAL_TIME = "Tổng thời gian giải quyết"
STEP_RESPONSIBLE = "Trách nhiệm:"
STEP_TIME = "Thời gian:"
STEP_FORMS = "Biểu mẫu, hồ sơ/kết quả:"

FORM_HEADERS = ("STT", "Mã hiệu", "Tên biểu mẫu")
RECORD_HEADERS = ("STT", "Hồ sơ", "Nơi lưu", "Thời gian lưu")

# Durations.
WORKING_HOURS = "{n} giờ làm việc"
WORKING_HOURS_AND_DAYS = "{hours} giờ làm việc ({days} ngày làm việc)"
DURATION_UNITS = {
    "working_day": "{n} ngày làm việc",
    "day": "{n} ngày",
    "hour": "{n} giờ làm việc",
    "month": "{n} tháng",
}

# Flowchart.
FLOW_START = "Bắt đầu"
FLOW_END = "Kết thúc"
