"""The printable documents of a dossier: the receipt and appointment (Mẫu 01), the process control slip (Mẫu 05)
and the apology letter (Mẫu 04), read back from the PDF; what is refused; the view and who may print."""

import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import NoReverseMatch, reverse
from pypdf import PdfReader

from eiso.core.errors import ApplicationError
from eiso.dossiers.choices import PauseKind
from eiso.dossiers.services import (
    dossier_apologise,
    dossier_pause,
    dossier_resume,
    dossier_return,
    dossier_step_complete,
)
from eiso.reports.dossier_pdf import render_dossier_html, render_dossier_pdf
from tests.dossiers import conftest as dossier_fixtures
from tests.dossiers.conftest import at, frozen
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

# The dossiers' fixtures (a procedure of 3 working days, own's process, the holidays, receive()).
calendar, procedure, process, receive = (dossier_fixtures.calendar, dossier_fixtures.procedure,
                                         dossier_fixtures.process, dossier_fixtures.receive)

COMPONENTS = [
    {"name": "Tờ khai đăng ký kết hôn", "kind": "original", "quantity": 1, "submitted": True},
    {"name": "Giấy xác nhận tình trạng hôn nhân", "kind": "copy", "quantity": 2},
    {"name": "Giấy tờ chưa nộp", "kind": "original", "quantity": 1, "submitted": False},
]
REASON = "Cần xác minh thêm thông tin về tình trạng hôn nhân tại nơi cư trú trước đây."


def text_of(pdf: bytes) -> str:
    """All pages' text with whitespace (line breaks inside table cells) collapsed."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def hand_over(dossier, actor, assignee, when: str, note: str = ""):
    step = dossier.steps.get(started_at__isnull=False, finished_at__isnull=True)
    with frozen(when):
        return dossier_step_complete(actor=actor, step=step, assignee=assignee, note=note)


@pytest.fixture
def officer(world):
    return user_with_role("staff", world.own)


@pytest.fixture
def dossier(receive):
    """Received on Friday 27/11/2026 at 16:00, after the 15:00 cut-off: counted from Monday 30/11 07:30."""
    return receive("2026-11-27 16:00", components=COMPONENTS)


@pytest.fixture
def finished(world, dossier, officer):
    """B1 on time, an apology, B2 late, B3 early, the result returned at the desk."""
    staff = world.users["staff"]
    hand_over(dossier, staff, officer, "2026-11-30 09:00")
    with frozen("2026-11-30 10:00"):
        dossier_apologise(actor=staff, dossier=dossier, reason=REASON, new_appointment=at("2026-12-04 16:00"))
    hand_over(dossier, officer, staff, "2026-12-02 09:00", note="Đã xác minh xong")
    dossier = hand_over(dossier, staff, None, "2026-12-02 15:00")
    return dossier_return(actor=staff, dossier=dossier, method="desk", at=at("2026-12-04 10:00"))


def test_the_receipt_has_the_code_the_applicant_the_components_and_the_appointment(world, dossier):
    text = text_of(render_dossier_pdf(dossier, "receipt", base_url="https://eiso.example.vn/"))
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "ỦY BAN NHÂN DÂN PHƯỜNG CAM ĐƯỜNG", "Lào Cai, ngày 27 tháng 11 năm 2026",
                   "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {dossier.code}",
                   "Bộ phận Một cửa Ủy ban nhân dân phường Cam Đường tiếp nhận hồ sơ của:",
                   "Nguyễn Văn An", "001090001234", "0912345678", "Tổ 5, phường Cam Đường",
                   "Thủ tục đăng ký kết hôn (mã 1.000001)", "Tờ khai đăng ký kết hôn", "Bản chính",
                   "Giấy xác nhận tình trạng hôn nhân", "Bản sao", "01 bộ", "03 ngày làm việc",
                   "16:00 ngày 27/11/2026", "17:00 ngày 02/12/2026", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ",
                   str(world.users["staff"]), f"Nhập mã hồ sơ {dossier.code} và 04 số cuối của số điện thoại"):
        assert phrase in text, phrase
    assert "Giấy tờ chưa nộp" not in text  # not handed in
    try:
        path = reverse("portal:lookup")
    except NoReverseMatch:
        return
    assert f"https://eiso.example.vn{path}?code={dossier.code}" in text.replace(" ", "")


def test_the_receipt_is_refused_for_a_dossier_that_was_not_received(receive):
    incomplete = receive("2026-11-27 09:00", decision="supplement", reason="Thiếu tờ khai")
    for kind in ("receipt", "control-slip"):
        with pytest.raises(ApplicationError) as refused:
            render_dossier_pdf(incomplete, kind)
        assert refused.value.code == "not_received"


def test_the_control_slip_lists_every_hand_over_with_its_result(world, finished, officer):
    text = text_of(render_dossier_pdf(finished, "control-slip"))
    staff = str(world.users["staff"])
    for phrase in ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", f"Mã hồ sơ: {finished.code}", "Nguyễn Văn An",
                   "Thủ tục đăng ký kết hôn", "Thời gian nhận hồ sơ: 16:00 ngày 27/11/2026",
                   "Thời gian hẹn trả kết quả: 16:00 ngày 04/12/2026",
                   # 1: the applicant to the desk
                   f"1 Tổ chức, cá nhân Nguyễn Văn An Bộ phận Một cửa {staff} 16:00 ngày 27/11/2026 Tiếp nhận hồ sơ",
                   # 2: B1 to B2, on time
                   f"2 B1. Tiếp nhận, kiểm tra hồ sơ Bộ phận Một cửa {staff} Công chức tư pháp - hộ tịch {officer} "
                   "09:00 ngày 30/11/2026 Đúng hạn",
                   # 3: B2 to B3, late, with its note
                   f"3 B2. Thẩm định hồ sơ Công chức tư pháp - hộ tịch {officer} Chủ tịch UBND {staff} "
                   "09:00 ngày 02/12/2026 Quá hạn Đã xác minh xong",
                   # 4: B3 to the desk, early
                   f"4 B3. Ký duyệt kết quả Chủ tịch UBND {staff} Bộ phận Một cửa 15:00 ngày 02/12/2026 Trước hạn",
                   # 5: the desk to the applicant; the dossier is late since it needed an apology
                   f"5 Bộ phận Một cửa {staff} Tổ chức, cá nhân Nguyễn Văn An 10:00 ngày 04/12/2026 Quá hạn "
                   "Trả kết quả: Trực tiếp tại Bộ phận Một cửa",
                   "Phiếu xin lỗi và hẹn lại ngày trả kết quả ngày 30/11/2026", "Thời gian tạm dừng", "Không có."):
        assert phrase in text, phrase


def test_the_control_slip_of_a_dossier_in_progress_leaves_the_rest_blank_and_lists_the_clock_stops(world, dossier):
    staff = world.users["staff"]
    with frozen("2026-11-30 14:00"):
        dossier_pause(actor=staff, dossier=dossier, kind=PauseKind.SUPPLEMENT, reason="Bổ sung bản sao CCCD")
    dossier_resume(actor=staff, dossier=dossier, at=at("2026-12-01 08:00"))
    text = text_of(render_dossier_pdf(dossier, "control-slip"))
    assert "Chờ bổ sung hồ sơ (Bổ sung bản sao CCCD) 14:00 ngày 30/11/2026 08:00 ngày 01/12/2026" in text
    rows = text.split("Ghi chú", 1)[1]  # below the table's headers
    assert "Trước hạn" not in rows and "Quá hạn" not in rows and "Đúng hạn" not in rows  # nothing handed over
    assert "5 Bộ phận Một cửa Tổ chức, cá nhân Nguyễn Văn An Trả kết quả" in text


def test_the_apology_has_the_reason_and_both_appointments(world, finished):
    text = text_of(render_dossier_pdf(finished, "apology"))
    for phrase in ("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Lào Cai, ngày 30 tháng 11 năm 2026",
                   "Kính gửi: Ông/Bà Nguyễn Văn An", f"Mã hồ sơ: {finished.code}",
                   "Ngày 27/11/2026, Ủy ban nhân dân phường Cam Đường đã tiếp nhận hồ sơ",
                   "Thời gian hẹn trả kết quả giải quyết hồ sơ: 17:00 ngày 02/12/2026", REASON,
                   "Hẹn lại vào: 16:00 ngày 04/12/2026", "THỦ TRƯỞNG CƠ QUAN", str(world.users["agency_head"]),
                   "Nơi nhận:", "Lưu: VT."):
        assert phrase in text, phrase


def test_the_apology_is_refused_without_an_apology(dossier):
    with pytest.raises(ApplicationError) as refused:
        render_dossier_pdf(dossier, "apology")
    assert refused.value.code == "no_apology"


def test_an_organisation_s_receipt_escapes_user_text_and_an_unknown_kind_is_refused(receive):
    dossier = receive("2026-11-27 09:00", applicant={"kind": "organisation", "name": "<b>Trần & Co</b>",
                                                     "id_number": "0101234567"})
    with pytest.raises(ApplicationError):
        render_dossier_html(dossier, "decision")
    html = render_dossier_html(dossier, "receipt")
    assert "&lt;b&gt;Trần &amp; Co&lt;/b&gt;" in html and "<b>Trần" not in html
    assert "Tổ chức:" in html and "Mã số thuế: 0101234567" in html
    assert "04 số cuối của số định danh cá nhân hoặc mã số thuế" in html  # no phone: the lookup takes the ID
    assert "@page" not in html and "@page" in render_dossier_html(dossier, "receipt", print_=True)


# --- The view -------------------------------------------------------------------------------------------------


def _url(dossier, kind: str) -> str:
    return reverse("dossiers:dossier_pdf", kwargs={"pk": dossier.pk, "kind": kind})


def test_the_view_serves_the_pdf_inline_to_the_agency(client, world, dossier):
    for role in ("staff", "auditor", "agency_head"):
        client.force_login(world.users[role])
        response = client.get(_url(dossier, "receipt"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'inline; filename="{dossier.code}-receipt.pdf"'
        assert response.content.startswith(b"%PDF")
    lookup = reverse("portal:lookup")
    assert f"http://testserver{lookup}?code={dossier.code}" in text_of(response.content).replace(" ", "")


def test_the_view_needs_a_login_and_hides_other_agencies_dossiers_and_unknown_kinds(client, world, dossier):
    assert client.get(_url(dossier, "receipt")).status_code == 302  # to the login page
    client.force_login(user_with_role("staff", world.sibling))
    assert client.get(_url(dossier, "receipt")).status_code == 404
    client.force_login(world.users["supervisor"])  # the supervising authority sees statistics only
    assert client.get(_url(dossier, "receipt")).status_code == 404
    client.force_login(world.users["staff"])
    assert client.get(_url(dossier, "decision")).status_code == 404


def test_the_view_sends_a_refused_document_back_to_the_dossier(client, world, dossier):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.users["staff"])
    response = client.get(_url(dossier, "apology"))
    assert response.status_code == 302 and response["Location"] == dossier.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "No apology letter was issued for this dossier: issue one (with the reason and the new return date) before "
        "printing it."]
