"""Bootstrap an agency's QMS: the framework documents filled with its data, and one draft process per
catalogue procedure of its level, with steps proposed from the statutory duration. Idempotent: what
exists (same framework key, same procedure) is left alone.

Procedure processes are created in bulk (a commune has several hundred), in one transaction, as plain rows
(core.bulk.bulk_insert: COPY on PostgreSQL).
"""

import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from eiso.catalog.models import Procedure, ProcedureCase
from eiso.core.audit import audit_record
from eiso.core.bulk import bulk_insert
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import Role, scope_for, today
from eiso.core.text import fold, lower_first
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import Document, Revision
from eiso.documents.search import combined_text, revision_search_text
from eiso.documents.services import document_create
from eiso.organizations.choices import AdminUnitLevel
from eiso.organizations.models import QMS, OrgUnit, RoleAssignment
from eiso.processes.choices import ProcessKind, StepDurationUnit
from eiso.processes.library import framework_documents, framework_manifest
from eiso.processes.models import FormTemplate, Process, ProcessStep
from eiso.processes.selectors import case_hours
from eiso.processes.services import process_create

STANDARD_FORMS = [
    ("BM.01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    ("BM.02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    ("BM.03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    ("BM.04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    ("BM.05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
]
DEFINITIONS = [
    {"term": "TTHC", "meaning": "Thủ tục hành chính"},
    {"term": "HTQLCL", "meaning": "Hệ thống quản lý chất lượng"},
    {"term": "BPMC", "meaning": "Bộ phận Một cửa"},
    {"term": "UBND", "meaning": "Ủy ban nhân dân"},
]
RECORDS = [
    {"name": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "place": "Bộ phận Một cửa", "retention": "05 năm"},
    {"name": "Phiếu kiểm soát quá trình giải quyết hồ sơ", "place": "Bộ phận Một cửa", "retention": "05 năm"},
    {"name": "Hồ sơ của tổ chức, cá nhân và kết quả giải quyết", "place": "Công chức chuyên môn",
     "retention": "Theo quy định về lưu trữ"},
]
CHANNEL_LABELS = {"direct": "Trực tiếp", "postal": "Qua dịch vụ bưu chính", "online": "Trực tuyến"}
RESPONSIBLE = {
    "commune": ("Công chức Bộ phận Một cửa", "Công chức chuyên môn", "Lãnh đạo UBND", "Văn thư"),
    "province": ("Bộ phận Một cửa (Trung tâm Phục vụ hành chính công)", "Phòng chuyên môn",
                 "Lãnh đạo cơ quan", "Văn thư"),
}


def agency_level(agency) -> str:
    return "commune" if agency.admin_unit.level == AdminUnitLevel.COMMUNE else "province"



def procedure_title(name: str) -> str:
    core = name.strip()
    for prefix in ("Thủ tục ", "thủ tục "):
        if core.startswith(prefix):
            core = core[len(prefix):]
    return f"Quy trình giải quyết thủ tục {lower_first(core)}"[:500]


def _half(value: Decimal) -> Decimal:
    return (value * 2).to_integral_value(rounding="ROUND_FLOOR") / 2


STEP_ACTIONS = [  # (responsible index in RESPONSIBLE, action, forms used, output)
    (0, "Tiếp nhận, kiểm tra hồ sơ; lập Giấy tiếp nhận hồ sơ và hẹn trả kết quả; chuyển hồ sơ", ["BM.01", "BM.05"],
     "Giấy tiếp nhận hồ sơ và hẹn trả kết quả; Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    (1, "Thẩm định, xử lý hồ sơ; dự thảo kết quả giải quyết", ["BM.05"], "Dự thảo kết quả giải quyết"),
    (2, "Xem xét, ký duyệt kết quả giải quyết", ["BM.05"], "Kết quả giải quyết được ký duyệt"),
    (3, "Vào sổ, đóng dấu, phát hành kết quả; chuyển Bộ phận Một cửa", ["BM.05"], "Kết quả được phát hành"),
    (0, "Trả kết quả cho tổ chức, cá nhân; thu phí, lệ phí (nếu có)", ["BM.05"], "Kết quả đã trả"),
]


def proposed_steps(*, hours: Decimal | None, level: str) -> list[dict]:
    """Five steps that add up to the statutory duration: receipt, handling, approval, release, return."""
    actions = [(RESPONSIBLE[level][who], action, forms, output) for who, action, forms, output in STEP_ACTIONS]
    if not hours:
        times = [(None, StepDurationUnit.NOT_COUNTED, "Theo thời hạn quy định")] * 4
    else:
        small = max(min(Decimal(4), _half(hours / 8)), Decimal("0.5")) if hours >= 2 else hours / 4
        main = hours - 3 * small
        times = [(small, StepDurationUnit.HOUR, ""), (main, StepDurationUnit.HOUR, ""),
                 (small, StepDurationUnit.HOUR, ""), (small, StepDurationUnit.HOUR, "")]
    times.append((None, StepDurationUnit.NOT_COUNTED, "Theo giấy hẹn"))
    return [
        {"order": i, "responsible": who, "action": action, "forms": forms, "output": output,
         "duration": duration, "duration_unit": unit, "duration_text": text}
        for i, ((who, action, forms, output), (duration, unit, text)) in enumerate(zip(actions, times, strict=True),
                                                                                   start=1)
    ]


def _dossier_components(procedure) -> list[dict]:
    rows = []
    for item in procedure.dossier_components or []:
        original, copy = item.get("original_quantity") or 0, item.get("copy_quantity") or 0
        kind = "original_or_copy" if original and copy else ("copy" if copy and not original else "original")
        rows.append({"name": item.get("name", ""), "kind": kind, "quantity": max(original, copy, 1)})
    return rows


def _fees(procedure) -> str:
    lines = []
    for channel in procedure.channels or []:
        for fee in channel.get("fees") or []:
            text = fee.get("description") or (f"{fee.get('amount')} đồng" if fee.get("amount") else "")
            if text and text not in lines:
                lines.append(text)
    return "\n".join(lines) or "Không"


def procedure_process_data(*, procedure, agency) -> dict:
    name = lower_first(procedure.name.removeprefix("Thủ tục ").strip())
    channels = []
    for channel in procedure.channels or []:
        label = CHANNEL_LABELS.get(channel.get("channel"))
        if label and label not in channels:
            channels.append(label)
    legal = [" ".join(filter(None, [b.get("code", ""), b.get("name", "")])).strip() for b in procedure.legal_bases]
    return {
        "purpose": f"Quy định trình tự, trách nhiệm và thời gian giải quyết thủ tục {name} tại {agency.name}, "
                   "bảo đảm đúng quy định của pháp luật, công khai, minh bạch và đúng thời hạn.",
        "scope": f"Áp dụng đối với việc giải quyết thủ tục {name} thuộc thẩm quyền của {agency.name}; "
                 "cán bộ, công chức có liên quan thực hiện quy trình này.",
        "references": ["TCVN ISO 9001:2015", "Quyết định số 101/QĐ-BKHCN ngày 21/01/2019 của Bộ Khoa học và Công nghệ",
                       *legal],
        "definitions": DEFINITIONS, "legal_bases": legal,
        "conditions": procedure.conditions or "Không",
        "dossier_components": _dossier_components(procedure), "number_of_sets": 1, "channels": channels,
        "place_of_receipt": f"Bộ phận Một cửa — {agency.name}", "competent_units": agency.name,
        "cooperating_units": "Không", "applicants": ", ".join(procedure.applicants or []),
        "fees": _fees(procedure), "result": "; ".join(procedure.results or []),
        "records": RECORDS,
    }


def _context(agency) -> dict:
    def person(role):
        assignment = RoleAssignment.objects.active().filter(agency=agency, role=role).select_related("user").first()
        if assignment is None:
            return {"name": "", "position": ""}
        return {"name": str(assignment.user), "position": assignment.user.position}

    return {
        "agency": {"name": agency.name, "short_name": agency.short_name or agency.name, "address": agency.address,
                   "admin_unit": agency.admin_unit.name,
                   "province": agency.province.name if agency.province_id else ""},
        "head": person(Role.AGENCY_HEAD), "coordinator": person(Role.ISO_COORDINATOR),
        "units": [{"name": u.name} for u in OrgUnit.objects.filter(agency=agency).order_by("name")],
        "year": today().year,
    }


class Drafts:
    """The rows of new draft documents (issue 1) and their processes, steps and forms, written together
    by `insert` (core.bulk.bulk_insert: COPY on PostgreSQL). Rows are plain dicts: no save(), no signals,
    so the derived `search_text` is computed here as the models' save() would."""

    def __init__(self, *, actor, qms):
        self.qms, self.owner = qms, {"agency_id": qms.agency_id}
        self.user_id = actor.pk if actor is not None and actor.is_authenticated else None
        self.documents, self.revisions, self.processes = [], [], []
        self.links, self.case_links, self.steps, self.forms = [], [], [], []

    def document(self, *, kind: str, code: str, title: str, framework_key: str = "", content: dict | None = None,
                 change_summary: str = "") -> uuid.UUID:
        text = revision_search_text(content=content, change_summary=change_summary)
        row = {**self.owner, "id": uuid.uuid4(), "qms_id": self.qms.pk, "kind": kind, "code": code, "title": title,
               "framework_key": framework_key,
               "search_text": combined_text(fold(f"{code} {title}"), text)}
        self.documents.append(row)
        self.revisions.append({**self.owner, "document_id": row["id"], "number": 1, "status": RevisionStatus.DRAFT,
                               "drafted_by_id": self.user_id, "content": content or {},
                               "change_summary": change_summary, "search_text": text})
        return row["id"]

    def process(self, *, kind: str, code: str, title: str, data: dict, framework_key: str = "", procedures=(),
                cases=(), steps=(), forms=(), change_summary: str = "") -> None:
        document_kind = DocumentKind.SYSTEM_PROCEDURE if kind == ProcessKind.SYSTEM else DocumentKind.PROCESS
        document_id = self.document(kind=document_kind, code=code, title=title, framework_key=framework_key,
                                    change_summary=change_summary)
        process_id = uuid.uuid4()
        procedure_codes = " ".join(p.code for p in procedures)
        self.processes.append({
            **self.owner, **data, "id": process_id, "qms_id": self.qms.pk, "document_id": document_id, "kind": kind,
            "code": code, "title": title, "framework_key": framework_key,
            "search_text": fold(f"{code} {title} {procedure_codes}"),
        })
        self.links.extend({"process_id": process_id, "procedure_id": p.pk} for p in procedures)
        self.case_links.extend({"process_id": process_id, "procedurecase_id": c.pk} for c in cases)
        self.steps.extend({**self.owner, **step, "process_id": process_id} for step in steps)
        self.forms.extend({**self.owner, "process_id": process_id, "code": c, "title": t} for c, t in forms)

    def insert(self) -> None:
        for model, rows in ((Document, self.documents), (Revision, self.revisions), (Process, self.processes),
                            (Process.procedures.through, self.links), (Process.cases.through, self.case_links),
                            (ProcessStep, self.steps), (FormTemplate, self.forms)):
            bulk_insert(model, rows)


def _framework(drafts: Drafts, *, agency) -> int:
    qms = drafts.qms
    existing = set(Document.objects.filter(qms=qms).exclude(framework_key="").values_list("framework_key", flat=True))
    codes = set(Document.objects.filter(qms=qms).values_list("code", flat=True))
    created = 0
    for doc in framework_documents(_context(agency)):
        # Already adopted, or the agency has its own document under the model's code: keep theirs.
        if doc["key"] in existing or doc["code"] in codes:
            continue
        if doc["kind"] == "system_procedure":
            data = {"purpose": doc.get("purpose", ""), "scope": doc.get("scope", ""),
                    "references": doc.get("references", []), "definitions": doc.get("definitions", []),
                    "content_intro": doc.get("content", ""), "records": doc.get("records", [])}
            steps = [{"order": s["order"], "action": s["action"], "responsible": s.get("responsible", ""),
                      "duration_unit": StepDurationUnit.NOT_COUNTED, "duration_text": str(s.get("duration", "")),
                      "forms": s.get("forms", []), "output": s.get("output", ""),
                      "description": s.get("description", "")} for s in doc.get("steps", [])]
            drafts.process(kind=ProcessKind.SYSTEM, code=doc["code"], title=doc["title"], framework_key=doc["key"],
                           data=data, steps=steps, forms=[(f["code"], f["title"]) for f in doc.get("forms", [])])
        else:
            drafts.document(kind=doc["kind"], code=doc["code"], title=doc["title"], framework_key=doc["key"],
                            content={"sections": doc.get("sections", []), "iso_clauses": doc.get("iso_clauses", [])})
        created += 1
    return created


def _next_numbers(qms, count: int) -> list[str]:
    used = set(Document.objects.filter(qms=qms).values_list("code", flat=True))
    codes, number = [], 1
    while len(codes) < count:
        code = qms.process_code_pattern.format(number=number)
        if code not in used:
            codes.append(code)
        number += 1
    return codes


PROCEDURE_FIELDS = ("code", "name", "conditions", "dossier_components", "channels", "legal_bases", "applicants",
                    "results")


def catalogue_for_level(level: str) -> list[Procedure]:
    """The catalogue procedures of a level with their cases, only the columns a draft process needs."""
    return list(
        Procedure.objects.for_level(level).only(*PROCEDURE_FIELDS)
        .prefetch_related(Prefetch("cases", ProcedureCase.objects.only("procedure_id", "duration", "duration_unit")))
        .order_by("code", "source_id")
    )


def _procedure_processes(drafts: Drafts, *, agency, catalogue: list[Procedure]) -> int:
    qms, level = drafts.qms, agency_level(agency)
    adopted = set(Process.objects.filter(qms=qms).values_list("procedures__pk", flat=True))
    procedures = [p for p in catalogue if p.pk not in adopted]
    codes = _next_numbers(qms, len(procedures))
    for code, p in zip(codes, procedures, strict=True):
        cases = list(p.cases.all())
        limits = [h for h in (case_hours(c) for c in cases) if h]
        drafts.process(kind=ProcessKind.PROCEDURE, code=code, title=procedure_title(p.name),
                       data=procedure_process_data(procedure=p, agency=agency), procedures=[p], cases=cases,
                       steps=proposed_steps(hours=min(limits) if limits else None, level=level), forms=STANDARD_FORMS,
                       change_summary="Ban hành lần đầu")
    return len(procedures)


def qms_bootstrap(*, actor, agency, qms: QMS | None = None, catalogue: list[Procedure] | None = None) -> dict:
    """Create the agency's complete draft QMS, in one transaction. Returns counts; running it again creates
    nothing twice. `catalogue` (from catalogue_for_level) saves reading it again when bootstrapping many."""
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and not scope.is_global and agency.pk not in scope.agencies_for("add"):
        raise PermissionDeniedError(_("Only the agency's ISO coordinator or head can build its QMS."))
    with transaction.atomic():
        if qms is None:
            qms = QMS.objects.filter(agency=agency).order_by("created_at").first()
        if qms is None:
            qms = QMS.objects.create(agency=agency, code="HTQLCL", name=f"HTQLCL — {agency.name}")
            qms.agencies.add(agency)
        drafts = Drafts(actor=actor, qms=qms)
        framework = _framework(drafts, agency=agency)
        if catalogue is None:
            catalogue = catalogue_for_level(agency_level(agency))
        processes = _procedure_processes(drafts, agency=agency, catalogue=catalogue)
        drafts.insert()
        if framework or processes:
            audit_record(actor=actor, instance=qms, action=AuditAction.UPDATE,
                         note=_("QMS built from the framework model: %(documents)s documents, %(processes)s processes")
                         % {"documents": framework, "processes": processes})
    return {"agency": agency.code, "qms": str(qms.pk), "framework_documents": framework,
            "procedure_processes": processes, "framework_version": framework_manifest().get("version", "")}


def qms_bootstrap_many(*, actor, agencies, progress=None) -> list[dict]:
    """Bootstrap several agencies (a rollout wave): the catalogue is read once per level, each agency is
    built in its own transaction, and an agency that cannot be built is reported ({agency, error}) without
    stopping the others. `progress(done, total)` is called after each agency."""
    agencies = list(agencies)
    catalogues: dict = {}
    results = []
    for done, agency in enumerate(agencies, start=1):
        level = agency_level(agency)
        if level not in catalogues:
            catalogues[level] = catalogue_for_level(level)
        try:
            results.append(qms_bootstrap(actor=actor, agency=agency, catalogue=catalogues[level]))
        except ApplicationError as exc:  # refused for this agency (permission): the others go on
            results.append({"agency": agency.code, "error": str(exc.message)})
        if progress is not None:
            progress(done, len(agencies))
    return results


@transaction.atomic
def qms_start_from(*, actor, source: QMS, agency, code: str = "HTQLCL", name: str = "") -> QMS:
    """Start an agency's QMS (a new year's, or a merged agency's) from an existing one: every document
    and process is copied as a draft of issue 1 from the source's current content. The source is not
    changed. Refused when the agency already has a QMS with this code."""
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and not scope.is_global and (
        agency.pk not in scope.agencies_for("add") or not QMS.objects.restrict(actor).filter(pk=source.pk).exists()
    ):
        raise PermissionDeniedError(_("You can only start a QMS of your agency from a QMS you can see."))
    if QMS.objects.filter(agency=agency, code=code).exists():
        raise ApplicationError(_("%(agency)s already has a QMS with code %(code)s. Choose another code.")
                               % {"agency": agency, "code": code}, code="duplicate_qms")
    target = QMS.objects.create(agency=agency, code=code, name=name or f"HTQLCL — {agency.name}",
                                scope=source.scope, process_code_pattern=source.process_code_pattern)
    target.agencies.add(agency)
    for document in source.documents.filter(process__isnull=True):
        latest = document.current_revision or document.revisions.order_by("-number").first()
        document_create(actor=actor, qms=target, kind=document.kind, code=document.code, title=document.title,
                        framework_key=document.framework_key, content=latest.content if latest else {})
    for process in source.processes.prefetch_related("steps", "forms", "procedures", "cases"):
        data = {field: getattr(process, field) for field in (
            "purpose", "scope", "references", "definitions", "legal_bases", "conditions", "dossier_components",
            "number_of_sets", "channels", "place_of_receipt", "competent_units", "cooperating_units", "applicants",
            "fees", "result", "content_intro", "records")}
        copy = process_create(actor=actor, qms=target, kind=process.kind, code=process.code, title=process.title,
                              data=data, procedures=list(process.procedures.all()), cases=list(process.cases.all()),
                              framework_key=process.framework_key)
        ProcessStep.objects.bulk_create([
            ProcessStep(agency=agency, process=copy, order=s.order, action=s.action, responsible=s.responsible,
                        duration=s.duration, duration_unit=s.duration_unit, duration_text=s.duration_text,
                        forms=s.forms, output=s.output, description=s.description)
            for s in process.steps.all()
        ])
        FormTemplate.objects.bulk_create([
            FormTemplate(agency=agency, process=copy, code=f.code, title=f.title, file=f.file)
            for f in process.forms.all()
        ])
    audit_record(actor=actor, instance=target, action=AuditAction.CREATE,
                 note=_("Started from %(source)s") % {"source": source})
    return target
