"""Matrix rows: the national catalogue, controlled documents (pages), the legal register, the API schema."""

from __future__ import annotations

from eiso.catalog.models import ImportRun, Procedure
from eiso.documents.models import Attachment, Document, RevisionRecipient
from eiso.legal.models import LegalDocument, UpdateTask
from tests.permission_matrix.harness import (
    AGENCY_ROLES,
    EDITORS,
    MANAGERS,
    PAGE_EVERYONE_200,
    RECIPIENT_VIEWERS,
    SCHEMA_IS_PUBLIC,
    Check,
    Entry,
    _pdf,
    each_scope,
    everyone,
    import_run,
    internal_read,
    internal_write,
    only,
    procedure,
    procedure_case,
    url,
)

CATALOG_DOCUMENTS_LEGAL: list[Entry] = [
    # --- national catalogue (global reference data; imports for administrators) -----------------------
    Entry("catalog:procedure_list", "page", url("catalog:procedure_list"), PAGE_EVERYONE_200),
    Entry("catalog:procedure_detail", "page", url("catalog:procedure_detail", lambda mx, r, s: procedure(mx).pk),
          PAGE_EVERYONE_200),
    Entry("catalog:import_list", "page", url("catalog:import_list"), (Check("get", only((), 200)),)),
    Entry("catalog:import_add", "page", url("catalog:import_add"), (Check("get", only((), 200)),)),
    Entry("catalog:import_detail", "page", url("catalog:import_detail", lambda mx, r, s: import_run(mx).pk),
          (Check("get", only((), 200)),)),
    Entry("catalog:import_progress", "page", url("catalog:import_progress", lambda mx, r, s: import_run(mx).pk),
          (Check("get", only((), 200)),)),
    Entry("procedure-list", "api", url("procedure-list"), (
        Check("get", everyone(200)),
        Check("post", everyone(405), data=lambda mx, r, s: {"code": "9.999999", "name": "X"}),
    )),
    Entry("procedure-detail", "api", url("procedure-detail", lambda mx, r, s: procedure(mx).pk), (
        Check("get", everyone(200)),
        Check("delete", everyone(405), state=lambda mx, r, s: Procedure.objects.count()),
    )),
    Entry("procedurecase-list", "api", url("procedurecase-list"), (Check("get", everyone(200)),)),
    Entry("procedurecase-detail", "api", url("procedurecase-detail", lambda mx, r, s: procedure_case(mx).pk),
          (Check("get", everyone(200)),)),
    Entry("field-list", "api", url("field-list"), (Check("get", everyone(200)),)),
    Entry("field-detail", "api", url("field-detail", lambda mx, r, s: procedure(mx).field_id),
          (Check("get", everyone(200)),)),
    Entry("importrun-list", "api", url("importrun-list"), (
        Check("get", only((), 200)),
        # Only the administrator reaches the import: a file that is not a workbook is refused as invalid data.
        Check("post", only((), 400), data=lambda mx, r, s: {"file": _not_a_workbook()},
              state=lambda mx, r, s: ImportRun.objects.count()),
    )),
    Entry("importrun-detail", "api", url("importrun-detail", lambda mx, r, s: import_run(mx).pk),
          (Check("get", only((), 200)),)),
    # --- controlled documents (pages) -------------------------------------------------------------------
    Entry("documents:document_list", "page", url("documents:document_list"), (
        Check("get", everyone(200), shows=lambda mx, r, s: {
            mx.framework_doc["sibling"].title: False,
            mx.framework_doc["foreign"].title: False}),
    )),
    Entry("documents:document_detail", "page",
          url("documents:document_detail", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("get", internal_read(AGENCY_ROLES)),
    ), scoped=True),
    Entry("documents:document_transition", "page",
          url("documents:document_transition", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"action": "submit"},
              state=lambda mx, r, s: mx.framework_doc[s].revisions.get().status),
    ), scoped=True),
    Entry("documents:to_read", "page", url("documents:to_read"), (Check("get", everyone(200)),)),
    Entry("documents:review_due", "page", url("documents:review_due"), (
        Check("get", only(MANAGERS, 200)),
    )),
    Entry("documents:distribute", "page", url("documents:distribute", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(MANAGERS, 302), data=lambda mx, r, s: {"everyone": "on"}),
    ), scoped=True),
    Entry("documents:review_confirm", "page",
          url("documents:review_confirm", lambda mx, r, s: mx.recipient[s].revision.document_id), (
        Check("post", internal_write(MANAGERS, 302), data=lambda mx, r, s: {"comment": "Còn phù hợp"},
              state=lambda mx, r, s: Document.objects.get(pk=mx.recipient[s].revision.document_id).last_reviewed_on),
    ), scoped=True),
    Entry("documents:revision_summary", "page",
          url("documents:revision_summary", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"change_summary": f"Sửa bởi {r}"},
              state=lambda mx, r, s: mx.framework_doc[s].revisions.get().change_summary),
    ), scoped=True),
    Entry("documents:attachment_add", "page",
          url("documents:attachment_add", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"file": _pdf(f"{r}.pdf")},
              state=lambda mx, r, s: Attachment.objects.filter(revision__document=mx.framework_doc[s]).count()),
    ), scoped=True),
    Entry("documents:attachment_download", "page",
          url("documents:attachment_download", lambda mx, r, s: mx.attachment[s].pk), (
        Check("get", internal_read(AGENCY_ROLES)),
    ), scoped=True),
    Entry("documents:attachment_remove", "page",
          url("documents:attachment_remove", lambda mx, r, s: mx.attachment[s].pk), (
        Check("post", internal_write(EDITORS, 302),
              state=lambda mx, r, s: Attachment.objects.filter(pk=mx.attachment[s].pk).exists()),
    ), scoped=True),
    Entry("documents:acknowledge", "page", url("documents:acknowledge", lambda mx, r, s: mx.recipient[s].pk), (
        # only the recipient (a person outside the tested roles) confirms: the others may at most see the row
        Check("post", lambda role, scope: 404 if internal_read(RECIPIENT_VIEWERS)(role, scope) == 404 else 403,
              state=lambda mx, r, s: RevisionRecipient.objects.get(pk=mx.recipient[s].pk).acknowledged_at),
    ), scoped=True),
    # --- legal register and update tasks (the 3-month rule) ------------------------------------------------
    Entry("legal:legaldocument_list", "page", url("legal:legaldocument_list"), (Check("get", everyone(200)),)),
    Entry("legal:legaldocument_add", "page", url("legal:legaldocument_add"), (
        Check("get", only(("supervisor",), 200)),
        Check("post", only(("supervisor",), 302), data=lambda mx, r, s: {"number": "09/2026/TT-BTP"},
              state=lambda mx, r, s: LegalDocument.objects.filter(number="09/2026/TT-BTP").exists()),
    )),
    Entry("legal:legaldocument_detail", "page", url("legal:legaldocument_detail", lambda mx, r, s: mx.legal.pk),
          (Check("get", everyone(200)),)),
    Entry("legal:document_bases", "page", url("legal:document_bases", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"number": "05/2026/TT-BTP"},
              state=lambda mx, r, s: mx.legal.documents.filter(pk=mx.framework_doc[s].pk).exists()),
    ), scoped=True),
    Entry("legal:updatetask_list", "page", url("legal:updatetask_list"), (
        Check("get", everyone(200),
              shows=each_scope(lambda mx, s: f"Quy trình QT-{s}", internal_read(AGENCY_ROLES))),
    )),
    Entry("legal:updatetask_detail", "page",
          url("legal:updatetask_detail", lambda mx, r, s: mx.update_task[s].pk),
          (Check("get", internal_read(AGENCY_ROLES)),), scoped=True),
    Entry("legal:updatetask_dismiss", "page",
          url("legal:updatetask_dismiss", lambda mx, r, s: mx.update_task[s].pk), (
        Check("post", internal_write(MANAGERS, 302), data=lambda mx, r, s: {"justification": "Không ảnh hưởng"},
              state=lambda mx, r, s: UpdateTask.objects.get(pk=mx.update_task[s].pk).status),
    ), scoped=True),
    Entry("legaldocument-list", "api", url("legaldocument-list"), (
        Check("get", everyone(200)),
        Check("post", only(("supervisor",), 201), data=lambda mx, r, s: {"number": "09/2026/TT-BTP"},
              state=lambda mx, r, s: LegalDocument.objects.filter(number="09/2026/TT-BTP").exists()),
    )),
    Entry("legaldocument-detail", "api", url("legaldocument-detail", lambda mx, r, s: mx.legal.pk),
          (Check("get", everyone(200)),)),
    Entry("updatetask-list", "api", url("updatetask-list"), (
        Check("get", everyone(200),
              shows=each_scope(lambda mx, s: str(mx.update_task[s].pk), internal_read(AGENCY_ROLES))),
    )),
    Entry("updatetask-detail", "api", url("updatetask-detail", lambda mx, r, s: mx.update_task[s].pk),
          (Check("get", internal_read(AGENCY_ROLES)),), scoped=True),
    Entry("updatetask-dismiss", "api", url("updatetask-dismiss", lambda mx, r, s: mx.update_task[s].pk), (
        Check("post", internal_write(MANAGERS, 200), data=lambda mx, r, s: {"justification": "Không ảnh hưởng"},
              state=lambda mx, r, s: UpdateTask.objects.get(pk=mx.update_task[s].pk).status),
    ), scoped=True),
    Entry(
        "api-schema",
        "api",
        url("api-schema"),
        (Check("get", everyone(200)),),
        anonymous=200 if SCHEMA_IS_PUBLIC else 401,
    ),
    Entry(
        "api-docs", "api", url("api-docs"), (Check("get", everyone(200)),), anonymous=200 if SCHEMA_IS_PUBLIC else 401
    ),
    Entry(
        "api-redoc", "api", url("api-redoc"), (Check("get", everyone(200)),), anonymous=200 if SCHEMA_IS_PUBLIC else 401
    ),
    # Health probes: the same answer for everyone, no login, and nothing but the status of the parts.
    Entry("health-live", "page", url("health-live"), (Check("get", everyone(200)),), anonymous=200),
    Entry("health-ready", "page", url("health-ready"), (Check("get", everyone(200)),), anonymous=200),
]


def _not_a_workbook():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("danh-muc.xlsx", b"not a workbook", content_type="application/octet-stream")
