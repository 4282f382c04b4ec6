"""The legal-reference parser on the examples of the brief and on every legal basis of the procedure sample."""

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eiso.legal import parsing
from eiso.legal.parsing import LegalParseError, extract_all, parse_legal_basis, parse_reference

SAMPLE = Path(__file__).resolve().parents[2] / "eiso" / "catalog" / "data" / "procedures-sample.jsonl.gz"
D = dt.date

# Every distinct (code, name) pair of the sample that must raise LegalParseError. Empty: all 185 parse.
KNOWN_UNPARSEABLE: set[tuple[str, str]] = set()
# Pairs whose suffix names no known body and whose text names no issuer (typos in the national data).
KNOWN_WITHOUT_ISSUER = {"118/2025/NĐ-C", "55/2026/QĐ"}


def _sample_pairs() -> set[tuple[str, str]]:
    pairs = set()
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as lines:
        for line in lines:
            for basis in (json.loads(line).get("data") or {}).get("legalBasisesDetails") or []:
                pairs.add((basis.get("code") or "", basis.get("name") or ""))
    return pairs


SAMPLE_PAIRS = _sample_pairs()
SAMPLE_NAMES = dict(SAMPLE_PAIRS)  # every code of the sample is written once

# --- the examples of the brief -------------------------------------------------------------------------------


def test_bare_code_takes_its_type_and_issuer_from_the_suffix():
    ref = parse_legal_basis("49/2026/NĐ-CP", "quy định chi tiết và hướng dẫn một số điều của Nghị quyết số "
                                             "254/2025/QH15 của Quốc hội")
    assert (ref.number, ref.doc_type, ref.year, ref.issuer) == ("49/2026/NĐ-CP", "decree", 2026, "Chính phủ")
    assert ref.issue_date is None  # the only date-like text belongs to another document
    assert ref.title.startswith("quy định chi tiết và hướng dẫn")


def test_code_with_type_word_trailing_dot_and_trailing_space():
    assert parse_legal_basis("Nghị định số 50/2026/NĐ-CP", "Quy định chi tiết").number == "50/2026/NĐ-CP"
    dotted = parse_legal_basis("28/2026/QĐ-UBND.", "Quy định về phân cấp")
    assert (dotted.number, dotted.doc_type, dotted.issuer) == ("28/2026/QĐ-UBND", "decision", "Ủy ban nhân dân")
    assert parse_legal_basis("101/2024/NĐ-CP ", "Nghị định quy định về điều tra").number == "101/2024/NĐ-CP"


def test_law_with_date_and_issuer_in_the_name():
    ref = parse_legal_basis("146/2025/QH15", "Luật số 146/2025/QH15 ngày 11/12/2025 của Quốc hội sửa đổi, bổ sung "
                                             "một số điều của 15 luật trong lĩnh vực nông nghiệp và môi trường")
    assert (ref.doc_type, ref.issue_date, ref.issuer) == ("law", D(2025, 12, 11), "Quốc hội")
    assert ref.title == "Luật sửa đổi, bổ sung một số điều của 15 luật trong lĩnh vực nông nghiệp và môi trường"


def test_decree_prefix_is_removed_from_the_title():
    ref = parse_legal_basis("102/2024/NĐ-CP", "Nghị định 102/2024/NĐ-CP ngày 30/7/2024 của Chính phủ quy định chi "
                                              "tiết thi hành một số điều của Luật Đất đai.")
    assert (ref.issue_date, ref.issuer) == (D(2024, 7, 30), "Chính phủ")
    assert ref.title == "quy định chi tiết thi hành một số điều của Luật Đất đai"


@pytest.mark.parametrize(("code", "name", "doc_type"), [
    ("50/2014/QH13", "Luật Xây dựng", "law"),
    ("254/2025/QH15", "Quy định một số cơ chế, chính sách tháo gỡ khó khăn", "resolution"),  # no word: by title
    ("193/2025/QH15", "Nghị quyết số 193/2025/QH15 ngày 19/02/2025 của Quốc hội về thí điểm", "resolution"),
    ("02/2016/QH14", "Tín ngưỡng, tôn giáo", "law"),  # no word, title is a noun: a law
    ("45/2019/QH14", "Bộ Luật lao động", "code_law"),
    ("12/2022/UBTVQH15", "", "ordinance"),
    ("05/2015/TTLT-BTP-BCA-BYT", "Thông tư liên tich 05/2015/TTLT-BTP-BCA-BYT", "joint_circular"),
    ("Thông tư 05/2015/TTLT-BTP-BCA-BYT", "", "joint_circular"),  # TTLT wins over the word "Thông tư"
    ("1234/BTP-HCTP", "Công văn về việc hướng dẫn", "official_letter"),
    ("1234/BTP-HCTP", "", "other"),
])
def test_type_rules(code, name, doc_type):
    assert parse_legal_basis(code, name).doc_type == doc_type


def test_single_free_string():
    ref = parse_reference("Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư pháp")
    assert (ref.number, ref.doc_type, ref.year) == ("03/2023/TT-BTP", "circular", 2023)
    assert (ref.issue_date, ref.issuer) == (D(2023, 8, 2), "Bộ trưởng Bộ Tư pháp")
    assert ref.title  # nothing but the reference: the title keeps the whole text rather than nothing


@pytest.mark.parametrize(("text", "expected"), [
    ("Nghị định số 75/2025/NĐ-CP ngày 01 tháng 4 năm 2025 của Chính phủ", D(2025, 4, 1)),
    ("Nghị định số 16/2022/NĐ-CP ngày 28 tháng 01 năm 2022 của Chính phủ", D(2022, 1, 28)),
    ("NGHỊ ĐỊNH SỐ 156/2018/NĐ-CP NGÀY 16 THÁNG 11 NĂM 2018 CỦA CHÍNH PHỦ", D(2018, 11, 16)),
    ("Thông tư số 53/2025/TT-BCAngày 01/7/2025 của Bộ Công an", D(2025, 7, 1)),
    ("Thông tư 03/2023/TT-BTP ngày 31/02/2023", None),  # no such day
])
def test_dates(text, expected):
    assert parse_reference(text).issue_date == expected


def test_number_without_year():
    ref = parse_reference("Nghị định 158/NĐ-CP")
    assert (ref.number, ref.year, ref.doc_type, ref.issuer) == ("158/NĐ-CP", None, "decree", "Chính phủ")


def test_issuer_must_be_a_capitalised_name_else_the_suffix_body():
    assert parse_reference("Nghị định 06/2012/NĐ-CP của các Nghị định về hộ tịch").issuer == "Chính phủ"
    assert parse_reference("Nghị định 06/2012/NĐ-CP của Chính phủ về hộ tịch").issuer == "Chính phủ"
    local = parse_reference("Quyết định 06/2012/QĐ-UBND của UBND tỉnh Lào Cai ngày 3/4/2012 về việc X")
    assert (local.issuer, local.issue_date, local.title) == ("UBND tỉnh Lào Cai", D(2012, 4, 3), "về việc X")


def test_bare_number_gives_an_empty_title():
    assert parse_reference("03/2023/TT-BTP").title == ""
    assert parse_legal_basis("01/2013/TT-BVHTTDL", "01/2013/TT-BVHTTDL").issuer == "Bộ Văn hóa, Thể thao và Du lịch"


# --- real pairs of the sample --------------------------------------------------------------------------------

# (code as in the sample, number, type, issue date, issuer): the name is read from the sample itself.
REAL = [
    ("09./2025/NQ-HĐND", "09/2025/NQ-HĐND", "resolution", None, "Hội đồng nhân dân tỉnh Gia Lai"),
    ("35 /2025/NQ-HĐND", "35/2025/NQ-HĐND", "resolution", None, "Hội đồng nhân dân"),
    ("08.a/2010/TT-BTP", "08.a/2010/TT-BTP", "circular", None, "Bộ Tư pháp"),
    ("09b/2013/TT-BTP", "09b/2013/TT-BTP", "circular", None, "Bộ Tư pháp"),
    ("66.18/2026/NQ-CP ", "66.18/2026/NQ-CP", "resolution", D(2026, 5, 18), "Chính phủ"),
    ("10/2013/TTLT-BTTTT-BQP-BCA", "10/2013/TTLT-BTTTT-BQP-BCA", "joint_circular", None,
     "Bộ Thông tin và Truyền thông, Bộ Quốc phòng, Bộ Công an"),
    ("10/2024/TT-BTNMT", "10/2024/TT-BTNMT", "circular", D(2024, 7, 31), "Bộ Tài nguyên và Môi trường"),
    ("12/2025/NQ-HĐND", "12/2025/NQ-HĐND", "resolution", D(2025, 6, 24), "Hội đồng nhân dân tỉnh Thanh Hóa"),
    ("123/2015/NĐ-CP", "123/2015/NĐ-CP", "decree", D(2015, 11, 15), "Chính phủ"),
    ("16/2017/QH14 ", "16/2017/QH14", "law", D(2017, 11, 15), "Quốc hội"),
    ("190/2025/NQ-QH15", "190/2025/NQ-QH15", "resolution", None, "Quốc hội"),
    ("190/2025/NQ-CP", "190/2025/NQ-CP", "resolution", None, "Chính phủ"),  # the name cites 190/2025/QH15
    ("2097/QĐ-UBND", "2097/QĐ-UBND", "decision", None, "Ủy ban nhân dân"),
    ("2628/QĐ-UBND", "2628/QĐ-UBND", "decision", None, "Ủy ban nhân dân"),  # its dates are another document's
    ("31/2024/QH15", "31/2024/QH15", "law", D(2024, 1, 18), "Quốc hội"),
    ("95/2025/QH1", "95/2025/QH1", "law", D(2025, 6, 27), "Quốc hội"),
    ("91/2015/QH2013", "91/2015/QH2013", "code_law", None, "Quốc hội"),
    ("47/2026/QĐ-UBND ", "47/2026/QĐ-UBND", "decision", D(2026, 6, 28), "Ủy ban nhân dân tỉnh Lào Cai"),
    ("53/2025/TT-BCA", "53/2025/TT-BCA", "circular", D(2025, 7, 1), "Bộ Công an"),
    ("54/2025/TT-BCA", "54/2025/TT-BCA", "circular", D(2025, 7, 1), "Bộ trưởng Bộ Công an"),
    ("75/2026/QĐ-UBND (thành phố Đà Nẵng)", "75/2026/QĐ-UBND", "decision", None, "Ủy ban nhân dân"),
    ("Luật số 58/2024/QH15 của Quốc hội", "58/2024/QH15", "law", None, "Quốc hội"),
    ("Thông tư số 28/2024/TT-NHNN", "28/2024/TT-NHNN", "circular", None, "Ngân hàng Nhà nước Việt Nam"),
    ("Thông tư 47/2019/TT-BTC", "47/2019/TT-BTC", "circular", None, "Bộ Tài chính"),
    ("Nghị định số 25/2025/NĐ-CP", "25/2025/NĐ-CP", "decree", D(2025, 2, 21), "Chính phủ"),
    ("118/2025/NĐ-CP", "118/2025/NĐ-CP", "decree", None, "Chính phủ"),
    ("118/2025/NĐ-C", "118/2025/NĐ-C", "decree", None, ""),  # a typo kept as written
    ("40/2026/QĐ-UBND ", "40/2026/QĐ-UBND", "decision", None, "Ủy ban nhân dân"),
    ("39/2026/NQ-HĐND", "39/2026/NQ-HĐND", "resolution", D(2026, 7, 9), "Hội đồng nhân dân tỉnh"),
    ("91/2024/NĐ-CP", "91/2024/NĐ-CP", "decree", None, "Chính phủ"),  # 16 THÁNG 11 NĂM 2018 is 156/2018's date
    ("45/2019/QH14", "45/2019/QH14", "code_law", None, "Quốc hội"),
    ("254/2025/QH15", "254/2025/QH15", "resolution", None, "Quốc hội"),
    ("228/2016/TTLT-BTC", "228/2016/TTLT-BTC", "joint_circular", None, "Bộ Tài chính"),
]


@pytest.mark.parametrize(("code", "number", "doc_type", "issue_date", "issuer"), REAL)
def test_real_pairs(code, number, doc_type, issue_date, issuer):
    ref = parse_legal_basis(code, SAMPLE_NAMES[code])
    assert (ref.number, ref.doc_type, ref.issue_date, ref.issuer) == (number, doc_type, issue_date, issuer)
    parts = number.split("/")
    assert ref.year == (int(parts[1]) if len(parts) == 3 else None)


@pytest.mark.parametrize(("code", "name", "title"), [
    ("27/2023/QH15", "Luật Nhà ở số 27/2023/QH15", "Luật Nhà ở"),
    ("25/2008/QH12", "Luật 25/2008/QH12 - Bảo hiểm y tế", "Luật Bảo hiểm y tế"),
    ("62/2020/QH14", "Luật số 62/2020/QH14 của Quốc hội: Luật sửa đổi, bổ sung một số điều của Luật Xây dựng",
     "Luật sửa đổi, bổ sung một số điều của Luật Xây dựng"),
    ("06/2012/NĐ-CP", "Nghị định 06/2012/NĐ-CP - Sửa đổi, bổ sung một số điều", "Sửa đổi, bổ sung một số điều"),
    ("367/2025/NĐ-CP", "sửa đổi, bổ\nsung một số điều của Nghị định 118/2025/NĐ-CP", "sửa đổi, bổ sung một số điều "
     "của Nghị định 118/2025/NĐ-CP"),
    ("44/2026/QĐ-UBND ", "Quy định trình tự,  thủ tục\ntrên địa bàn tỉnh Lai Châu.", "Quy định trình tự, thủ tục trên "
     "địa bàn tỉnh Lai Châu"),
    ("31/2024/QH15", "Luật Đất đai ngày 18/01/2024;", "Luật Đất đai"),
    ("36/2014/TT-BCA", "Thông tư", "Thông tư"),
])
def test_titles(code, name, title):
    assert parse_legal_basis(code, name).title == title


def test_every_pair_of_the_sample_parses_or_is_known():
    assert len(SAMPLE_PAIRS) == 185 and len(SAMPLE_NAMES) == 185
    parsed, failed = {}, set()
    for code, name in SAMPLE_PAIRS:
        try:
            parsed[code, name] = parse_legal_basis(code, name)
        except LegalParseError as exc:
            assert exc.reason
            failed.add((code, name))
    assert failed == KNOWN_UNPARSEABLE
    for (_code, name), ref in parsed.items():
        assert ref.number == ref.number.strip() and " " not in ref.number, ref
        assert ref.number[-1].isalnum(), ref
        assert ref.year is None or 1945 <= ref.year <= 2030, ref
        assert ref.doc_type in parsing.DOC_TYPES and ref.doc_type != parsing.OTHER, ref
        assert ref.issue_date is None or ref.issue_date.year == ref.year, ref
        assert ref.issuer or ref.number in KNOWN_WITHOUT_ISSUER, ref
        assert ref.title or not name.strip() or name.strip() == ref.number, ref
        assert "  " not in ref.title and ref.title == ref.title.strip(" .;,:"), ref
    # the same document written differently in several procedures collapses to one key
    keys = {ref.normalized_key for ref in parsed.values()}
    assert len(keys) < len(parsed)
    assert {r.normalized_key for (c, _), r in parsed.items() if c.startswith(("09./2025", "09/2025/NQ"))} == {
        "9/2025/NQ-HĐND"}


# --- normalisation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [
    "158/2005/NĐ-CP", "158/2005/ND-CP", "158/2005/NÐ-CP", " 158/2005/NĐ-CP.",
    "158 / 2005 / NĐ-CP", "158/2005/NĐ\u2013CP", "158/2005/NĐ\u2014CP", "Nghị định số 158/2005/NĐ-CP;",
])
def test_spellings_share_the_normalized_key(spelling):
    ref = parse_reference(spelling)
    assert ref.normalized_key == "158/2005/NĐ-CP"
    assert ref.number == "158/2005/NĐ-CP"


def test_lookalikes_and_leading_zeros():
    assert parse_reference("03/2023/ TT-BTP").number == "03/2023/TT-BTP"
    assert parse_reference("9/2025/NQ-HDND").normalized_key == parse_reference("09/2025/NQ-HĐND").normalized_key
    assert parse_reference("12/2020/QD-TTg").number == "12/2020/QĐ-TTg"  # TTg keeps its case in the number
    assert parse_reference("12/2020/QĐ-TTg").normalized_key == "12/2020/QĐ-TTG"
    assert parse_reference("03/2023/TT-BTP").normalized_key != parse_reference("03/2023/TT-BTC").normalized_key


# --- errors --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "name", "reason"), [
    ("", "", "empty input"),
    (None, "   ", "empty input"),
    ("", "Luật Xây dựng", "no document number"),
    ("Công văn", "", "no document number"),
    ("", "ngày 02/8/2023 của Bộ Tư pháp", "no document number"),
    ("12/1890/NĐ-CP", "", "implausible year 1890"),
])
def test_unparseable_inputs(code, name, reason):
    with pytest.raises(LegalParseError) as caught:
        parse_legal_basis(code, name)
    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)


# --- extract_all ---------------------------------------------------------------------------------------------


def test_extract_all_on_an_amending_title():
    name = SAMPLE_NAMES["04/2024/TT-BTP"]
    refs = extract_all(name)
    assert [r.number for r in refs] == ["02/2020/TT-BTP", "04/2020/TT-BTP", "123/2015/NĐ-CP"]
    assert [r.doc_type for r in refs] == ["circular", "circular", "decree"]
    assert [r.issue_date for r in refs] == [D(2020, 4, 8), D(2020, 5, 28), D(2015, 11, 15)]
    assert refs[0].issuer == "Bộ trưởng Bộ Tư pháp"


def test_extract_all_lists_each_document_once_in_order():
    refs = extract_all(SAMPLE_NAMES["53/2025/TT-BCA"])
    assert [r.number for r in refs] == ["53/2025/TT-BCA", "55/2021/TT-BCA", "66/2023/TT-BCA", "56/2021/TT-BCA",
                                        "17/2024/TT-BCA"]
    laws = extract_all(SAMPLE_NAMES["31/2024/QH15 "])
    assert [(r.number, r.doc_type) for r in laws] == [("31/2024/QH15", "law"), ("43/2024/QH15", "law"),
                                                      ("47/2024/QH15", "law"), ("58/2024/QH15", "law")]


def test_extract_all_brief_example_and_nothing_found():
    text = ("sửa đổi, bổ sung Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và Thông "
            "tư số 04/2020/TT-BTP; Nghị quyết số 254/2025/QH15 ngày 11/12/2025")
    refs = extract_all(text)
    assert [(r.number, r.doc_type, r.issue_date, r.issuer) for r in refs] == [
        ("85/2019/TT-BTC", "circular", D(2019, 11, 29), "Bộ Tài chính"),
        ("04/2020/TT-BTP", "circular", None, "Bộ Tư pháp"),
        ("254/2025/QH15", "resolution", D(2025, 12, 11), "Quốc hội"),
    ]
    assert extract_all("Quy định tại Điều 14, ngày 30/7/2024, 02 cấp") == []
    assert extract_all(None) == []
    twice = extract_all("Thông tư số 01/2022/TT-BTP ngày 04/01/2022 và Thông tư 1/2022/TT-BTP ngày 05/01/2022")
    assert [(r.number, r.issue_date) for r in twice] == [("01/2022/TT-BTP", D(2022, 1, 4))]  # the first mention


# --- fit with the rest of the project ------------------------------------------------------------------------


def test_doc_types_are_the_register_choices():
    from eiso.legal.choices import LegalDocumentType

    assert set(parsing.DOC_TYPES) == set(LegalDocumentType.values)


def test_importable_without_django_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = ("import sys; from eiso.legal.parsing import parse_reference; parse_reference('03/2023/TT-BTP'); "
            "assert 'django.db' not in sys.modules and 'eiso.legal.models' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=Path(__file__).resolve().parents[2])
