"""Importing participants from a workbook: every bad row reported with its line and reason, every good row kept;
a file that is not a workbook refused whole; the page and the API give the same report."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.trainings.imports import participants_import
from eiso.trainings.models import Participant
from eiso.trainings.services import participant_add
from tests.conftest import login
from tests.factories import AgencyFactory, CommuneFactory
from tests.trainings.conftest import course, workbook

pytestmark = pytest.mark.django_db


def rows_for(world):
    return [
        ["Mã cơ quan", "Họ và tên", "Chức vụ"],
        [world.own.code, "Nguyễn Văn An", "Công chức Văn phòng - Thống kê"],  # 2: good
        [world.sibling.code.lower(), "  Trần   Thị Bình ", ""],  # 3: good (code in any case, spaces tidied)
        ["KHONG-CO", "Lê Văn Chiến", "Chuyên viên"],  # 4: unknown code
        [world.foreign.code, "Hà Văn Cường", "Chuyên viên"],  # 5: another province
        [world.own.code, "", "Chuyên viên"],  # 6: no name
        [None, None, None],  # 7: empty, skipped
        ["", "Đỗ Thị Hoa", ""],  # 8: no code
        [world.own.code, "nguyen van an", "Công chức Văn phòng - Thống kê"],  # 9: twice in the file
        [world.own.code, "Phạm Thị Dung", "Công chức Tư pháp - Hộ tịch"],  # 10: already on the course
        [world.own.code, "X" * 201, ""],  # 11: too long
    ]


def test_bad_rows_are_reported_with_their_line_and_reason_and_good_rows_are_kept(world):
    # given a course with one person on it already
    training = course(world)
    participant_add(actor=None, training=training, agency=world.own, full_name="Phạm Thị Dung",
                    position="Công chức Tư pháp - Hộ tịch")
    # when
    result = participants_import(actor=world.users["supervisor"], training=training, file=workbook(rows_for(world)))
    # then
    assert [(p.agency, p.full_name, p.position) for p in result.added] == [
        (world.own, "Nguyễn Văn An", "Công chức Văn phòng - Thống kê"), (world.sibling, "Trần Thị Bình", "")]
    reasons = {r.line: r.reason for r in result.rejected}
    assert sorted(reasons) == [4, 5, 6, 8, 9, 10, 11]
    assert reasons[4] == "Unknown agency code “KHONG-CO”."
    assert "is not an agency of the province" in reasons[5]
    assert reasons[6] == "The full name is missing."
    assert reasons[8] == "The agency code is missing."
    assert "already on this course" in reasons[9] and "already on this course" in reasons[10]
    assert "longer than 200" in reasons[11]
    assert [r.values for r in result.rejected if r.line == 4] == [["KHONG-CO", "Lê Văn Chiến", "Chuyên viên"]]
    assert Participant.objects.filter(training=training).count() == 3


def test_without_a_header_the_columns_are_agency_code_name_and_position(world):
    training = course(world)
    result = participants_import(actor=None, training=training, file=workbook([
        [world.own.code, "Nguyễn Văn An", "Chuyên viên"], [world.sibling.code, "Trần Thị Bình"]]))
    assert [(r.agency, r.full_name, r.position) for r in result.added] == [
        (world.own, "Nguyễn Văn An", "Chuyên viên"), (world.sibling, "Trần Thị Bình", "")]
    assert result.rejected == []


def test_header_columns_are_found_in_any_order_and_language(world):
    training = course(world)
    result = participants_import(actor=None, training=training, file=workbook([
        ["Position", "Full name", "Agency code"], ["Chuyên viên", "Nguyễn Văn An", world.own.code]]))
    assert [(r.agency, r.full_name, r.position) for r in result.added] == [(world.own, "Nguyễn Văn An", "Chuyên viên")]


def test_a_file_that_is_not_a_workbook_or_is_empty_is_refused_and_nothing_is_added(world):
    training = course(world)
    fake = SimpleUploadedFile("hoc-vien.xlsx", b"agency code,full name\nX,Y\n")
    with pytest.raises(ApplicationError, match="not a PDF, Word, Excel"):
        participants_import(actor=None, training=training, file=fake)
    with pytest.raises(ApplicationError, match="no rows"):
        participants_import(actor=None, training=training, file=workbook([["Mã cơ quan", "Họ và tên"]]))
    assert not Participant.objects.exists()


def test_only_the_supervisors_of_the_province_import(world):
    training = course(world)
    with pytest.raises(PermissionDeniedError):
        participants_import(actor=world.users["agency_head"], training=training,
                            file=workbook([[world.own.code, "Nguyễn Văn An"]]))
    assert not Participant.objects.exists()


def test_an_agency_that_ceased_to_exist_after_the_course_is_accepted(world):
    merged = AgencyFactory(admin_unit=CommuneFactory(parent=world.province), valid_to=dt.date(2025, 6, 30))
    training = course(world)
    result = participants_import(actor=None, training=training, file=workbook([[merged.code, "Nguyễn Văn An"]]))
    assert [p.agency for p in result.added] == [merged]


def test_the_page_lists_the_refused_rows_and_the_api_gives_the_same_report(client, api_client, world):
    # given
    training = course(world)
    supervisor = world.users["supervisor"]
    login(client, supervisor)
    # when imported through the page
    page = client.post(reverse("trainings:participant_import", args=[training.pk]),
                       {"file": workbook(rows_for(world))})
    # then the answer lists each refused row with its line and reason
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-added="3"' in body and 'data-rejected="6"' in body  # no one on the course before: line 10 is good
    assert 'data-line="4"' in body and "Unknown agency code “KHONG-CO”." in body
    assert Participant.objects.filter(training=training).count() == 3
    # when the same file is imported through the API: every row is now a duplicate or bad
    api_client.force_login(supervisor)
    response = api_client.post(reverse("training-import-participants", args=[training.pk]),
                               {"file": workbook(rows_for(world))}, format="multipart")
    assert response.status_code == 200
    body = response.json()
    assert body["added"] == []
    assert [row["line"] for row in body["rejected"]] == [2, 3, 4, 5, 6, 8, 9, 10, 11]
    assert Participant.objects.filter(training=training).count() == 3
    # and a file that is not a workbook: a 400 in the API's error format, nothing added
    response = api_client.post(reverse("training-import-participants", args=[training.pk]),
                               {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}, format="multipart")
    assert response.status_code == 400 and set(response.json()) == {"message", "code", "errors"}
    # and the template downloads as a workbook with the three columns
    template = client.get(reverse("trainings:import_template"))
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == ["Agency code", "Full name", "Position"]
