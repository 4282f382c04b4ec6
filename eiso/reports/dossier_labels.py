"""Fixed Vietnamese text of the dossier forms of the one-stop rules (Circular 01/2018/TT-VPCP: receipt and
appointment, apology and new date, process control slip).

Like eiso.reports.labels, these are literals of statutory forms handed to citizens: they are printed in
Vietnamese whatever the user's interface language, so they are not translatable interface strings.
"""

RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
CONTROL_SLIP_TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
APOLOGY_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"

DESK = "Bộ phận Một cửa"
DESK_OF = "Bộ phận Một cửa {agency}"
DOSSIER_CODE = "Mã hồ sơ:"
ATTACHED_TO_RECEIPT = "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã hồ sơ {code})"

# The applicant.
RECEIVED_FROM = "{desk} tiếp nhận hồ sơ của:"
APPLICANT = {"person": "Ông/Bà:", "organisation": "Tổ chức:"}
ADDRESSEE = {"person": "Ông/Bà {name}", "organisation": "{name}"}
ID_NUMBER = {"person": "Số định danh cá nhân:", "organisation": "Mã số thuế:"}
ADDRESS = "Địa chỉ:"
PHONE = "Số điện thoại:"
EMAIL = "Thư điện tử:"
APPLICANT_NAME = "Người nộp hồ sơ:"
REQUEST = "Nội dung yêu cầu giải quyết:"
PROCEDURE = "Thủ tục hành chính:"
CASE = "Trường hợp:"

# Receipt.
COMPONENTS = "1. Thành phần hồ sơ nộp gồm:"
COMPONENT_HEADERS = ("STT", "Tên giấy tờ", "Hình thức", "Số lượng")
COMPONENT_KINDS = {"original": "Bản chính", "copy": "Bản sao", "original_or_copy": "Bản chính hoặc bản sao"}
NO_COMPONENTS = "(Không ghi thành phần hồ sơ)"
SETS = "2. Số lượng hồ sơ:"
SETS_VALUE = "{n} bộ"
STATUTORY_TIME = "3. Thời hạn giải quyết hồ sơ theo quy định:"
RECEIVED_AT = "4. Thời gian nhận hồ sơ:"
APPOINTMENT_AT = "5. Thời gian trả kết quả giải quyết hồ sơ:"
COLLECT_AT = "6. Đăng ký nhận kết quả tại:"
LOOKUP = "7. Tra cứu tình trạng giải quyết hồ sơ trực tuyến:"
LOOKUP_AT = "Tại địa chỉ:"
LOOKUP_HOW = "Nhập mã hồ sơ {code} và {digits} số cuối của {secret}."
LOOKUP_SECRET_PHONE = "số điện thoại đã khai khi nộp hồ sơ"
LOOKUP_SECRET_ID = "số định danh cá nhân hoặc mã số thuế đã khai khi nộp hồ sơ"
APPLICANT_SIGNS = "NGƯỜI NỘP HỒ SƠ"
OFFICER_SIGNS = "NGƯỜI TIẾP NHẬN HỒ SƠ"
SIGN_HINT = "(Ký và ghi rõ họ tên)"

# Moments: "16:00 ngày 27/11/2026".
MOMENT = "{time} ngày {date}"

# Control slip.
RECEIVED = "Thời gian nhận hồ sơ:"
APPOINTMENT = "Thời gian hẹn trả kết quả:"
HANDLING_AGENCY = "Cơ quan (bộ phận) giải quyết hồ sơ:"
SLIP_HEADERS = ("STT", "Bên giao", "Bên nhận", "Thời gian giao, nhận hồ sơ",
                "Kết quả giải quyết hồ sơ (Trước hạn/Đúng hạn/Quá hạn)", "Ghi chú")
APPLICANT_SIDE = "Tổ chức, cá nhân"
RECEIPT_NOTE = "Tiếp nhận hồ sơ"
RETURN_NOTE = "Trả kết quả"
STEP = "B{n}. {action}"
RESULTS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
RETURN_METHODS = {"desk": "Trực tiếp tại Bộ phận Một cửa", "postal": "Qua dịch vụ bưu chính",
                  "online": "Trực tuyến"}
PAUSES = "Thời gian tạm dừng giải quyết hồ sơ:"
PAUSE_HEADERS = ("STT", "Lý do", "Từ", "Đến")
PAUSE_KINDS = {"supplement": "Chờ bổ sung hồ sơ", "fee": "Chờ nộp phí, lệ phí"}
NO_PAUSES = "Không có."
APOLOGY_ISSUED = "Phiếu xin lỗi và hẹn lại ngày trả kết quả ngày {date}; hẹn lại: {moment}."

# Apology.
TO = "Kính gửi:"
APOLOGY_RECEIVED = ("Ngày {date}, {agency} đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính {procedure} của "
                    "{addressee}.")
APOLOGY_DUE = "Thời gian hẹn trả kết quả giải quyết hồ sơ:"
APOLOGY_REASON = "Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ cho {addressee} vì lý do:"
APOLOGY_SORRY = ("Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của {addressee}. {agency} xin lỗi "
                 "{addressee} và hẹn lại thời gian trả kết quả như sau:")
APOLOGY_NEW = "Hẹn lại vào:"
APOLOGY_CLOSING = "Rất mong nhận được sự thông cảm của {addressee} vì sự chậm trễ này."
AS_ADDRESSED = "Như trên;"
HEAD = "THỦ TRƯỞNG CƠ QUAN"
