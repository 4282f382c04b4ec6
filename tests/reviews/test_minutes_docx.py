"""The minutes, downloaded as a Word file and read back with python-docx."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from eiso.catalog.models import Procedure
from eiso.dossiers.models import DossierTally
from eiso.reviews import services
from tests.conftest import login

pytestmark = pytest.mark.django_db


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def test_the_minutes_carry_the_meeting_inputs_decisions_conclusion_and_signatures(client, world, planned):
    head, coordinator = world.users["agency_head"], world.users["iso_coordinator"]
    head.full_name, coordinator.full_name = "Nguyễn Văn Chủ", "Trần Thị Thư"
    head.save(), coordinator.save()
    procedure = Procedure.objects.create(code="1.001193", name="Đăng ký khai sinh", is_commune_level=True)
    DossierTally.objects.create(agency=world.own, procedure=procedure, month=dt.date(2025, 4, 1), received=20,
                                early=5, on_time=14, late=1)
    services.review_inputs_assemble(actor=coordinator, review=planned)
    services.review_input_comment(actor=coordinator, review_input=planned.inputs.get(key="resources"),
                                  comment="Cần thêm một máy tính cho Bộ phận Một cửa")
    services.review_hold(actor=coordinator, review=planned)
    services.review_action_add(actor=coordinator, review=planned, kind="resource", description="Mua máy tính",
                               owner=world.users["staff"], due_on=dt.date(2026, 3, 31))
    services.review_close(actor=coordinator, review=planned, conclusion="HTQLCL phù hợp, đầy đủ và có hiệu lực.")
    services.review_effectiveness_confirm(actor=head, review=planned, statement="Tôi xác nhận HTQLCL có hiệu lực.")
    # when
    login(client, world.users["auditor"])
    response = client.get(reverse("reviews:review_minutes", args=[planned.pk]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bien-ban-xem-xet-01-2025.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = text_of(document)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 01/BB",
                     "UỶ BAN NHÂN DÂN PHƯỜNG CAM ĐƯỜNG".replace("UỶ", "ỦY"),
                     "BIÊN BẢN HỌP XEM XÉT CỦA LÃNH ĐẠO", "Phòng họp UBND phường", "Chủ trì: Nguyễn Văn Chủ",
                     "Thư ký: Trần Thị Thư", "Ông A – Phó Chủ tịch", "từ ngày 01/01/2025 đến ngày 31/12/2025",
                     "- Dossiers received: 20", "95,0 %", "Cần thêm một máy tính cho Bộ phận Một cửa",
                     "Mua máy tính", "31/03/2026", "HTQLCL phù hợp, đầy đủ và có hiệu lực.",
                     "Tôi xác nhận HTQLCL có hiệu lực.", "THƯ KÝ", "CHỦ TRÌ"):
        assert expected in text, expected
    local = timezone.localtime(planned.meeting_at)
    assert f"{local:%H} giờ {local:%M}, ngày {local:%d} tháng {local:%m} năm {local:%Y}" in text
    # the decisions table: a header row and one row per action
    actions = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in actions.rows[1].cells][:2] == ["1", "Mua máy tính"]
    assert len(actions.rows) == 2
    # the signatures: secretary on the left, chair on the right
    signatures = document.tables[-1].rows[0].cells
    assert signatures[0].text.startswith("THƯ KÝ") and "Trần Thị Thư" in signatures[0].text
    assert signatures[1].text.startswith("CHỦ TRÌ") and "Nguyễn Văn Chủ" in signatures[1].text
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.5)


def test_a_draft_of_a_planned_review_has_blanks_to_fill_in(client, world):
    from tests.reviews.conftest import plan

    review = plan(world, meeting_at=None, chair=None, secretary=None, attendees="", place="")
    login(client, world.users["iso_coordinator"])
    response = client.get(reverse("reviews:review_minutes", args=[review.pk]))
    text = text_of(docx.Document(io.BytesIO(response.content)))
    assert "Chủ trì: ……" in text and "Không có quyết định, hành động nào." in text
    assert "Thủ trưởng cơ quan chưa xác nhận" in text
