"""Importing a one-stop system's export of 100,000 dossiers through `eiso import_dossiers`: every good row is
stored, the bad ones are reported by line, a second run changes nothing, and the statistics equal a direct count
over the dossiers."""

import csv
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncMonth

from eiso.catalog.models import Procedure, ProcedureCase
from eiso.dossiers.choices import CANCELLED, FINISHED, Source
from eiso.dossiers.models import Dossier, DossierTally
from eiso.dossiers.tallies import COUNTERS

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
ROWS = 100_000
HEADER = ["code", "procedure_code", "case_code", "applicant_name", "applicant_phone", "channel", "received", "due",
          "finished", "returned", "status"]
STATUSES = ["Đang xử lý", "Đã trả kết quả", "Đã có kết quả", "Từ chối giải quyết", "Rút hồ sơ", "Tạm dừng"]


def export(path, rows: int, *, seed: int = 20261124) -> dict:
    """A CSV like a provincial export: 4 procedures, receipts over 2025–2026, ~8% late; every 997th row has an
    unknown procedure and every 1,009th an impossible date. Returns the expected counts."""
    rng = random.Random(seed)
    bad = 0
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for n in range(rows):
            day, month, year = 1 + rng.randrange(22), 1 + rng.randrange(12), 2025 + rng.randrange(2)
            hour, minute = 7 + rng.randrange(10), rng.randrange(60)
            received = f"{day:02d}/{month:02d}/{year} {hour:02d}:{minute:02d}"
            due = f"{day + 3:02d}/{month:02d}/{year} 16:30"
            status = STATUSES[rng.randrange(len(STATUSES))]
            finished = returned = ""
            if status not in ("Đang xử lý", "Tạm dừng"):
                finish_day = day + (5 if rng.random() < 0.08 else 1 + rng.randrange(3))
                finished = f"{finish_day:02d}/{month:02d}/{year} {8 + rng.randrange(8):02d}:00"
                returned = f"{finish_day:02d}/{month:02d}/{year} 17:00" if status == "Đã trả kết quả" else ""
            procedure = f"9.00000{n % 4}"
            if n % 997 == 996:
                procedure, bad = "0.000000", bad + 1
            elif n % 1009 == 1008:
                received, bad = f"31/02/{year} 08:00", bad + 1
            writer.writerow([f"TINH-{n:07d}", procedure, "", f"Người nộp {n}", f"09{n:08d}",
                             ("direct", "online", "Bưu chính")[n % 3], received, due, finished, returned, status])
    return {"rows": rows, "bad": bad}


def direct_count(agency) -> dict:
    """The statistics counted from the dossier table itself."""
    dossiers = Dossier.objects.filter(agency=agency)
    counts: dict = defaultdict(lambda: defaultdict(int))

    def add(queryset, moment, counter=None):
        by_month = queryset.annotate(m=TruncMonth(moment, tzinfo=LOCAL)).values("procedure", "m", "outcome")
        for item in by_month.annotate(n=Count("pk")):
            counts[(item["procedure"], item["m"].date())][counter or item["outcome"]] += item["n"]

    add(dossiers, "received_at", "received")
    add(dossiers.filter(status__in=FINISHED), "finished_at")
    add(dossiers.filter(status__in=CANCELLED), "finished_at", "cancelled")
    return {key: dict(values) for key, values in counts.items()}


def tallies(agency) -> dict:
    return {(t.procedure_id, t.month): {c: getattr(t, c) for c in COUNTERS if getattr(t, c)}
            for t in DossierTally.objects.filter(agency=agency)}


def test_a_100000_row_export_imports_idempotently_and_the_statistics_match_a_direct_count(world, calendar, tmp_path,
                                                                                          capsys):
    for n in range(4):
        procedure = Procedure.objects.create(code=f"9.00000{n}", name=f"Thủ tục {n}")
        ProcedureCase.objects.create(procedure=procedure, code=f"9.00000{n}.01", name="Trường hợp chung",
                                     duration=3, duration_unit="working_day")
    path = tmp_path / "tinh.csv"
    expected = export(path, ROWS)
    report = tmp_path / "loi.csv"

    call_command("import_dossiers", str(path), agency=world.own.code, report=str(report))
    first = capsys.readouterr().out
    good = ROWS - expected["bad"]
    assert Dossier.objects.filter(agency=world.own, source=Source.IMPORTED).count() == good
    with open(report, encoding="utf-8-sig") as file:  # with a BOM, for Excel
        rejected = list(csv.DictReader(file))
    assert len(rejected) == expected["bad"] > 0
    assert {r["code"] for r in rejected} == {f"TINH-{n:07d}" for n in range(ROWS)
                                              if n % 997 == 996 or (n % 1009 == 1008 and n % 997 != 996)}
    assert all(int(r["line"]) == int(r["code"][5:]) + 2 for r in rejected)  # line 1 is the header
    assert str(good) in first
    assert Dossier.objects.search("nguoi nop 4242").filter(code="TINH-0004242").exists()  # searchable, no accents

    stored = tallies(world.own)
    counted = {key: {c: v for c, v in values.items() if c in ("received", "early", "on_time", "late", "cancelled")}
               for key, values in stored.items()}
    assert counted == direct_count(world.own)
    assert sum(v.get("received", 0) for v in counted.values()) == good
    assert sum(v.get("late", 0) for v in counted.values()) > 0

    # The same file again: nothing changes, the statistics stay.
    call_command("import_dossiers", str(path), agency=world.own.code)
    assert Dossier.objects.filter(agency=world.own).count() == good
    assert tallies(world.own) == stored
