"""The evidence folder of an agency's year: the year's records by category, as the inspector asks for them.

The QMS-year apps give their records through their `evidence_records(*, agency, year)` contract (title, url,
on); the legal update tasks and the documents issued in the year are read here, among what the user may see; the
manual items of the calendar marked done bring their evidence note. A provider that does not exist yet in this
installation leaves its category empty and marked "not available"; one that fails raises (the tests see it).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.compliance import contracts
from eiso.compliance.models import ComplianceItem

PROVIDER_TITLES = {
    "objectives": gettext_lazy("Quality policy and objectives"),
    "risks": gettext_lazy("Context, risks and opportunities"),
    "audits": gettext_lazy("Internal audit"),
    "improvement": gettext_lazy("Nonconformities, corrective actions, feedback and satisfaction"),
    "reviews": gettext_lazy("Management review"),
}


@dataclass
class Category:
    key: str
    title: str
    records: list[dict] = field(default_factory=list)  # {"title", "url", "on"}
    available: bool = True


def _documents_issued(*, user, agency, year: int) -> list[dict]:
    from eiso.documents.choices import RevisionStatus
    from eiso.documents.models import Revision

    revisions = (Revision.objects.restrict(user, "view")
                 .filter(agency=agency, published_at__year=year,
                         status__in=[RevisionStatus.PUBLISHED, RevisionStatus.SUPERSEDED, RevisionStatus.WITHDRAWN])
                 .select_related("document").order_by("published_at"))
    return [{"title": _("%(code)s %(title)s, issue %(number)s") % {
                "code": r.document.code, "title": r.document.title, "number": r.number},
             "url": r.document.get_absolute_url(), "on": timezone.localdate(r.published_at)} for r in revisions]


def _legal_updates(*, user, agency, year: int) -> list[dict]:
    from eiso.legal.models import UpdateTask

    tasks = (UpdateTask.objects.restrict(user, "view")
             .filter(agency=agency).filter(Q(due_on__year=year) | Q(closed_at__year=year))
             .select_related("document").order_by("due_on"))
    return [{"title": f"{t.document.code} {t.document.title}: {t.get_reason_display()} ({t.get_status_display()})",
             "url": t.get_absolute_url(), "on": t.due_on} for t in tasks]


def _manual_items(*, user, agency, year: int) -> list[dict]:
    items = ComplianceItem.objects.restrict(user, "view").filter(agency=agency, year=year, done_on__isnull=False)
    return [{"title": f"{item.title}: {item.evidence}", "url": item.get_absolute_url(), "on": item.done_on}
            for item in items]


def evidence_folder(*, user, agency, year: int) -> list[Category]:
    """The categories of the year's evidence folder, each with its records sorted by date."""
    categories = []
    for key, path in contracts.EVIDENCE_PROVIDERS.items():
        provider = contracts.resolve(path)
        category = Category(key, str(PROVIDER_TITLES[key]), available=provider is not None)
        if provider is not None:
            category.records = list(provider(agency=agency, year=year))
        categories.append(category)
    categories += [
        Category("documents", _("Documents issued"), _documents_issued(user=user, agency=agency, year=year)),
        Category("legal", _("Updates after changes in the law"), _legal_updates(user=user, agency=agency, year=year)),
        Category("reports", _("Reports and other obligations marked done"),
                 _manual_items(user=user, agency=agency, year=year)),
    ]
    for category in categories:
        category.records.sort(key=lambda r: (r.get("on") or dt.date.min, str(r.get("title", ""))))
    return categories


def evidence_xlsx(categories: list[Category], *, agency, year: int, absolute) -> bytes:
    """The folder's index as a workbook: one row per record (category, title, date, link). `absolute` turns a
    site path into a full link."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(year)
    sheet.append([_("Evidence folder %(year)s — %(agency)s") % {"year": year, "agency": agency}])
    sheet["A1"].font = Font(bold=True)
    headers = [_("Category"), _("Title"), _("Date"), _("Link")]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for category in categories:
        for record in category.records:
            sheet.append([category.title, str(record.get("title", "")), record.get("on"),
                          absolute(record["url"]) if record.get("url") else ""])
            sheet.cell(row=sheet.max_row, column=3).number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCD", (40, 80, 12, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
