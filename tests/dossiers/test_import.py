"""Importing dossiers from a provincial one-stop system: CSV and JSON, idempotence, updates moving the statistics,
bad rows reported with line and reason while the good ones are stored, statistics equal to a direct count, the
command end to end, and tenancy."""

import csv
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import IntegrityError
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import translation

from eiso.catalog.models import Procedure, ProcedureCase
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.dossiers.choices import CANCELLED, FINISHED, DossierStatus, Outcome, PauseKind, Source
from eiso.dossiers.importer import dossiers_import, parse_moment, read_csv, read_json
from eiso.dossiers.models import Dossier, DossierPause, DossierStep, DossierTally
from eiso.dossiers.tallies import COUNTERS, contribution
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = ["code", "procedure_code", "case_code", "applicant_name", "applicant_id_number", "applicant_phone",
          "channel", "received", "due", "finished", "returned", "status"]


def row(code, **values):
    base = {"code": code, "procedure_code": "1.000001", "case_code": "", "applicant_name": "Nguyễn Văn An",
            "applicant_id_number": "001090001234", "applicant_phone": "0912345678", "channel": "direct",
            "received": "25/11/2026 09:00", "due": "30/11/2026 09:00", "finished": "", "returned": "", "status": ""}
    return {**base, **values}


def csv_text(rows, header=HEADER, delimiter=",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=delimiter, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def import_csv(agency, rows, **kwargs):
    with translation.override("en"):
        return dossiers_import(agency=agency, rows=read_csv(io.StringIO(csv_text(rows))), **kwargs)


def tallies(agency) -> dict:
    return {(t.procedure_id, t.month): {c: getattr(t, c) for c in COUNTERS if getattr(t, c)}
            for t in DossierTally.objects.filter(agency=agency)}


@pytest.fixture
def ready(world, calendar, process):
    """The world, the 2026–2027 holidays, procedure 1.000001 (one case, 3 working days) and own's process."""
    return world


# --- CSV and JSON -------------------------------------------------------------------------------------------


def test_a_csv_file_is_imported_with_vietnamese_words_and_dates(ready, process):
    report = import_csv(ready.own, [
        row("HS-001", channel="Trực tuyến", status="Đang xử lý"),
        row("HS-002", case_code="1.000001.01", received="2026-11-25T08:00:00+07:00", due="2026-11-30 08:00",
            finished="27/11/2026 11:00", returned="28/11/2026 08:00", status="đã trả kết quả",
            channel="qua bưu chính"),
        row("HS-003", finished="30/11/2026 10:00", status="Đã có kết quả"),  # after the due moment: late
        row("HS-004", finished="26/11/2026 10:00", status="rút hồ sơ"),
    ])
    assert (report.created, report.updated, report.unchanged, report.rejected) == (4, 0, 0, [])
    first, second, third, fourth = (Dossier.objects.get(code=f"HS-00{n}") for n in range(1, 5))
    assert first.source == Source.IMPORTED and first.agency == ready.own
    assert first.status == DossierStatus.IN_PROGRESS and first.channel == "online"
    assert first.received_at == first.submitted_at == first.counted_from == at("2026-11-25 09:00")
    assert first.due_at == first.appointment_at == at("2026-11-30 09:00")
    assert first.case.code == "1.000001.01" and first.process == process  # the procedure's only case
    assert (first.duration, first.duration_unit) == (Decimal(3), "working_day")
    assert first.finished_at is None and first.outcome == ""
    assert second.status == DossierStatus.RETURNED and second.channel == "postal"
    assert second.outcome == Outcome.EARLY and second.finished_at == at("2026-11-27 11:00")
    assert second.returned_at == at("2026-11-28 08:00")
    assert third.status == DossierStatus.RESULT_READY and third.outcome == Outcome.LATE
    assert fourth.status == DossierStatus.WITHDRAWN and fourth.outcome == "" and fourth.finished_at is not None
    assert not DossierStep.objects.exists()  # CSV rows say nothing about steps
    tally = DossierTally.objects.get(agency=ready.own)
    assert (tally.received, tally.early, tally.on_time, tally.late, tally.cancelled) == (4, 1, 0, 1, 1)
    assert tally.allowed_hours == Decimal(48)  # two resolved dossiers of 3 working days
    assert tally.used_hours == Decimal(19) + Decimal(25)  # Wed 8, Thu 8, Fri 3; Wed 6.5, Thu 8, Fri 8, Mon 2.5
    assert tally.province_id == ready.province.pk


def test_semicolons_a_bom_and_column_names_in_another_case(ready):
    text = "\ufeff" + csv_text([row("HS-1"), row("HS-2")], delimiter=";").replace("procedure_code", "Procedure Code")
    report = dossiers_import(agency=ready.own, rows=read_csv(io.BytesIO(text.encode())))
    assert report.created == 2 and Dossier.objects.get(code="HS-2").applicant_name == "Nguyễn Văn An"


def test_a_json_file_with_steps(ready):
    records = [
        {"code": "J-1", "procedure_code": "1.000001", "applicant_name": "Lê Văn Cường", "channel": "online",
         "received": "2026-11-25 08:00", "due": "2026-11-30 08:00", "finished": "2026-11-27 11:00",
         "status": "result_ready",
         "steps": [
             {"order": 1, "action": "Tiếp nhận hồ sơ", "unit": "Bộ phận Một cửa", "assignee_name": "Nguyễn Thị Hoa",
              "started": "2026-11-25 08:00", "due": "2026-11-25 12:00", "finished": "2026-11-25 10:00"},
             {"order": 2, "action": "Thẩm định", "unit": "Phòng Tư pháp", "assignee_name": "Trần Văn Nam",
              "started": "2026-11-25 10:00", "due": "2026-11-26 15:30", "finished": "2026-11-27 09:00"},
         ]},
        {"code": "J-2", "procedure_code": "1.000001", "applicant_name": "Phạm Thị Dung",
         "received": "2026-11-26 08:00", "due": "2026-12-01 08:00"},
        {"code": "J-3", "procedure_code": "1.000001", "applicant_name": "",
         "received": "2026-11-26 08:00", "due": "2026-12-01 08:00"},
    ]
    text = json.dumps(records, ensure_ascii=False, indent=2)
    with translation.override("en"):
        report = dossiers_import(agency=ready.own, rows=read_json(io.StringIO(text)))
    assert (report.created, len(report.rejected)) == (2, 1)
    rejected = report.rejected[0]
    assert rejected.code == "J-3" and "applicant_name" in rejected.reason
    lines = text.splitlines()
    starts = [number for number, line in enumerate(lines, start=1) if line == "  {"]
    assert rejected.line == starts[2]  # the line where the third object starts
    steps = list(Dossier.objects.get(code="J-1").steps.order_by("order"))
    assert [s.action for s in steps] == ["Tiếp nhận hồ sơ", "Thẩm định"]
    assert steps[0].unit == ready.own_unit and steps[0].responsible == "Nguyễn Thị Hoa"
    assert steps[1].unit is None and steps[1].responsible == "Trần Văn Nam – Phòng Tư pháp"
    assert [s.result for s in steps] == [Outcome.ON_TIME, Outcome.LATE]
    assert steps[1].started_at == at("2026-11-25 10:00") and all(s.agency_id == ready.own.pk for s in steps)

    records[0]["steps"] = [{"action": "Giải quyết", "started": "2026-11-25 08:00", "finished": "2026-11-27 11:00"}]
    with translation.override("en"):
        again = dossiers_import(agency=ready.own, rows=read_json(io.StringIO(json.dumps(records))))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)  # J-1's steps replaced
    assert list(Dossier.objects.get(code="J-1").steps.values_list("order", "action")) == [(1, "Giải quyết")]
    final = dossiers_import(agency=ready.own, rows=read_json(io.StringIO(json.dumps(records))))
    assert (final.created, final.updated, final.unchanged) == (0, 0, 2)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-25 09:00", "2026-11-25 09:00"),
    ("2026-11-25T02:00:00Z", "2026-11-25 09:00"),
    ("2026-11-25T09:00:00+07:00", "2026-11-25 09:00"),
    ("25/11/2026 09:00", "2026-11-25 09:00"),
    ("25/11/2026 09:00:00", "2026-11-25 09:00"),
    ("09:00 25/11/2026", "2026-11-25 09:00"),
    ("5/1/2026 9:05", "2026-01-05 09:05"),
    ("25-11-2026 9h05", "2026-11-25 09:05"),
    ("25.11.2026", "2026-11-25 00:00"),
    ("25/11/2026", "2026-11-25 00:00"),
])
def test_moments_are_read_in_vietnam_time(text, expected):
    assert parse_moment(text) == at(expected)


def test_a_due_date_without_time_is_the_whole_day():
    assert parse_moment("30/11/2026", end_of_day=True) == at("2026-11-30 23:59:59")
    assert parse_moment("2026-11-30", end_of_day=True) == at("2026-11-30 23:59:59")
    assert parse_moment("2026-11-30 17:00", end_of_day=True) == at("2026-11-30 17:00")


@pytest.mark.parametrize("text", ["30/13/2026 09:00", "tomorrow", "2026-11-31", "45000", "25/11/26 9:00"])
def test_what_is_not_a_date_is_refused(text):
    with pytest.raises(ValueError):
        parse_moment(text)


# --- Idempotence and updates --------------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(ready):
    rows = [row("HS-001"), row("HS-002", finished="27/11/2026 11:00", status="result_ready"),
            row("HS-003", finished="26/11/2026 10:00", status="stopped"), row("BAD", received="")]
    first = import_csv(ready.own, rows)
    assert (first.created, len(first.rejected)) == (3, 1)
    stored = {d.code: d.updated_at for d in Dossier.objects.all()}
    statistics = tallies(ready.own)
    second = import_csv(ready.own, rows)
    assert (second.created, second.updated, second.unchanged, len(second.rejected)) == (0, 0, 3, 1)
    assert {d.code: d.updated_at for d in Dossier.objects.all()} == stored
    assert tallies(ready.own) == statistics
    assert AuditLogEntry.objects.filter(agency=ready.own, note="import_dossiers").count() == 2


def test_an_update_moves_the_statistics(ready):
    import_csv(ready.own, [row("HS-001", status="in_progress")])
    tally = DossierTally.objects.get(agency=ready.own)
    assert (tally.received, tally.early, tally.on_time, tally.late) == (1, 0, 0, 0)
    report = import_csv(ready.own, [row("HS-001", status="returned", finished="30/11/2026 08:00",
                                        returned="30/11/2026 09:30")])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    dossier = Dossier.objects.get(code="HS-001")
    assert dossier.status == DossierStatus.RETURNED and dossier.outcome == Outcome.ON_TIME
    tally = DossierTally.objects.get(agency=ready.own)
    assert (tally.received, tally.early, tally.on_time, tally.late, tally.cancelled) == (1, 0, 1, 0, 0)
    assert tally.allowed_hours == Decimal(24) and tally.used_hours > 0
    # A correction moving the receipt to another month moves the count with it.
    import_csv(ready.own, [row("HS-001", received="28/10/2026 09:00", due="30/11/2026 09:00", status="returned",
                               finished="30/11/2026 08:00", returned="30/11/2026 09:30")])
    months = {month: counts.get("received", 0) for (_p, month), counts in tallies(ready.own).items()}
    assert months == {at("2026-10-01 00:00").date(): 1, at("2026-11-01 00:00").date(): 0}


def test_a_code_repeated_in_a_file_the_later_row_wins(ready):
    report = import_csv(ready.own, [row("HS-001"), row("HS-001", finished="27/11/2026 11:00", status="result_ready")])
    assert (report.created, report.updated) == (1, 1)
    assert Dossier.objects.get(code="HS-001").status == DossierStatus.RESULT_READY
    tally = DossierTally.objects.get(agency=ready.own)
    assert (tally.received, tally.early) == (1, 1)


# --- Bad rows -----------------------------------------------------------------------------------------------


def test_bad_rows_are_reported_with_line_and_reason_and_the_good_ones_stored(ready, receive):
    native = receive("2026-11-25 09:00")
    rows = [
        row("OK-1"),
        row("B-PROC", procedure_code="9.999999"),
        row("B-MISS", applicant_name=" "),
        row("", applicant_name="Không có mã"),
        row("B-DATE", received="31/11/2026 09:00"),
        row("B-DUE", due="20/11/2026 09:00"),
        row("B-FIN", finished="24/11/2026 09:00", status="result_ready"),
        row("B-RET", finished="27/11/2026 09:00", returned="24/11/2026 09:00", status="returned"),
        row("B-RETFIN", finished="27/11/2026 09:00", returned="26/11/2026 09:00", status="returned"),
        row("B-NOFIN", status="đã trả kết quả"),
        row("B-OPEN", status="in_progress", finished="27/11/2026 09:00"),
        row("B-STATUS", status="lost"),
        row("B-CHANNEL", channel="pigeon"),
        row("B-LONG", applicant_phone="0" * 21),
        row(native.code),
        row("OK-2", status="suspended"),
    ]
    report = import_csv(ready.own, rows, batch_size=5)
    assert report.created == 2
    assert set(Dossier.objects.filter(source=Source.IMPORTED).values_list("code", flat=True)) == {"OK-1", "OK-2"}
    reasons = {r.line: (r.code, r.reason) for r in report.rejected}
    expected = {
        3: ("B-PROC", "Unknown procedure code 9.999999"),
        4: ("B-MISS", "Missing required values: applicant_name"),
        5: ("", "Missing required values: code"),
        6: ("B-DATE", "received: “31/11/2026 09:00” is not a date and time"),
        7: ("B-DUE", "due is before received"),
        8: ("B-FIN", "finished is before received"),
        9: ("B-RET", "returned is before received"),
        10: ("B-RETFIN", "returned is before finished"),
        11: ("B-NOFIN", "Status returned needs finished"),
        12: ("B-OPEN", "Status in_progress is an open dossier"),
        13: ("B-STATUS", "Unknown status “lost”"),
        14: ("B-CHANNEL", "Unknown channel “pigeon”"),
        15: ("B-LONG", "applicant_phone is longer than 20 characters"),
        16: (native.code, "was received in eISO"),
    }
    assert sorted(reasons) == sorted(expected)
    for line, (code, words) in expected.items():
        assert reasons[line][0] == code and words in reasons[line][1], (line, reasons[line])
    assert [r.line for r in report.rejected] == sorted(reasons)
    native.refresh_from_db()
    assert native.source == Source.NATIVE and native.applicant_name == "Nguyễn Văn An"
    assert DossierTally.objects.get(agency=ready.own).received == 3  # the native one and the two good rows


def test_a_row_the_database_refuses_loses_only_itself(ready):
    original = Dossier.objects.bulk_create

    def refuse(objs, *args, **kwargs):
        if any(obj.code == "REFUSED" for obj in objs):
            raise IntegrityError("simulated refusal")
        return original(objs, *args, **kwargs)

    with mock.patch.object(Dossier.objects, "bulk_create", side_effect=refuse):
        report = import_csv(ready.own, [row("A"), row("REFUSED"), row("B")])
    assert report.created == 2 and [(r.line, r.code) for r in report.rejected] == [(3, "REFUSED")]
    assert "simulated refusal" in report.rejected[0].reason
    assert DossierTally.objects.get(agency=ready.own).received == 2


def test_a_file_without_a_required_column_is_refused(ready):
    with pytest.raises(ApplicationError) as error:
        list(read_csv(io.StringIO("code,applicant_name\nA,B\n")))
    assert error.value.code == "invalid_file"


def test_an_unreadable_file_keeps_the_rows_read_before(ready):
    data = csv_text([row(f"A{n}") for n in range(300)]).encode() + b"D,1.000001,," + b"\xff\xfe\n"
    with pytest.raises(ApplicationError) as error:
        dossiers_import(agency=ready.own, rows=read_csv(io.BytesIO(data)), batch_size=50)
    assert error.value.code == "invalid_file"
    stored = Dossier.objects.count()
    assert 100 < stored <= 300  # all but the rows of the undecodable chunk
    assert AuditLogEntry.objects.get(agency=ready.own, note="import_dossiers (interrupted)").changes[
        "dossiers_created"] == [None, stored]


def test_only_people_who_handle_the_agency_s_dossiers_import(ready):
    with pytest.raises(PermissionDeniedError):
        import_csv(ready.own, [row("A")], actor=ready.users["auditor"])
    with pytest.raises(PermissionDeniedError):
        import_csv(ready.sibling, [row("A")], actor=ready.users["staff"])
    assert import_csv(ready.own, [row("A")], actor=ready.users["staff"]).created == 1
    entry = AuditLogEntry.objects.get(agency=ready.own, note="import_dossiers")
    assert entry.actor == ready.users["staff"] and entry.changes["dossiers_created"] == [None, 1]


def test_procedures_sharing_a_code_the_one_with_the_case_is_chosen(ready):
    Procedure.objects.filter(code="1.000001").update(has_detail=True)
    other = Procedure.objects.create(code="1.000001", name="Đăng ký kết hôn (tỉnh khác)", source_id="zz-other")
    case = ProcedureCase.objects.create(procedure=other, code="1.000001.09", name="Trường hợp riêng",
                                        duration=Decimal(5), duration_unit="working_day")
    import_csv(ready.own, [row("A", case_code="1.000001.09"), row("B"), row("C", case_code="1.000001.77")])
    first = Procedure.objects.by_code("1.000001").first()  # the current one: the same rule as the API and desk
    assert first != other  # the fixture's has its detail record
    a, b, c = (Dossier.objects.get(code=code) for code in "ABC")
    assert (a.procedure, a.case, a.duration) == (other, case, Decimal(5))
    assert b.procedure == first and b.case.code == "1.000001.01"
    assert c.procedure == first and c.case is None and c.duration is None


# --- Statistics ---------------------------------------------------------------------------------------------


def test_statistics_after_import_equal_a_direct_count(ready):
    second = Procedure.objects.create(code="2.000002", name="Chứng thực bản sao")  # no case: duration unknown
    statuses = ["in_progress", "result_ready", "returned", "refused", "stopped", "withdrawn", "suspended"]
    rows = []
    for n in range(70):
        month, day = 9 + n % 3, 1 + n % 27
        received = f"{day:02d}/{month:02d}/2026 {7 + n % 10:02d}:{(n * 7) % 60:02d}"
        status = statuses[n % len(statuses)]
        finished = returned = ""
        if status not in ("in_progress", "suspended"):
            finish_day, finish_month = (day + 1 + n % 9, month) if day + 1 + n % 9 <= 28 else (1 + n % 5, month + 1)
            finished = f"{finish_day:02d}/{finish_month:02d}/2026 {8 + n % 8:02d}:15"
            if status == "returned":
                returned = f"{finish_day:02d}/{finish_month:02d}/2026 17:00"
        due_day = day + 3 if day + 3 <= 28 else day + 3 - 28
        due_month = month if day + 3 <= 28 else month + 1
        rows.append(row(f"S-{n:03d}", procedure_code="2.000002" if n % 4 == 0 else "1.000001", received=received,
                        due=f"{due_day:02d}/{due_month:02d}/2026 16:00", finished=finished, returned=returned,
                        status=status))
    rows.append(row("S-EDGE", received="01/12/2026 06:30", due="04/12/2026 16:00"))  # 30/11 23:30 UTC
    report = import_csv(ready.own, rows, batch_size=9)
    assert report.created == 71 and not report.rejected

    # A clock stop recorded in eISO on an imported dossier, then a corrected import finishing it.
    paused = Dossier.objects.get(code="S-000")
    DossierPause.objects.create(agency=ready.own, dossier=paused, kind=PauseKind.SUPPLEMENT, reason="Bổ sung",
                                started_at=at("2026-10-02 08:00"), ended_at=at("2026-10-05 08:00"))
    import_csv(ready.own, [row("S-000", procedure_code="1.000001", received="01/10/2026 07:00",
                               due="06/10/2026 16:00", finished="07/10/2026 09:00", status="result_ready")])

    dossiers = Dossier.objects.filter(agency=ready.own)
    direct: dict = defaultdict(lambda: defaultdict(Decimal))

    def count(queryset, moment, counter=None):
        by_month = queryset.annotate(m=TruncMonth(moment, tzinfo=LOCAL)).values("procedure", "m", "outcome")
        for item in by_month.annotate(n=Count("pk")):
            direct[(item["procedure"], item["m"].date())][counter or item["outcome"]] += item["n"]

    count(dossiers, "received_at", "received")
    count(dossiers.filter(status__in=FINISHED), "finished_at")
    count(dossiers.filter(status__in=CANCELLED), "finished_at", "cancelled")
    stored = tallies(ready.own)
    counted = {key: {c: v for c, v in values.items() if c in ("received", "early", "on_time", "late", "cancelled")}
               for key, values in stored.items()}
    assert counted == {key: dict(values) for key, values in direct.items()}
    assert sum(v.get("received", 0) for v in counted.values()) == 71
    assert any(key[0] == second.pk for key in counted)

    # The hours too: the sum of tallies.contribution over the dossiers (the importer mirrors it without queries).
    expected: dict = defaultdict(lambda: defaultdict(Decimal))
    for dossier in dossiers:
        for key, values in contribution(dossier).items():
            for counter, amount in values.items():
                expected[key][counter] += amount
    assert stored == {key: {c: a for c, a in values.items() if a} for key, values in expected.items()}
    assert sum(v.get("used_hours", 0) for v in stored.values()) > 0


# --- Tenancy ------------------------------------------------------------------------------------------------


def test_the_same_code_in_two_agencies_is_two_dossiers(ready):
    import_csv(ready.own, [row("HS-001", applicant_name="Người của phường")])
    report = import_csv(ready.sibling, [row("HS-001", applicant_name="Người của xã", status="stopped",
                                            finished="26/11/2026 09:00")])
    assert report.created == 1
    own, sibling = Dossier.objects.get(agency=ready.own), Dossier.objects.get(agency=ready.sibling)
    assert own.code == sibling.code == "HS-001" and own.pk != sibling.pk
    assert own.applicant_name == "Người của phường" and own.status == DossierStatus.IN_PROGRESS
    assert sibling.process is None  # the process is own's
    assert DossierTally.objects.get(agency=ready.own).cancelled == 0
    assert DossierTally.objects.get(agency=ready.sibling).cancelled == 1


# --- The command --------------------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_writes_the_report(ready, tmp_path):
    path = tmp_path / "mot-cua.csv"
    path.write_text(csv_text([row("HS-001"), row("HS-002", procedure_code="9.9"), row("HS-003")]), encoding="utf-8")
    report_path = tmp_path / "loi.csv"
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_dossiers", str(path), "--agency", ready.own.code, "--report", str(report_path),
                     stdout=out)
    text = out.getvalue()
    assert "3 rows read, 2 created, 0 updated, 0 unchanged, 1 rejected" in text
    assert "line 3, HS-002: Unknown procedure code 9.9" in text
    with report_path.open(encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle))[1][:2] == ["3", "HS-002"]
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_dossiers", str(path), "--agency", ready.own.code, stdout=out)
    assert "0 created, 0 updated, 2 unchanged, 1 rejected" in out.getvalue()


def test_the_command_reads_json_by_its_extension_or_format(ready, tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(json.dumps([row("HS-001")]), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_dossiers", str(path), "--agency", ready.own.code, stdout=io.StringIO())
    call_command("import_dossiers", str(path), "--agency", ready.own.code, "--format", "json", stdout=io.StringIO())
    assert Dossier.objects.filter(code="HS-001").exists()


def test_the_command_refuses_clearly(ready, tmp_path):
    path = tmp_path / "mot-cua.csv"
    path.write_text(csv_text([row("HS-001")]), encoding="utf-8")
    with translation.override("en"):
        with pytest.raises(CommandError, match="Unknown agency code NOPE"):
            call_command("import_dossiers", str(path), "--agency", "NOPE")
        with pytest.raises(CommandError, match="does not exist"):
            call_command("import_dossiers", str(tmp_path / "missing.csv"), "--agency", ready.own.code)
        bad = tmp_path / "bad.csv"
        bad.write_text("code;name\n1;2\n", encoding="utf-8")
        with pytest.raises(CommandError, match="no column procedure_code"):
            call_command("import_dossiers", str(bad), "--agency", ready.own.code)
    assert not Dossier.objects.exists()


def test_the_command_exits_with_1_when_no_row_could_be_imported(ready, tmp_path, capsys):
    path = tmp_path / "mot-cua.csv"
    path.write_text(csv_text([row("HS-001", procedure_code="9.9")]), encoding="utf-8")
    argv = ["eiso", "import_dossiers", str(path), "--agency", ready.own.code]
    # run_from_argv closes the connections when done: that would end the test's transaction.
    with mock.patch("django.core.management.base.connections.close_all"):
        with pytest.raises(SystemExit) as exit_:
            execute_from_command_line(argv)
        assert exit_.value.code == 1
        path.write_text(csv_text([row("HS-001")]), encoding="utf-8")
        execute_from_command_line(argv)  # no SystemExit: status 0
    assert Dossier.objects.filter(code="HS-001").exists()


def test_the_examples_of_the_documentation_import(ready):
    """docs/dossier-import.md: its CSV and JSON examples are accepted as they are."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "dossier-import.md").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"```(csv|json)\n(.*?)```", text, flags=re.S))
    procedure = Procedure.objects.create(code="1.000894", name="Đăng ký khai sinh")
    ProcedureCase.objects.create(procedure=procedure, code="1.000894.01", name="Đăng ký khai sinh",
                                 duration=Decimal(1), duration_unit="working_day")
    Procedure.objects.create(code="2.000908", name="Chứng thực bản sao từ bản chính")
    csv_report = dossiers_import(agency=ready.own, rows=read_csv(io.StringIO(blocks["csv"])))
    assert (csv_report.created, csv_report.rejected) == (3, [])
    json_report = dossiers_import(agency=ready.own, rows=read_json(io.StringIO(blocks["json"])))
    assert (json_report.created, json_report.updated, json_report.rejected) == (0, 1, [])  # the steps are added
    dossier = Dossier.objects.get(code="H12.22-261125-0001")
    assert dossier.status == DossierStatus.RETURNED and dossier.steps.count() == 2
    assert dossier.steps.get(order=1).unit == ready.own_unit
    assert Dossier.objects.get(code="H12.22-261126-0001").status == DossierStatus.WITHDRAWN
