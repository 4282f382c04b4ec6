"""The printable documents of a dossier (Circular 01/2018/TT-VPCP forms, Decree 30/2020 layout) as HTML and PDF.

    render_dossier_pdf(dossier, kind, *, base_url="") -> bytes
    render_dossier_html(dossier, kind, *, base_url="", print_=False) -> str
    dossier_document_context(dossier, kind, *, base_url="") -> dict

`kind` is one of KINDS: "receipt" (Mẫu 01, receipt and appointment), "control-slip" (Mẫu 05, process control
slip) or "apology" (Mẫu 04, apology and new return date). Moments are printed in Vietnam time; the form's
wording is in eiso.reports.dossier_labels (statutory Vietnamese, like eiso.reports.labels).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import F
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import ApplicationError
from eiso.reports import dossier_labels as words
from eiso.reports import labels, layout
from eiso.reports.process_model import column_styles
from eiso.reports.process_pdf import html_to_pdf, layout_context

KINDS = ("receipt", "control-slip", "apology")
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PLACE_PREFIXES = ("tỉnh ", "thành phố ")  # "Tỉnh Lào Cai" → "Lào Cai, ngày …" (Decree 30, Appendix I)
SIGNATURE_SPACE_MM = 28
COMPONENT_WIDTHS_MM = (12, 93, 38, 22)
SLIP_WIDTHS_MM = (12, 37, 37, 27, 27, 25)
PAUSE_WIDTHS_MM = (12, 93, 30, 30)


# --- Moments and names ----------------------------------------------------------------------------------------


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment, VIETNAM) if moment is not None else None


def format_date(moment: dt.datetime | None) -> str:
    """"27/11/2026" in Vietnam time; "" without a moment."""
    local = _local(moment)
    return local.strftime("%d/%m/%Y") if local else ""


def format_moment(moment: dt.datetime | None) -> str:
    """"16:00 ngày 27/11/2026" in Vietnam time; "" without a moment."""
    local = _local(moment)
    return words.MOMENT.format(time=local.strftime("%H:%M"), date=local.strftime("%d/%m/%Y")) if local else ""


def _person(user) -> str:
    return str(user) if user is not None else ""


def _place(agency) -> str:
    """The place of the place-and-date line: the province's name without "Tỉnh"/"Thành phố"."""
    name = (agency.province.name if agency.province_id else "").strip()
    for prefix in PLACE_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix):].strip()
    return name


def _procedure(dossier) -> str:
    text = dossier.procedure.name
    if dossier.procedure.code:
        text = f"{text} {labels.PROCEDURE_CODE.format(code=dossier.procedure.code)}"
    return text


def _case(dossier) -> str:
    return dossier.case.name if dossier.case_id and dossier.case.name != dossier.procedure.name else ""


def _kind(dossier) -> str:
    return dossier.applicant_kind if dossier.applicant_kind in words.APPLICANT else "person"


def _addressee(dossier) -> str:
    return words.ADDRESSEE[_kind(dossier)].format(name=dossier.applicant_name)


def lookup_url(code: str, base_url: str = "") -> str:
    """The public lookup page with the code filled in ("" while the portal has no lookup URL)."""
    try:
        path = reverse("portal:lookup")
    except NoReverseMatch:
        return ""
    return f"{(base_url or '').rstrip('/')}{path}?{urlencode({'code': code})}"


# --- The documents --------------------------------------------------------------------------------------------


@dataclass
class Side:
    """One side of a hand-over on the control slip: the unit (or the applicant) and the person."""

    unit: str
    person: str = ""
    step: str = ""  # "B2. Thẩm định hồ sơ" for the side that hands a step over


@dataclass
class HandOver:
    number: int
    giver: Side
    receiver: Side
    moment: str = ""
    result: str = ""
    note: str = ""

    @property
    def sides(self) -> tuple[Side, Side]:
        return self.giver, self.receiver


@dataclass
class DossierDocument:
    kind: str
    title: str
    code: str
    header_left: list
    header_right: list
    place_date: str
    facts: dict = field(default_factory=dict)


def _document(dossier, kind: str, title: str, date: dt.datetime | None) -> DossierDocument:
    agency = dossier.agency
    parent = agency.parent.name if agency.parent_id else ""
    left, right = layout.header_block(parent, agency.name)
    local = _local(date)
    return DossierDocument(kind=kind, title=title, code=dossier.code, header_left=left, header_right=right,
                           place_date=layout.place_and_date(_place(agency), local.date() if local else None))


def _applicant(dossier) -> list[tuple[str, str]]:
    kind = _kind(dossier)
    rows = [(words.APPLICANT[kind], dossier.applicant_name), (words.ID_NUMBER[kind], dossier.applicant_id_number),
            (words.ADDRESS, dossier.applicant_address), (words.PHONE, dossier.applicant_phone),
            (words.EMAIL, dossier.applicant_email)]
    return [(label, value) for label, value in rows if value or label == words.APPLICANT[kind]]


def _components(dossier) -> list[dict]:
    rows = []
    for item in dossier.components or []:
        if not isinstance(item, dict) or item.get("submitted") is False or not str(item.get("name") or "").strip():
            continue
        quantity = item.get("quantity")
        rows.append({"name": str(item["name"]).strip(), "kind": words.COMPONENT_KINDS.get(item.get("kind") or "", ""),
                     "quantity": layout.format_number(quantity) if quantity not in (None, "") else ""})
    return rows


def _require_code(dossier) -> None:
    if not dossier.code or dossier.received_at is None:
        raise ApplicationError(_("This dossier was not received (it has no code), so it has no receipt or control "
                                 "slip to print."), code="not_received")


def receipt_context(dossier, *, base_url: str = "") -> dict:
    """Mẫu 01: what was received, when, the appointment and how to follow the dossier online."""
    from eiso.dossiers.selectors import LOOKUP_DIGITS

    _require_code(dossier)
    doc = _document(dossier, "receipt", words.RECEIPT_TITLE, dossier.received_at)
    desk = words.DESK_OF.format(agency=dossier.agency.name)
    process = dossier.process
    place = layout.paragraphs(process.place_of_receipt) if process is not None else []
    if not place:
        place = [", ".join(filter(None, [desk, dossier.agency.address]))]
    secret = words.LOOKUP_SECRET_PHONE if dossier.applicant_phone else words.LOOKUP_SECRET_ID
    doc.facts = {
        "received_from": words.RECEIVED_FROM.format(desk=desk),
        "applicant": _applicant(dossier), "applicant_name": dossier.applicant_name,
        "procedure": _procedure(dossier), "case": _case(dossier),
        "components": _components(dossier),
        "sets": words.SETS_VALUE.format(n=layout.format_number(process.number_of_sets if process else 1)),
        "statutory_time": layout.duration_label(dossier.duration, dossier.duration_unit),
        "received_at": format_moment(dossier.received_at),
        "appointment_at": format_moment(dossier.appointment_at),
        "collect_at": place,
        "lookup_url": lookup_url(dossier.code, base_url),
        "lookup_how": words.LOOKUP_HOW.format(code=dossier.code, digits=f"{LOOKUP_DIGITS:02d}", secret=secret),
        "officer": _person(dossier.received_by),
    }
    return {"doc": doc, "components_columns": column_styles(COMPONENT_WIDTHS_MM)}


def _step_side(step) -> Side:
    unit = step.responsible or ""
    if step.unit_id and step.unit.name and step.unit.name not in unit:
        unit = f"{unit} ({step.unit.name})" if unit else step.unit.name
    return Side(unit=unit, person=_person(step.assignee))


def _returned_by(dossier) -> str:
    event = dossier.events.filter(action="return").select_related("actor").order_by("-at").first()
    return _person(event.actor) if event is not None else ""


def hand_overs(dossier) -> list[HandOver]:
    """The control slip's rows: the receipt from the applicant, each step handed to the next (the last to the
    desk), and the return to the applicant; rows not reached yet are printed blank, to be filled in by hand."""
    steps = list(dossier.steps.select_related("unit", "assignee", "finished_by").order_by("order"))
    applicant = Side(words.APPLICANT_SIDE, dossier.applicant_name)
    rows = [HandOver(1, applicant, Side(words.DESK, _person(dossier.received_by)),
                     format_moment(dossier.received_at), note=words.RECEIPT_NOTE)]
    for index, step in enumerate(steps):
        giver = _step_side(step)
        giver.person = _person(step.finished_by or step.assignee)
        giver.step = words.STEP.format(n=step.order, action=" ".join(step.action.split()))
        following = steps[index + 1] if index + 1 < len(steps) else None
        receiver = _step_side(following) if following is not None else Side(words.DESK)
        rows.append(HandOver(len(rows) + 1, giver, receiver, format_moment(step.finished_at),
                             words.RESULTS.get(step.result, ""), step.note))
    returned = dossier.returned_at is not None
    note = words.RETURN_NOTE
    if dossier.return_method:
        note = f"{note}: {words.RETURN_METHODS.get(dossier.return_method, dossier.return_method)}"
    rows.append(HandOver(len(rows) + 1, Side(words.DESK, _returned_by(dossier) if returned else ""), applicant,
                         format_moment(dossier.returned_at),
                         words.RESULTS.get(dossier.outcome, "") if returned else "", note))
    return rows


def control_slip_context(dossier) -> dict:
    """Mẫu 05: one row per hand-over with its moment and its result, and the times the clock stopped."""
    _require_code(dossier)
    doc = _document(dossier, "control-slip", words.CONTROL_SLIP_TITLE, dossier.received_at)
    pauses = [{"reason": " ".join(filter(None, [words.PAUSE_KINDS.get(p.kind, ""), p.reason and f"({p.reason})"])),
               "started": format_moment(p.started_at), "ended": format_moment(p.ended_at)}
              for p in dossier.pauses.order_by("started_at")]
    apology = ""
    if dossier.apology_at is not None:
        apology = words.APOLOGY_ISSUED.format(date=format_date(dossier.apology_at),
                                              moment=format_moment(dossier.appointment_at))
    doc.facts = {
        "attached": words.ATTACHED_TO_RECEIPT.format(code=dossier.code),
        "applicant": dossier.applicant_name, "procedure": _procedure(dossier), "case": _case(dossier),
        "agency": dossier.agency.name,
        "received_at": format_moment(dossier.received_at), "appointment_at": format_moment(dossier.appointment_at),
        "rows": hand_overs(dossier), "pauses": pauses, "apology": apology,
    }
    return {"doc": doc, "slip_columns": column_styles(SLIP_WIDTHS_MM), "pause_columns": column_styles(PAUSE_WIDTHS_MM)}


def _head(agency):
    """The agency's head today (who signs the apology), or None: the name is then written by hand."""
    from eiso.core.permissions import Role
    from eiso.organizations.models import RoleAssignment

    assignment = (RoleAssignment.objects.active().filter(agency=agency, role=Role.AGENCY_HEAD, user__is_active=True)
                  .select_related("user").order_by(F("org_unit").asc(nulls_first=True), "created_at").first())
    return assignment.user if assignment is not None else None


def apology_context(dossier) -> dict:
    """Mẫu 04: to the applicant, the original appointment, the reason of the delay and the new appointment."""
    if dossier.apology_at is None or not dossier.code:
        raise ApplicationError(_("No apology letter was issued for this dossier: issue one (with the reason and the "
                                 "new return date) before printing it."), code="no_apology")
    doc = _document(dossier, "apology", words.APOLOGY_TITLE, dossier.apology_at)
    agency, addressee = dossier.agency.name, _addressee(dossier)
    head = _head(dossier.agency)
    doc.facts = {
        "addressee": addressee,
        "received": words.APOLOGY_RECEIVED.format(date=format_date(dossier.received_at), agency=agency,
                                                  procedure=dossier.procedure.name, addressee=addressee),
        "due_at": format_moment(dossier.due_at),
        "reason_intro": words.APOLOGY_REASON.format(agency=agency, addressee=addressee),
        "reason": layout.paragraphs(dossier.apology_reason),
        "sorry": words.APOLOGY_SORRY.format(agency=agency, addressee=addressee),
        "appointment_at": format_moment(dossier.appointment_at),
        "closing": words.APOLOGY_CLOSING.format(addressee=addressee),
        "signer_position": layout.upper(head.position if head is not None and head.position else words.HEAD),
        "signer_name": _person(head),
    }
    return {"doc": doc}


def dossier_document_context(dossier, kind: str, *, base_url: str = "") -> dict:
    """The template context of one document; ApplicationError when the dossier cannot have it."""
    if kind == "receipt":
        context = receipt_context(dossier, base_url=base_url)
    elif kind == "control-slip":
        context = control_slip_context(dossier)
    elif kind == "apology":
        context = apology_context(dossier)
    else:
        raise ApplicationError(_("Unknown document %(kind)s.") % {"kind": kind}, code="invalid")
    page = {**layout_context(), "header_pt": str(layout.HEADER_PT),
            "national_pt": str(layout.NATIONAL_TITLE_PT),
            "decree_header_columns": column_styles(layout.HEADER_COLUMNS_MM),
            "signature_space_mm": str(SIGNATURE_SPACE_MM),
            "rule_width": f"{layout.SHORT_RULE_FRACTION * 100:.0f}%"}
    return {**context, "words": words, "labels": labels, "layout": page}


def render_dossier_html(dossier, kind: str, *, base_url: str = "", print_: bool = False) -> str:
    """A standalone HTML page of the document (with the print rules when `print_`)."""
    context = dossier_document_context(dossier, kind, base_url=base_url)
    return render_to_string(f"reports/dossier_{kind}.html", {**context, "print": print_})


def render_dossier_pdf(dossier, kind: str, *, base_url: str = "") -> bytes:
    """The document as PDF bytes: A4, Decree 30 margins. `base_url` ("https://eiso.example.vn") makes the
    printed lookup address absolute."""
    return html_to_pdf(render_dossier_html(dossier, kind, base_url=base_url, print_=True))


def pdf_filename(dossier, kind: str) -> str:
    return f"{dossier.code or dossier.pk}-{kind}.pdf"
