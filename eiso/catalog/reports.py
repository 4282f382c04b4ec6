"""Labels of the problems an import reports (the report stores a stable `kind` and English details)."""

from django.utils.translation import gettext_lazy as _

PROBLEM_LABELS = {
    "malformed_json": _("Malformed JSON"),
    "not_an_object": _("Not a record"),
    "portal_error": _("Error answer of the portal"),
    "missing_code": _("Record without a code"),
    "code_too_long": _("Code too long"),
    "missing_name": _("Record without a name"),
    "duplicate_code": _("Record repeated in the file"),
    "code_conflict": _("Code shared by two procedures"),
    "duplicate_case_code": _("Case code repeated"),
    "case_without_code": _("Case without a code"),
    "case_without_duration": _("Case without a duration"),
    "unknown_unit": _("Unknown duration unit"),
    "unknown_channel": _("Unknown submission method"),
    "html_removed": _("HTML removed"),
    "truncated": _("Text shortened"),
    "bad_timestamp": _("Invalid date"),
    "save_failed": _("Could not be saved"),
    "unreadable_file": _("Unreadable file"),
    "no_records": _("Empty file"),
    "no_files": _("No file"),
    "import_stopped": _("Import stopped"),
    "report_truncated": _("More problems not listed"),
}


def problem_label(kind: str) -> str:
    return PROBLEM_LABELS.get(kind, kind)
