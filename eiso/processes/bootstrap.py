"""Bootstrap an agency's QMS: the framework documents filled with its data, and one draft process per
catalogue procedure of its level, with steps proposed from the statutory duration. Idempotent: what
exists (same framework key, same procedure) is left alone.

Procedure processes are created in bulk (a commune has over a hundred), in one transaction.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.catalog.models import Procedure
from eiso.core.audit import audit_record
from eiso.core.errors import PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import Role, scope_for, today
from eiso.core.text import fold, lower_first
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import Document, Revision
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


def proposed_steps(*, hours: Decimal | None, level: str) -> list[dict]:
    """Five steps that add up to the statutory duration: receipt, handling, approval, release, return."""
    one_stop, officer, leader, clerk = RESPONSIBLE[level]
    actions = [
        (one_stop, "Tiếp nhận, kiểm tra hồ sơ; lập Giấy tiếp nhận hồ sơ và hẹn trả kết quả; chuyển hồ sơ",
         ["BM.01", "BM.05"], "Giấy tiếp nhận hồ sơ và hẹn trả kết quả; Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        (officer, "Thẩm định, xử lý hồ sơ; dự thảo kết quả giải quyết", ["BM.05"], "Dự thảo kết quả giải quyết"),
        (leader, "Xem xét, ký duyệt kết quả giải quyết", ["BM.05"], "Kết quả giải quyết được ký duyệt"),
        (clerk, "Vào sổ, đóng dấu, phát hành kết quả; chuyển Bộ phận Một cửa", ["BM.05"], "Kết quả được phát hành"),
        (one_stop, "Trả kết quả cho tổ chức, cá nhân; thu phí, lệ phí (nếu có)", ["BM.05"], "Kết quả đã trả"),
    ]
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
        "records": [
            {"name": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "place": "Bộ phận Một cửa", "retention": "05 năm"},
            {"name": "Phiếu kiểm soát quá trình giải quyết hồ sơ", "place": "Bộ phận Một cửa", "retention": "05 năm"},
            {"name": "Hồ sơ của tổ chức, cá nhân và kết quả giải quyết", "place": "Công chức chuyên môn",
             "retention": "Theo quy định về lưu trữ"},
        ],
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


def _framework(*, actor, qms, agency) -> int:
    existing = set(Document.objects.filter(qms=qms).exclude(framework_key="").values_list("framework_key", flat=True))
    codes = set(Document.objects.filter(qms=qms).values_list("code", flat=True))
    created = 0
    for doc in framework_documents(_context(agency)):
        # Already adopted, or the agency has its own document under the model's code: keep theirs.
        if doc["key"] in existing or doc["code"] in codes:
            continue
        if doc["kind"] == "system_procedure":
            process = process_create(
                actor=actor, qms=qms, kind=ProcessKind.SYSTEM, code=doc["code"], title=doc["title"],
                framework_key=doc["key"],
                data={"purpose": doc.get("purpose", ""), "scope": doc.get("scope", ""),
                      "references": doc.get("references", []), "definitions": doc.get("definitions", []),
                      "content_intro": doc.get("content", ""), "records": doc.get("records", [])},
            )
            FormTemplate.objects.bulk_create([
                FormTemplate(agency=agency, process=process, code=f["code"], title=f["title"])
                for f in doc.get("forms", [])
            ])
            ProcessStep.objects.bulk_create([
                ProcessStep(agency=agency, process=process, order=s["order"], action=s["action"],
                            responsible=s.get("responsible", ""), duration_unit=StepDurationUnit.NOT_COUNTED,
                            duration_text=str(s.get("duration", "")), forms=s.get("forms", []),
                            output=s.get("output", ""), description=s.get("description", ""))
                for s in doc.get("steps", [])
            ])
        else:
            document_create(actor=actor, qms=qms, kind=doc["kind"], code=doc["code"], title=doc["title"],
                            framework_key=doc["key"],
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


def _procedure_processes(*, actor, qms, agency) -> int:
    level = agency_level(agency)
    adopted = set(Process.objects.filter(qms=qms).values_list("procedures__pk", flat=True))
    procedures = list(
        Procedure.objects.for_level(level).exclude(pk__in=[p for p in adopted if p]).prefetch_related("cases")
        .order_by("code")
    )
    if not procedures:
        return 0
    codes = _next_numbers(qms, len(procedures))
    user = actor if actor is not None and actor.is_authenticated else None
    documents = Document.objects.bulk_create([
        Document(agency=agency, qms=qms, kind=DocumentKind.PROCESS, code=code, title=procedure_title(p.name),
                 search_text=fold(f"{code} {procedure_title(p.name)}"))  # bulk_create skips save()
        for code, p in zip(codes, procedures, strict=True)
    ], batch_size=500)
    Revision.objects.bulk_create([
        Revision(agency=agency, document=d, number=1, status=RevisionStatus.DRAFT, drafted_by=user,
                 change_summary="Ban hành lần đầu")
        for d in documents
    ], batch_size=500)
    processes = Process.objects.bulk_create([
        Process(agency=agency, qms=qms, document=d, kind=ProcessKind.PROCEDURE, code=d.code, title=d.title,
                search_text=fold(f"{d.code} {d.title} {p.code}"),
                **procedure_process_data(procedure=p, agency=agency))
        for d, p in zip(documents, procedures, strict=True)
    ], batch_size=500)
    Process.procedures.through.objects.bulk_create([
        Process.procedures.through(process_id=proc.pk, procedure_id=p.pk) for proc, p in zip(processes, procedures,
                                                                                                strict=True)
    ])
    Process.cases.through.objects.bulk_create([
        Process.cases.through(process_id=proc.pk, procedurecase_id=c.pk)
        for proc, p in zip(processes, procedures, strict=True) for c in p.cases.all()
    ])
    steps, forms = [], []
    for proc, p in zip(processes, procedures, strict=True):
        limits = [h for h in (case_hours(c) for c in p.cases.all()) if h]
        for s in proposed_steps(hours=min(limits) if limits else None, level=level):
            steps.append(ProcessStep(agency=agency, process=proc, **s))
        forms.extend(FormTemplate(agency=agency, process=proc, code=c, title=t) for c, t in STANDARD_FORMS)
    ProcessStep.objects.bulk_create(steps, batch_size=1000)
    FormTemplate.objects.bulk_create(forms, batch_size=1000)
    return len(processes)


@transaction.atomic
def qms_bootstrap(*, actor, agency, qms: QMS | None = None) -> dict:
    """Create the agency's complete draft QMS. Returns counts; running it again creates nothing twice."""
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and not scope.is_global and agency.pk not in scope.agencies_for("add"):
        raise PermissionDeniedError(_("Only the agency's ISO coordinator or head can build its QMS."))
    if qms is None:
        qms = QMS.objects.filter(agency=agency).order_by("created_at").first()
    if qms is None:
        qms = QMS.objects.create(agency=agency, code="HTQLCL", name=f"HTQLCL — {agency.name}")
        qms.agencies.add(agency)
    framework = _framework(actor=actor, qms=qms, agency=agency)
    processes = _procedure_processes(actor=actor, qms=qms, agency=agency)
    result = {"qms": str(qms.pk), "framework_documents": framework, "procedure_processes": processes,
              "framework_version": framework_manifest().get("version", "")}
    if framework or processes:
        audit_record(actor=actor, instance=qms, action=AuditAction.UPDATE,
                     note=_("QMS built from the framework model: %(documents)s documents, %(processes)s processes")
                     % {"documents": framework, "processes": processes})
    return result


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
        from eiso.core.errors import ApplicationError

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
