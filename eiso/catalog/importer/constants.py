"""Settings and tables of the catalogue importer (see eiso.catalog.importer)."""

from __future__ import annotations

import logging
import zlib
from decimal import Decimal

from eiso.catalog.choices import Channel, DurationUnit

logger = logging.getLogger(__name__)


CHUNK_SIZE = 500  # records whose procedures and cases are fetched together
COMMIT_EVERY = 200  # records per transaction; the ImportRun row is updated after each
REPORT_LIMIT = 5000  # report entries kept; beyond, only counted
SUFFIXES = (".jsonl.gz", ".jsonl", ".json.gz", ".json")
READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeError)  # gzip.BadGzipFile is an OSError

WARNING, ERROR = "warning", "error"

UNITS = {
    "WORKING_DAY": DurationUnit.WORKING_DAY,
    "DAY": DurationUnit.DAY,
    "HOUR": DurationUnit.HOUR,
    "MONTH": DurationUnit.MONTH,
}
# Channel units the portal uses without a number ("OTHER": see the description or the cases).
SILENT_UNKNOWN_UNITS = {"", "OTHER", "NONE"}
CHANNELS = {"DIRECT": Channel.DIRECT, "POSTAL": Channel.POSTAL, "ONLINE": Channel.ONLINE}

DETAIL_KEYS = frozenset({
    "cases", "executionMethods", "executionSteps", "executionCases", "legalBasisesDetails",
    "departmentPromulgateName", "requirementsAndConditions", "subjectTypesDetails", "resultsDetails",
})
CATALOGUE_KEYS = frozenset({"categories", "departments", "departmentPromulgate", "formalityTargetType"})

LEVEL_FLAGS = ("is_commune_level", "is_province_level", "is_ministry_level", "is_vertical_level", "is_other_level")
# Fields both shapes carry: a blank never wipes them; a catalogue line only fills them once a detail exists.
SHARED_FIELDS = frozenset({"field", "promulgating_body", "executing_bodies", "applicants", "source_id"})
NEVER_BLANK = frozenset({"name", "field"})
# Shared fields whose change is recorded even when the other shape brought it.
IDENTITY_FIELDS = frozenset({"name", "field", "promulgating_body", "state", "procedure_type"})
# Bookkeeping: updated, never recorded as a change.
META_FIELDS = frozenset({"source_id", "source_created_at", "source_updated_at", "has_detail"})
UNORDERED = frozenset({"applicants", "results", "legal_bases"})
SIGNIFICANT = frozenset({"legal_bases"})

MAX_LENGTHS = {"promulgating_body": 255, "state": 20, "procedure_type": 40, "source_id": 64}
MAX_DURATION = Decimal("999999.99")


class RecordError(Exception):
    def __init__(self, kind: str, message: str, code: str = ""):
        super().__init__(message)
        self.kind, self.message, self.code = kind, message, code
