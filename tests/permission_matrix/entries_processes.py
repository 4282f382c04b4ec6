"""Matrix rows: the process pages, the public posting (portal), and the processes and documents API."""

from __future__ import annotations

from django.urls import reverse

from eiso.documents.models import Document
from eiso.processes.models import Process
from tests.permission_matrix.harness import (
    AGENCY_ROLES,
    EDITORS,
    STEP,
    Check,
    Entry,
    each_scope,
    everyone,
    internal_read,
    internal_write,
    only,
    pdf_upload,
    public_form_path,
    public_process_path,
    revision_status,
    url,
)


def workflow_action(action: str, writers, ok: int, data: dict | None = None) -> Entry:
    """POST /api/v1/processes/<id>/<action>/ on the scope's draft process: the revision's status changes only
    when allowed (`ok` 400: allowed to try, refused by the workflow in the draft's status)."""
    return Entry(f"process-{action}", "api", url(f"process-{action}", lambda mx, r, s: mx.process[s].pk),
                 (Check("post", internal_write(writers, ok), data=lambda mx, r, s: dict(data or {}),
                        state=lambda mx, r, s: revision_status(mx.process[s])),), scoped=True)


PROCESSES: list[Entry] = [
    # --- processes (pages) -----------------------------------------------------------------------------
    Entry(
        "processes:process_list",
        "page",
        url("processes:process_list"),
        (
            Check(
                "get",
                everyone(200),
                shows=lambda mx, r, s: {
                    mx.process["own"].code: r in AGENCY_ROLES or r == "admin",
                    mx.process["sibling"].code: False,
                    mx.process["foreign"].code: False,
                },
            ),
        ),
    ),
    Entry(
        "processes:bootstrap",
        "page",
        url("processes:bootstrap"),
        (
            Check("get", only(EDITORS, 200)),
            Check(
                "post",
                only(EDITORS, 302),
                state=lambda mx, r, s: Document.objects.filter(agency=mx.agency["own"]).count(),
            ),
        ),
    ),
    Entry(
        "processes:process_detail",
        "page",
        url("processes:process_detail", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "processes:process_edit",
        "page",
        url("processes:process_edit", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_write(EDITORS, 200)),),
        scoped=True,
    ),
    Entry(
        "processes:process_steps",
        "page",
        url("processes:process_steps", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_write(EDITORS, 200)),),
        scoped=True,
    ),
    Entry("processes:process_form_upload", "page",
          url("processes:process_form_upload", lambda mx, r, s: mx.process[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"code": "BM.09", "title": "Mẫu",
                                                                         "file": pdf_upload()},
              state=lambda mx, r, s: mx.process[s].forms.filter(code="BM.09").exists()),
    ), scoped=True),
    Entry(
        "processes:process_transition",
        "page",
        url("processes:process_transition", lambda mx, r, s: mx.process[s].pk),
        (
            Check(
                "post",
                internal_write(EDITORS, 302),
                data=lambda mx, r, s: {"action": "submit", "comment": ""},
                state=lambda mx, r, s: revision_status(mx.process[s]),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "processes:process_docx",
        "page",
        url("processes:process_docx", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "processes:process_pdf",
        "page",
        url("processes:process_pdf", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
    ),
    Entry(
        "processes:process_flowchart",
        "page",
        url("processes:process_flowchart", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    # --- public posting (no login) ----------------------------------------------------------------------
    Entry(
        "portal:index",
        "page",
        url("portal:index"),
        (
            Check(
                "get",
                everyone(200),
                shows=lambda mx, r, s: {mx.agency["own"].name: True, mx.agency["foreign"].name: False},
            ),
        ),
        anonymous=200,
    ),
    Entry(
        "portal:agency",
        "page",
        url("portal:agency", lambda mx, r, s: mx.agency[s].code),
        (
            Check(
                "get",
                everyone(200),
                shows=lambda mx, r, s: {
                    mx.published.title: s == "own",
                    mx.process["own"].title: False,
                    mx.process["sibling"].title: False,
                },
            ),
        ),
        scoped=True,
        anonymous=200,
    ),
    Entry(
        "portal:process",
        "page",
        lambda mx, r, s: reverse("portal:process", args=[mx.agency[s].code, public_process_path(mx, s)]),
        (Check("get", lambda r, s: 200 if s == "own" else 404),),
        scoped=True,
        anonymous=200,
    ),
    Entry(
        "portal:form",
        "page",
        lambda mx, r, s: reverse("portal:form", args=[mx.agency["own"].code, mx.published.pk, public_form_path(mx, s)]),
        (Check("get", everyone(404)),),
        anonymous=404,
    ),
    # --- processes and documents (API) ------------------------------------------------------------------
    Entry(
        "process-list",
        "api",
        url("process-list"),
        (
            Check(
                "get", everyone(200), shows=each_scope(lambda mx, s: str(mx.process[s].pk), internal_read(AGENCY_ROLES))
            ),
        ),
    ),
    Entry(
        "process-detail",
        "api",
        url("process-detail", lambda mx, r, s: mx.process[s].pk),
        (
            Check("get", internal_read(AGENCY_ROLES)),
            Check(
                "patch",
                internal_write(EDITORS, 200),
                data=lambda mx, r, s: {"fees": f"Phí {r}"},
                state=lambda mx, r, s: Process.objects.get(pk=mx.process[s].pk).fees,
            ),
            Check(
                "put",
                internal_write(EDITORS, 200),
                data=lambda mx, r, s: {"title": mx.process[s].title, "fees": f"Phí PUT {r}"},
                state=lambda mx, r, s: Process.objects.get(pk=mx.process[s].pk).fees,
            ),
        ),
        scoped=True,
    ),
    Entry(
        "process-steps",
        "api",
        url("process-steps", lambda mx, r, s: mx.process[s].pk),
        (
            Check(
                "put",
                internal_write(EDITORS, 200),
                data=lambda mx, r, s: {"steps": [{**STEP, "action": f"Bước {r}"}]},
                state=lambda mx, r, s: list(mx.process[s].steps.values_list("action", flat=True)),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "process-problems",
        "api",
        url("process-problems", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    workflow_action("submit", EDITORS, 200),
    workflow_action("review", EDITORS, 400),
    workflow_action("return", EDITORS, 400, {"comment": "x"}),
    workflow_action("approve", {"agency_head"}, 400),
    workflow_action("publish", EDITORS, 400),
    Entry(
        "process-docx",
        "api",
        url("process-docx", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "process-pdf",
        "api",
        url("process-pdf", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
    ),
    Entry(
        "process-flowchart",
        "api",
        url("process-flowchart", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "process-bootstrap",
        "api",
        url("process-bootstrap"),
        (
            Check(
                "post",
                only(EDITORS, 201),
                data=lambda mx, r, s: {"agency": str(mx.agency["own"].pk)},
                state=lambda mx, r, s: Document.objects.filter(agency=mx.agency["own"]).count(),
            ),
        ),
    ),
    Entry(
        "document-list",
        "api",
        url("document-list"),
        (
            Check(
                "get",
                everyone(200),
                shows=each_scope(lambda mx, s: str(mx.process[s].document_id), internal_read(AGENCY_ROLES)),
            ),
        ),
    ),
    Entry(
        "document-detail",
        "api",
        url("document-detail", lambda mx, r, s: mx.process[s].document_id),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
]
