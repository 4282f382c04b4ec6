"""The ISO 9001 clause library (eiso/audits/clauses/*.yaml) loads, is complete and well formed, builds checklists,
and a broken file is refused with the clause named. No database."""

import re
from pathlib import Path

import pytest
import yaml

from eiso.audits import clause_library as module
from eiso.audits.clause_library import (
    ChecklistItem,
    ClauseLibraryError,
    UnknownClauseError,
    available_versions,
    clause_library,
    load_clause_library,
    number_key,
)

# Every numbered clause of ISO 9001:2015 = TCVN ISO 9001:2015, clauses 4 to 10 (same set as the framework tests).
ISO_9001_2015_CLAUSES = """
    4 4.1 4.2 4.3 4.4 4.4.1 4.4.2
    5 5.1 5.1.1 5.1.2 5.2 5.2.1 5.2.2 5.3
    6 6.1 6.1.1 6.1.2 6.2 6.2.1 6.2.2 6.3
    7 7.1 7.1.1 7.1.2 7.1.3 7.1.4 7.1.5 7.1.5.1 7.1.5.2 7.1.6 7.2 7.3 7.4 7.5 7.5.1 7.5.2 7.5.3 7.5.3.1 7.5.3.2
    8 8.1 8.2 8.2.1 8.2.2 8.2.3 8.2.3.1 8.2.3.2 8.2.4 8.3 8.3.1 8.3.2 8.3.3 8.3.4 8.3.5 8.3.6
    8.4 8.4.1 8.4.2 8.4.3 8.5 8.5.1 8.5.2 8.5.3 8.5.4 8.5.5 8.5.6 8.6 8.7 8.7.1 8.7.2
    9 9.1 9.1.1 9.1.2 9.1.3 9.2 9.2.1 9.2.2 9.3 9.3.1 9.3.2 9.3.3
    10 10.1 10.2 10.2.1 10.2.2 10.3
""".split()
# Sub-clauses the standard leaves untitled: eISO gives them a topic instead.
UNTITLED = {
    "4.4.1",
    "4.4.2",
    "6.1.1",
    "6.1.2",
    "6.2.1",
    "6.2.2",
    "7.5.3.1",
    "7.5.3.2",
    "8.2.3.1",
    "8.2.3.2",
    "8.7.1",
    "8.7.2",
    "9.2.1",
    "9.2.2",
    "10.2.1",
    "10.2.2",
}
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)


@pytest.fixture
def library():
    return clause_library()


def test_the_shipped_library_loads_and_is_cached(library):
    assert available_versions() == ["2015.1"]
    assert library.version == "2015.1"
    assert library.standard == "TCVN ISO 9001:2015"
    assert clause_library() is library
    assert clause_library("2015.1") is library
    with pytest.raises(UnknownClauseError, match="2099.1"):
        clause_library("2099.1")


def test_every_clause_4_to_10_is_present(library):
    numbers = [clause.number for clause in library]
    assert [clause.number for clause in library.top_level()] == ["4", "5", "6", "7", "8", "9", "10"]
    assert set(numbers) == set(ISO_9001_2015_CLAUSES)


def test_numbering_is_unique_and_ordered(library):
    numbers = [clause.number for clause in library]
    assert len(numbers) == len(set(numbers))
    assert numbers == sorted(numbers, key=number_key)
    assert numbers.index("10") > numbers.index("9.3.3")  # numeric, not text, order


def test_parents_exist_and_children_match(library):
    for clause in library:
        if clause.parent is None:
            assert clause.depth == 0
            continue
        parent = library.get(clause.parent)
        assert clause.number in parent.children
        assert clause in library.children(parent.number)
    assert [c.number for c in library.children("7.1")] == ["7.1.1", "7.1.2", "7.1.3", "7.1.4", "7.1.5", "7.1.6"]
    assert [c.number for c in library.children("7.5.3")] == ["7.5.3.1", "7.5.3.2"]
    assert library.children("8.6") == ()


def test_every_leaf_has_one_to_four_questions_with_evidence(library):
    leaves = library.leaves()
    assert len(leaves) > 60
    for clause in leaves:
        assert 1 <= len(clause.questions) <= 4, clause.number
        for question in clause.questions:
            assert VIETNAMESE.search(question.text), (clause.number, question.text)
            assert question.text.rstrip().endswith("?"), (clause.number, question.text)
            assert question.evidence.strip(), clause.number


def test_titles_in_vietnamese_and_english(library):
    for clause in library:
        if clause.number in UNTITLED:
            assert clause.title is None and clause.title_en is None, clause.number
            assert clause.topic and clause.label == clause.topic
        else:
            assert clause.title and clause.title_en, clause.number
            assert clause.label == clause.title
    assert library.get("9.1.2").title == "Sự thỏa mãn của khách hàng"
    assert library.get("9.1.2").title_en == "Customer satisfaction"
    assert library.get("8.5.1").title == "Kiểm soát sản xuất và cung cấp dịch vụ"
    assert str(library.get("10.3")) == "10.3 Cải tiến liên tục"


def test_checklist_expands_a_parent_to_its_leaves(library):
    items = library.checklist(["9.2", "8.5.1"])
    assert all(isinstance(item, ChecklistItem) for item in items)
    clause_numbers = list(dict.fromkeys(clause.number for clause, _question in items))
    assert clause_numbers == ["8.5.1", "9.2.1", "9.2.2"]  # library order
    expected = sum(len(library.get(n).questions) for n in clause_numbers)
    assert len(items) == expected
    clause, question = items[0]
    assert question in clause.questions


def test_checklist_does_not_repeat_overlapping_clauses_and_refuses_unknown_ones(library):
    assert library.checklist(["8.5", "8.5.1"]) == library.checklist(["8.5"])
    assert {c.number for c, _q in library.checklist("8")} == {c.number for c in library.leaves("8")}
    assert library.checklist([]) == []
    assert library.get(" 9.1.2. ").number == "9.1.2"
    with pytest.raises(UnknownClauseError, match="11.1"):
        library.checklist(["9.2", "11.1"])
    assert "11" not in library and "9.2" in library


# ------------------------------------------------------------------------ broken files


def _good_data() -> dict:
    return {
        "version": "2015.9",
        "standard": "TCVN ISO 9001:2015",
        "name": "Test",
        "clauses": [
            {"number": "9", "title": "Đánh giá kết quả thực hiện", "title_en": "Performance evaluation"},
            {"number": "9.2", "title": "Đánh giá nội bộ", "title_en": "Internal audit"},
            {
                "number": "9.2.1",
                "title": None,
                "title_en": None,
                "topic": "Định kỳ",
                "questions": [{"text": "Đã đánh giá chưa?", "evidence": "Báo cáo."}],
            },
            {
                "number": "9.2.2",
                "title": None,
                "title_en": None,
                "topic": "Kế hoạch",
                "questions": [{"text": "Có kế hoạch không?", "evidence": "Kế hoạch."}],
            },
        ],
    }


def _write(tmp_path: Path, data, name="broken.v1.yaml") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_in_tmp_path_loads(tmp_path):
    library = load_clause_library(_write(tmp_path, _good_data()))
    assert [c.number for c in library.leaves("9")] == ["9.2.1", "9.2.2"]


def _broken(mutate):
    data = _good_data()
    mutate(data["clauses"])
    return data


BROKEN = [
    ("leaf without question", lambda c: c[3].pop("questions"), r"clause 9\.2\.2: a leaf clause needs"),
    ("duplicate", lambda c: c.append(dict(c[3])), r"clause 9\.2\.2: duplicate"),
    ("missing parent", lambda c: c.pop(1), r"clause 9\.2\.1: its parent clause 9\.2 is missing"),
    ("malformed", lambda c: c[2].update(number="9.2.a"), r"clause 9\.2\.a: malformed number"),
    ("zero part", lambda c: c[2].update(number="9.0"), r"clause 9\.0: malformed number"),
    ("unquoted", lambda c: c[1].update(number=9.2), r"clause 9\.2: the number must be quoted"),
    ("reversed", lambda c: c.reverse(), r"clause 9\.2\.2: its parent clause 9\.2 is missing"),
    ("order", lambda c: c.insert(2, c.pop(3)), r"clause 9\.2\.1: out of order"),
    ("no title", lambda c: c[1].pop("title"), r"clause 9\.2: needs a 'title'"),
    ("empty question", lambda c: c[2]["questions"][0].update(text=" "), r"clause 9\.2\.1, question 1: 'text'"),
    ("no evidence", lambda c: c[2]["questions"][0].pop("evidence"), r"clause 9\.2\.1, question 1: 'evidence'"),
    ("typo key", lambda c: c[2].update(questons=[]), r"clause 9\.2\.1: unknown keys"),
    ("too many", lambda c: c[2].update(questions=c[2]["questions"] * 5), r"clause 9\.2\.1: at most 4"),
]


@pytest.mark.parametrize(("mutate", "message"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_library_is_refused_with_the_clause_named(tmp_path, mutate, message):
    path = _write(tmp_path, _broken(mutate))
    with pytest.raises(ClauseLibraryError, match=r"^broken\.v1\.yaml: " + message):
        load_clause_library(path)


def test_a_broken_header_or_yaml_is_refused(tmp_path):
    with pytest.raises(ClauseLibraryError, match="'version' must be quoted text"):
        load_clause_library(_write(tmp_path, {**_good_data(), "version": 2015.9}))
    with pytest.raises(ClauseLibraryError, match="'clauses' must be a non-empty list"):
        load_clause_library(_write(tmp_path, {**_good_data(), "clauses": []}))
    with pytest.raises(ClauseLibraryError, match="not valid YAML"):
        load_clause_library(_write(tmp_path, "clauses: [\n  - number: '4'\n"))


def test_the_shipped_folder_refuses_two_files_with_one_version(tmp_path, monkeypatch):
    _write(tmp_path, _good_data(), "a.v1.yaml")
    _write(tmp_path, _good_data(), "b.v1.yaml")
    monkeypatch.setattr(module, "LIBRARY_DIR", tmp_path)
    module._shipped.cache_clear()
    try:
        with pytest.raises(ClauseLibraryError, match=r"b\.v1\.yaml: version 2015\.9 is also in a\.v1\.yaml"):
            clause_library()
    finally:
        monkeypatch.undo()
        module._shipped.cache_clear()
