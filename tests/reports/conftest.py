"""Process snapshots as the processes app produces them: one realistic, one nearly empty."""

import copy

import pytest

BIRTH_REGISTRATION = {
    "agency": {"name": "Ủy ban nhân dân phường Cam Đường", "parent_name": "Ủy ban nhân dân tỉnh Lào Cai",
               "province": "Lào Cai", "place": "Lào Cai"},
    "document": {"code": "QT-01", "title": "Quy trình giải quyết thủ tục đăng ký khai sinh", "issue_number": 1,
                 "issue_date": "2026-11-23", "status": "published"},
    "approval": {
        "drafted_by": {"name": "Nguyễn Thị Hường", "position": "Công chức Tư pháp - Hộ tịch"},
        "reviewed_by": {"name": "Trần Văn Đức", "position": "Phó Chủ tịch UBND phường"},
        "approved_by": {"name": "Lê Quang Vũ", "position": "Chủ tịch UBND phường"},
    },
    "amendments": [
        {"no": 1, "location": "—", "summary": "Ban hành lần đầu", "issue": 1, "date": "2026-11-23"},
        {"no": 2, "location": "Mục 5.8", "summary": "Rút ngắn thời gian thẩm định hồ sơ", "issue": 1,
         "date": "2026-12-15"},
    ],
    "process": {
        "kind": "procedure", "code": "QT-01", "title": "Quy trình giải quyết thủ tục đăng ký khai sinh",
        "purpose": "Quy định trình tự, thủ tục và trách nhiệm giải quyết thủ tục đăng ký khai sinh.\n"
                   "Bảo đảm giải quyết hồ sơ đúng hạn, công khai, minh bạch.",
        "scope": "Áp dụng đối với công chức Bộ phận Một cửa và công chức Tư pháp - Hộ tịch phường Cam Đường.",
        "references": ["TCVN ISO 9001:2015", "Quyết định số 101/QĐ-BKHCN ngày 21/01/2019"],
        "definitions": [{"term": "TTHC", "meaning": "Thủ tục hành chính"},
                        {"term": "UBND", "meaning": "Ủy ban nhân dân"}],
        "legal_bases": ["Luật Hộ tịch số 60/2014/QH13", "Nghị định số 123/2015/NĐ-CP"],
        "conditions": "Không.",
        "dossier_components": [
            {"name": "Tờ khai đăng ký khai sinh theo mẫu", "kind": "original", "quantity": 1},
            {"name": "Giấy chứng sinh", "kind": "original_or_copy", "quantity": 1},
            {"name": "Giấy tờ tùy thân của người đi đăng ký", "kind": "copy", "quantity": None},
        ],
        "number_of_sets": 1,
        "channels": ["Trực tiếp", "Qua bưu chính", "Trực tuyến"],
        "place_of_receipt": "Bộ phận Một cửa UBND phường Cam Đường",
        "competent_units": "UBND phường Cam Đường", "cooperating_units": "",
        "applicants": "Công dân Việt Nam", "fees": "Miễn lệ phí đăng ký khai sinh đúng hạn.",
        "result": "Giấy khai sinh", "content_intro": "",
        "procedures": [{"code": "1.001193", "name": "Đăng ký khai sinh"}],
        "cases": [
            {"code": "1.001193.01", "name": "Đăng ký khai sinh đúng hạn", "duration": "0",
             "duration_unit": "working_day", "label": "Ngay trong ngày tiếp nhận"},
            {"code": "1.001193.02", "name": "Trường hợp cần xác minh", "duration": "3",
             "duration_unit": "working_day", "label": ""},
            {"code": "1.001193.03", "name": "Đăng ký khai sinh có yếu tố nước ngoài", "duration": "15",
             "duration_unit": "day", "label": "15 ngày"},
        ],
        "steps": [
            {"order": 1, "action": "Tiếp nhận hồ sơ", "responsible": "Công chức Bộ phận Một cửa",
             "time_label": "04 giờ làm việc", "hours": "4", "forms": ["BM.01"],
             "output": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "description": "Kiểm tra tính đầy đủ của hồ sơ."},
            {"order": 2, "action": "Chuyển hồ sơ <b>& thẩm định \"sơ bộ\"",
             "responsible": "Công chức Tư pháp - Hộ tịch", "time_label": "", "hours": "8",
             "forms": ["BM.01"], "output": "Hồ sơ đã thẩm định", "description": ""},
            {"order": 3, "action": "Xem xét, trình ký kết quả", "responsible": "Công chức Tư pháp - Hộ tịch",
             "time_label": "04 giờ làm việc", "hours": "4", "forms": [], "output": "Dự thảo Giấy khai sinh",
             "description": ""},
            {"order": 4, "action": "Ký duyệt kết quả giải quyết thủ tục hành chính đăng ký khai sinh cho công dân",
             "responsible": "Chủ tịch hoặc Phó Chủ tịch UBND phường", "time_label": "04 giờ làm việc", "hours": "4",
             "forms": ["BM.01"], "output": "Giấy khai sinh", "description": ""},
            {"order": 5, "action": "Trả kết quả, thu phí, lưu hồ sơ", "responsible": "Công chức Bộ phận Một cửa",
             "time_label": "04 giờ làm việc", "hours": "4", "forms": ["BM.01", "BM.02"],
             "output": "Sổ theo dõi hồ sơ", "description": ""},
        ],
        "total_hours": "24",
        "forms": [{"code": "BM.01", "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ"},
                  {"code": "BM.02", "title": "Sổ theo dõi hồ sơ"}],
        "records": [{"name": "Hồ sơ đăng ký khai sinh", "place": "Bộ phận Một cửa", "retention": "05 năm"},
                    {"name": "Sổ đăng ký khai sinh", "place": "Công chức Tư pháp - Hộ tịch", "retention": "Vĩnh viễn"}],
    },
}

EMPTY = {
    "agency": {"name": "", "parent_name": "", "province": "", "place": ""},
    "document": {"code": "QT-02", "title": "", "issue_number": 1, "issue_date": None, "status": "draft"},
    "approval": {"drafted_by": None, "reviewed_by": None, "approved_by": None},
    "amendments": [],
    "process": {
        "kind": "procedure", "code": "QT-02", "title": "", "purpose": "", "scope": "", "references": [],
        "definitions": [], "legal_bases": [], "conditions": "", "dossier_components": [], "number_of_sets": 1,
        "channels": [], "place_of_receipt": "", "competent_units": "", "cooperating_units": "", "applicants": "",
        "fees": "", "result": "", "content_intro": "", "procedures": [], "cases": [], "steps": [],
        "total_hours": "0", "forms": [], "records": [],
    },
}


@pytest.fixture
def snapshot() -> dict:
    return copy.deepcopy(BIRTH_REGISTRATION)


@pytest.fixture
def empty_snapshot() -> dict:
    return copy.deepcopy(EMPTY)
