"""`eiso import_procedures`: progress, summary, problems, where the full report is, exit status."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from eiso.catalog.models import ImportRun, Procedure
from tests.catalog.test_importer import messy_file

pytestmark = pytest.mark.django_db


def test_command_prints_progress_summary_and_the_problems(tmp_path):
    # given
    path = messy_file(tmp_path)
    out = StringIO()
    # when
    call_command("import_procedures", str(path), stdout=out)
    # then
    run = ImportRun.objects.get()
    assert out.getvalue().splitlines() == [
        "6/6 records",
        f"Import #{run.pk} done: 6 records read, 3 created, 0 updated, 0 unchanged, 2 failed, 4 warnings.",
        "Problems (first 6 of 6):",
        "  messy.jsonl:1 [T.000001] warning: the same code (and id) is on line 6 of this file: this record is skipped, "
        "the later one wins",
        "  messy.jsonl:2 error: malformed JSON: Expecting value (column 29)",
        "  messy.jsonl:3 error: record without a code: skipped",
        "  messy.jsonl:4 [T.000003] warning: HTML removed from: name",
        "  messy.jsonl:5 [T.000004] warning: case T.000004.01: unknown duration unit 'OTHER'; imported as 'not "
        "specified'",
        "  messy.jsonl:5 [T.000004] warning: case T.000004.02 has no duration",
        f"Full report: import run #{run.pk} (page /catalog/imports/{run.pk}/, API /api/v1/catalog-imports/{run.pk}/).",
    ]
    assert Procedure.objects.count() == 3


def test_command_on_the_sample_prints_progress_and_no_error(sample_path):
    out = StringIO()
    call_command("import_procedures", str(sample_path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "300/300 records"
    assert lines[1].endswith("done: 300 records read, 300 created, 0 updated, 0 unchanged, 0 failed, 3 warnings.")


def test_command_fails_when_nothing_can_be_read(tmp_path):
    # given
    path = tmp_path / "broken.jsonl"
    path.write_text("not json at all\n", encoding="utf-8")
    out = StringIO()
    # when / then
    with pytest.raises(CommandError, match="Nothing could be imported."):
        call_command("import_procedures", str(path), stdout=out)
    assert "1 failed" in out.getvalue()
    assert ImportRun.objects.get().status == "failed"


def test_command_fails_on_a_missing_file(tmp_path):
    # given
    path = tmp_path / "missing.jsonl.gz"
    out = StringIO()
    # when / then
    with pytest.raises(CommandError, match="Nothing could be imported."):
        call_command("import_procedures", str(path), stdout=out)
    assert (f"  missing.jsonl.gz:- error: the file could not be read at all: [Errno 2] No such file or directory: "
            f"'{path}'") in out.getvalue().splitlines()


def test_a_truncated_gzip_file_keeps_what_was_read(tmp_path, sample_path):
    # given: the sample cut in the middle of its compressed stream
    data = sample_path.read_bytes()
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    out = StringIO()
    # when
    call_command("import_procedures", str(path), stdout=out)
    # then
    run = ImportRun.objects.get()
    assert run.status == "done" and run.expected is None
    assert 0 < run.created == Procedure.objects.count() < 300
    assert [(e["kind"], e["level"]) for e in run.report if e["level"] == "error"] == [("unreadable_file", "error")]
