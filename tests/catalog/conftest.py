"""Fixtures of the catalogue tests: the real portal files and small hand-made files.

The real files are read from EISO_TTHC_DATA when set, else from the copy shipped in eiso/catalog/data/,
else from /work/shared/data/tthc (the same bytes)."""

import gzip
import json
import os
from pathlib import Path

import pytest

import eiso.catalog


def _data_dir() -> Path:
    if os.environ.get("EISO_TTHC_DATA"):
        return Path(os.environ["EISO_TTHC_DATA"])
    shipped = Path(eiso.catalog.__file__).resolve().parent / "data"
    return shipped if (shipped / "catalog.jsonl.gz").exists() else Path("/work/shared/data/tthc")


DATA_DIR = _data_dir()
SAMPLE = DATA_DIR / "procedures-sample.jsonl.gz"
CATALOG = DATA_DIR / "catalog.jsonl.gz"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is missing: set EISO_TTHC_DATA to the folder of the national procedure files")
    return path


@pytest.fixture
def sample_path() -> Path:
    return _require(SAMPLE)


@pytest.fixture
def catalog_path() -> Path:
    return _require(CATALOG)


def read_jsonl(path: Path) -> list:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, records, *, raw_lines=None) -> Path:
    """Write records one a line; `raw_lines` {index: text} replaces some lines with raw text."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for index, text in (raw_lines or {}).items():
        lines.insert(index, text)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def catalogue_line(code, name, **extra) -> dict:
    line = {"id": f"id-{code}", "code": code, "codeNotation": code, "name": name, "categories": ["Hộ tịch"],
            "departments": ["Ủy ban nhân dân cấp xã"], "departmentPromulgate": "Bộ Tư pháp",
            "formalityTargetType": ["Công dân Việt Nam"], "state": "ACTIVE", "type": "STANDARD"}
    line.update(extra)
    return line


def detail_record(code, name, cases=(), **extra) -> dict:
    data = {"id": f"id-{code}", "code": code, "name": name, "category": {"code": "G15-TP07", "name": "Hộ tịch"},
            "departmentPromulgateName": "Bộ Tư pháp", "executingAgencies": "Ủy ban nhân dân cấp xã",
            "isWard": True, "isProvince": False, "isMinistry": False, "isVertical": False, "isOtherAgency": False,
            "cases": list(cases), "executionMethods": [], "legalBasisesDetails": [], "executionCases": [],
            "executionSteps": [], "subjectTypesDetails": [], "resultsDetails": [], "requirementsAndConditions": "",
            "state": "ACTIVE", "type": "STANDARD", "createdAt": 1775659978803, "updatedAt": 1776310043145}
    data.update(extra)
    return {"code": "OK", "data": data, "message": "OK"}
