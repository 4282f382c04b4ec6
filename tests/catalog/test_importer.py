"""The importer on the real portal files and on hand-made messy files."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from eiso.catalog.importer import UNITS, _read_json, infer_levels
from eiso.catalog.models import Field, ImportRun, Procedure, ProcedureCase, ProcedureChange
from eiso.catalog.services import catalog_import
from eiso.catalog.text import clean_text
from tests.catalog.conftest import catalogue_line, detail_record, read_jsonl, write_jsonl

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    """Everything an import decides about every procedure (not ids, not import times)."""
    return {
        (p.code, p.source_id): {
            "name": p.name, "field": p.field.name if p.field else None, "promulgating_body": p.promulgating_body,
            "executing_bodies": p.executing_bodies, "applicants": sorted(p.applicants), "results": p.results,
            "channels": p.channels, "legal_bases": p.legal_bases, "dossier_components": p.dossier_components,
            "steps_text": p.steps_text, "conditions": p.conditions, "state": p.state,
            "procedure_type": p.procedure_type, "has_detail": p.has_detail, "source_id": p.source_id,
            "source_created_at": p.source_created_at, "source_updated_at": p.source_updated_at,
            "levels": (p.is_commune_level, p.is_province_level, p.is_ministry_level, p.is_vertical_level,
                       p.is_other_level),
            "cases": sorted((c.code, c.name, c.duration, c.duration_unit) for c in p.cases.all()),
        }
        for p in Procedure.objects.select_related("field").prefetch_related("cases")
    }


# --- The real files ----------------------------------------------------------------------------------


def test_sample_details_give_300_procedures_with_their_cases_and_no_error(sample_path):
    # given
    records = [r["data"] for r in read_jsonl(sample_path)]
    expected_cases = sum(len({c["code"] for c in r["cases"]}) for r in records)  # the portal repeats some
    unknown_units = sorted(r["code"] for r in records for c in r["cases"] if c["processingDay"]["type"] not in UNITS)
    # when
    run = catalog_import(paths=[sample_path])
    # then
    assert (run.status, run.expected, run.total, run.created, run.updated, run.failed) == ("done", 300, 300, 300, 0, 0)
    assert Procedure.objects.count() == len({r["code"] for r in records}) == 300
    assert Procedure.objects.filter(has_detail=True).count() == 300
    assert ProcedureCase.objects.count() == expected_cases == 287
    assert [e for e in run.report if e["level"] == "error"] == []
    assert [e["code"] for e in run.report if e["kind"] == "unknown_unit"] == unknown_units == [
        "1.000881", "1.001022", "2.001023"]
    assert run.warnings == 3
    assert ProcedureCase.objects.filter(duration_unit="unknown").count() == 3


def test_procedure_1_000080_is_imported_as_published(sample_path):
    # when
    catalog_import(paths=[sample_path])
    # then
    procedure = Procedure.objects.get(code="1.000080")
    case = procedure.cases.get()
    assert (case.code, case.duration, case.duration_unit) == ("1.000080.01", Decimal("12"), "working_day")
    assert (procedure.field.name, procedure.field.code) == ("Hộ tịch", "G15-TP07")
    assert (procedure.is_commune_level, procedure.is_province_level, procedure.is_ministry_level) == (
        True, False, False)
    assert procedure.name == "Thủ tục đăng ký nhận cha, mẹ, con có yếu tố nước ngoài tại khu vực biên giới"
    assert procedure.promulgating_body == "Bộ Tư pháp"
    assert procedure.executing_bodies == "Ủy ban Nhân dân xã, phường, thị trấn."  # U+00A0 in the source
    assert procedure.applicants == ["Công dân Việt Nam", "Người nước ngoài"]
    assert procedure.results == ["Trích lục đăng ký nhận cha, mẹ, con"]
    assert [(c["channel"], c["duration"], c["duration_unit"]) for c in procedure.channels] == [
        ("online", 7, "unknown"), ("postal", 7, "unknown"), ("direct", 7, "unknown")]
    assert procedure.channels[0]["fees"][0]["amount"] == 0
    # the legal basis whose name had double spaces: code and name both kept, whitespace normalised
    assert {"code": "123/2015/NĐ-CP", "name": "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định "
            "chi tiết một số điều và biện pháp thi hành Luật Hộ tịch"} in procedure.legal_bases
    assert procedure.dossier_components[0] == {
        "group": "* Giấy tờ phải nộp:", "name": "+ Trường hợp không có văn bản nêu trên thì các bên nhận cha, mẹ, "
        "con lập văn bản cam đoan về mối quan hệ cha, mẹ, con, có ít nhất hai người làm chứng về mối quan hệ cha, "
        "mẹ, con.", "original_quantity": 1, "copy_quantity": 0, "code": "000.00.00.G15-KQ003362", "required": False}
    assert "Cổng dịch vụ công quốc gia hoặc Ứng dụng định danh quốc gia." in procedure.steps_text  # NFC
    assert procedure.source_created_at == dt.datetime(2026, 4, 8, 14, 52, 58, 803000, tzinfo=dt.UTC)
    assert procedure.source_updated_at == dt.datetime(2026, 4, 16, 3, 27, 23, 145000, tzinfo=dt.UTC)
    assert (procedure.state, procedure.procedure_type, procedure.has_detail) == ("UPDATED", "STANDARD", True)


def test_no_html_invisible_marks_or_word_bullets_are_stored(sample_path):
    # when
    catalog_import(paths=[sample_path])
    # then
    texts = json.dumps(list(Procedure.objects.values()), ensure_ascii=False, default=str)
    assert "\u00a0" not in texts and "\u200e" not in texts and "•" not in texts
    assert re.search(r"<\s*/?[a-zA-Z][^>]*>", texts) is None
    steps = Procedure.objects.get(code="1.115797").steps_text
    assert "+ Cơ quan thuế:\n- Xác định tiền sử dụng đất" in steps  # "•\t" became "- "


def test_catalogue_keeps_every_line_and_reports_the_two_procedures_sharing_a_code(catalog_path):
    # given: 5,670 lines; " 1.014325" (line 973, Tuyên Quang) and "1.014325" (line 1309, Lào Cai) are two
    # different procedures of the national database (two ids) under one code
    lines = read_jsonl(catalog_path)
    # when
    run = catalog_import(paths=[catalog_path])
    # then: nothing lost
    assert (run.status, run.total, run.failed) == ("done", len(lines), 0) == ("done", 5670, 0)
    assert Procedure.objects.count() == run.created == len({line["id"] for line in lines}) == 5670
    assert [(e["line"], e["code"], e["level"], e["kind"]) for e in run.report] == [
        (1309, "1.014325", "warning", "code_conflict")]
    assert "both are kept" in run.report[0]["message"] and lines[972]["id"] in run.report[0]["message"]
    shared = Procedure.objects.filter(code="1.014325").order_by("source_id")
    assert sorted((p.source_id, p.name) for p in shared) == sorted(
        (lines[n]["id"], lines[n]["name"]) for n in (972, 1308))
    assert Procedure.objects.filter(has_detail=True).count() == 0
    assert Field.objects.count() == len({line["categories"][0] for line in lines})


def test_a_record_with_an_id_adopts_a_procedure_stored_without_one_and_then_is_found_by_id(tmp_path):
    # given: a procedure imported from a record without an id
    without_id = catalogue_line("T.000009", "Thủ tục chín")
    del without_id["id"]
    catalog_import(paths=[write_jsonl(tmp_path / "a.jsonl", [without_id])])
    line = dict(catalogue_line("T.000009", "Thủ tục chín"), id="abc-1")
    # when: the same procedure with its id, then again
    first = catalog_import(paths=[write_jsonl(tmp_path / "b.jsonl", [line])])
    second = catalog_import(paths=[write_jsonl(tmp_path / "c.jsonl", [line])])
    # then: one procedure, which took the id
    assert (first.created, first.updated, second.unchanged) == (0, 1, 1)
    assert list(Procedure.objects.values_list("code", "source_id")) == [("T.000009", "abc-1")]


def test_catalogue_levels_are_inferred_from_the_executing_bodies(catalog_path):
    # when
    catalog_import(paths=[catalog_path])
    # then
    province = Procedure.objects.get(code="3.000616")  # departments: ["Sở Khoa học và Công nghệ"]
    assert (province.is_commune_level, province.is_province_level, province.is_ministry_level) == (False, True, False)
    assert province.executing_bodies == "Sở Khoa học và Công nghệ"
    assert province.applicants == ["Doanh nghiệp Việt Nam"]
    assert (province.field.name, province.promulgating_body) == (
        "Công nghiệp công nghệ số, công nghệ thông tin, điện tử", "UBND Thành phố Huế")


def test_catalogue_and_details_in_either_order_lose_nothing(catalog_path, sample_path):
    # given
    details = {r["data"]["code"]: r["data"] for r in read_jsonl(sample_path)}
    all_codes = {line["code"].strip() for line in read_jsonl(catalog_path)} | set(details)
    catalog_import(paths=[catalog_path])
    catalog_import(paths=[sample_path])
    details_last = _snapshot()
    ProcedureChange.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    # when: the details first, the catalogue after
    catalog_import(paths=[sample_path])
    run = catalog_import(paths=[catalog_path])
    # then
    catalogue_last = _snapshot()
    assert {code for code, _ in catalogue_last} == all_codes and len(catalogue_last) == 5670
    assert catalogue_last == details_last
    assert (run.created, run.updated, run.unchanged) == (5370, 0, 300)
    procedure = Procedure.objects.get(code="1.000080")  # its catalogue line has no executing body
    assert procedure.has_detail and procedure.is_commune_level
    assert procedure.cases.get().duration == Decimal("12")
    assert len(procedure.legal_bases) == len(details["1.000080"]["legalBasisesDetails"]) == 16
    assert len(procedure.channels) == 3
    assert ProcedureChange.objects.count() == 0


def test_reimporting_the_same_files_creates_and_updates_nothing(catalog_path, sample_path):
    # given
    catalog_import(paths=[sample_path, catalog_path])
    # when
    run = catalog_import(paths=[sample_path, catalog_path])
    # then
    assert (run.total, run.created, run.updated, run.unchanged, run.failed) == (5970, 0, 0, 5970, 0)
    assert ProcedureChange.objects.count() == 0
    assert Procedure.objects.filter(code="1.014325").count() == 2  # each line found its own, by id


def test_a_changed_duration_and_legal_basis_are_recorded_as_significant_changes(sample_path, tmp_path):
    # given
    records = read_jsonl(sample_path)
    catalog_import(paths=[sample_path])
    target = next(r["data"] for r in records if r["data"]["code"] == "1.000080")
    target["cases"][0]["processingDay"] = {"qty": 15, "type": "DAY"}
    old_basis = target["legalBasisesDetails"][0]
    target["legalBasisesDetails"][0] = dict(old_basis, code="105/2022/NĐ-CP")
    target["name"] += " (sửa đổi)"
    modified = write_jsonl(tmp_path / "modified.jsonl", records)
    # when
    run = catalog_import(paths=[modified])
    # then
    assert (run.created, run.updated, run.unchanged, run.failed) == (0, 1, 299, 0)
    changes = {c.field_name: c for c in ProcedureChange.objects.filter(procedure__code="1.000080")}
    assert set(changes) == {"case 1.000080.01: duration", "case 1.000080.01: duration_unit", "legal_bases", "name"}
    duration, unit = changes["case 1.000080.01: duration"], changes["case 1.000080.01: duration_unit"]
    assert (duration.before, duration.after, duration.is_significant) == (12, 15, True)
    assert (unit.before, unit.after, unit.is_significant) == ("working_day", "day", True)
    basis = changes["legal_bases"]
    assert basis.is_significant is True
    assert {"code": "104/2022/NĐ-CP", "name": old_basis["name"]} in basis.before
    assert {"code": "104/2022/NĐ-CP", "name": old_basis["name"]} not in basis.after
    assert {"code": "105/2022/NĐ-CP", "name": old_basis["name"]} in basis.after
    name = changes["name"]
    assert (name.after, name.is_significant) == (target["name"], False)
    assert ProcedureChange.objects.count() == 4
    case = ProcedureCase.objects.get(code="1.000080.01")
    assert (case.duration, case.duration_unit) == (Decimal("15"), "day")


def test_a_removed_case_is_a_significant_change(tmp_path):
    # given
    cases = [{"code": "T.000009.01", "name": "Trường hợp 1", "processingDay": {"qty": 3, "type": "WORKING_DAY"}},
             {"code": "T.000009.02", "name": "Trường hợp 2", "processingDay": {"qty": 5, "type": "WORKING_DAY"}}]
    catalog_import(paths=[write_jsonl(tmp_path / "a.jsonl", [detail_record("T.000009", "Thủ tục", cases)])])
    # when
    run = catalog_import(paths=[write_jsonl(tmp_path / "b.jsonl", [detail_record("T.000009", "Thủ tục", cases[:1])])])
    # then
    assert run.updated == 1
    change = ProcedureChange.objects.get()
    assert (change.field_name, change.before, change.after, change.is_significant) == (
        "case T.000009.02", {"name": "Trường hợp 2", "duration": 5, "duration_unit": "working_day"}, None, True)
    assert list(ProcedureCase.objects.values_list("code", flat=True)) == ["T.000009.01"]


# --- Messy input ---------------------------------------------------------------------------------------


def messy_file(tmp_path):
    """Line 1 good; 2 malformed; 3 no code; 4 HTML in the name; 5 detail with an OTHER unit and a case
    without duration; 6 line 1's code again."""
    records = [
        catalogue_line("T.000001", "Thủ tục thử nghiệm một"),
        catalogue_line("", "Không có mã", codeNotation=""),
        catalogue_line("T.000003", "<p>Thủ tục <b>đăng ký</b> khai sinh&nbsp;lưu động</p>"),
        detail_record("T.000004", "Thủ tục có thời hạn lạ", cases=[
            {"code": "T.000004.01", "name": "Thông thường", "processingDay": {"qty": 5, "type": "OTHER"}},
            {"code": "T.000004.02", "name": "Không rõ thời hạn", "processingDay": {}},
        ]),
        catalogue_line("T.000001", "Thủ tục thử nghiệm một (bản sau)"),
    ]
    return write_jsonl(tmp_path / "messy.jsonl", records, raw_lines={1: '{"code": "T.000002", "name": '})


def test_a_messy_file_reports_each_problem_and_keeps_the_good_records(tmp_path):
    # given
    path = messy_file(tmp_path)
    # when
    run = catalog_import(paths=[path])
    # then
    assert [(e["line"], e["code"], e["level"], e["kind"]) for e in run.report] == [
        (1, "T.000001", "warning", "duplicate_code"),
        (2, "", "error", "malformed_json"),
        (3, "", "error", "missing_code"),
        (4, "T.000003", "warning", "html_removed"),
        (5, "T.000004", "warning", "unknown_unit"),
        (5, "T.000004", "warning", "case_without_duration"),
    ]
    messages = {(e["line"], e["kind"]): e["message"] for e in run.report}
    assert messages[(1, "duplicate_code")] == ("the same code (and id) is on line 6 of this file: this record is "
                                               "skipped, the later one wins")
    assert messages[(3, "missing_code")] == "record without a code: skipped"
    assert messages[(4, "html_removed")] == "HTML removed from: name"
    assert messages[(5, "unknown_unit")] == (
        "case T.000004.01: unknown duration unit 'OTHER'; imported as 'not specified'")
    assert messages[(5, "case_without_duration")] == "case T.000004.02 has no duration"
    assert (run.status, run.total, run.created, run.failed, run.warnings) == ("done", 6, 3, 2, 4)
    assert dict(Procedure.objects.values_list("code", "name")) == {
        "T.000001": "Thủ tục thử nghiệm một (bản sau)",
        "T.000003": "Thủ tục đăng ký khai sinh lưu động",
        "T.000004": "Thủ tục có thời hạn lạ",
    }
    assert list(ProcedureCase.objects.values_list("code", "duration", "duration_unit")) == [
        ("T.000004.01", Decimal("5"), "unknown"), ("T.000004.02", None, "unknown")]


def test_a_file_with_nothing_usable_fails(tmp_path):
    # given
    path = tmp_path / "broken.jsonl"
    path.write_text("not json\n{\"name\": \"no code\"}\n", encoding="utf-8")
    # when
    run = catalog_import(paths=[path])
    # then
    assert (run.status, run.total, run.failed) == ("failed", 2, 2)
    assert ImportRun.objects.get().status == "failed"


def test_a_json_array_a_single_record_and_a_folder_are_read(tmp_path):
    # given: a pretty-printed array (catalogue line + detail wrapper) and a single bare detail object
    folder = tmp_path / "portal"
    folder.mkdir()
    array = [catalogue_line("T.000010", "Thủ tục mười"), detail_record("T.000011", "Thủ tục mười một", cases=[
        {"code": "T.000011.01", "name": "Một", "processingDay": {"qty": 2, "type": "HOUR"}},
        {"code": "T.000011.02", "name": "Hai", "processingDay": {"qty": 1, "type": "MONTH"}},
        {"code": "T.000011.03", "name": "Ba", "processingDay": {"qty": 4, "type": "WEEK"}}])]
    text = json.dumps(array, ensure_ascii=False, indent=2)
    (folder / "a.json").write_text(text, encoding="utf-8")
    (folder / "b.json").write_text(json.dumps(detail_record("T.000012", "Thủ tục mười hai")["data"]), encoding="utf-8")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    second_element_line = [i for i, line in enumerate(text.split("\n"), 1) if line == "  {"][1]
    # when
    run = catalog_import(paths=[folder])
    # then
    assert (run.expected, run.total, run.created, run.failed) == (3, 3, 3, 0)
    assert sorted(Procedure.objects.values_list("code", "has_detail")) == [
        ("T.000010", False), ("T.000011", True), ("T.000012", True)]
    assert sorted(ProcedureCase.objects.values_list("code", "duration_unit")) == [
        ("T.000011.01", "hour"), ("T.000011.02", "month"), ("T.000011.03", "unknown")]
    assert [(e["file"], e["line"], e["kind"]) for e in run.report] == [("a.json", second_element_line, "unknown_unit")]


def test_json_arrays_are_read_incrementally(tmp_path):
    # given
    records = [catalogue_line(f"T.{n:06d}", f"Thủ tục {n} " + "x" * 300) for n in range(50)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    # when: a 16-character read size forces the buffer to grow and be trimmed many times
    items = list(_read_json(path, read_size=16))
    # then
    assert [item.payload for item in items] == records
    assert [item.error for item in items] == [""] * 50


# --- Units ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "multiline", "expected"), [
    ("<p>Thủ tục&nbsp;<b>A</b></p>", False, ("Thủ tục A", True)),
    ("&lt;b&gt;Tên&lt;/b&gt;", False, ("Tên", True)),
    ("Ủy ban Nhân dân\xa0xã,\xa0phường", False, ("Ủy ban Nhân dân xã, phường", False)),
    ("đăng k\u200eý", False, ("đăng ký", False)),
    ("Ư\u0301ng du\u0323ng", False, ("Ứng dụng", False)),
    ("Không quá 03 ngày. \\tĐối với xã", False, ("Không quá 03 ngày. Đối với xã", False)),
    ("+ Cơ quan thuế:\n•\tXác định\n–  Ban hành\n\n\n\nHết", True, ("+ Cơ quan thuế:\n- Xác định\n- Ban hành\n\nHết",
                                                                 False)),
    ("<ul><li>Một</li><li>Hai</li></ul>", True, ("- Một\n- Hai", True)),
    ("Tư pháp – hộ tịch", False, ("Tư pháp – hộ tịch", False)),
])
def test_clean_text(raw, multiline, expected):
    assert clean_text(raw, multiline=multiline) == expected


@pytest.mark.parametrize(("departments", "commune", "province", "ministry"), [
    (["Ủy ban nhân dân cấp xã"], True, False, False),
    (["UBND phường Bắc Giang, tỉnh Bắc Ninh"], True, False, False),
    (["Bảo hiểm xã hội tỉnh"], False, True, False),
    (["Sở Tư pháp"], False, True, False),
    (["Sở Văn hóa và Thể thao Thành phố Hà Nội"], False, True, False),
    (["Ủy ban nhân dân cấp tỉnh"], False, True, False),
    (["Thuế cơ sở"], False, False, False),
    (["Bộ Công an"], False, False, True),
    (["Bộ chỉ huy quân sự cấp tỉnh"], False, True, False),
    (["Tòa án nhân dân cấp huyện, quận, thị xã, thành phố thuộc tỉnh và tương đương"], False, False, False),
    (["Ủy ban nhân dân cấp xã", "Sở Y tế"], True, True, False),
    ([""], False, False, False),
])
def test_infer_levels(departments, commune, province, ministry):
    levels = infer_levels(departments)
    assert (levels["is_commune_level"], levels["is_province_level"], levels["is_ministry_level"]) == (
        commune, province, ministry)


# --- Database failures ------------------------------------------------------------------------------------


def test_a_record_the_database_refuses_is_reported_and_the_others_are_kept(tmp_path, monkeypatch):
    # given: the bulk insert fails, and so does the one-by-one insert of T.000002
    from django.db import IntegrityError

    def refuse_bulk(*args, **kwargs):
        raise IntegrityError("bulk insert refused")

    original_save = Procedure.save

    def save(self, *args, **kwargs):
        if self.code == "T.000002":
            raise IntegrityError("CHECK constraint failed")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Procedure.objects, "bulk_create", refuse_bulk)
    monkeypatch.setattr(Procedure, "save", save)
    path = write_jsonl(tmp_path / "a.jsonl", [catalogue_line(f"T.00000{n}", f"Thủ tục {n}") for n in (1, 2, 3)])
    # when
    run = catalog_import(paths=[path])
    # then
    assert (run.status, run.total, run.created, run.failed) == ("done", 3, 2, 1)
    assert [(e["line"], e["code"], e["kind"], e["message"]) for e in run.report] == [
        (2, "T.000002", "save_failed", "could not be saved: CHECK constraint failed")]
    assert sorted(Procedure.objects.values_list("code", flat=True)) == ["T.000001", "T.000003"]


def test_a_failed_update_leaves_the_stored_procedure_as_it_was(tmp_path, monkeypatch):
    # given
    catalog_import(paths=[write_jsonl(tmp_path / "a.jsonl", [catalogue_line("T.000001", "Tên cũ"),
                                                             catalogue_line("T.000002", "Tên cũ")])])
    from django.db import IntegrityError

    original = ProcedureChange.objects.bulk_create

    def bulk_create(changes, *args, **kwargs):
        if changes and changes[0].procedure.code == "T.000001":
            raise IntegrityError("refused")
        return original(changes, *args, **kwargs)

    monkeypatch.setattr(ProcedureChange.objects, "bulk_create", bulk_create)
    # when
    run = catalog_import(paths=[write_jsonl(tmp_path / "b.jsonl", [catalogue_line("T.000001", "Tên mới"),
                                                                   catalogue_line("T.000002", "Tên mới")])])
    # then
    assert (run.updated, run.failed) == (1, 1)
    assert dict(Procedure.objects.values_list("code", "name")) == {"T.000001": "Tên cũ", "T.000002": "Tên mới"}
    assert list(ProcedureChange.objects.values_list("procedure__code", "field_name")) == [("T.000002", "name")]
