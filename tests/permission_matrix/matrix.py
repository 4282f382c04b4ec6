"""`MATRIX`: every URL pattern of eISO, one row each, in this order (the order of the test ids)."""

from __future__ import annotations

from tests.permission_matrix.entries_announcements import ANNOUNCEMENTS
from tests.permission_matrix.entries_audits import AUDITS
from tests.permission_matrix.entries_catalog_documents_legal import CATALOG_DOCUMENTS_LEGAL
from tests.permission_matrix.entries_compliance import COMPLIANCE
from tests.permission_matrix.entries_dossiers import DOSSIERS
from tests.permission_matrix.entries_feedback import FEEDBACK
from tests.permission_matrix.entries_improvement import IMPROVEMENT
from tests.permission_matrix.entries_inspections import INSPECTIONS
from tests.permission_matrix.entries_objectives import OBJECTIVES
from tests.permission_matrix.entries_organizations import ORGANIZATION_PAGES
from tests.permission_matrix.entries_organizations_api import ORGANIZATION_API
from tests.permission_matrix.entries_oversight import OVERSIGHT
from tests.permission_matrix.entries_par import PAR
from tests.permission_matrix.entries_processes import PROCESSES
from tests.permission_matrix.entries_reporting import REPORTING
from tests.permission_matrix.entries_reviews import REVIEWS
from tests.permission_matrix.entries_risks import RISKS
from tests.permission_matrix.entries_trainings import TRAININGS
from tests.permission_matrix.harness import Entry

MATRIX: list[Entry] = [*ORGANIZATION_PAGES, *ORGANIZATION_API, *PROCESSES, *CATALOG_DOCUMENTS_LEGAL, *DOSSIERS,
                     *IMPROVEMENT, *FEEDBACK, *OBJECTIVES, *RISKS, *AUDITS, *REVIEWS, *COMPLIANCE,
                     *OVERSIGHT, *ANNOUNCEMENTS, *REPORTING, *INSPECTIONS, *TRAININGS, *PAR]
