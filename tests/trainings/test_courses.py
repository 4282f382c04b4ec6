"""Training courses and their participants: numbering, the province's agencies only, results, certificates (numbers
and the Word file read back), and refusals that change nothing."""

import datetime as dt
import io

import pytest
from docx import Document

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.reports.training_docx import certificate_snapshot, render_certificates_docx
from eiso.trainings.models import Participant, Training
from eiso.trainings.services import (
    certificates_issue,
    participant_add,
    participant_remove,
    participant_update,
    training_delete,
    training_update,
)
from tests.factories import AgencyFactory, CommuneFactory
from tests.trainings.conftest import course, docx_text

pytestmark = pytest.mark.django_db


def test_courses_are_numbered_per_authority_and_year_of_their_first_day(world, foreign_dost):
    # given
    first = course(world)
    second = course(world, topic="Đánh giá viên nội bộ", kind="internal_auditor", start_on=dt.date(2025, 8, 12),
                    end_on=dt.date(2025, 8, 14))
    next_year = course(world, start_on=dt.date(2026, 1, 5), end_on=dt.date(2026, 1, 6))
    elsewhere = course(world, authority=foreign_dost)
    # then
    assert [(t.year, t.number) for t in (first, second, next_year, elsewhere)] == [
        (2025, 1), (2025, 2), (2026, 1), (2025, 1)]
    assert str(second) == "02/2025 – Đánh giá viên nội bộ"


def test_moving_a_course_to_another_year_renumbers_it_until_certificates_are_issued(world):
    course(world, start_on=dt.date(2026, 2, 1), end_on=dt.date(2026, 2, 2))
    training = course(world)
    # when the first day moves to 2026
    moved = training_update(actor=world.users["supervisor"], training=training, start_on=dt.date(2026, 3, 1),
                            end_on=dt.date(2026, 3, 2))
    # then it takes the next number of 2026
    assert (moved.year, moved.number) == (2026, 2)
    # given a certificate issued
    person = participant_add(actor=None, training=moved, agency=world.own, full_name="Lò Văn Dũng")
    participant_update(actor=None, participant=person, passed=True)
    certificates_issue(actor=None, training=moved, on=dt.date(2026, 3, 2))
    # then it cannot move to another year any more
    with pytest.raises(ApplicationError, match="cannot move to another year"):
        training_update(actor=None, training=moved, start_on=dt.date(2027, 3, 1), end_on=dt.date(2027, 3, 2))
    assert Training.objects.get(pk=moved.pk).start_on == dt.date(2026, 3, 1)


def test_a_course_ends_on_or_after_its_first_day(world):
    with pytest.raises(ApplicationError) as error:
        course(world, start_on=dt.date(2025, 3, 20), end_on=dt.date(2025, 3, 18))
    assert "end_on" in error.value.errors
    assert not Training.objects.exists()


def test_participants_come_only_from_the_agencies_of_the_province(world):
    training = course(world)
    supervisor = world.users["supervisor"]
    # given people of the own and the sibling agency (same province)
    participant_add(actor=supervisor, training=training, agency=world.own, full_name="Nguyễn Văn An",
                    position="Công chức Tư pháp - Hộ tịch")
    participant_add(actor=supervisor, training=training, agency=world.sibling, full_name="Trần Thị Bình")
    # when someone of another province's agency is added: refused
    with pytest.raises(ApplicationError, match="is not an agency of the province"):
        participant_add(actor=supervisor, training=training, agency=world.foreign, full_name="Hà Văn Cường")
    # and an agency that ceased to exist before the course: refused
    gone = AgencyFactory(admin_unit=CommuneFactory(parent=world.province), valid_to=dt.date(2025, 1, 1))
    with pytest.raises(ApplicationError, match="ceased to exist"):
        participant_add(actor=supervisor, training=training, agency=gone, full_name="Vũ Văn Dương")
    # and the same person twice (same agency, name and position, whatever the accents and case): refused
    with pytest.raises(ApplicationError, match="already on this course"):
        participant_add(actor=supervisor, training=training, agency=world.own, full_name="nguyen van an",
                        position="Công chức Tư pháp - hộ tịch")
    # then
    assert sorted(training.participants.values_list("full_name", flat=True)) == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_only_the_supervisors_of_the_province_write_participants(world, foreign_dost):
    training = course(world)
    for actor in (world.users["agency_head"], world.users["iso_coordinator"], foreign_dost.supervisor):
        with pytest.raises(PermissionDeniedError):
            participant_add(actor=actor, training=training, agency=world.own, full_name="Nguyễn Văn An")
    assert not Participant.objects.exists()
    # and the user account linked must be one of the agency's people
    with pytest.raises(ApplicationError, match="agency's people"):
        participant_add(actor=None, training=training, agency=world.sibling, full_name="Đỗ Thị Hoa",
                        user=world.users["staff"])
    linked = participant_add(actor=None, training=training, agency=world.own, full_name="Đỗ Thị Hoa",
                             user=world.users["staff"])
    assert linked.user == world.users["staff"]


def test_certificates_are_numbered_per_course_in_the_order_of_agencies_and_names(world):
    # given a course with people of two agencies, some of whom passed
    training = course(world, topic="Đánh giá viên nội bộ", kind="internal_auditor")
    people = {name: participant_add(actor=None, training=training, agency=agency, full_name=name)
              for agency, name in ((world.sibling, "Trần Thị Bình"), (world.own, "Nguyễn Văn An"),
                                   (world.own, "Lê Văn Chiến"), (world.own, "Absent Person"))}
    for name in ("Trần Thị Bình", "Nguyễn Văn An", "Lê Văn Chiến"):
        participant_update(actor=None, participant=people[name], passed=True)
    participant_update(actor=None, participant=people["Absent Person"], attended=False)
    # when the certificates are issued
    issued = certificates_issue(actor=world.users["supervisor"], training=training, on=dt.date(2025, 3, 21))
    # then by agency name ("... phường Cam Đường" before "... xã Bảo Hà"), then by name; the absent one gets none
    assert [(p.full_name, p.certificate_number) for p in issued] == [
        ("Lê Văn Chiến", "01.001/2025/GCN"), ("Nguyễn Văn An", "01.002/2025/GCN"),
        ("Trần Thị Bình", "01.003/2025/GCN")]
    assert Participant.objects.get(pk=people["Absent Person"].pk).certificate_number == ""
    assert {p.certificate_issued_on for p in issued} == {dt.date(2025, 3, 21)}
    # when one more passes later: the sequence continues
    late = participant_add(actor=None, training=training, agency=world.own, full_name="Vàng A Dính", passed=True)
    assert [p.certificate_number for p in certificates_issue(actor=None, training=training,
                                                            on=dt.date(2025, 4, 1))] == ["01.004/2025/GCN"]
    assert Participant.objects.get(pk=late.pk).certificate_sequence == 4
    # and nothing is waiting any more
    with pytest.raises(ApplicationError, match="No participant who passed"):
        certificates_issue(actor=None, training=training, on=dt.date(2025, 4, 2))


def test_certificates_follow_the_agency_names_then_the_person_names(world):
    training = course(world)
    world.own.name, world.sibling.name = "B agency", "A agency"
    world.own.save()
    world.sibling.save()
    for agency, name in ((world.own, "Zed"), (world.own, "Ann"), (world.sibling, "Mai")):
        participant_add(actor=None, training=training, agency=agency, full_name=name, passed=True)
    issued = certificates_issue(actor=None, training=training, on=dt.date(2025, 3, 20))
    assert [(p.full_name, p.certificate_sequence) for p in issued] == [("Mai", 1), ("Ann", 2), ("Zed", 3)]


def test_certificates_wait_for_the_last_day_of_the_course(world):
    training = course(world)
    participant_add(actor=None, training=training, agency=world.own, full_name="Nguyễn Văn An", passed=True)
    with pytest.raises(ApplicationError, match="ends on 20/03/2025"):
        certificates_issue(actor=None, training=training, on=dt.date(2025, 3, 19))
    assert not Participant.objects.filter(certificate_sequence__isnull=False).exists()


def test_a_certified_participant_keeps_agency_and_result_and_cannot_be_removed(world):
    training = course(world)
    person = participant_add(actor=None, training=training, agency=world.own, full_name="Nguyen Van An",
                             passed=True)
    certificates_issue(actor=None, training=training, on=dt.date(2025, 3, 20))
    entries = AuditLogEntry.objects.count()
    for changes in ({"passed": False}, {"attended": False}, {"agency": world.sibling}):
        with pytest.raises(ApplicationError, match="01.001/2025/GCN"):
            participant_update(actor=None, participant=person, **changes)
    with pytest.raises(ApplicationError, match="cannot be removed"):
        participant_remove(actor=None, participant=person)
    with pytest.raises(ApplicationError, match="cannot be deleted"):
        training_delete(actor=None, training=training)
    stored = Participant.objects.get(pk=person.pk)
    assert (stored.agency, stored.passed, stored.attended) == (world.own, True, True)
    assert AuditLogEntry.objects.count() == entries
    # the spelling of the name may still be corrected
    assert participant_update(actor=None, participant=person, full_name="Nguyễn Văn An").full_name == "Nguyễn Văn An"


def test_passing_implies_attending_and_absence_clears_the_pass(world):
    training = course(world)
    person = participant_add(actor=None, training=training, agency=world.own, full_name="Nguyễn Văn An",
                             attended=False)
    assert participant_update(actor=None, participant=person, passed=True).attended is True
    assert participant_update(actor=None, participant=person, attended=False).passed is False
    with pytest.raises(ApplicationError, match="Only a participant who attended"):
        participant_add(actor=None, training=training, agency=world.own, full_name="Other", attended=False,
                        passed=True)


def test_the_certificate_reads_back_with_the_person_the_course_and_the_authority(world):
    # given
    training = course(world, location="Hội trường Sở KH&CN tỉnh Lào Cai")
    person = participant_add(actor=None, training=training, agency=world.own, full_name="Nguyễn Văn An",
                             position="Công chức Tư pháp - Hộ tịch", passed=True)
    certificates_issue(actor=None, training=training, on=dt.date(2025, 3, 21))
    person = Participant.objects.select_related("training__agency", "agency").get(pk=person.pk)
    # when
    text = docx_text(render_certificates_docx([certificate_snapshot(person)]))
    # then
    for expected in ("GIẤY CHỨNG NHẬN", "Số: 01.001/2025/GCN", "Nguyễn Văn An", "Công chức Tư pháp - Hộ tịch",
                     "Ủy ban nhân dân phường Cam Đường", "Nhận thức chung về TCVN ISO 9001:2015",
                     "từ ngày 18/03/2025 đến ngày 20/03/2025", "Hội trường Sở KH&CN tỉnh Lào Cai",
                     "ngày 21 tháng 03 năm 2025", "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH LÀO CAI", "GIÁM ĐỐC",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert expected in text, expected


def test_a_course_prints_one_certificate_per_page(world):
    training = course(world)
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Chiến"):
        participant_add(actor=None, training=training, agency=world.own, full_name=name, passed=True)
    issued = certificates_issue(actor=None, training=training, on=dt.date(2025, 3, 20))
    content = render_certificates_docx([certificate_snapshot(p) for p in issued])
    document = Document(io.BytesIO(content))
    breaks = sum(1 for p in document.paragraphs for run in p.runs if 'w:type="page"' in run._r.xml)
    assert breaks == 2
    text = docx_text(content)
    assert [text.count(number) for number in ("01.001/2025/GCN", "01.002/2025/GCN", "01.003/2025/GCN")] == [1, 1, 1]


def test_deleting_a_course_without_certificates_removes_its_participants(world):
    training = course(world)
    participant_add(actor=None, training=training, agency=world.own, full_name="Nguyễn Văn An")
    with pytest.raises(PermissionDeniedError):
        training_delete(actor=world.users["agency_head"], training=training)
    assert Training.objects.count() == 1
    training_delete(actor=world.users["supervisor"], training=training)
    assert not Training.objects.exists() and not Participant.objects.exists()
