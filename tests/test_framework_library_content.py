"""The framework-model library (Decision 101/QĐ-BKHCN) is complete, consistent and renders for any agency.

The library is data: YAML files under eiso/processes/library/framework/ listed by manifest.yaml. These
tests read the files directly (no database) and render every text with Django's template engine the way
the loader does, with a sample agency.
"""

import re
from pathlib import Path

import pytest
import yaml
from django.template import Context, Engine

import eiso

LIBRARY_DIR = Path(eiso.__file__).resolve().parent / "processes" / "library" / "framework"
MANIFEST_PATH = LIBRARY_DIR / "manifest.yaml"

EXPECTED_DOCUMENTS = [
    "quality-manual.yaml",
    "quality-policy.yaml",
    "quality-objectives.yaml",
    "context-and-risks.yaml",
    "qt-ht-01-documented-information.yaml",
    "qt-ht-02-internal-audit.yaml",
    "qt-ht-03-management-review.yaml",
    "qt-ht-04-nonconformity-corrective-action.yaml",
    "qt-ht-05-risks-opportunities.yaml",
    "qt-ht-06-complaints-satisfaction.yaml",
]
KINDS = {"manual", "policy", "objectives", "context", "system_procedure"}
CODE_BY_KIND = {"manual": "STCL", "policy": "CSCL", "objectives": "MTCL", "context": "BCRR"}
SYSTEM_PROCEDURE_CODES = [f"QT-HT-0{number}" for number in range(1, 7)]

# Clause numbers of ISO 9001:2015 (the catalogue iso_clauses may refer to).
ISO_9001_2015_CLAUSES = set(
    """
    4 4.1 4.2 4.3 4.4 4.4.1 4.4.2
    5 5.1 5.1.1 5.1.2 5.2 5.2.1 5.2.2 5.3
    6 6.1 6.1.1 6.1.2 6.2 6.2.1 6.2.2 6.3
    7 7.1 7.1.1 7.1.2 7.1.3 7.1.4 7.1.5 7.1.5.1 7.1.5.2 7.1.6 7.2 7.3 7.4 7.5 7.5.1 7.5.2 7.5.3 7.5.3.1 7.5.3.2
    8 8.1 8.2 8.2.1 8.2.2 8.2.3 8.2.3.1 8.2.3.2 8.2.4 8.3 8.3.1 8.3.2 8.3.3 8.3.4 8.3.5 8.3.6
    8.4 8.4.1 8.4.2 8.4.3 8.5 8.5.1 8.5.2 8.5.3 8.5.4 8.5.5 8.5.6 8.6 8.7 8.7.1 8.7.2
    9 9.1 9.1.1 9.1.2 9.1.3 9.2 9.2.1 9.2.2 9.3 9.3.1 9.3.2 9.3.3
    10 10.1 10.2 10.2.1 10.2.2 10.3
    """.split()
)
MANUAL_REQUIRED_CLAUSES = (
    "4.1 4.2 4.3 4.4 5.1 5.2 5.3 6.1 6.2 6.3 7.1 7.2 7.3 7.4 7.5 8.1 8.2 8.3 8.4 8.5 8.6 8.7 9.1 9.2 9.3 10.1 10.2 10.3"
).split()

ALLOWED_VARIABLES = set(
    "agency.name agency.short_name agency.address agency.admin_unit agency.province"
    " head.name head.position coordinator.name year".split()
)
LOOP_VARIABLES = {"unit.name"}
UNITS_LOOP = "for unit in units"
ALLOWED_CONDITIONS = {"if head.name", "if head.position", "if coordinator.name"}
ALLOWED_TAGS = {UNITS_LOOP, "endfor", "else", "endif"} | ALLOWED_CONDITIONS
VARIABLE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
TAG = re.compile(r"\{%(.*?)%\}", re.DOTALL)

SAMPLE_CONTEXT = {
    "agency": {
        "name": "Ủy ban nhân dân phường Cam Đường",
        "short_name": "UBND phường Cam Đường",
        "address": "Số 1 đường Hoàng Liên, phường Cam Đường, tỉnh Lào Cai",
        "admin_unit": "Phường Cam Đường",
        "province": "Lào Cai",
    },
    "head": {"name": "Nguyễn Văn An", "position": "Chủ tịch UBND"},
    "coordinator": {"name": "Trần Thị Bình"},
    # The loader should pass the year as a string: an int goes through number localisation.
    "year": "2026",
    "units": [
        {"name": "Văn phòng HĐND và UBND"},
        {"name": "Phòng Kinh tế, Hạ tầng và Đô thị"},
        {"name": "Phòng Văn hóa - Xã hội"},
        {"name": "Trung tâm Phục vụ hành chính công phường"},
    ],
}
SAMPLE_VALUES = {
    "agency.name": SAMPLE_CONTEXT["agency"]["name"],
    "agency.short_name": SAMPLE_CONTEXT["agency"]["short_name"],
    "agency.address": SAMPLE_CONTEXT["agency"]["address"],
    "agency.admin_unit": SAMPLE_CONTEXT["agency"]["admin_unit"],
    "agency.province": SAMPLE_CONTEXT["agency"]["province"],
    "head.name": SAMPLE_CONTEXT["head"]["name"],
    "head.position": SAMPLE_CONTEXT["head"]["position"],
    "coordinator.name": SAMPLE_CONTEXT["coordinator"]["name"],
    "year": SAMPLE_CONTEXT["year"],
}

FILLER_WORDS = ("lorem", "todo", "tbd", "fixme", "xxx")
FILLER_MARKS = ("...", "…", "___")
FILL_IN_BRACKETS = re.compile(r"\[[^\]]*\]|<[^>]*>")

RISK_LEVELS = {"Thấp": range(1, 6), "Trung bình": range(6, 13), "Cao": range(15, 26)}


def _load(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _manifest() -> dict:
    return _load(MANIFEST_PATH)


def _documents() -> dict[str, dict]:
    return {name: _load(LIBRARY_DIR / name) for name in _manifest()["documents"]}


def _by_kind(kind: str) -> list[dict]:
    return [document for document in _documents().values() if document["kind"] == kind]


def _manual() -> dict:
    (manual,) = _by_kind("manual")
    return manual


def _strings(node, path="") -> list[tuple[str, str]]:
    """Every string value in a document, with a readable path, keys excluded."""
    if isinstance(node, str):
        return [(path, node)]
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in _strings(value, f"{path}.{key}")]
    if isinstance(node, list):
        return [item for index, value in enumerate(node) for item in _strings(value, f"{path}[{index}]")]
    return []


def _render(text: str, context: dict | None = None) -> str:
    engine = Engine(autoescape=False)
    return engine.from_string(text).render(Context(context or SAMPLE_CONTEXT))


def _section_texts(document: dict) -> str:
    return "\n".join(f"{section['heading']}\n{section['body']}" for section in document.get("sections", []))


# --- the manifest --------------------------------------------------------------------------------------


def test_manifest_identifies_the_library_and_orders_the_documents():
    manifest = _manifest()

    assert manifest["urn"] == "urn:eiso:framework:vn-qd101-2019"
    assert manifest["version"] == "2019.1"
    assert manifest["standard"] == "TCVN ISO 9001:2015"
    assert "101/QĐ-BKHCN" in manifest["name"]
    assert manifest["documents"] == EXPECTED_DOCUMENTS


@pytest.mark.parametrize("name", EXPECTED_DOCUMENTS)
def test_every_listed_document_exists_and_parses(name):
    path = LIBRARY_DIR / name

    assert path.is_file(), f"{name} is listed in the manifest but missing"
    document = _load(path)
    assert isinstance(document, dict)
    for field in ("key", "kind", "code", "title", "iso_clauses"):
        assert document.get(field), f"{name}: {field} is missing"


def test_no_yaml_file_is_left_out_of_the_manifest():
    on_disk = {path.name for path in LIBRARY_DIR.glob("*.yaml")} - {"manifest.yaml"}

    assert on_disk == set(_manifest()["documents"])


# --- identity of the documents -------------------------------------------------------------------------


def test_keys_are_unique_kebab_case_and_match_the_file_names():
    documents = _documents()
    keys = [document["key"] for document in documents.values()]

    assert len(keys) == len(set(keys))
    for name, document in documents.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", document["key"]), name
        assert name == f"{document['key']}.yaml"


def test_kinds_and_codes_follow_the_framework_model():
    documents = _documents()

    for name, document in documents.items():
        assert document["kind"] in KINDS, name
        if document["kind"] in CODE_BY_KIND:
            assert document["code"] == CODE_BY_KIND[document["kind"]], name
    kinds = [document["kind"] for document in documents.values()]
    assert {kind: kinds.count(kind) for kind in CODE_BY_KIND} == dict.fromkeys(CODE_BY_KIND, 1)
    codes = sorted(document["code"] for document in documents.values() if document["kind"] == "system_procedure")
    assert codes == SYSTEM_PROCEDURE_CODES
    for name, document in documents.items():
        if document["kind"] == "system_procedure":
            assert name.startswith(document["code"].lower() + "-"), name


def test_iso_clauses_come_from_the_standard():
    for name, document in _documents().items():
        clauses = document["iso_clauses"]
        assert isinstance(clauses, list) and clauses, name
        assert len(clauses) == len(set(clauses)), name
        unknown = [clause for clause in clauses if clause not in ISO_9001_2015_CLAUSES]
        assert not unknown, f"{name}: unknown clauses {unknown}"


# --- body of the documents -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["manual", "policy", "objectives", "context"])
def test_narrative_documents_have_real_sections(kind):
    for document in _by_kind(kind):
        sections = document["sections"]
        assert len(sections) >= 3, document["key"]
        headings = [section["heading"] for section in sections]
        assert len(headings) == len(set(headings)), document["key"]
        for section in sections:
            assert section["heading"].strip()
            assert len(section["body"].strip()) >= 80, f"{document['key']}: {section['heading']} is too short"


def test_system_procedures_have_the_structure_of_a_procedure_document():
    for document in _by_kind("system_procedure"):
        key = document["key"]
        for field in ("purpose", "scope", "content"):
            assert isinstance(document.get(field), str) and len(document[field].strip()) >= 100, f"{key}: {field}"
        references = document["references"]
        assert all(isinstance(reference, str) and reference.strip() for reference in references), key
        joined = "\n".join(references)
        for required in ("TCVN ISO 9001:2015", "19/2014/QĐ-TTg", "26/2014/TT-BKHCN", "101/QĐ-BKHCN"):
            assert required in joined, f"{key}: references lack {required}"
        definitions = document["definitions"]
        assert len(definitions) >= 3, key
        for definition in definitions:
            assert definition["term"].strip() and definition["meaning"].strip(), key


def test_system_procedure_steps_are_complete_and_numbered_from_one():
    for document in _by_kind("system_procedure"):
        steps = document["steps"]

        assert 5 <= len(steps) <= 10, document["key"]
        assert [step["order"] for step in steps] == list(range(1, len(steps) + 1)), document["key"]
        for step in steps:
            for field in ("action", "responsible", "duration", "output", "description"):
                assert isinstance(step.get(field), str) and step[field].strip(), f"{document['key']} B{step['order']}"
            assert isinstance(step["forms"], list), f"{document['key']} B{step['order']}"
            assert step["description"].count(".") >= 2, f"{document['key']} B{step['order']}: describe the step"


def test_forms_are_listed_coded_and_used():
    seen_codes = set()
    for document in _by_kind("system_procedure"):
        number = document["code"].removeprefix("QT-HT-")
        listed = [form["code"] for form in document["forms"]]
        used = {code for step in document["steps"] for code in step["forms"]}

        assert len(listed) == len(set(listed)), document["key"]
        for form in document["forms"]:
            assert re.fullmatch(rf"BM\.HT{number}\.\d\d", form["code"]), form["code"]
            assert form["title"].strip(), form["code"]
        assert used <= set(listed), f"{document['key']}: forms used but not listed {sorted(used - set(listed))}"
        assert set(listed) <= used, f"{document['key']}: forms listed but never used {sorted(set(listed) - used)}"
        assert not seen_codes & set(listed)
        seen_codes |= set(listed)


def test_system_procedures_say_which_records_are_kept_where_and_how_long():
    for document in _by_kind("system_procedure"):
        records = document["records"]

        assert len(records) >= 3, document["key"]
        for record in records:
            for field in ("name", "place", "retention"):
                assert isinstance(record.get(field), str) and record[field].strip(), f"{document['key']}: {record}"


# --- the manual --------------------------------------------------------------------------------------


@pytest.mark.parametrize("clause", MANUAL_REQUIRED_CLAUSES)
def test_manual_explains_how_each_clause_is_met(clause):
    manual = _manual()
    sections = [
        section
        for section in manual["sections"]
        if section.get("clause") == clause or section["heading"].startswith(f"{clause}. ")
    ]

    assert clause in manual["iso_clauses"]
    assert len(sections) == 1, f"the manual has {len(sections)} sections for clause {clause}"
    assert len(sections[0]["body"].strip()) >= 150


def test_manual_justifies_the_requirements_it_does_not_apply():
    manual = _manual()
    texts = _section_texts(manual)
    (design,) = [section for section in manual["sections"] if section.get("clause") == "8.3"]

    assert "Không áp dụng" in design["body"]
    assert "8.3" in texts and "7.1.5" in texts
    assert "Lý do" in texts


def test_manual_lists_the_units_of_the_agency_in_its_organisation_section():
    manual = _manual()
    (organisation,) = [section for section in manual["sections"] if UNITS_LOOP in section["body"]]

    rendered = _render(organisation["body"])

    assert "Cơ cấu tổ chức" in organisation["heading"]
    for unit in SAMPLE_CONTEXT["units"]:
        assert f"- {unit['name']}\n" in rendered
    assert "Ban chỉ đạo ISO" in rendered and "Thư ký ISO" in rendered


# --- placeholders and rendering ----------------------------------------------------------------------


def test_only_the_allowed_placeholders_are_used():
    for name, document in _documents().items():
        for path, text in _strings(document):
            assert "{#" not in text, f"{name}{path}: template comments are not allowed"
            variables = [match.strip() for match in VARIABLE.findall(text)]
            tags = [match.strip() for match in TAG.findall(text)]
            assert text.count("{{") == text.count("}}") == len(variables), f"{name}{path}: malformed variable"
            assert text.count("{%") == text.count("%}") == len(tags), f"{name}{path}: malformed tag"
            loop_allowed = document["kind"] == "manual" and path.endswith(".body") and UNITS_LOOP in tags
            for variable in variables:
                allowed = ALLOWED_VARIABLES | (LOOP_VARIABLES if loop_allowed else set())
                assert variable in allowed, f"{name}{path}: {{{{ {variable} }}}} is not allowed"
            for tag in tags:
                assert tag in ALLOWED_TAGS, f"{name}{path}: {{% {tag} %}} is not allowed"
                if tag == UNITS_LOOP:
                    assert document["kind"] == "manual", f"{name}{path}: the units loop belongs to the manual"


def test_units_loop_appears_once_in_the_manual():
    loops = [
        (name, path)
        for name, document in _documents().items()
        for path, text in _strings(document)
        if UNITS_LOOP in text
    ]

    assert len(loops) == 1
    assert loops[0][0] == "quality-manual.yaml"


@pytest.mark.parametrize("name", EXPECTED_DOCUMENTS)
def test_every_text_renders_with_the_agency_data(name):
    document = _load(LIBRARY_DIR / name)

    for path, text in _strings(document):
        rendered = _render(text)
        for leftover in ("{{", "}}", "{%", "%}"):
            assert leftover not in rendered, f"{name}{path}: {leftover} left after rendering"
        for variable in {match.strip() for match in VARIABLE.findall(text)} & SAMPLE_VALUES.keys():
            assert SAMPLE_VALUES[variable] in rendered, f"{name}{path}: {variable} not substituted"
        for line in rendered.splitlines():
            for gap in ("()", "  ", " .", " ,", " :", " ;"):
                assert gap not in line.strip(), f"{name}{path}: {gap!r} in {line.strip()!r}"


def test_texts_read_well_when_the_head_and_coordinator_are_not_assigned_yet():
    # the loader passes empty strings for a role nobody holds yet
    sparse = {**SAMPLE_CONTEXT, "head": {"name": "", "position": ""}, "coordinator": {"name": ""}, "units": []}

    for name, document in _documents().items():
        for path, text in _strings(document):
            rendered = _render(text, sparse)
            assert "{{" not in rendered and "{%" not in rendered, f"{name}{path}"
            assert "None" not in rendered, f"{name}{path}"
            for line in rendered.splitlines():
                for gap in ("()", "  ", " .", " ,", " :", " ;"):
                    assert gap not in line.strip(), f"{name}{path}: {gap!r} in {line.strip()!r}"


# --- no filler ---------------------------------------------------------------------------------------


def test_no_text_is_filler():
    for name, document in _documents().items():
        for path, text in _strings(document):
            lowered = text.lower()
            for word in FILLER_WORDS:
                assert word not in lowered, f"{name}{path}: contains {word!r}"
            for mark in FILLER_MARKS:
                assert mark not in text, f"{name}{path}: contains {mark!r}"
            assert not FILL_IN_BRACKETS.search(text), f"{name}{path}: fill-in brackets {FILL_IN_BRACKETS.search(text)}"


# --- structured registers ----------------------------------------------------------------------------


def test_quality_objectives_are_measurable_and_printed():
    (objectives,) = _by_kind("objectives")
    printed = _section_texts(objectives)
    entries = objectives["objectives"]
    codes = [entry["code"] for entry in entries]

    assert len(entries) >= 6
    assert len(codes) == len(set(codes))
    for entry in entries:
        for field in ("title", "indicator", "target", "frequency", "responsible", "data_source"):
            assert entry[field].strip(), f"{entry['code']}: {field}"
        assert entry["actions"], entry["code"]
        for action in entry["actions"]:
            for field in ("action", "responsible", "timing", "resources", "evaluation"):
                assert action[field].strip(), f"{entry['code']}: {field}"
            assert action["action"] in printed, f"{entry['code']}: action missing from the printed plan"
        assert f"({entry['code']}). {entry['title']}" in printed
        assert f"Chỉ tiêu: {entry['target']}." in printed
    targets = " ".join(entry["target"] for entry in entries)
    for required in ("≥ 98%", "≥ 90%", "100%"):
        assert required in targets
    indicators = " ".join(entry["indicator"] for entry in entries)
    assert "03 tháng" in indicators
    assert "{{ year }}" in objectives["title"]


def test_context_lists_internal_and_external_issues_and_interested_parties():
    (context,) = _by_kind("context")
    printed = _section_texts(context)

    kinds = {issue["kind"] for issue in context["issues"]}
    assert kinds == {"internal", "external"}
    for issue in context["issues"]:
        assert f"- {issue['code']}. {issue['topic']}: {issue['description']}." in printed
    assert len(context["interested_parties"]) >= 6
    for party in context["interested_parties"]:
        assert party["requirements"].strip() and party["monitoring"].strip()
        assert f"- {party['code']}. {party['name']}." in printed


def test_risk_register_scores_are_consistent_and_printed():
    (context,) = _by_kind("context")
    printed = _section_texts(context)
    register = context["risks"]
    codes = [entry["code"] for entry in register]

    assert len(register) >= 8
    assert len(codes) == len(set(codes))
    assert {entry["kind"] for entry in register} == {"risk", "opportunity"}
    for entry in register:
        assert entry["likelihood"] in range(1, 6), entry["code"]
        assert entry["consequence"] in range(1, 6), entry["code"]
        assert entry["score"] == entry["likelihood"] * entry["consequence"], entry["code"]
        assert entry["score"] in RISK_LEVELS[entry["level"]], entry["code"]
        for field in ("process", "description", "cause", "treatment", "owner"):
            assert entry[field].strip(), f"{entry['code']}: {field}"
        assert f"- {entry['code']} ({entry['process']}). {entry['description']}." in printed
        scores = f"K = {entry['likelihood']}, H = {entry['consequence']}, điểm {entry['score']}, mức {entry['level']}."
        assert scores in printed, entry["code"]
